"""Each role's landing page: what waits for me."""

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from recognition.auth.enums import Role
from recognition.dashboard.queries import (
    decisions_to_sign,
    figures_for_admin,
    nominator_panel_for_user,
    open_ballots_for_member,
    passed_waiting_for_decision,
    returned_for_user,
    secretariat_counts_for_bodies,
    sessions_coming_for_member,
    sessions_to_prepare,
    subtree_sizes_for_units,
    votes_to_close,
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
    council_units = user.units_with(Role.COUNCIL_MEMBER)
    chair_units = user.units_with(Role.CHAIR)
    return render_template(
        "dashboard/index.html",
        nominator=nominator_panel_for_user(user) if nominator_units else None,
        nominator_states=NOMINATOR_STATES,
        secretariat_counts=secretariat_counts_for_bodies(secretariat_units),
        admin_figures=figures_for_admin() if user.is_admin else None,
        nominator_units=nominator_units,
        subtree_sizes=subtree_sizes_for_units(nominator_units),
        secretariat_units=secretariat_units,
        council_units=council_units,
        chair_units=chair_units,
        returned=returned_for_user(user) if nominator_units else [],
        to_prepare=sessions_to_prepare(secretariat_units),
        to_decide=passed_waiting_for_decision(secretariat_units),
        ballots=open_ballots_for_member(user) if council_units else [],
        coming=sessions_coming_for_member(user) if council_units else [],
        to_close=votes_to_close(chair_units),
        to_sign=decisions_to_sign(chair_units),
    )
