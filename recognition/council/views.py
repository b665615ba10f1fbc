"""Council pages: the sessions list, members, a new session, the session page, its documents.

The session's actions (agenda, attendance, opening, closing, approval) and a member's ballot
are in `session_views`, on the same blueprint.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.auth.models import User
from recognition.common.downloads import PDF, XLSX, send_document
from recognition.common.forms import ConfirmForm, show_domain_error
from recognition.common.loading import load_or_404
from recognition.council import queries, services
from recognition.council import session_views as _session_views  # noqa: F401  (its routes)
from recognition.council.ballot_box import format_tracker
from recognition.council.blueprint import bp
from recognition.council.enums import (
    CouncilRole,
    ItemState,
    Presence,
    SessionAction,
    SessionKind,
    SessionState,
)
from recognition.council.forms import (
    HandsForm,
    MemberForm,
    SecretaryForm,
    SessionForm,
    secretary_form,
)
from recognition.council.minutes import render_minutes, results_workbook
from recognition.council.models import CouncilMember, CouncilSession
from recognition.council.permissions import (
    can_choose_secretary,
    can_manage_council,
    can_view_council,
    can_view_results,
    can_view_session,
)
from recognition.council.workflow import SESSION_LIFE
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit

__all__ = ["bp"]


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    if not can_view_council(current_user):
        abort(403)
    bodies = queries.bodies_for_user(current_user)
    return render_template(
        "council/index.html",
        sessions=queries.sessions_for_user(current_user),
        manageable=[b for b in bodies if can_manage_council(current_user, b)],
    )


def _member_form(body: Unit) -> MemberForm:
    form = MemberForm()
    form.user_id.choices = [
        (u.id, f"{u.full_name} ({u.username})") for u in queries.users_for_seats(body)
    ]
    return form


@bp.route("/members/<int:body_id>", methods=["GET", "POST"])
@login_required
def members(body_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id, permitted=can_manage_council)
    form = _member_form(body)
    if form.validate_on_submit():
        user = load_or_404(User, form.user_id.data)
        try:
            services.add_member(
                body,
                user,
                role=CouncilRole(form.role.data),
                term_start=form.term_start.data,
                term_end=form.term_end.data,
                actor=current_user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is now on the council.", name=user.full_name), "success")
            return redirect(url_for("council.members", body_id=body.id))
    return render_template(
        "council/members.html",
        body=body,
        form=form,
        seats=queries.seats_for_body(body),
        today=local_today(),
    )


@bp.post("/members/<int:body_id>/<int:member_id>/end")
@login_required
def end_member(body_id: int, member_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id)
    member = load_or_404(CouncilMember, member_id)
    if not can_manage_council(current_user, body) or member.awarding_body_id != body.id:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.end_term(member, on=local_today(), actor=current_user)
    db.session.commit()
    flash(_("The term of %(name)s has ended.", name=member.user.full_name), "success")
    return redirect(url_for("council.members", body_id=body.id))


def _session_data(form: SessionForm) -> services.SessionData:
    return services.SessionData(
        title=form.title.data or "",
        kind=SessionKind(form.kind.data),
        held_on=form.held_on.data,
        place=form.place.data or "",
        consultation_closes_on=form.consultation_closes_on.data,
    )


@bp.route("/sessions/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_session(body_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id, permitted=can_manage_council)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = services.create_session(body, _session_data(form), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The session has been created. Build its agenda and record attendance."),
                "success",
            )
            return redirect(url_for("council.session", session_id=session.id))
    return render_template("council/session_form.html", form=form, body=body)


def _ballot_context(council_session: CouncilSession) -> dict[str, object]:
    """What the member's ballot panel shows: the items voted on and why others are not."""
    member = services.member_of(current_user, council_session)
    refusals = {}
    if member is not None:
        refusals = {
            item.id: services.ballot_refusal(item, member) for item in council_session.items
        }
    return {
        "member": member,
        "voted": queries.voted_items_for_member(member),
        "refusals": refusals,
    }


@bp.get("/sessions/<int:session_id>")
@login_required
def session(session_id: int) -> ResponseReturnValue:
    council_session = load_or_404(CouncilSession, session_id, permitted=can_view_session)
    return session_page(council_session)


