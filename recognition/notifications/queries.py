"""Reading a user's notifications."""

from functools import cache

from sqlalchemy import Select, bindparam, func, select

from recognition.auth.models import User
from recognition.extensions import db
from recognition.notifications.models import Notification

# The bell counts this many unread notifications at most, and then says "99+": a secretariat
# that never reads them (10,549 at a province's volume) would pay for a count on every page.
BELL_AT_MOST = 99


def unread_count_for_user(user: User, *, at_most: int | None = None) -> int:
    """The unread notifications of `user` (one query); with `at_most`, counted up to one more
    than that only."""
    return db.session.scalar(unread_count_statement(at_most), {"user_id": user.id}) or 0


@cache
def unread_count_statement(at_most: int | None) -> Select[int]:
    """The count's statement for the user id bound as `user_id`, built once per process. The
    bell's is sent with the signed-in user's own statement (recognition.security)."""
    unread = select(Notification.id).where(
        Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None)
    )
    if at_most is not None:
        unread = unread.limit(at_most + 1)
    return select(func.count()).select_from(unread.subquery())


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
