"""Holding a dossier while its nominee is under discipline, inspection or complaint review, and
lifting the hold (NĐ 152/2025/NĐ-CP art. 4).

A hold does not change the dossier's state: the dossier can still be edited, appraised and sent
back, but the workflow refuses to accept it, pass it, put it on an agenda or award it
(`guards.hold_problem`). Setting and lifting are chained audit events with the reason as their
comment, and the nominators are told.
"""

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.common.audit import AuditEvent, ObjectKind, record
from recognition.common.text import clean_multiline
from recognition.database import utcnow
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.nominations.effects import on_hold_changed
from recognition.nominations.enums import Action, HoldKind
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import (
    HOLDABLE_STATES,
    can_hold,
    can_release_hold,
    is_secretariat_of,
)
from recognition.nominations.services import flush_or_conflict
from recognition.nominations.workflow import describe


def _check(nomination: Nomination, actor: User, reason: str, expected_version: int | None) -> str:
    if not is_secretariat_of(actor, nomination):
        raise NotAllowed(
            _(
                "Only the secretariat of %(body)s can hold a dossier or lift its hold.",
                body=nomination.campaign.awarding_body.name,
            )
        )
    if expected_version is not None and expected_version != nomination.version:
        raise ConcurrentUpdate(
            _(
                "Someone else changed this dossier in the meantime. It has been reloaded; "
                "please check it and try again."
            )
        )
    cleaned = clean_multiline(reason)
    if not cleaned:
        raise DomainError(_("Please give a reason."), field="reason")
    return cleaned


def _record(nomination: Nomination, action: Action, actor: User, reason: str) -> AuditEvent:
    flush_or_conflict()
    event = record(
        ObjectKind.NOMINATION,
        nomination.id,
        action.value,
        actor=actor,
        subject=describe(nomination),
        from_state=nomination.state.value,
        to_state=nomination.state.value,
        comment=reason,
        version=nomination.version,
    )
    on_hold_changed(nomination, event)
    return event


def hold_nomination(
    nomination: Nomination,
    *,
    kind: HoldKind,
    reason: str,
    actor: User,
    expected_version: int | None = None,
) -> AuditEvent:
    """Hold the dossier (kind, reason, since now, by `actor`); audited, nominators notified."""
    reason = _check(nomination, actor, reason, expected_version)
    if nomination.hold_kind is not None:
        raise InvalidTransition(_("This dossier is already held."))
    if nomination.state not in HOLDABLE_STATES or not can_hold(actor, nomination):
        raise InvalidTransition(
            _(
                "A dossier that is “%(state)s” cannot be held.",
                state=nomination.state.label,
            )
        )
    nomination.hold_kind = kind
    nomination.hold_reason = reason
    nomination.held_at = utcnow()
    nomination.held_by = actor
    return _record(nomination, Action.HOLD, actor, reason)


def release_hold(
    nomination: Nomination, *, reason: str, actor: User, expected_version: int | None = None
) -> AuditEvent:
    """Lift the dossier's hold with a reason; audited, nominators notified."""
    reason = _check(nomination, actor, reason, expected_version)
    if not can_release_hold(actor, nomination):
        raise InvalidTransition(_("This dossier is not held."))
    nomination.hold_kind = None
    nomination.hold_reason = None
    nomination.held_at = None
    nomination.held_by = None
    return _record(nomination, Action.RELEASE, actor, reason)
