"""The administrator's dated values of the legal rules (over the defaults in the registry)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.database import Base, utcnow

if TYPE_CHECKING:  # accounts are above the law's area: named, never imported
    from recognition.auth.models import User


class LawValue(Base):
    """A rule's value from `valid_from` on, entered by an administrator with its source.

    One row per rule and day: correcting a value rewrites its row (audited); a value for a day
    the registry also has replaces the registry's value from that day."""

    __tablename__ = "law_values"
    __table_args__ = (UniqueConstraint("key", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date]
    value: Mapped[Any] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    uncertain: Mapped[bool] = mapped_column(default=False)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[User | None] = relationship("User")
