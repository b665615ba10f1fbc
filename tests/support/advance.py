"""Move a dossier to any state through the application's own entry points.

`advance_to(nomination, state)` takes the steps a dossier really takes to get there: the
workflow's `apply_transition` with the actor the table asks for, the secretariat's appraisal
before an acceptance, a council session (agenda, attendance, vote, close) for a council's
outcome, and the decision services for an award or an annulment. Every step writes its audit
event, snapshot and notifications, as in production.

The actors default to the dossier's author (nominator) and the first secretariat and chair of
the awarding body; pass them to choose others. Outside a request (the notifications link to
their pages) the steps run in a test request of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app, has_request_context
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.campaigns.enums import MeasureKind
from recognition.campaigns.models import AwardType
from recognition.council import services as council
from recognition.council.enums import Choice, CouncilRole, SessionKind
from recognition.council.models import AgendaItem, CouncilSession
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Answer
from recognition.nominations.workflow import apply_transition
from recognition.review.services import Verdict, record_appraisal

S = NominationState
REASON = "Lý do của bước thử nghiệm"

# The states on the way to each state, from a draft (the state itself last).
_PATHS: dict[NominationState, tuple[NominationState, ...]] = {
    S.DRAFT: (S.DRAFT,),
    S.SUBMITTED: (S.DRAFT, S.SUBMITTED),
    S.IN_REVIEW: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW),
    S.RETURNED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED),
    S.REJECTED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.REJECTED),
    S.ACCEPTED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED),
    S.ON_AGENDA: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.ON_AGENDA),
    S.PASSED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.PASSED),
    S.FAILED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.ON_AGENDA, S.FAILED),
    S.AWARDED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.PASSED, S.AWARDED),
    S.ANNULLED: (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.PASSED, S.AWARDED, S.ANNULLED),
    S.WITHDRAWN: (S.DRAFT, S.WITHDRAWN),
}


def path_to(state: NominationState) -> tuple[NominationState, ...]:
    """The states a dossier goes through from a draft to `state` (both included)."""
    return _PATHS[state]


@dataclass
class Actors:
    nominator: User
    secretariat: User
    chair: User


def holder(role: Role, unit_id: int) -> User:
    """The first user granted `role` on the unit (by grant order)."""
    user = db.session.scalar(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == role.value, RoleGrant.unit_id == unit_id)
        .order_by(RoleGrant.id)
        .limit(1)
    )
    assert user is not None, f"no {role.value} on unit {unit_id}"
    return user


def advance_to(
    nomination: Nomination,
    state: NominationState,
    *,
    today: date | None = None,
    nominator: User | None = None,
    secretariat: User | None = None,
    chair: User | None = None,
    session: CouncilSession | None = None,
    decision_day: date | None = None,
) -> Nomination:
    """Move `nomination` on to `state` through the real entry points; returns it.

    - `today` is the day of the submission (default: the campaign's first day, so the window
      is open); the dossier must be ready to submit (its required criteria answered).
    - accepted: the secretariat agrees with every criterion not yet appraised, then accepts.
    - passed: by the simplified procedure when the award type allows it, otherwise (and for
      on_agenda and failed) in a council session: `session` if given (still planned),
      otherwise a new meeting of the body's council, whose present members all vote agree
      (passed) or disagree (failed) before the chair closes the vote. A body with no council
      gets its chair seated as the council's chair.
    - awarded: a decision drafted by the secretariat and issued by the chair on
      `decision_day` (default: `today`); annulled: that decision annulled by the chair.
    - rejected, returned: with a reason; withdrawn: from the draft, by the nominator.
    """
    path = _PATHS[state]
    current = nomination.state
    if current not in path:
        raise ValueError(f"a dossier in {current} cannot reach {state}")
    body = nomination.campaign.awarding_body
    actors = Actors(
        nominator=nominator or nomination.created_by,
        secretariat=secretariat or holder(Role.SECRETARIAT, body.id),
        chair=chair or holder(Role.CHAIR, body.id),
    )
    day = today or nomination.campaign.opens_on
    with _request():
        for target in path[path.index(current) + 1 :]:
            _step(nomination, target, actors, day, session, decision_day or day)
    assert nomination.state == state
    return nomination


@contextmanager
def _request() -> Iterator[None]:
    """The notifications link to their pages: outside a request, a request of its own."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context():
        yield


