"""What the dashboard counts: a bounded number of queries per panel, whatever the number of
units or dossiers; long lists are cut to their first items and counted."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from recognition.auth.models import User
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.queries import open_campaigns_for_nominator
from recognition.clusters.enums import OfficerRole
from recognition.clusters.models import Cluster, ClusterMember, ClusterOfficer, ClusterScore
from recognition.clusters.permissions import UNIT_ROLES
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.council.enums import SessionKind, SessionState
from recognition.council.models import (
    AgendaItem,
    Attendance,
    Conflict,
    CouncilMember,
    CouncilSession,
    Participation,
)
from recognition.decisions.enums import AnnulmentRequestState, DecisionState
from recognition.decisions.models import AnnulmentRequest, Decision
from recognition.decisions.queries import PASSED_ORDER, count_passed_waiting, passed_waiting
from recognition.extensions import db
from recognition.law.enums import VoteMethod
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.queries import Filters, nominations_for_user
from recognition.registration.models import Registration, RegistrationCall
from recognition.registration.queries import UnitCall, calls_of_bodies, calls_to_register
from recognition.registration.services import expected_units
from recognition.targets.enums import ValueState
from recognition.targets.models import Target, TargetValue
from recognition.units.models import Unit

T = TypeVar("T")


@dataclass(frozen=True)
class Shown(Generic[T]):
    """The first items of a list the dashboard shows, and how many the list holds."""

    items: list[T]
    total: int

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


def _count(query: Select[Any], shown: list[Any], limit: int) -> int:
    """How many rows `query` gives: those shown when fewer than `limit`, else a count."""
    if len(shown) < limit:
        return len(shown)
    counted = query.order_by(None).with_only_columns(func.count(func.distinct(Nomination.id)))
    return int(db.session.scalar(counted) or 0)


def figures_for_admin() -> dict[str, int]:
    """Units (all, active, awarding bodies) and accounts (all, active), in two queries."""
    units = db.session.execute(
        select(
            func.count(Unit.id),
            func.count(Unit.id).filter(Unit.is_active),
            func.count(Unit.id).filter(Unit.is_active, Unit.is_awarding_body),
        )
    ).one()
    users = db.session.execute(
        select(func.count(User.id), func.count(User.id).filter(User.disabled_at.is_(None))).where(
            ~User.is_api_account
        )
    ).one()
    return {
        "units": units[0],
        "active_units": units[1],
        "awarding_bodies": units[2],
        "users": users[0],
        "active_users": users[1],
    }


def area_sizes_for_units(units: list[Unit]) -> dict[int, int]:
    """The active units each unit's nominators act for (itself included; a body below acts for
    its own area: `units.queries.represents`)."""
    if not units:
        return {}
    # The active units below any of them, in one query; a unit counts for a grant when no
    # active body lies on its path below the grant (itself included).
    rows = db.session.execute(
        select(Unit.path, Unit.is_awarding_body).where(
            Unit.is_active, or_(*(Unit.path.startswith(unit.path) for unit in units))
        )
    ).all()
    paths = [path.strip("/").split("/") for path, _body in rows]
    bodies = {ids[-1] for ids, (_path, body) in zip(paths, rows, strict=True) if body}
    sizes = dict.fromkeys((unit.id for unit in units), 0)
    for ids in paths:
        for unit in units:
            top = str(unit.id)
            if top in ids and not bodies.intersection(ids[ids.index(top) + 1 :]):
                sizes[unit.id] += 1
    return sizes


def nominator_panel_for_user(user: User) -> dict[str, object]:
    """The open campaigns a nominator may nominate in, and their dossiers counted by state."""
    counts = dict(
        db.session.execute(
            select(Nomination.state, func.count(Nomination.id))
            .where(
                Nomination.id.in_(
                    nominations_for_user(user, Filters())
                    .with_only_columns(Nomination.id)
                    .order_by(None)
                )
            )
            .group_by(Nomination.state)
        ).all()
    )
    return {"campaigns": open_campaigns_for_nominator(user), "counts": counts}


def open_votes_marked_absent(user: User) -> list[CouncilSession]:
    """Sessions whose vote is open where `user` is recorded absent and not consulted in
    writing: they cast nothing there, and are told why rather than that nothing is open (one
    query)."""
    return list(
        db.session.scalars(
            _open_votes_on_the_roll_of(user)
            .where(~Attendance.present, ~Attendance.in_writing)
            .order_by(CouncilSession.held_on, CouncilSession.id)
        )
    )


def _open_votes_on_the_roll_of(user: User) -> Select[CouncilSession]:
    """The sessions whose vote is open, each with `user`'s line on its roll (Attendance and
    CouncilMember joined)."""
    return (
        select(CouncilSession)
        .join(Attendance, Attendance.session_id == CouncilSession.id)
        .join(CouncilMember, CouncilMember.id == Attendance.member_id)
        .where(CouncilMember.user_id == user.id, CouncilSession.state == SessionState.VOTING)
    )


def _items_with_their_titles() -> Select[int]:
    """Agenda items joined to their dossier's title (AwardType), for a condition on both."""
    return (
        select(AgendaItem.id)
        .join(Nomination, Nomination.id == AgendaItem.nomination_id)
        .join(AwardType, AwardType.id == Nomination.award_type_id)
    )


