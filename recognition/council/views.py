"""Council pages: members, sessions (agenda, attendance, vote, results), a member's ballot."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.common.forms import ConfirmForm, parse_ids, show_domain_error
from recognition.council import services
from recognition.council.ballot_box import CHOICE_CODES, CHOICES_BY_CODE, format_tracker
from recognition.council.enums import Choice, CouncilRole, SessionKind, SessionState
from recognition.council.forms import ConflictForm, HandsForm, MemberForm, SessionForm
from recognition.council.models import (
    AgendaItem,
    Ballot,
    CouncilMember,
    CouncilSession,
    Participation,
)
from recognition.council.permissions import (
    can_approve_session,
    can_close_session,
    can_manage_council,
    can_run_session,
    can_view_session,
)
from recognition.database import local_today
from recognition.errors import DomainError, InvalidTransition
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.units.models import Unit

bp = Blueprint("council", __name__, url_prefix="/council")


def _get(model: type, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def _bodies() -> list[Unit]:
    roles = (Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER)
    found = {u.id: u for role in roles for u in current_user.units_with(role)}
    return list(found.values())


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    bodies = _bodies()
    if not bodies and not current_user.is_admin:
        abort(403)
    query = (
        select(CouncilSession)
        .options(selectinload(CouncilSession.items))  # each row shows its number of items
        .order_by(CouncilSession.held_on.desc(), CouncilSession.id)
    )
    if not current_user.is_admin:
        query = query.where(CouncilSession.awarding_body_id.in_([b.id for b in bodies]))
    sessions = list(db.session.scalars(query))
    manageable = [b for b in bodies if can_manage_council(current_user, b)]
    return render_template("council/index.html", sessions=sessions, manageable=manageable)


@bp.route("/members/<int:body_id>", methods=["GET", "POST"])
@login_required
def members(body_id: int) -> ResponseReturnValue:
    body = _get(Unit, body_id)
    if not can_manage_council(current_user, body):
        abort(403)
    form = MemberForm()
    users = db.session.scalars(
        select(User).where(User.disabled_at.is_(None)).order_by(User.full_name_sort)
    ).all()
    form.user_id.choices = [(u.id, f"{u.full_name} ({u.username})") for u in users]
    if form.validate_on_submit():
        user = _get(User, form.user_id.data)
        try:
            services.add_member(
                body,
                user,
                role=CouncilRole(form.role.data),
                term_start=form.term_start.data,
                term_end=form.term_end.data,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is now on the council.", name=user.full_name), "success")
            return redirect(url_for("council.members", body_id=body.id))
    seats = db.session.scalars(
        select(CouncilMember).where(CouncilMember.awarding_body_id == body.id)
    ).all()
    return render_template(
        "council/members.html",
        body=body,
        form=form,
        seats=seats,
        today=local_today(),
        confirm=ConfirmForm(),
    )


@bp.post("/members/<int:body_id>/<int:member_id>/end")
@login_required
def end_member(body_id: int, member_id: int) -> ResponseReturnValue:
    body = _get(Unit, body_id)
    member = _get(CouncilMember, member_id)
    if not can_manage_council(current_user, body) or member.awarding_body_id != body.id:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.end_term(member, on=local_today())
    db.session.commit()
    flash(_("The term of %(name)s has ended.", name=member.user.full_name), "success")
    return redirect(url_for("council.members", body_id=body.id))


@bp.route("/sessions/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_session(body_id: int) -> ResponseReturnValue:
    body = _get(Unit, body_id)
    if not can_manage_council(current_user, body):
        abort(403)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = services.create_session(
                body,
                services.SessionData(
                    title=form.title.data or "",
                    kind=SessionKind(form.kind.data),
                    held_on=form.held_on.data,
                    place=form.place.data or "",
                    consultation_closes_on=form.consultation_closes_on.data,
                ),
            )
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


def _load_session(session_id: int) -> CouncilSession:
    session = _get(CouncilSession, session_id)
    if not can_view_session(current_user, session):
        abort(403)
    return session


def _accepted_dossiers(session: CouncilSession) -> list[Nomination]:
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(
                Campaign.awarding_body_id == session.awarding_body_id,
                Nomination.state == NominationState.ACCEPTED.value,
            )
            .order_by(Nomination.award_type_id, Nomination.nominee_sort)
        )
    )


@bp.get("/sessions/<int:session_id>")
@login_required
def session(session_id: int) -> ResponseReturnValue:
    council_session = _load_session(session_id)
    _load_agenda(council_session)
    member = services.member_of(current_user, council_session)
    voted = set()
    if member is not None:
        voted = set(
            db.session.scalars(
                select(Participation.item_id).where(Participation.member_id == member.id)
            )
        )
    return render_template(
        "council/session.html",
        session=council_session,
        member=member,
        voted=voted,
        accepted=_accepted_dossiers(council_session)
        if council_session.state == SessionState.PLANNED.value
        else [],
        runner=can_run_session(current_user, council_session),
        closer=can_close_session(current_user, council_session),
        taking_part={item.id: services.participants(item) for item in council_session.items},
        refusals={item.id: services.ballot_refusal(item, member) for item in council_session.items}
        if member is not None
        else {},
        counted=_counted_ballots(council_session),
        approver=can_approve_session(current_user, council_session),
        cast=_votes_cast(council_session),
        hands=HandsForm(),
        confirm=ConfirmForm(),
        show_of_hands=services.is_show_of_hands,
    )


def _load_agenda(council_session: CouncilSession) -> None:
    """Load the agenda with each item's dossier and conflicts (the page shows them for every
    item) in three queries, whatever its length."""
    db.session.scalars(
        select(CouncilSession)
        .where(CouncilSession.id == council_session.id)
        .options(
            selectinload(CouncilSession.items).options(
                selectinload(AgendaItem.nomination), selectinload(AgendaItem.conflicts)
            )
        )
        .execution_options(populate_existing=True)
    ).one()


def _votes_cast(council_session: CouncilSession) -> dict[int, int]:
    """How many have voted on each item, in one query (`services.votes_cast` per item)."""
    rows = db.session.execute(
        select(Participation.item_id, func.count(Participation.id))
        .join(AgendaItem, AgendaItem.id == Participation.item_id)
        .where(AgendaItem.session_id == council_session.id)
        .group_by(Participation.item_id)
    )
    counted: dict[int, int] = {item_id: count for item_id, count in rows}
    return {item.id: counted.get(item.id, 0) for item in council_session.items}


def _counted_ballots(council_session: CouncilSession) -> dict[int, list[Ballot]]:
    """After the close, each item's counted ballots by tracker (the order says nothing)."""
    if council_session.state != SessionState.CLOSED.value:
        return {}
    found: dict[int, list[Ballot]] = {item.id: [] for item in council_session.items}
    rows = db.session.scalars(
        select(Ballot)
        .where(Ballot.item_id.in_(list(found)))
        .order_by(Ballot.item_id, Ballot.tracker)
    )
    for ballot in rows:
        found[ballot.item_id].append(ballot)
    return found


