"""Each role's landing page: what waits for me."""

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.extensions import db
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
    sizes = {}
    for unit in units:
        sizes[unit.id] = (
            db.session.scalar(
                select(func.count(Unit.id)).where(
                    Unit.path.startswith(unit.path, autoescape=True), Unit.is_active
                )
            )
            or 0
        )
    return sizes


@bp.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("dashboard.index"))


@bp.get("/dashboard")
@login_required
def index() -> ResponseReturnValue:
    user = current_user
    nominator_units = user.units_with(Role.NOMINATOR)
    return render_template(
        "dashboard/index.html",
        admin_figures=_admin_figures() if user.is_admin else None,
        nominator_units=nominator_units,
        subtree_sizes=_subtree_sizes(nominator_units),
        secretariat_units=user.units_with(Role.SECRETARIAT),
        council_units=user.units_with(Role.COUNCIL_MEMBER),
        chair_units=user.units_with(Role.CHAIR),
    )
