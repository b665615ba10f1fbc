"""The nomination's life: one transition table and the one function that changes a state.

DESIGN.md, "The nomination's life". Every state change goes through `apply_transition`: it
checks the source state, the actor's permission and the business guard, sets timestamps,
appends the audit event and queues notifications. There is no bypass: a mistake is undone by
an explicit action with a reason (reopen).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from recognition.auth.models import User
from recognition.common.audit import append_event
from recognition.common.text import clean_multiline
from recognition.database import local_today, utcnow
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations import guards
from recognition.nominations.effects import on_transition
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination, NominationEvent
from recognition.nominations.permissions import is_chair_of, is_nominator_of, is_secretariat_of

S = NominationState
Guard = Callable[[Nomination, date], str | None]


def _no_guard(nomination: Nomination, today: date) -> str | None:
    return None


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[NominationState]
    target: NominationState | None  # None: chosen by the caller from a computed outcome
    allowed: Callable[[User, Nomination], bool]
    guard: Guard = _no_guard
    needs_comment: bool = False
    targets: frozenset[NominationState] = frozenset()


def _secretariat_or_chair(user: User, nomination: Nomination) -> bool:
    return is_secretariat_of(user, nomination) or is_chair_of(user, nomination)


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.SUBMIT,
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            is_nominator_of,
            guards.ready_to_submit,
        ),
        Transition(Action.TAKE, frozenset({S.SUBMITTED}), S.IN_REVIEW, is_secretariat_of),
        Transition(
            Action.SEND_BACK,
            frozenset({S.IN_REVIEW}),
            S.RETURNED,
            is_secretariat_of,
            guards.send_back_allowed,
            needs_comment=True,
        ),
        Transition(
            Action.RESUBMIT,
            frozenset({S.RETURNED}),
            S.SUBMITTED,
            is_nominator_of,
            guards.ready_to_submit,
        ),
        Transition(
            Action.REJECT,
            frozenset({S.IN_REVIEW}),
            S.REJECTED,
            is_secretariat_of,
            needs_comment=True,
        ),
        Transition(
            Action.ACCEPT,
            frozenset({S.IN_REVIEW}),
            S.ACCEPTED,
            is_secretariat_of,
            guards.fully_appraised,
        ),
        Transition(Action.SCHEDULE, frozenset({S.ACCEPTED}), S.ON_AGENDA, is_secretariat_of),
        Transition(
            Action.PASS_SIMPLIFIED,
            frozenset({S.ACCEPTED}),
            S.PASSED,
            is_chair_of,
            guards.simplified_allowed,
        ),
        Transition(
            Action.CLOSE_VOTE,
            frozenset({S.ON_AGENDA}),
            None,
            _secretariat_or_chair,
            targets=frozenset({S.PASSED, S.FAILED}),
        ),
        Transition(Action.AWARD, frozenset({S.PASSED}), S.AWARDED, is_chair_of),
        Transition(
            Action.ANNUL, frozenset({S.AWARDED}), S.ANNULLED, is_chair_of, needs_comment=True
        ),
        Transition(
            Action.WITHDRAW,
            # DESIGN.md: a draft can be withdrawn too (a never-submitted one can also be deleted).
            frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED}),
            S.WITHDRAWN,
            is_nominator_of,
        ),
        Transition(
            Action.REOPEN,
            frozenset({S.REJECTED, S.FAILED}),
            S.IN_REVIEW,
            is_chair_of,
            needs_comment=True,
        ),
    ]
}

# Actions that a person takes from the nomination page; the others happen as part of another
# operation (a council session, a decision) that calls apply_transition itself.
PAGE_ACTIONS = (
    Action.SUBMIT,
    Action.RESUBMIT,
    Action.WITHDRAW,
    Action.TAKE,
    Action.SEND_BACK,
    Action.ACCEPT,
    Action.REJECT,
    Action.PASS_SIMPLIFIED,
    Action.REOPEN,
)


def available_actions(user: User, nomination: Nomination) -> list[Action]:
    """The page actions this user may take on this nomination now (state and role)."""
    state = nomination.state_enum
    return [
        action
        for action in PAGE_ACTIONS
        if state in TRANSITIONS[action].sources and TRANSITIONS[action].allowed(user, nomination)
    ]


def apply_transition(
    nomination: Nomination,
    action: Action,
    *,
    actor: User,
    comment: str = "",
    expected_version: int | None = None,
    outcome: NominationState | None = None,
    today: date | None = None,
) -> NominationEvent:
    """Move `nomination` by `action`; the only code that assigns a nomination's state.

    Raises InvalidTransition (wrong state), NotAllowed (role), DomainError (guard or missing
    comment) and ConcurrentUpdate (someone else changed it first). Flushes; never commits.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or nomination.state_enum not in transition.sources:
        raise InvalidTransition(
            _(
                "“%(action)s” is not possible while the dossier is “%(state)s”.",
                action=action.label,
                state=nomination.state_enum.label,
            )
        )
    with db.session.no_autoflush:  # pending changes are flushed below, under the handler
        stored = db.session.scalar(select(Nomination.version).where(Nomination.id == nomination.id))
    # Another transaction committed a change since this one read the dossier: say so before
    # any guard looks at what that change left behind.
    if (expected_version is not None and expected_version != nomination.version) or (
        stored is not None and stored != nomination.version
    ):
        raise ConcurrentUpdate(
            _(
                "Someone else changed this dossier in the meantime. It has been reloaded; "
                "please check it and try again."
            )
        )
    if not transition.allowed(actor, nomination):
        raise NotAllowed(_("You may not do “%(action)s” on this dossier.", action=action.label))
    comment = clean_multiline(comment)
    if transition.needs_comment and not comment:
        raise DomainError(_("Please give a reason."), field="comment")
    refusal = transition.guard(nomination, today or local_today())
    if refusal:
        raise DomainError(refusal)
    target = transition.target or outcome
    if target is None or (transition.targets and target not in transition.targets):
        raise InvalidTransition(_("The outcome of this action is not valid."))
    source = nomination.state_enum
    _set_state(nomination, source, target)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentUpdate(
            _(
                "Someone else changed this dossier in the meantime. It has been reloaded; "
                "please check it and try again."
            )
        ) from error
    event = append_event(
        nomination,
        action,
        actor=actor,
        from_state=source.value,
        to_state=target.value,
        comment=comment,
        version=nomination.version,
    )
    on_transition(nomination, event)
    return event


def _set_state(nomination: Nomination, source: NominationState, target: NominationState) -> None:
    now = utcnow()
    nomination.state = target.value
    if target == S.SUBMITTED:
        nomination.submitted_at = now
        if nomination.reference is None:
            nomination.reference = f"HS-{now.year}-{nomination.id:06d}"
    elif target == S.WITHDRAWN:
        nomination.withdrawn_at = now
