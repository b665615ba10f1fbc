"""The append-only, hash-chained audit log of every object with a life.

Each event names its object (kind and id, with the object's name as it was), the actor, the
action and the states before and after. It stores the hash of the event before it and its own
hash over its content and that link; the newest hash is kept in `audit_head`, whose row is
locked while appending so that concurrent transactions extend the chain one after the other.
The database refuses to change or delete an event (triggers, see the migrations).
`verify_chain` recomputes the whole chain: an edited row, a deleted row or a truncated tail is
reported.

A ballot's content never enters the log: the council records only that a vote was opened,
closed and counted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.common.enums import LabelledEnum
from recognition.common.text import fold
from recognition.database import Base, enum_check, enum_column, utcnow
from recognition.extensions import db

if TYPE_CHECKING:
    from recognition.auth.models import User

GENESIS = "0" * 64


class ObjectKind(LabelledEnum):
    """What an audit event is about."""

    NOMINATION = "nomination"
    DECISION = "decision"
    CERTIFICATE = "certificate"
    COUNCIL_SESSION = "council_session"
    AGENDA_ITEM = "agenda_item"
    CAMPAIGN = "campaign"
    PRINT_JOB = "print_job"
    ACCOUNT = "account"
    ROLE_GRANT = "role_grant"
    UNIT = "unit"
    AWARD_TYPE = "award_type"
    CRITERION = "criterion"
    BODY_SETTINGS = "body_settings"
    COUNCIL = "council"
    LAW_RULE = "law_rule"
    TARGET = "target"
    REGISTRATION = "registration"
    CLUSTER = "cluster"
    HONOUR_ENTRY = "honour_entry"
    AWARD_RECORD = "award_record"
    EMULATION_FUND = "emulation_fund"
    API_CLIENT = "api_client"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.NOMINATION: _l("Dossier"),
            cls.DECISION: _l("Decision"),
            cls.CERTIFICATE: _l("Certificate"),
            cls.COUNCIL_SESSION: _l("Council session"),
            cls.AGENDA_ITEM: _l("Agenda item"),
            cls.CAMPAIGN: _l("Campaign"),
            cls.PRINT_JOB: _l("Print job"),
            cls.ACCOUNT: _l("Account"),
            cls.ROLE_GRANT: _l("Role"),
            cls.UNIT: _l("Unit"),
            cls.AWARD_TYPE: _l("Title or commendation"),
            cls.CRITERION: _l("Criterion"),
            cls.BODY_SETTINGS: _l("Settings of an awarding body"),
            cls.COUNCIL: _l("Council"),
            cls.LAW_RULE: _l("Legal rule"),
            cls.TARGET: _l("Target of a movement"),
            cls.REGISTRATION: _l("Emulation registration"),
            cls.CLUSTER: _l("Emulation cluster"),
            cls.HONOUR_ENTRY: _l("Honour board entry"),
            cls.AWARD_RECORD: _l("Award record"),
            cls.EMULATION_FUND: _l("Emulation fund"),
            cls.API_CLIENT: _l("API client"),
        }


class AuditHead(Base):
    """The single row holding the hash of the newest audit event; locked while appending."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int | None]
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """An immutable record of a state change, or of an edit that matters (a dossier edited
    after its first submission, a role granted, the catalogue changed)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(enum_check("object_kind", ObjectKind.values()), name="object_kind"),
        Index("ix_audit_events_object", "object_kind", "object_id"),
        Index("ix_audit_events_actor", "actor_id"),
        # The log's period (a day, a month) among hundreds of thousands of events.
        Index("ix_audit_events_created_at", "created_at"),
        # The log's search (LIKE '%…%' on the folded name) on PostgreSQL: trigrams.
        Index(
            "ix_audit_events_subject_trgm",
            "subject_folded",
            postgresql_using="gin",
            postgresql_ops={"subject_folded": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_kind: Mapped[ObjectKind] = enum_column(ObjectKind, 30)
    object_id: Mapped[int]
    # The object's name when the event happened ("HS-2026-000012 · Ấp Phú Hòa"), for the log.
    subject: Mapped[str] = mapped_column(String(300), default="")
    subject_folded: Mapped[str] = mapped_column(String(300), default="")
    # None for what the application does by itself (a scheduled job).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(30), default="")
    to_state: Mapped[str] = mapped_column(String(30), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped[User | None] = relationship("User")

    @property
    def action_label(self) -> str:
        for more in MORE_ACTIONS.get(self.object_kind, ()):
            try:
                return str(more(self.action).label)
            except ValueError:
                pass
        vocabulary = VOCABULARIES.get(self.object_kind)
        return vocabulary.action_label(self.action) if vocabulary else self.action

    def state_label(self, state: str) -> str:
        vocabulary = VOCABULARIES.get(self.object_kind)
        return vocabulary.state_label(state) if vocabulary else state

    @property
    def from_label(self) -> str:
        return self.state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return self.state_label(self.to_state)


@dataclass(frozen=True)
class Vocabulary:
    """How the log names one kind's actions and states (its enums)."""

    actions: type[LabelledEnum]
    states: type[LabelledEnum] | None = None

    def action_label(self, action: str) -> str:
        try:
            return self.actions(action).label
        except ValueError:
            return action

    def state_label(self, state: str) -> str:
        if not state or self.states is None:
            return state
        try:
            return self.states(state).label
        except ValueError:
            return state


