"""Delivering queued e-mails after their transaction committed.

Messages are rows (notifications/models.py) written with the change they report, so a rolled
back change sends nothing. A worker thread per process wakes when a transaction that queued
mail commits (and once a minute), claims due rows with a conditional UPDATE (so two workers
never send the same one), sends them with a short timeout and reschedules failures with
backoff. Without an SMTP server configured, messages are written to the log.
"""

import smtplib
import threading
from datetime import datetime, timedelta
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid

from flask import Flask, current_app
from sqlalchemy import Index, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from recognition.common.after_commit import after_commit
from recognition.database import Base, utcnow
from recognition.extensions import db

MAX_ATTEMPTS = 8
CLAIM_SECONDS = 300
_wake = threading.Event()


class OutboxMessage(Base):
    """An e-mail written in the same transaction as the change it reports.

    It exists only if that transaction committed; delivery happens afterwards and is retried,
    so a slow or broken mail server never blocks or breaks a request.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.info(
            "mail to %s: %s\n%s", message.recipient, message.subject, message.body
        )
        return
    email = MIMEText(message.body, "plain", "utf-8")
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    # Header() keeps every space inside the encoded words. The newer EmailMessage folding drops
    # the space where it splits a long Vietnamese subject ("mới cần" arrives as "mớicần").
    email["Subject"] = Header(message.subject, "utf-8")  # type: ignore[assignment]
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


def deliver_pending(*, limit: int = 50) -> tuple[int, int]:
    """Send due messages; returns (sent, failed). Commits its own small transactions."""
    now = utcnow()
    due = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.attempts < MAX_ATTEMPTS,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    sent = failed = 0
    for message_id in due:
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at <= now,
            )
            .values(
                next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
                attempts=OutboxMessage.attempts + 1,
            )
        )
        db.session.commit()
        if not claimed.rowcount:  # type: ignore[attr-defined]
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            continue
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            message.next_attempt_at = utcnow() + _backoff(message.attempts)
            failed += 1
            current_app.logger.warning(
                "mail to %s failed (attempt %d): %s",
                message.recipient,
                message.attempts,
                message.last_error,
            )
        else:
            message.sent_at = utcnow()
            message.last_error = ""
            sent += 1
        db.session.commit()
    return sent, failed


def failed_messages(*, limit: int = 100) -> list[OutboxMessage]:
    """Messages not sent whose last attempt failed, newest first (for administrators)."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.last_error != "")
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def _worker(app: Flask) -> None:
    while True:
        _wake.wait(timeout=60)
        _wake.clear()
        with app.app_context():
            try:
                deliver_pending()
            except Exception:  # the worker must outlive a database hiccup
                app.logger.exception("outbox delivery failed")
                db.session.rollback()
            finally:
                db.session.remove()


def wake_after_commit() -> None:
    """Deliver as soon as the transaction that queued mail has committed."""
    after_commit(_wake.set)


def init_outbox(app: Flask) -> None:
    """Wake delivery after commits that queued mail; start the worker unless testing."""
    if app.config.get("OUTBOX_WORKER", not app.testing):
        thread = threading.Thread(target=_worker, args=(app,), name="outbox", daemon=True)
        thread.start()
