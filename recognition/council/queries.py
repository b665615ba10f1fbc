"""Reading the council: its sessions, seats, agendas, and what the session page counts.

Each function loads what its page shows in a fixed number of queries, whatever the number of
rows. None of them reads a sealed ballot, and none links a member to a choice.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from recognition.auth.enums import Role
from recognition.auth.models import API_ACCOUNT_PREFIX, RoleGrant, User
from recognition.campaigns.models import Campaign
from recognition.council.enums import ItemState, SessionState
from recognition.council.models import (
    AgendaItem,
    Ballot,
    CouncilMember,
    CouncilSession,
    Participation,
)
from recognition.council.ranking import Entry, Ranked, rank_results
from recognition.extensions import db
from recognition.nominations.enums import Gender, NominationState
from recognition.nominations.models import Nomination
from recognition.units.models import Unit

COUNCIL_ROLES = (Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER)


def bodies_for_user(user: User) -> list[Unit]:
    """The awarding bodies whose council the user sits on, chairs or keeps."""
    found = {u.id: u for role in COUNCIL_ROLES for u in user.units_with(role)}
    return list(found.values())


def sessions_for_user(user: User) -> list[CouncilSession]:
    """The sessions of the user's bodies (every session for an administrator), newest first,
    with their body and items (each row shows its number of items)."""
    query = (
        select(CouncilSession)
        .options(joinedload(CouncilSession.awarding_body), selectinload(CouncilSession.items))
        .order_by(CouncilSession.held_on.desc(), CouncilSession.id)
    )
    if not user.is_admin:
        ids = [b.id for b in bodies_for_user(user)]
        query = query.where(CouncilSession.awarding_body_id.in_(ids))
    return list(db.session.scalars(query).unique())


def seats_for_body(body: Unit) -> list[CouncilMember]:
    """Every seat on the body's council, past and present, with its user."""
    return list(
        db.session.scalars(
            select(CouncilMember)
            .where(CouncilMember.awarding_body_id == body.id)
            .order_by(CouncilMember.id)
        ).unique()
    )


def users_for_seats(body: Unit) -> list[User]:
    """The people who may be given a seat on `body`'s council, by name: active accounts of
    people (not an API client's) holding a role on the body or a unit within it, and not
    seated on it already. Not the installation's every account: a seat grants a role on the
    body."""
    within = (
        select(RoleGrant.id)
        .join(Unit, Unit.id == RoleGrant.unit_id)
        .where(RoleGrant.user_id == User.id, Unit.path.startswith(body.path), Unit.is_active)
        .exists()
    )
    seated = (
        select(CouncilMember.id)
        .where(CouncilMember.awarding_body_id == body.id, CouncilMember.user_id == User.id)
        .exists()
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.disabled_at.is_(None),
                ~User.username.startswith(API_ACCOUNT_PREFIX),
                within,
                ~seated,
            )
            .order_by(User.full_name_sort)
        ).unique()
    )


def accepted_dossiers_for_session(session: CouncilSession) -> list[Nomination]:
    """Accepted dossiers of the session's awarding body, waiting for a council."""
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(
                Campaign.awarding_body_id == session.awarding_body_id,
                Nomination.state == NominationState.ACCEPTED,
            )
            .order_by(Nomination.award_type_id, Nomination.nominee_sort)
        )
    )


def load_agenda(session: CouncilSession) -> None:
    """Load the agenda with each item's dossier and conflicts (the page shows them for every
    item) in three queries, whatever its length."""
    db.session.scalars(
        select(CouncilSession)
        .where(CouncilSession.id == session.id)
        .options(
            selectinload(CouncilSession.items).options(
                selectinload(AgendaItem.nomination).selectinload(Nomination.held_by),
                selectinload(AgendaItem.conflicts),
            )
        )
        .execution_options(populate_existing=True)
    ).one()


def voted_items_for_member(member: CouncilMember | None) -> set[int]:
    """The items a member has voted on (that they voted, never how)."""
    if member is None:
        return set()
    return set(
        db.session.scalars(
            select(Participation.item_id).where(Participation.member_id == member.id)
        )
    )


def votes_cast_for_session(session: CouncilSession) -> dict[int, int]:
    """How many have voted on each item, in one query (`counting.votes_cast` per item)."""
    rows = db.session.execute(
        select(Participation.item_id, func.count(Participation.id))
        .join(AgendaItem, AgendaItem.id == Participation.item_id)
        .where(AgendaItem.session_id == session.id)
        .group_by(Participation.item_id)
    )
    counted: dict[int, int] = {item_id: count for item_id, count in rows}
    return {item.id: counted.get(item.id, 0) for item in session.items}


def counted_ballots_for_session(session: CouncilSession) -> dict[int, list[Ballot]]:
    """After the close, each item's counted ballots by tracker (the order says nothing)."""
    if session.state != SessionState.CLOSED:
        return {}
    found: dict[int, list[Ballot]] = {item.id: [] for item in session.items}
    rows = db.session.scalars(
        select(Ballot)
        .where(Ballot.item_id.in_(list(found)))
        .order_by(Ballot.item_id, Ballot.tracker)
    )
    for ballot in rows:
        found[ballot.item_id].append(ballot)
    return found


def ranked_results(session: CouncilSession, *, women_percent: int) -> list[Ranked[AgendaItem]]:
    """The session's counted items, by title, agree votes and the women-first tie-break of
    NĐ 152/2025/NĐ-CP art. 4 (see `ranking`). Reads the agenda already loaded."""
    items = sorted(
        (item for item in session.items if item.state != ItemState.PENDING),
        key=lambda item: item.position,
    )
    return rank_results(
        (
            Entry(
                item=item,
                group=item.nomination.award_type_id,
                agree=item.agree_count or 0,
                is_collective=not item.nomination.is_person,
                is_woman=item.nomination.person_gender == Gender.FEMALE,
                women_percent=item.nomination.women_percent,
            )
            for item in items
        ),
        women_percent=women_percent,
    )
