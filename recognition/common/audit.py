"""The append-only, hash-chained audit log of nomination events.

Each event stores the hash of the event before it and its own hash over its content and that
link; the newest hash is kept in `audit_head`, whose row is locked while appending so that
concurrent transactions extend the chain one after the other. `verify_chain` recomputes the
whole chain: an edited row, a deleted row or a truncated tail is reported.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, String, select
from sqlalchemy.orm import Mapped, mapped_column

from recognition.auth.models import User
from recognition.database import Base, utcnow
from recognition.extensions import db
from recognition.nominations.enums import Action
from recognition.nominations.models import Nomination, NominationEvent


class AuditHead(Base):
    """The single row holding the hash of the newest audit event; locked while appending."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int | None]
    last_hash: Mapped[str] = mapped_column(String(64))


GENESIS = "0" * 64


def event_digest(event: NominationEvent) -> str:
    """SHA-256 over the event's content and the previous hash."""
    created = event.created_at.isoformat(timespec="microseconds") if event.created_at else ""
    parts = [
        str(event.nomination_id),
        str(event.actor_id),
        event.action,
        event.from_state,
        event.to_state,
        event.comment,
        str(event.version),
        created,
        event.prev_hash,
    ]
    payload = "\x1f".join(parts).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def _head() -> AuditHead:
    head = db.session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1, last_event_id=None, last_hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    return head


def append_event(
    nomination: Nomination,
    action: Action,
    *,
    actor: User,
    from_state: str,
    to_state: str,
    comment: str = "",
    version: int,
) -> NominationEvent:
    """Add an event at the end of the chain (flushes; never commits)."""
    head = _head()
    created = utcnow()
    event = NominationEvent(
        nomination_id=nomination.id,
        actor_id=actor.id,
        action=action.value,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        version=version,
        created_at=created,
        prev_hash=head.last_hash,
    )
    event.hash = event_digest(event)
    db.session.add(event)
    db.session.flush()
    head.last_hash = event.hash
    head.last_event_id = event.id
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str  # English, for the command line and logs
    kind: str = ""  # "link", "content" or "head", for a message in the reader's language

    @property
    def explanation(self) -> str:
        from flask_babel import gettext as _

        return {
            "link": _("the link is broken: the event before it was altered or removed"),
            "content": _("the content was altered: its hash does not match"),
            "head": _("the newest events were removed: the head does not match the last event"),
        }.get(self.kind, self.message)


def verify_chain() -> tuple[int, list[ChainProblem]]:
    """Recompute the chain; returns the number of events checked and every problem found."""
    problems: list[ChainProblem] = []
    previous = GENESIS
    count = 0
    for event in db.session.scalars(select(NominationEvent).order_by(NominationEvent.id)):
        count += 1
        if event.prev_hash != previous:
            problems.append(
                ChainProblem(
                    event.id, "link broken: the event before it was altered or removed", "link"
                )
            )
        if event_digest(event) != event.hash:
            problems.append(
                ChainProblem(event.id, "content altered: hash does not match", "content")
            )
        previous = event.hash
    head = db.session.get(AuditHead, 1)
    if head is not None and head.last_hash != previous:
        problems.append(
            ChainProblem(
                head.last_event_id,
                "the newest events were removed (the head does not match the last event)",
                "head",
            )
        )
    return count, problems
