"""Each role's landing page: what waits for me."""

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from recognition.auth.enums import Role
from recognition.dashboard.queries import (
    figures_for_admin,
    nominator_panel_for_user,
    secretariat_counts_for_bodies,
    subtree_sizes_for_units,
)
from recognition.nominations.enums import NominationState

bp = Blueprint("dashboard", __name__)

# The states a nominator's panel counts: those where a dossier still moves.
NOMINATOR_STATES = (
    NominationState.DRAFT,
    NominationState.RETURNED,
    NominationState.SUBMITTED,
    NominationState.IN_REVIEW,
    NominationState.ACCEPTED,
)


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
        nominator=nominator_panel_for_user(user) if nominator_units else None,
        nominator_states=NOMINATOR_STATES,
        secretariat_counts=secretariat_counts_for_bodies(secretariat_units),
        admin_figures=figures_for_admin() if user.is_admin else None,
        nominator_units=nominator_units,
        subtree_sizes=subtree_sizes_for_units(nominator_units),
        secretariat_units=secretariat_units,
        council_units=user.units_with(Role.COUNCIL_MEMBER),
        chair_units=user.units_with(Role.CHAIR),
    )