def open_ballots_for_member(user: User) -> list[CouncilSession]:
    """Sessions whose vote is open, where `user` takes part (present at the meeting or
    consulted in writing) and still has an item to vote on (not voted, no conflict of
    interest), the one closing first first (one query)."""
    show_of_hands = (AwardType.vote_method == VoteMethod.SHOW_OF_HANDS) & (
        CouncilSession.kind == SessionKind.MEETING
    )
    still_to_vote = (
        _items_with_their_titles()
        .where(
            AgendaItem.session_id == CouncilSession.id,
            AgendaItem.outcome.is_(None),
            # Hands shown at a meeting are counted by the secretary, not cast by each member.
            ~show_of_hands,
            # This member's vote and withdrawal: the seat is the outer query's (two levels up,
            # where automatic correlation does not reach; without it any member's vote counts).
            ~select(Participation.id)
            .where(
                Participation.item_id == AgendaItem.id,
                Participation.member_id == CouncilMember.id,
            )
            .correlate(AgendaItem, CouncilMember)
            .exists(),
            ~select(Conflict.id)
            .where(Conflict.item_id == AgendaItem.id, Conflict.member_id == CouncilMember.id)
            .correlate(AgendaItem, CouncilMember)
            .exists(),
        )
        .correlate(CouncilSession, CouncilMember)
        .exists()
    )
    return list(
        db.session.scalars(
            _open_votes_on_the_roll_of(user)
            .where(or_(Attendance.present, Attendance.in_writing), still_to_vote)
            .order_by(
                func.coalesce(CouncilSession.consultation_closes_on, CouncilSession.held_on),
                CouncilSession.id,
            )
        )
    )


def _sessions_in(bodies: list[Unit], state: SessionState) -> list[CouncilSession]:
    if not bodies:
        return []
    return list(
        db.session.scalars(
            select(CouncilSession)
            .where(
                CouncilSession.awarding_body_id.in_([b.id for b in bodies]),
                CouncilSession.state == state,
            )
            .order_by(CouncilSession.held_on, CouncilSession.id)
        )
    )


def sessions_coming_for_member(user: User) -> list[CouncilSession]:
    """Sessions being prepared by the bodies whose council `user` sits on (one query)."""
    return list(
        db.session.scalars(
            select(CouncilSession)
            .join(
                CouncilMember,
                CouncilMember.awarding_body_id == CouncilSession.awarding_body_id,
            )
            .where(
                CouncilMember.user_id == user.id,
                CouncilSession.state == SessionState.PLANNED,
            )
            .order_by(CouncilSession.held_on, CouncilSession.id)
        )
    )


def sessions_to_prepare(bodies: list[Unit]) -> list[CouncilSession]:
    """The sessions of these bodies still being prepared (agenda, attendance)."""
    return _sessions_in(bodies, SessionState.PLANNED)


def votes_to_close(bodies: list[Unit]) -> list[CouncilSession]:
    """The sessions of these bodies whose vote is open, to be closed by the chair."""
    return _sessions_in(bodies, SessionState.VOTING)


def decisions_to_sign(bodies: list[Unit]) -> list[Decision]:
    """Drafted and posted decisions of these bodies, waiting for the chair's signature, with
    their lines (two queries)."""
    if not bodies:
        return []
    return list(
        db.session.scalars(
            select(Decision)
            .where(
                Decision.awarding_body_id.in_([b.id for b in bodies]),
                Decision.state.in_([DecisionState.DRAFT, DecisionState.POSTED]),
            )
            .options(selectinload(Decision.lines))
            .order_by(Decision.created_at, Decision.id)
        )
    )


