"""The nomination's life: one transition table and the one function that changes a state.

docs/design.md, "The nomination's life". Every state change goes through `apply_transition`: it
checks the source state, the actor's permission and the business guard, sets timestamps,
appends the audit event and queues notifications. There is no bypass: a mistake is undone by
an explicit action with a reason (reopen).
"""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.models import User
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.lifecycle import Lifecycle, Transition
from recognition.errors import ConcurrentUpdate, DomainError
from recognition.extensions import db
from recognition.nominations import guards
from recognition.nominations.effects import on_transition
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import is_chair_of, is_nominator_of, is_secretariat_of

S = NominationState


def _secretariat_or_chair(user: User, nomination: Nomination) -> bool:
    return is_secretariat_of(user, nomination) or is_chair_of(user, nomination)


_TABLE: list[Transition[NominationState, Action]] = [
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
        guards.accept_allowed,
    ),
    Transition(
        Action.SCHEDULE,
        frozenset({S.ACCEPTED}),
        S.ON_AGENDA,
        is_secretariat_of,
        guards.hold_problem,
    ),
    # Taken off the agenda of a session still being prepared (council.services).
    Transition(Action.UNSCHEDULE, frozenset({S.ON_AGENDA}), S.ACCEPTED, is_secretariat_of),
    Transition(
        Action.PASS_SIMPLIFIED,
        frozenset({S.ACCEPTED}),
        S.PASSED,
        is_chair_of,
        guards.pass_simplified_allowed,
    ),
    Transition(
        Action.CLOSE_VOTE,
        frozenset({S.ON_AGENDA}),
        None,
        _secretariat_or_chair,
        targets=frozenset({S.PASSED, S.FAILED}),
    ),
    Transition(Action.AWARD, frozenset({S.PASSED}), S.AWARDED, is_chair_of, guards.hold_problem),
    Transition(Action.ANNUL, frozenset({S.AWARDED}), S.ANNULLED, is_chair_of, needs_comment=True),
    Transition(
        Action.WITHDRAW,
        # docs/design.md: a draft can be withdrawn too (a never-submitted one can also be deleted).
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

# What a held dossier cannot go through (NĐ 152/2025/NĐ-CP art. 4); closing its vote may still
# fail it, never pass it (see apply_transition).
HELD_BLOCKS = frozenset({Action.ACCEPT, Action.SCHEDULE, Action.PASS_SIMPLIFIED, Action.AWARD})


def _set_timestamps(
    nomination: Nomination, source: NominationState, target: NominationState, now: datetime
) -> None:
    if target == S.SUBMITTED:
        nomination.submitted_at = now
        if nomination.reference is None:
            nomination.reference = f"HS-{now.year}-{nomination.id:06d}"
    elif target == S.WITHDRAWN:
        nomination.withdrawn_at = now


def describe(nomination: Nomination) -> str:
    """How the audit log names a dossier: its reference and nominee."""
    return " · ".join(part for part in (nomination.reference, nomination.nominee_name) if part)


def _changed_meanwhile() -> str:
    return _(
        "Someone else changed this dossier in the meantime. It has been reloaded; "
        "please check it and try again."
    )


LIFECYCLE: Lifecycle[NominationState, Action] = Lifecycle(
    kind=ObjectKind.NOMINATION,
    states=NominationState,
    actions=Action,
    transitions=_TABLE,
    describe=describe,
    on_enter=_set_timestamps,
    effects=on_transition,
    not_possible=lambda action, state: _(
        "“%(action)s” is not possible while the dossier is “%(state)s”.",
        action=action.label,
        state=state.label,
    ),
    not_allowed=lambda action: _(
        "You may not do “%(action)s” on this dossier.", action=action.label
    ),
    changed_meanwhile=_changed_meanwhile,
)

# The table by action, for the pages that draw their buttons from it.
TRANSITIONS = LIFECYCLE.table


def available_actions(user: User, nomination: Nomination) -> list[Action]:
    """The page actions this user may take on this nomination now (state and role); while
    the dossier is held, not those the hold blocks."""
    actions = LIFECYCLE.available(user, nomination, PAGE_ACTIONS)
    if nomination.hold_kind is not None:
        actions = [a for a in actions if a not in HELD_BLOCKS]
    return actions


def apply_transition(
    nomination: Nomination,
    action: Action,
    *,
    actor: User,
    comment: str = "",
    expected_version: int | None = None,
    outcome: NominationState | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Move `nomination` by `action`; the only code that assigns a nomination's state.

    `today` and `at` date an action recorded after the fact: the guards judge it on `today`,
    and its timestamps (and the reference's year, on submission) take `at`.

    Raises InvalidTransition (wrong state), NotAllowed (role), DomainError (guard or missing
    comment) and ConcurrentUpdate (someone else changed it first). Flushes; never commits.
    """

    def still_current() -> None:
        # Another transaction committed a change since this one read the dossier: say so
        # before any guard looks at what that change left behind.
        with db.session.no_autoflush:  # pending changes are flushed later, under the handler
            stored = db.session.scalar(
                select(Nomination.version).where(Nomination.id == nomination.id)
            )
        if (expected_version is not None and expected_version != nomination.version) or (
            stored is not None and stored != nomination.version
        ):
            raise ConcurrentUpdate(_changed_meanwhile())
        if action == Action.CLOSE_VOTE and outcome == S.PASSED:
            held = guards.hold_problem(nomination)
            if held:
                raise DomainError(held)

    return LIFECYCLE.apply(
        nomination,
        action,
        actor=actor,
        comment=comment,
        outcome=outcome,
        today=today,
        precheck=still_current,
        at=at,
    )