def session_page(
    council_session: CouncilSession,
    *,
    typed_hands: tuple[int, HandsForm] | None = None,
    typed_secretary: SecretaryForm | None = None,
) -> str:
    """The session's page; `typed_hands` (item id, form) shows the counts a refused entry
    typed, instead of the recorded ones, and `typed_secretary` a refused choice of secretary."""
    queries.load_agenda(council_session)
    planned = council_session.state == SessionState.PLANNED
    return render_template(
        "council/session.html",
        session=council_session,
        actions=SESSION_LIFE.available(current_user, council_session),
        close_refusal=(
            SESSION_LIFE.refusal(council_session, SessionAction.CLOSE)
            if council_session.state == SessionState.VOTING
            else None
        ),
        # A written consultation closed before its last day cuts the answers still to come.
        runs_until=(
            council_session.consultation_closes_on
            if council_session.state == SessionState.VOTING
            and council_session.kind == SessionKind.WRITTEN
            and council_session.consultation_closes_on is not None
            and local_today() <= council_session.consultation_closes_on
            else None
        ),
        accepted=queries.accepted_dossiers_for_session(council_session) if planned else [],
        taking_part={item.id: services.participants(item) for item in council_session.items},
        # At a meeting, written votes count only on the items whose title allows them.
        written_on=sum(1 for item in council_session.items if services.votes_in_writing(item)),
        counted=queries.counted_ballots_for_session(council_session),
        results=queries.ranked_results(
            council_session, women_percent=current_app.config["WOMEN_PRIORITY_PERCENT"]
        ),
        cast=queries.votes_cast_for_session(council_session),
        hands=HandsForm(),
        typed_hands=typed_hands,
        **_secretary_context(council_session, typed_secretary),
        show_of_hands=services.is_show_of_hands,
        presence_of=services.presence_of,
        SessionState=SessionState,
        SessionKind=SessionKind,
        SessionAction=SessionAction,
        ItemState=ItemState,
        Presence=Presence,
        **_ballot_context(council_session),
    )


def _secretary_context(
    council_session: CouncilSession, typed: SecretaryForm | None
) -> dict[str, object]:
    """Who the minutes name as secretary, whether the secretariat chose them, and the form
    to choose (for the secretariat, once someone may keep the minutes)."""
    named = services.session_secretary(council_session)
    candidates = services.secretary_candidates(council_session)
    form = typed
    if form is None and candidates and can_choose_secretary(current_user, council_session):
        form = secretary_form(
            candidates, services.default_secretary(council_session), council_session.secretary_id
        )
    return {
        "secretary": named,
        "secretary_chosen": named is not None and named == council_session.secretary,
        "secretary_form": form,
    }


def _closed_session(session_id: int) -> CouncilSession:
    """A session the user may see whose results exist (404 before the close)."""
    council_session = load_or_404(CouncilSession, session_id, permitted=can_view_session)
    if not can_view_results(current_user, council_session):
        abort(404)
    return council_session


@bp.get("/sessions/<int:session_id>/minutes.pdf")
@login_required
def minutes(session_id: int) -> ResponseReturnValue:
    council_session = _closed_session(session_id)
    return send_document(
        render_minutes(council_session), mimetype=PDF, filename=f"bien-ban-{session_id}.pdf"
    )


@bp.get("/sessions/<int:session_id>/results.xlsx")
@login_required
def results_xlsx(session_id: int) -> ResponseReturnValue:
    council_session = _closed_session(session_id)
    return send_document(
        results_workbook(council_session),
        mimetype=XLSX,
        filename=f"ket-qua-{session_id}.xlsx",
        inline=False,
    )


@bp.app_template_global()
def reason_text(reason: str | None) -> str:
    """Why an item passed or failed, in words (see rules.py for the definitions)."""
    texts = {
        "passed": _("Passed: the quorum was met and the agree votes reached the threshold."),
        "no_quorum": _("Not passed: too few members took part (no quorum)."),
        # A placeholder, so that gettext formats the string and "%%" prints as "%".
        "below_threshold": _(
            "Not passed: the agree votes did not reach the threshold. "
            "Abstentions and blank ballots count in the base, never in "
            "favour; a tie does not pass above %(percent)d %%.",
            percent=50,
        ),
        "chair_not_approved": _(
            "Not passed: the title requires the chair's approval, which was not given."
        ),
        "no_members": _("Not passed: no member was eligible to vote."),
    }
    return texts.get(reason or "", "")


@bp.app_template_filter("tracker")
def tracker_filter(tracker: str) -> str:
    return format_tracker(tracker)