def annulment_requests_for(bodies: list[Unit]) -> list[AnnulmentRequest]:
    """The proposals to annul a decision of these bodies that wait for the chair, the oldest
    first, with their decision and who proposed (one query)."""
    if not bodies:
        return []
    return list(
        db.session.scalars(
            select(AnnulmentRequest)
            .join(Decision, Decision.id == AnnulmentRequest.decision_id)
            .where(
                Decision.awarding_body_id.in_([b.id for b in bodies]),
                AnnulmentRequest.state == AnnulmentRequestState.PENDING,
            )
            .options(
                joinedload(AnnulmentRequest.decision), joinedload(AnnulmentRequest.requested_by)
            )
            .order_by(AnnulmentRequest.requested_at, AnnulmentRequest.id)
        )
    )


def votes_cast_in(sessions: list[CouncilSession]) -> dict[int, tuple[int, int]]:
    """For each session, how many of the members taking part have voted on every item they
    take part in, and how many take part (one query). A member who withdrew from an item (a
    conflict of interest) takes no part in it, as the session page counts them; one who
    withdrew from every item takes part in nothing."""
    if not sessions:
        return {}
    ids = [s.id for s in sessions]
    withdrawn_from = (
        select(func.count(Conflict.id))
        .join(AgendaItem, AgendaItem.id == Conflict.item_id)
        .where(
            AgendaItem.session_id == Attendance.session_id,
            Conflict.member_id == Attendance.member_id,
        )
        .scalar_subquery()
    )
    voted_on = (
        select(func.count(Participation.id))
        .join(AgendaItem, AgendaItem.id == Participation.item_id)
        .where(
            AgendaItem.session_id == Attendance.session_id,
            Participation.member_id == Attendance.member_id,
        )
        .scalar_subquery()
    )
    items = (
        select(func.count(AgendaItem.id))
        .where(AgendaItem.session_id == Attendance.session_id)
        .scalar_subquery()
    )
    # Consulted in writing counts where written votes count (council.counting.takes_part): in a
    # written consultation, or at a meeting where a title on the agenda takes them.
    written_votes_count = or_(
        CouncilSession.kind == SessionKind.WRITTEN,
        _items_with_their_titles()
        .where(
            AgendaItem.session_id == Attendance.session_id,
            AwardType.absentees_vote_in_writing.is_(True),
        )
        .exists(),
    )
    counted = {
        session_id: (int(done or 0), int(voters))
        for session_id, done, voters in db.session.execute(
            select(
                Attendance.session_id,
                func.sum(case((voted_on + withdrawn_from >= items, 1), else_=0)),
                func.count(Attendance.id),
            )
            .join(CouncilSession, CouncilSession.id == Attendance.session_id)
            .where(
                Attendance.session_id.in_(ids),
                or_(Attendance.present, Attendance.in_writing & written_votes_count),
                withdrawn_from < items,
            )
            .group_by(Attendance.session_id)
        ).all()
    }
    return {i: counted.get(i, (0, 0)) for i in ids}


def passed_waiting_for_decision(bodies: list[Unit], *, limit: int) -> Shown[Nomination]:
    """The first dossiers the council passed that no live decision holds yet, and how many
    there are (two queries)."""
    if not bodies:
        return Shown([], 0)
    ids = [b.id for b in bodies]
    items = list(
        db.session.scalars(
            passed_waiting(ids)
            .options(joinedload(Nomination.award_type))
            .order_by(*PASSED_ORDER)
            .limit(limit)
        )
    )
    return Shown(items, len(items) if len(items) < limit else count_passed_waiting(ids))


def returned_for_user(user: User, *, limit: int) -> Shown[tuple[Nomination, str]]:
    """The nominator's first dossiers sent back for changes, with the comment that sent each
    back, and how many there are (three queries at most)."""
    query = nominations_for_user(user, Filters()).where(
        Nomination.state == NominationState.RETURNED
    )
    nominations = list(
        db.session.scalars(query.order_by(None).order_by(Nomination.id).limit(limit)).unique()
    )
    if not nominations:
        return Shown([], 0)
    reasons: dict[int, str] = {}
    rows = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.comment)
        .where(
            AuditEvent.object_kind == ObjectKind.NOMINATION.value,
            AuditEvent.object_id.in_([n.id for n in nominations]),
            AuditEvent.to_state == NominationState.RETURNED.value,
        )
        .order_by(AuditEvent.id)
    )
    for object_id, comment in rows:
        reasons[object_id] = comment or ""
    return Shown(
        [(n, reasons.get(n.id, "")) for n in nominations], _count(query, nominations, limit)
    )