def _runner(session_id: int) -> CouncilSession:
    council_session = _load_session(session_id)
    if not can_run_session(current_user, council_session):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return council_session


@bp.post("/sessions/<int:session_id>/agenda")
@login_required
def add_items(session_id: int) -> ResponseReturnValue:
    council_session = _runner(session_id)
    ids = parse_ids(request.form.getlist("nomination_id"))
    chosen = [n for n in _accepted_dossiers(council_session) if n.id in ids]
    if not chosen:
        flash(_("Tick at least one accepted dossier."), "warning")
        return redirect(url_for("council.session", session_id=session_id))
    services.add_to_agenda(council_session, chosen, actor=current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d dossier put on the agenda.", "%(num)d dossiers put on the agenda.", len(chosen)
        ),
        "success",
    )
    return redirect(url_for("council.session", session_id=session_id))


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/move/<direction>")
@login_required
def move(session_id: int, item_id: int, direction: str) -> ResponseReturnValue:
    council_session = _runner(session_id)
    item = _get(AgendaItem, item_id)
    if item.session_id != council_session.id or direction not in ("up", "down"):
        abort(404)
    services.move_item(item, up=direction == "up")
    db.session.commit()
    return redirect(url_for("council.session", session_id=session_id, _anchor="agenda"))


@bp.post("/sessions/<int:session_id>/attendance")
@login_required
def attendance(session_id: int) -> ResponseReturnValue:
    council_session = _runner(session_id)
    presence = {
        a.member_id: request.form.get(f"m{a.member_id}", "absent")
        for a in council_session.attendance
    }
    services.set_attendance(council_session, presence)
    db.session.commit()
    flash(_("The attendance has been recorded."), "success")
    return redirect(url_for("council.session", session_id=session_id, _anchor="attendance"))


