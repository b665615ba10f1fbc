"""In-app notifications, and the reminders already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.models import User
from recognition.database import Base, enum_check, enum_column, utcnow
from recognition.notifications.enums import NotificationKind


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        CheckConstraint(enum_check("kind", NotificationKind.values()), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = enum_column(
        NotificationKind, 30, default=NotificationKind.GENERAL
    )
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class SentReminder(Base):
    """A reminder told once: the UNIQUE key (kind, object, user, day) is what makes a second
    run of the job, or two workers at once, tell nobody twice. `day` is the day the reminder
    is about (the closing day, the deadline), so a daily run repeats nothing."""

    __tablename__ = "sent_reminders"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", "user_id", "day"),
        CheckConstraint(enum_check("kind", NotificationKind.values()), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NotificationKind] = enum_column(NotificationKind, 30)
    object_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
