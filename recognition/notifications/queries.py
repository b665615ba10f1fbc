"""Reading a user's notifications."""

from sqlalchemy import func, select

from recognition.auth.models import User
from recognition.extensions import db
from recognition.notifications.models import Notification


def unread_count_for_user(user: User) -> int:
    """The unread notifications of `user` (the bell's number, one query)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def notifications_for_user(user: User, *, limit: int = 50) -> list[Notification]:
    """The newest notifications of `user`, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )
