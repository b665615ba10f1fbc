"""Each role's landing page: what waits for me."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from recognition.auth.enums import Role
from recognition.common.links import stray_public_url
from recognition.dashboard.queries import (
    Shown,
    agreed_scores_to_record,
    annulment_requests_for,
    area_sizes_for_units,
    decisions_to_sign,
    figures_for_admin,
    nominator_panel_for_user,
    open_ballots_for_member,
    open_votes_marked_absent,
    own_dossiers_in,
    passed_waiting_for_decision,
    postings_for,
    registration_progress,
    registrations_to_make,
    returned_for_user,
    self_scores_to_record,
    sessions_coming_for_member,
    sessions_to_prepare,
    target_values_to_confirm,
    votes_cast_in,
    votes_to_close,
)
from recognition.database import local_today
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.review.queries import InboxSummary, inbox_for, inbox_summary

bp = Blueprint("dashboard", __name__)

# A window closing within this many days is "closing soon" on the nominator's panel.
CLOSING_SOON_DAYS = 7

# The items a dashboard list shows (the inbox's oldest: due first); its badge counts them all.
SHOWN = 10

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
    today = local_today()
    nominator = nominator_panel_for_user(user) if nominator_units else None
    no_nominations: Shown[Nomination] = Shown([], 0)
    to_close = votes_to_close(chair_units)
    # The secretariat closes votes too (council.permissions.can_close_session).
    voting = votes_to_close(secretariat_units)
    # The oldest dossiers are those due first (and the overdue ones); the inbox has the rest.
    inbox = inbox_for(user, today=today, limit=SHOWN) if secretariat_units else []
    waiting = inbox_summary(user, today=today) if secretariat_units else InboxSummary(0, 0, 0)
    return render_template(
        "dashboard/index.html",
        nominator=nominator,
        closing_soon=[
            c
            for c in (nominator["campaigns"] if nominator else [])  # type: ignore[attr-defined]
            if (c.closes_on - today).days <= CLOSING_SOON_DAYS
        ],
        closing_soon_days=CLOSING_SOON_DAYS,
        drafts=own_dossiers_in(user, NominationState.DRAFT, limit=SHOWN)
        if nominator_units
        else no_nominations,
        awarded=own_dossiers_in(user, NominationState.AWARDED, limit=SHOWN, newest_first=True)
        if nominator_units
        else no_nominations,
        inbox=inbox,
        waiting=waiting,
        postings=postings_for(secretariat_units),
        values_to_confirm=target_values_to_confirm(secretariat_units),
        unregistered=registration_progress(secretariat_units, today.year),
        to_register=registrations_to_make(user, today.year) if nominator_units else [],
        today=today,
        nominator_states=NOMINATOR_STATES,
        admin_figures=figures_for_admin() if user.is_admin else None,
        stray_public_url=stray_public_url(request.host) if user.is_admin else None,
        nominator_units=nominator_units,
        area_sizes=area_sizes_for_units(nominator_units),
        secretariat_units=secretariat_units,
        council_units=council_units,
        chair_units=chair_units,
        returned=returned_for_user(user, limit=SHOWN) if nominator_units else Shown([], 0),
        to_prepare=sessions_to_prepare(secretariat_units),
        to_decide=passed_waiting_for_decision(secretariat_units, limit=SHOWN),
        ballots=open_ballots_for_member(user) if council_units else [],
        absent_from=open_votes_marked_absent(user) if council_units else [],
        coming=sessions_coming_for_member(user) if council_units else [],
        to_close=to_close,
        voting=voting,
        votes_cast=votes_cast_in(list({s.id: s for s in to_close + voting}.values())),
        to_sign=decisions_to_sign(chair_units),
        annulment_requests=annulment_requests_for(chair_units),
        self_scores=self_scores_to_record(user, today.year),
        agreed_scores=agreed_scores_to_record(user, today),
    )