# Filled by each area's lifecycle (see lifecycle.Lifecycle) and by `register_vocabulary`.
VOCABULARIES: dict[ObjectKind, Vocabulary] = {}


def register_vocabulary(
    kind: ObjectKind, actions: type[LabelledEnum], states: type[LabelledEnum] | None = None
) -> None:
    VOCABULARIES[kind] = Vocabulary(actions, states)


# Actions logged on a kind besides its lifecycle's (a proposal about a decision, say).
MORE_ACTIONS: dict[ObjectKind, list[type[LabelledEnum]]] = {}


def register_more_actions(kind: ObjectKind, actions: type[LabelledEnum]) -> None:
    known = MORE_ACTIONS.setdefault(kind, [])
    if actions not in known:
        known.append(actions)


def event_digest(event: AuditEvent) -> str:
    """SHA-256 over the event's content and the previous hash."""
    created = event.created_at.isoformat(timespec="microseconds") if event.created_at else ""
    parts = [
        str(event.object_kind),
        str(event.object_id),
        event.subject,
        "" if event.actor_id is None else str(event.actor_id),
        event.action,
        event.from_state,
        event.to_state,
        event.comment,
        "" if event.version is None else str(event.version),
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


def record(
    kind: ObjectKind,
    object_id: int,
    action: str,
    *,
    actor: User | None,
    subject: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    version: int | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an event at the end of the chain (flushes; never commits); `at` is the moment it
    shares with the other events of one action on several objects (default: now)."""
    return record_many(
        kind,
        str(action),
        [(object_id, subject, version)],
        actor=actor,
        from_state=str(from_state),
        to_state=str(to_state),
        comment=comment,
        at=at,
    )[0]


def record_many(
    kind: ObjectKind,
    action: str,
    objects: Sequence[tuple[int, str, int | None]],
    *,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    at: datetime | None = None,
) -> list[AuditEvent]:
    """Add one event for each (object id, subject, version), chained in this order, in one
    flush (an import of many rows), all at one moment (`at`, default now); never commits."""
    if not objects:
        return []
    head = _head()
    previous = head.last_hash
    now = at or utcnow()
    events = []
    for object_id, subject, version in objects:
        subject = subject[:300]
        event = AuditEvent(
            object_kind=kind,
            object_id=object_id,
            subject=subject,
            subject_folded=fold(subject)[:300],
            actor_id=None if actor is None else actor.id,
            action=str(action),
            from_state=str(from_state),
            to_state=str(to_state),
            comment=comment,
            version=version,
            created_at=now,
            prev_hash=previous,
        )
        event.hash = previous = event_digest(event)
        events.append(event)
    db.session.add_all(events)
    db.session.flush()
    head.last_hash = events[-1].hash
    head.last_event_id = events[-1].id
    return events


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str  # English, for the command line and logs
    kind: str = ""  # "link", "content" or "head", for a message in the reader's language

    @property
    def explanation(self) -> str:
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
    query = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=2000)
    for event in db.session.scalars(query):
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
