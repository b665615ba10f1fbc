"""Reminders of deadlines, sent by a scheduled job that needs no person (`flask
send-reminders` from cron, or the RQ cron job in `recognition.cron`).

Each area says what is due on a day (a finder: `day -> [Due]`); the application hands its
finders to `init_reminders` (the areas sit above this one). `send_due_reminders` tells each
person once: the reminder is recorded in `sent_reminders`, UNIQUE on (kind, object, user, day),
with INSERT … ON CONFLICT DO NOTHING, and only the run whose row went in notifies. A second
run, a restarted job or two workers at once (the second insert waits for the first
transaction, then finds the row) tell nobody twice. Mail goes through the outbox after commit.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy.dialects import postgresql, sqlite

from recognition.auth.models import User
from recognition.database import utcnow
from recognition.extensions import db
from recognition.notifications.enums import NotificationKind
from recognition.notifications.models import SentReminder
from recognition.notifications.services import notify

REMINDER_KINDS = (
    NotificationKind.CONSULTATION_CLOSING,
    NotificationKind.POSTING_ENDED,
    NotificationKind.APPRAISAL_DUE,
    NotificationKind.WINDOW_CLOSING,
)
EXTENSION = "recognition.reminder_finders"


@dataclass(frozen=True)
class Due:
    """A reminder owed to `user` about object `object_id`, for `day` (the day it is about:
    a closing day, a deadline), its text already in the user's language."""

    kind: NotificationKind
    object_id: int
    user: User
    day: date
    text: str
    link: str


Finder = Callable[[date], Iterable[Due]]


def init_reminders(app: Flask, finders: Sequence[Finder]) -> None:
    """The areas' finders, asked in this order by `send_due_reminders`."""
    app.extensions[EXTENSION] = list(finders)


def local_day(now: datetime) -> date:
    """The users' date at the instant `now` (deadlines are local dates)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return now.astimezone(zone).date()


def _record(due: Due) -> bool:
    """Insert the reminder's row unless it exists; whether this call inserted it."""
    values = {
        "kind": due.kind.value,
        "object_id": due.object_id,
        "user_id": due.user.id,
        "day": due.day,
        "sent_at": utcnow(),
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(SentReminder)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["kind", "object_id", "user_id", "day"])
        .returning(SentReminder.id)
    )
    return db.session.execute(statement).scalar() is not None


def remind_once(due: Due) -> bool:
    """Tell `due.user` unless this reminder was already recorded; whether they were told."""
    if not _record(due):
        return False
    notify(due.user, kind=due.kind, text=due.text, link=due.link)
    return True


def send_due_reminders(
    *, now: datetime | None = None, finders: Sequence[Finder] | None = None
) -> dict[str, int]:
    """Send every reminder due at `now` that was not sent before; returns how many of each
    kind were sent. Flushes; the caller commits (then the outbox delivers the mail)."""
    day = local_day(now or utcnow())
    counts = {kind.value: 0 for kind in REMINDER_KINDS}
    for finder in finders if finders is not None else current_app.extensions[EXTENSION]:
        for due in finder(day):
            if remind_once(due):
                counts[due.kind.value] = counts.get(due.kind.value, 0) + 1
    db.session.flush()
    return counts