def _step(
    nomination: Nomination,
    target: NominationState,
    actors: Actors,
    day: date,
    session: CouncilSession | None,
    decision_day: date,
) -> None:
    if target == S.SUBMITTED:
        apply_transition(nomination, Action.SUBMIT, actor=actors.nominator, today=day)
    elif target == S.IN_REVIEW:
        apply_transition(nomination, Action.TAKE, actor=actors.secretariat, today=day)
    elif target == S.RETURNED:
        apply_transition(
            nomination, Action.SEND_BACK, actor=actors.secretariat, comment=REASON, today=day
        )
    elif target == S.REJECTED:
        apply_transition(
            nomination, Action.REJECT, actor=actors.secretariat, comment=REASON, today=day
        )
    elif target == S.ACCEPTED:
        appraise(nomination, actors.secretariat)
        apply_transition(nomination, Action.ACCEPT, actor=actors.secretariat, today=day)
    elif target == S.ON_AGENDA:
        council.add_to_agenda(
            session or _new_session(nomination, actors, day), [nomination], actor=actors.secretariat
        )
    elif target == S.PASSED and nomination.state == S.ACCEPTED:
        if nomination.award_type.simplified_allowed and session is None:
            apply_transition(nomination, Action.PASS_SIMPLIFIED, actor=actors.chair, today=day)
        else:
            _step(nomination, S.ON_AGENDA, actors, day, session, decision_day)
            _vote(nomination, actors, Choice.AGREE)
    elif target in (S.PASSED, S.FAILED):
        _vote(nomination, actors, Choice.AGREE if target == S.PASSED else Choice.DISAGREE)
    elif target == S.AWARDED:
        decision = decisions.draft_decision(
            nomination.campaign.awarding_body, [nomination], actor=actors.secretariat
        )
        if decisions.posting_days(decision):
            decisions.start_posting(decision, actor=actors.secretariat, today=decision_day)
            assert decision.posting_ends_on is not None
            decision_day = max(decision_day, decision.posting_ends_on)
        decisions.issue_decision(decision, actor=actors.chair, today=decision_day)
    elif target == S.ANNULLED:
        decisions.annul_decision(issued_decision_of(nomination), actor=actors.chair, reason=REASON)
    elif target == S.WITHDRAWN:
        apply_transition(nomination, Action.WITHDRAW, actor=actors.nominator, today=day)


def answers_to(award_type: AwardType) -> dict[int, Answer]:
    """An answer to every criterion of the award type, with a note as evidence: what a
    dossier needs before it can be submitted."""
    answers = {}
    for criterion in award_type.criteria:
        note = "Biên bản kèm theo" if criterion.evidence_required else ""
        if criterion.measure == MeasureKind.YES_NO.value:
            answer = Answer(met=True, evidence_note=note)
        elif criterion.measure == MeasureKind.NUMBER.value:
            value = criterion.target if criterion.target is not None else Decimal(1)
            answer = Answer(value=value, evidence_note=note)
        else:
            answer = Answer(text="Đạt", evidence_note=note)
        answers[criterion.id] = answer
    return answers


def appraise(nomination: Nomination, reviewer: User, *, agree: bool = True) -> None:
    """The reviewer's verdict on every criterion not yet appraised, through the review
    service (the dossier must be in review)."""
    done = {a.criterion_id for a in nomination.appraisals}
    verdicts = {
        c.id: Verdict(agree=agree) for c in nomination.award_type.criteria if c.id not in done
    }
    if verdicts:
        record_appraisal(nomination, verdicts, actor=reviewer)


def _new_session(nomination: Nomination, actors: Actors, day: date) -> CouncilSession:
    body = nomination.campaign.awarding_body
    held_on = max(day, nomination.campaign.closes_on)
    if not council.members_on(body.id, held_on):
        council.add_member(body, actors.chair, role=CouncilRole.CHAIR, term_start=day)
    return council.create_session(
        body,
        council.SessionData(
            title="Phiên họp xét khen thưởng",
            kind=SessionKind.MEETING,
            held_on=held_on,
            place="Hội trường",
            consultation_closes_on=None,
        ),
    )


def _vote(nomination: Nomination, actors: Actors, choice: Choice) -> None:
    """Everyone present votes `choice` on the dossier's item; the chair closes the vote."""
    item = next(i for i in _items_of(nomination) if i.outcome is None)
    session = item.session
    council.set_attendance(session, {a.member_id: "present" for a in session.attendance})
    council.open_vote(session, actor=actors.secretariat)
    voters = [a for a in council.eligible_members(item)]
    if council.is_show_of_hands(item):
        agree = len(voters) if choice == Choice.AGREE else 0
        council.record_hands(item, agree=agree, disagree=len(voters) - agree, abstain=0)
    else:
        for attendance in voters:
            council.cast_vote(item, attendance.member, choice, today=session.held_on)
    council.close_vote(session, actor=actors.chair, chair_approved=True)


def _items_of(nomination: Nomination) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.nomination_id == nomination.id)
            .order_by(AgendaItem.id.desc())
        )
    )


def issued_decision_of(nomination: Nomination) -> Decision:
    """The issued decision that awarded the dossier."""
    decision = db.session.scalar(
        select(Decision)
        .join(DecisionLine, DecisionLine.decision_id == Decision.id)
        .where(DecisionLine.nomination_id == nomination.id, Decision.state == "issued")
    )
    assert decision is not None
    return decision
