"""Each role's landing page: what waits for me."""

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.campaigns.queries import open_campaigns_for_nominator
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.queries import Filters, nominations_for_user
from recognition.units.models import Unit

bp = Blueprint("dashboard", __name__)


def _admin_figures() -> dict[str, int]:
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


def _subtree_sizes(units: list[Unit]) -> dict[int, int]:
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


def _nominator_panel(user: User) -> dict[str, object]:
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


def _secretariat_counts(bodies: list[Unit]) -> dict[int, dict[str, int]]:
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


@bp.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("dashboard.index"))


@bp.get("/dashboard")
@login_required
def index() -> ResponseReturnValue:
    user = current_user
    nominator_units = user.units_with(Role.NOMINATOR)
    secretariat_units = user.units_with(Role.SECRETARIAT)
    return render_template(
        "dashboard/index.html",
        nominator=_nominator_panel(user) if nominator_units else None,
        secretariat_counts=_secretariat_counts(secretariat_units),
        admin_figures=_admin_figures() if user.is_admin else None,
        nominator_units=nominator_units,
        subtree_sizes=_subtree_sizes(nominator_units),
        secretariat_units=secretariat_units,
        council_units=user.units_with(Role.COUNCIL_MEMBER),
        chair_units=user.units_with(Role.CHAIR),
    )
