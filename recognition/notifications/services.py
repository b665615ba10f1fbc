"""Telling people: an in-app notification, and an e-mail through the outbox."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from recognition.auth.enums import NotificationDelivery
from recognition.auth.models import User
from recognition.common.outbox import OutboxMessage, wake_after_commit
from recognition.database import utcnow
from recognition.extensions import db
from recognition.notifications.enums import NotificationKind
from recognition.notifications.models import Notification


def notify(user: User, *, kind: NotificationKind, text: str, link: str = "") -> Notification:
    """Add a notification for `user` and queue the same text by e-mail, unless they have no
    address or chose to be told in the application only."""
    notification = Notification(user_id=user.id, kind=kind, text=text, link=link)
    db.session.add(notification)
    if user.email and user.notification_delivery != NotificationDelivery.APP_ONLY:
        base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
        body = f"{user.full_name},\n\n{text}\n\n{base}{link}\n"
        with force_locale(user.locale or "vi"):
            subject = _("[Emulation & Commendation] %(text)s", text=text[:120])
        queue_mail(user.email, subject=subject, body=body)
    return notification


def notify_once(user: User, *, kind: NotificationKind, text: str, link: str) -> Notification | None:
    """`notify`, unless `user` was already told this text about this link (the same event
    reached twice, by a retried step or a second worker, tells nobody twice)."""
    told = db.session.scalar(
        select(Notification.id)
        .where(
            Notification.user_id == user.id,
            Notification.link == link,
            Notification.text == text,
        )
        .limit(1)
    )
    if told is not None:
        return None
    return notify(user, kind=kind, text=text, link=link)


def queue_mail(recipient: str, *, subject: str, body: str) -> OutboxMessage:
    """An e-mail that exists only if the current transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    wake_after_commit()
    return message


def mark_read(user: User, notification_id: int) -> Notification | None:
    """Mark one of `user`'s notifications as read (already read stays as it was); None when it
    is not theirs."""
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if notification is not None and notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` as read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