def postings_for(bodies: list[Unit]) -> list[Decision]:
    """Decisions of these bodies being posted publicly, the posting ending first first."""
    if not bodies:
        return []
    return list(
        db.session.scalars(
            select(Decision)
            .where(
                Decision.awarding_body_id.in_([b.id for b in bodies]),
                Decision.state == DecisionState.POSTED,
            )
            .order_by(Decision.posting_ends_on, Decision.id)
        )
    )


def own_dossiers_in(
    user: User, state: NominationState, *, limit: int, newest_first: bool = False
) -> Shown[Nomination]:
    """The nominator's first visible dossiers in this state, and how many there are."""
    query = nominations_for_user(user, Filters()).where(Nomination.state == state.value)
    order = Nomination.updated_at.desc() if newest_first else Nomination.id
    items = list(db.session.scalars(query.order_by(None).order_by(order).limit(limit)).unique())
    return Shown(items, _count(query, items, limit))


def target_values_to_confirm(bodies: list[Unit]) -> int:
    """Values reported on the targets of the bodies' campaigns, waiting for the secretariat."""
    if not bodies:
        return 0
    return int(
        db.session.scalar(
            select(func.count(TargetValue.id))
            .join(Target, Target.id == TargetValue.target_id)
            .join(Campaign, Campaign.id == Target.campaign_id)
            .where(
                Campaign.awarding_body_id.in_([b.id for b in bodies]),
                TargetValue.state == ValueState.REPORTED,
            )
        )
        or 0
    )


@dataclass(frozen=True)
class CallProgress:
    """How far the units of one body's registration for the year have come."""

    call: RegistrationCall
    expected: int
    unregistered: int


def registration_progress(bodies: list[Unit], year: int) -> list[CallProgress]:
    """The bodies' registrations for `year` that some unit has not yet made (a few queries
    per body: one call a year each)."""
    progress = []
    for call in (c for c in calls_of_bodies(bodies) if c.year == year):
        expected = expected_units(call)
        registered = set(
            db.session.scalars(select(Registration.unit_id).where(Registration.call_id == call.id))
        )
        missing = sum(1 for unit in expected if unit.id not in registered)
        if missing:
            progress.append(CallProgress(call, len(expected), missing))
    return progress


def registrations_to_make(user: User, year: int) -> list[UnitCall]:
    """The registrations for `year` that the user's units have not made yet."""
    return [
        pending
        for pending in calls_to_register(user)
        if pending.registration is None and pending.call.year == year
    ]


def _own_unit_ids(user: User) -> list[int]:
    """The units the user acts for in a cluster (a role held on exactly the unit)."""
    return sorted({unit.id for role in UNIT_ROLES for unit in user.units_with(role)})


def self_scores_to_record(user: User, year: int) -> list[ClusterMember]:
    """The user's units in the year's open clusters that have not scored themselves yet."""
    units = _own_unit_ids(user)
    if not units:
        return []
    scored = select(ClusterScore.id).where(
        ClusterScore.member_id == ClusterMember.id, ClusterScore.self_points.is_not(None)
    )
    return list(
        db.session.scalars(
            select(ClusterMember)
            .join(ClusterMember.cluster)
            .where(
                ClusterMember.unit_id.in_(units),
                Cluster.year == year,
                Cluster.locked_at.is_(None),
                ~scored.exists(),
            )
            .options(joinedload(ClusterMember.cluster))
            .order_by(Cluster.name_sort, ClusterMember.unit_sort)
        )
    )


def agreed_scores_to_record(user: User, today: date) -> list[Cluster]:
    """The open clusters the user's unit leads today with a member's agreed score missing."""
    units = _own_unit_ids(user)
    if not units:
        return []
    agreed = (
        select(ClusterScore.id)
        .where(ClusterScore.member_id == ClusterMember.id, ClusterScore.agreed_points.is_not(None))
        .exists()
    )
    missing = select(ClusterMember.id).where(ClusterMember.cluster_id == Cluster.id, ~agreed)
    # A subquery, not a join: a cluster appears once (and PostgreSQL cannot DISTINCT its JSON).
    led = select(ClusterOfficer.cluster_id).where(
        ClusterOfficer.unit_id.in_(units),
        ClusterOfficer.role == OfficerRole.LEAD,
        ClusterOfficer.valid_from <= today,
        or_(ClusterOfficer.valid_to.is_(None), ClusterOfficer.valid_to >= today),
    )
    return list(
        db.session.scalars(
            select(Cluster)
            .where(
                Cluster.id.in_(led),
                Cluster.year == today.year,
                Cluster.locked_at.is_(None),
                missing.exists(),
            )
            .order_by(Cluster.name_sort)
        )
    )