@bp.post("/sessions/<int:session_id>/open")
@login_required
def open_vote(session_id: int) -> ResponseReturnValue:
    council_session = _runner(session_id)
    services.open_vote(council_session, actor=current_user)
    db.session.commit()
    flash(_("The vote is open. Members can now vote from their phone or computer."), "success")
    return redirect(url_for("council.session", session_id=session_id))


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/hands")
@login_required
def hands(session_id: int, item_id: int) -> ResponseReturnValue:
    council_session = _load_session(session_id)
    if not can_run_session(current_user, council_session):
        abort(403)
    item = _get(AgendaItem, item_id)
    if item.session_id != council_session.id:
        abort(404)
    form = HandsForm()
    if not form.validate_on_submit():
        flash(_("Enter whole numbers for the counts."), "danger")
    else:
        services.record_hands(
            item,
            agree=form.agree.data or 0,
            disagree=form.disagree.data or 0,
            abstain=form.abstain.data or 0,
        )
        db.session.commit()
        flash(_("The counts have been recorded."), "success")
    return redirect(url_for("council.session", session_id=session_id, _anchor=f"item-{item_id}"))


@bp.post("/sessions/<int:session_id>/close")
@login_required
def close(session_id: int) -> ResponseReturnValue:
    council_session = _load_session(session_id)
    if not can_close_session(current_user, council_session):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # The chair's approval is the chair's own act: anyone else who posts it is refused.
    services.close_vote(
        council_session,
        actor=current_user,
        chair_approved=request.form.get("chair_approved") == "1",
    )
    db.session.commit()
    flash(_("The vote is closed and counted. The dossiers have moved on."), "success")
    return redirect(url_for("council.session", session_id=session_id, _anchor="results"))


@bp.post("/sessions/<int:session_id>/approve")
@login_required
def approve(session_id: int) -> ResponseReturnValue:
    council_session = _load_session(session_id)
    if not can_approve_session(current_user, council_session):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.approve_as_chair(council_session, actor=current_user)
    db.session.commit()
    flash(_("Your approval as chair is recorded."), "success")
    return redirect(url_for("council.session", session_id=session_id))


# A member's ballot ----------------------------------------------------------------------


def _voter(session_id: int, item_id: int) -> tuple[CouncilSession, AgendaItem, CouncilMember]:
    council_session = _load_session(session_id)
    member = services.member_of(current_user, council_session)
    if member is None:
        abort(403)
    item = _get(AgendaItem, item_id)
    if item.session_id != council_session.id:
        abort(404)
    return council_session, item, member


def _choices(item: AgendaItem) -> list[Choice]:
    return [c for c in Choice if c != Choice.ABSTAIN or item.nomination.award_type.abstain_allowed]


