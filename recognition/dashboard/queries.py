"""What the dashboard counts: one query per panel, whatever the number of units or dossiers."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.campaigns.queries import open_campaigns_for_nominator
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.queries import Filters, nominations_for_user
from recognition.units.models import Unit


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
        select(func.count(User.id), func.count(User.id).filter(User.disabled_at.is_(None)))
    ).one()
    return {
        "units": units[0],
        "active_units": units[1],
        "awarding_bodies": units[2],
        "users": users[0],
        "active_users": users[1],
    }


def subtree_sizes_for_units(units: list[Unit]) -> dict[int, int]:
    """The active units in each unit's subtree (itself included), in one query."""
    if not units:
        return {}
    inside = aliased(Unit)
    # Paths hold only digits and slashes ("/1/4/17/"), so LIKE needs no escaping.
    rows = db.session.execute(
        select(Unit.id, func.count(inside.id))
        .join(inside, inside.path.startswith(Unit.path))
        .where(Unit.id.in_([unit.id for unit in units]), inside.is_active)
        .group_by(Unit.id)
    )
    sizes: dict[int, int] = {unit_id: size for unit_id, size in rows}
    return {unit.id: sizes.get(unit.id, 0) for unit in units}


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


def secretariat_counts_for_bodies(bodies: list[Unit]) -> dict[int, dict[str, int]]:
    """The submitted dossiers of each awarding body, counted by state (one query)."""
    if not bodies:
        return {}
    rows = db.session.execute(
        select(Campaign.awarding_body_id, Nomination.state, func.count(Nomination.id))
        .join(Nomination.campaign)
        .where(
            Campaign.awarding_body_id.in_([b.id for b in bodies]),
            Nomination.state != NominationState.DRAFT.value,
        )
        .group_by(Campaign.awarding_body_id, Nomination.state)
    ).all()
    result: dict[int, dict[str, int]] = {b.id: {} for b in bodies}
    for body_id, state, count in rows:
        result[body_id][state] = count
    return result
