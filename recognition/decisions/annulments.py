"""Proposals to annul an issued decision: the body's secretariat proposes, with a reason (after
an inspection or a complaint); the chair either annuls the decision, which grants the proposal,
or dismisses it with a note (NĐ 152/2025/NĐ-CP: a commendation is annulled by whoever
conferred it, at a proposal). At most one proposal per decision waits at a time."""

from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.common.audit import ObjectKind, record, register_more_actions
from recognition.common.links import app_path
from recognition.common.text import clean_multiline
from recognition.database import utcnow
from recognition.decisions.enums import (
    AnnulmentRequestAction,
    AnnulmentRequestState,
    DecisionState,
)
from recognition.decisions.models import AnnulmentRequest, Decision
from recognition.decisions.permissions import (
    can_decide_annulment_request,
    can_request_annulment,
)
from recognition.decisions.workflow import describe
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.effects import holders
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify

REASON_MAX = 3000

register_more_actions(ObjectKind.DECISION, AnnulmentRequestAction)


def pending_request(decision: Decision, *, lock: bool = False) -> AnnulmentRequest | None:
    """The proposal to annul `decision` that waits for the chair, if any (one query); `lock`
    holds its row until the transaction ends, so that a dismissal and an annulment made at
    the same time do not both decide it."""
    query = select(AnnulmentRequest).where(
        AnnulmentRequest.decision_id == decision.id,
        AnnulmentRequest.state == AnnulmentRequestState.PENDING,
    )
    return db.session.scalar(query.with_for_update() if lock else query)


def request_refusal(decision: Decision) -> str | None:
    """Why `decision` cannot be proposed for annulment now, or None (one query)."""
    return refusal_with(decision, pending_request(decision))


def refusal_with(decision: Decision, waiting: AnnulmentRequest | None) -> str | None:
    """`request_refusal`, the proposal that waits for the chair already known."""
    if decision.state != DecisionState.ISSUED:
        return _("Only an issued decision can be proposed for annulment.")
    if waiting is not None:
        return _(
            "A proposal to annul this decision already waits for the chair; it must be "
            "decided before another is made."
        )
    return None


def _required(text: str, field: str) -> str:
    cleaned = clean_multiline(text)[:REASON_MAX]
    if not cleaned:
        raise DomainError(_("Please give a reason."), field=field)
    return cleaned


def _tell(
    users: list[User],
    *,
    actor: User,
    kind: NotificationKind,
    decision: Decision,
    text_of: Callable[[], str],
) -> None:
    """Notify each of `users` but the actor, each in their language."""
    link = app_path("decisions.detail", decision_id=decision.id)
    for user in users:
        if user.id == actor.id:
            continue
        with force_locale(user.locale or "vi"):
            text = text_of()
        # Each proposal and each decision on it is told once (one pending proposal at a
        # time), even when its words repeat an earlier one's.
        notify(user, kind=kind, text=text, link=link)


def request_annulment(decision: Decision, *, actor: User, reason: str) -> AnnulmentRequest:
    """Propose to annul an issued decision: the proposal is stored pending, logged on the
    decision, and the body's chair is notified. Flushes."""
    if not can_request_annulment(actor, decision):
        raise NotAllowed(_("You may not propose to annul this decision."))
    if decision.state != DecisionState.ISSUED:
        raise InvalidTransition(_("Only an issued decision can be proposed for annulment."))
    refusal = request_refusal(decision)
    if refusal:
        raise DomainError(refusal)
    proposal = AnnulmentRequest(
        decision_id=decision.id,
        reason=_required(reason, "reason"),
        requested_by_id=actor.id,
        requested_at=utcnow(),
    )
    try:
        with db.session.begin_nested():  # the partial unique index: a proposal made meanwhile
            db.session.add(proposal)
    except IntegrityError:
        raise DomainError(request_refusal(decision) or "") from None
    record(
        ObjectKind.DECISION,
        decision.id,
        AnnulmentRequestAction.REQUEST,
        actor=actor,
        subject=describe(decision),
        comment=proposal.reason,
    )
    _tell(
        holders(Role.CHAIR, [decision.awarding_body_id]),
        actor=actor,
        kind=NotificationKind.ANNULMENT_REQUESTED,
        decision=decision,
        text_of=lambda: _(
            "%(name)s proposes to annul decision %(ref)s. Reason: %(reason)s",
            name=actor.full_name,
            ref=describe(decision),
            reason=proposal.reason,
        ),
    )
    return proposal


def dismiss_annulment_request(decision: Decision, *, actor: User, note: str) -> AnnulmentRequest:
    """Dismiss the proposal to annul `decision` that waits, with a note: the decision stays
    issued, the dismissal is logged and the body's secretariat notified. Flushes."""
    if not can_decide_annulment_request(actor, decision):
        raise NotAllowed(_("You may not decide on a proposal to annul this decision."))
    proposal = pending_request(decision, lock=True)
    if proposal is None:
        raise DomainError(_("No proposal to annul this decision is waiting."))
    proposal.decision_note = _required(note, "note")
    proposal.state = AnnulmentRequestState.DISMISSED
    proposal.decided_by_id = actor.id
    proposal.decided_at = utcnow()
    db.session.flush()
    record(
        ObjectKind.DECISION,
        decision.id,
        AnnulmentRequestAction.DISMISS,
        actor=actor,
        subject=describe(decision),
        comment=proposal.decision_note,
    )
    _tell(
        holders(Role.SECRETARIAT, [decision.awarding_body_id]),
        actor=actor,
        kind=NotificationKind.ANNULMENT_DISMISSED,
        decision=decision,
        text_of=lambda: _(
            "The chair dismissed the proposal to annul decision %(ref)s. Reason: %(note)s",
            ref=describe(decision),
            note=proposal.decision_note,
        ),
    )
    return proposal


def grant_pending_request(decision: Decision, *, actor: User) -> AnnulmentRequest | None:
    """Once `decision` is annulled, the proposal that waited for it is granted (keyed on the
    data: an annulment made without opening the proposal grants it too). Flushes."""
    if decision.state != DecisionState.ANNULLED:
        return None
    proposal = pending_request(decision, lock=True)
    if proposal is None:
        return None
    proposal.state = AnnulmentRequestState.GRANTED
    proposal.decided_by_id = actor.id
    proposal.decided_at = decision.annulled_at or utcnow()
    proposal.decision_note = decision.annul_reason
    db.session.flush()
    return proposal