@bp.route("/sessions/<int:session_id>/items/<int:item_id>/vote", methods=["GET", "POST"])
@login_required
def vote(session_id: int, item_id: int) -> ResponseReturnValue:
    """The ballot: choose, confirm, cast; then the receipt.

    Every step has the same size and shape whatever the choice (docs/secret-ballot.md): the
    choice travels as a one-character code, the confirmation shows every choice with the
    member's ticked, and the receipt names no choice. Nothing about it is flashed or logged.
    """
    council_session, item, member = _voter(session_id, item_id)
    voted = (
        db.session.scalar(
            select(Participation.id).where(
                Participation.item_id == item.id, Participation.member_id == member.id
            )
        )
        is not None
    )
    if not voted and (
        council_session.state != SessionState.VOTING.value or item.outcome is not None
    ):
        # A stale link: say so, rather than offer a ballot that cannot be cast.
        raise InvalidTransition(_("The vote on this item is not open."))
    code = request.form.get("choice", "") if request.method == "POST" else ""
    choice = CHOICES_BY_CODE.get(code) if len(code) == 1 else None
    step = request.form.get("step", "") if request.method == "POST" else ""
    missing = False
    if step in ("confirm", "cast"):
        if not ConfirmForm().validate_on_submit():
            abort(400)
        missing = choice is None
    if step == "cast" and choice is not None:
        tracker = services.cast_vote(item, member, choice)
        db.session.commit()
        return _ballot_page(council_session, item, member, "receipt", tracker=tracker)
    page = "confirm" if step in ("confirm", "cast") and not missing else "choose"
    return _ballot_page(
        council_session, item, member, page, choice=choice, voted=voted, missing=missing
    )


def _ballot_page(
    council_session: CouncilSession,
    item: AgendaItem,
    member: CouncilMember,
    page: str,
    *,
    choice: Choice | None = None,
    voted: bool = False,
    missing: bool = False,
    tracker: str = "",
) -> ResponseReturnValue:
    response = current_app.make_response(
        render_template(
            "council/vote.html",
            session=council_session,
            item=item,
            member=member,
            page=page,
            choice=choice,
            voted=voted,
            missing=missing,
            refusal=None if voted else services.ballot_refusal(item, member),
            in_writing=not any(
                a.member_id == member.id and a.present for a in council_session.attendance
            ),
            tracker=format_tracker(tracker) if tracker else "",
            codes=CHOICE_CODES,
            confirm=ConfirmForm(),
            conflict_form=ConflictForm(),
            choices=_choices(item),
        )
    )
    # A proxy that compresses would make sizes differ again; nothing may be cached either.
    response.headers["Cache-Control"] = "no-store, no-transform"
    return response


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/conflict")
@login_required
def conflict(session_id: int, item_id: int) -> ResponseReturnValue:
    _session, item, member = _voter(session_id, item_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        abort(400)
    services.declare_conflict(item, member, reason=form.reason.data or "")
    db.session.commit()
    flash(_("Your conflict of interest is recorded; you do not vote on this item."), "success")
    return redirect(url_for("council.session", session_id=session_id))


@bp.get("/sessions/<int:session_id>/minutes.pdf")
@login_required
def minutes(session_id: int) -> ResponseReturnValue:
    from flask import current_app

    from recognition.council.minutes import render_minutes

    council_session = _load_session(session_id)
    if council_session.state != SessionState.CLOSED.value:
        abort(404)
    return current_app.response_class(
        render_minutes(council_session),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=bien-ban-{session_id}.pdf"},
    )


@bp.get("/sessions/<int:session_id>/results.xlsx")
@login_required
def results_xlsx(session_id: int) -> ResponseReturnValue:
    from flask import current_app

    from recognition.council.minutes import results_workbook

    council_session = _load_session(session_id)
    if council_session.state != SessionState.CLOSED.value:
        abort(404)
    return current_app.response_class(
        results_workbook(council_session),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=ket-qua-{session_id}.xlsx"},
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


@bp.app_template_global()
def choice_label(choice: str) -> str:
    return str(Choice(choice).label)
