"""A session's actions (agenda, attendance, open, count hands, approve, close) and a member's
ballot. Every state change goes through the council's workflow (via `services`)."""

from collections.abc import Callable, Sequence
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from recognition.common.autocommit import statement_by_statement
from recognition.common.forms import ConfirmForm, parse_ids
from recognition.common.loading import load_or_404
from recognition.council import queries, services
from recognition.council.ballot_box import CHOICE_CODES, CHOICES_BY_CODE, format_tracker
from recognition.council.blueprint import bp
from recognition.council.counting import is_show_of_hands
from recognition.council.enums import Choice, Presence
from recognition.council.forms import ConflictForm, HandsForm, secretary_form
from recognition.council.models import AgendaItem, CouncilMember, CouncilSession
from recognition.council.on_ballot import ItemOnBallot, SeatOnBallot, SessionOnBallot
from recognition.council.permissions import (
    can_approve_session,
    can_choose_secretary,
    can_close_session,
    can_run_session,
    can_view_session,
    can_view_sessions_of,
)
from recognition.council.voting import Voter, is_open_for_votes
from recognition.errors import DomainError, InvalidTransition
from recognition.extensions import db
from recognition.units.models import Unit


def _back(session_id: int, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for("council.session", session_id=session_id, _anchor=anchor))


def _confirmed(session_id: int, permitted: Callable[[Any, CouncilSession], bool]) -> CouncilSession:
    """The session (404, then 403 unless the user may see it and `permitted`), after the
    confirmation form's CSRF check (400)."""
    council_session = load_or_404(CouncilSession, session_id, permitted=can_view_session)
    if not permitted(current_user, council_session):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return council_session


def _item_of(
    council_session: CouncilSession, item_id: int, *, options: Sequence[Any] = ()
) -> AgendaItem:
    item = load_or_404(AgendaItem, item_id, options=options)
    if item.session_id != council_session.id:
        abort(404)
    return item


@bp.post("/sessions/<int:session_id>/agenda")
@login_required
def add_items(session_id: int) -> ResponseReturnValue:
    council_session = _confirmed(session_id, can_run_session)
    ids = parse_ids(request.form.getlist("nomination_id"))
    accepted = queries.accepted_dossiers_for_session(council_session)
    chosen = [n for n in accepted if n.id in ids]
    if not chosen:
        flash(_("Tick at least one accepted dossier."), "warning")
        return _back(session_id)
    services.add_to_agenda(council_session, chosen, actor=current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d dossier put on the agenda.", "%(num)d dossiers put on the agenda.", len(chosen)
        ),
        "success",
    )
    return _back(session_id)


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/remove")
@login_required
def remove_item(session_id: int, item_id: int) -> ResponseReturnValue:
    """Take a dossier off the agenda while the session is being prepared."""
    council_session = _confirmed(session_id, can_run_session)
    item = _item_of(council_session, item_id)
    name = item.nomination.nominee_name
    services.remove_from_agenda(item, actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(name)s has been taken off the agenda; it waits for a council again.",
            name=name,
        ),
        "success",
    )
    return _back(session_id, "agenda")


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/move/<direction>")
@login_required
def move(session_id: int, item_id: int, direction: str) -> ResponseReturnValue:
    council_session = _confirmed(session_id, can_run_session)
    item = _item_of(council_session, item_id)
    if direction not in ("up", "down"):
        abort(404)
    services.move_item(item, up=direction == "up", actor=current_user)
    db.session.commit()
    return _back(session_id, "agenda")


@bp.post("/sessions/<int:session_id>/attendance")
@login_required
def attendance(session_id: int) -> ResponseReturnValue:
    council_session = _confirmed(session_id, can_run_session)
    presence = {
        a.member_id: request.form.get(f"m{a.member_id}", "absent")
        for a in council_session.attendance
    }
    if any(value not in Presence.values() for value in presence.values()):
        # The form offers nothing else: a value altered on the way is not read as "absent".
        raise DomainError(
            _("The attendance was not understood and nothing was saved: mark it again.")
        )
    services.set_attendance(council_session, presence, actor=current_user)
    db.session.commit()
    flash(_("The attendance has been recorded."), "success")
    return _back(session_id, "attendance")


@bp.post("/sessions/<int:session_id>/secretary")
@login_required
def secretary(session_id: int) -> ResponseReturnValue:
    """The secretariat names who keeps the minutes ("": nobody, the default)."""
    council_session = load_or_404(CouncilSession, session_id, permitted=can_view_session)
    if not can_choose_secretary(current_user, council_session):
        abort(403)
    from recognition.council.views import session_page

    candidates = services.secretary_candidates(council_session)
    form = secretary_form(
        candidates, services.default_secretary(council_session), None, posted=True
    )
    if not form.validate_on_submit():
        return session_page(council_session, typed_secretary=form), 400
    chosen = next((m for m in candidates if m.id == form.member_id.data), None)
    services.choose_secretary(council_session, chosen, actor=current_user)
    db.session.commit()
    named = services.session_secretary(council_session)
    if named is None:
        flash(_("Nobody can keep the minutes yet: record who is present first."), "warning")
    else:
        flash(
            _("The minutes name %(name)s as secretary of the session.", name=named.user.full_name),
            "success",
        )
    return _back(session_id, "secretary")


@bp.post("/sessions/<int:session_id>/open")
@login_required
def open_vote(session_id: int) -> ResponseReturnValue:
    council_session = _confirmed(session_id, can_run_session)
    services.open_vote(council_session, actor=current_user)
    db.session.commit()
    hands = [is_show_of_hands(item) for item in council_session.items]
    if all(hands):
        opened = _("The vote is open. Enter the counts of the show of hands for each item.")
    elif any(hands):
        opened = _(
            "The vote is open. Members can now vote by secret ballot from their phone or "
            "computer; enter the counts of the show of hands for the other items."
        )
    else:
        opened = _("The vote is open. Members can now vote from their phone or computer.")
    flash(opened, "success")
    return _back(session_id)


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/hands")
@login_required
def hands(session_id: int, item_id: int) -> ResponseReturnValue:
    council_session = load_or_404(CouncilSession, session_id, permitted=can_view_session)
    if not can_run_session(current_user, council_session):
        abort(403)
    # views imports this module for its routes: the page function is fetched when needed.
    from recognition.council.views import session_page

    item = _item_of(council_session, item_id)
    form = HandsForm()
    if not form.validate_on_submit():
        # Said under the item's counts (the page may list several).
        form.form_errors.append(
            _("Enter each count as a whole number, 0 or more (the agree count is required).")
        )
        return session_page(council_session, typed_hands=(item.id, form)), 400
    try:
        services.record_hands(
            item,
            agree=form.agree.data or 0,
            disagree=form.disagree.data or 0,
            abstain=form.abstain.data or 0,
            actor=current_user,
        )
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return session_page(council_session, typed_hands=(item.id, form)), error.status_code
    db.session.commit()
    flash(_("The counts have been recorded."), "success")
    return _back(session_id, f"item-{item_id}")


@bp.post("/sessions/<int:session_id>/close")
@login_required
def close(session_id: int) -> ResponseReturnValue:
    council_session = _confirmed(session_id, can_close_session)
    # The chair's approval is the chair's own act: anyone else who posts it is refused.
    services.close_vote(
        council_session,
        actor=current_user,
        chair_approved=request.form.get("chair_approved") == "1",
    )
    db.session.commit()
    flash(_("The vote is closed and counted. The dossiers have moved on."), "success")
    return _back(session_id, "results")


@bp.post("/sessions/<int:session_id>/approve")
@login_required
def approve(session_id: int) -> ResponseReturnValue:
    council_session = _confirmed(session_id, can_approve_session)
    services.approve_as_chair(council_session, actor=current_user)
    db.session.commit()
    flash(_("Your approval as chair is recorded."), "success")
    return _back(session_id)


# A member's ballot ----------------------------------------------------------------------


def _voter(session_id: int, item_id: int) -> tuple[SessionOnBallot, Voter, SeatOnBallot]:
    # The item with its session, the user's seat, roll line, withdrawal and participation in
    # one statement (a hundred members cast at once); the ballot names the dossier and its
    # title, and the title's rule decides the choices.
    voter = services.voter_on(current_user, session_id, item_id)
    if voter is None:
        # Refused in the usual order: no session (404), not the user's (403), no such item (404).
        known = load_or_404(CouncilSession, session_id, permitted=can_view_session)
        if services.member_of(current_user, known) is None:
            abort(403)
        abort(404)
    council_session = voter.item.session
    # The awarding body is in the session's identity map when the user holds a role on it
    # (their grants are loaded with them): no statement then.
    body = db.session.get(Unit, council_session.awarding_body_id)
    if body is None or not can_view_sessions_of(current_user, body) or voter.member is None:
        abort(403)
    return council_session, voter, voter.member


def _choices(item: ItemOnBallot) -> list[Choice]:
    return [c for c in Choice if c != Choice.ABSTAIN or item.nomination.award_type.abstain_allowed]


def _posted_choice() -> tuple[str, Choice | None]:
    """The step and the one-character choice code posted (nothing on a GET)."""
    if request.method != "POST":
        return "", None
    code = request.form.get("choice", "")
    return request.form.get("step", ""), CHOICES_BY_CODE.get(code) if len(code) == 1 else None


@bp.route("/sessions/<int:session_id>/items/<int:item_id>/vote", methods=["GET", "POST"])
@statement_by_statement
@login_required
def vote(session_id: int, item_id: int) -> ResponseReturnValue:
    """The ballot: choose, confirm, cast; then the receipt.

    Every step has the same size and shape whatever the choice (docs/secret-ballot.md): the
    choice travels as a one-character code, the confirmation shows every choice with the
    member's ticked, and the receipt names no choice. Nothing about it is flashed or logged.

    On PostgreSQL its statements run without a transaction (common/autocommit.py): the cast
    is one statement, committed as it runs; a hundred members cast at once.
    """
    council_session, voter, member = _voter(session_id, item_id)
    item = voter.item
    # A step is posted, and the app's CSRF protection checked the form's token before any view.
    step, choice = _posted_choice()
    if voter.voted and step:
        # The receipt reloaded (the cast sent again), or a step sent from another tab: the
        # vote stands, and the page says so as it does to anyone who has voted.
        return _ballot_page(council_session, voter, member, "choose")
    if step == "cast" and not is_open_for_votes(item):
        raise InvalidTransition(
            _("The vote on this item is no longer open: your ballot was not sent or counted.")
        )
    if step == "cast" and choice is not None:
        # cast_vote refuses a closed vote, and the database a second ballot (AlreadyVoted).
        tracker = services.cast_vote(item, member, choice, roll=voter.roll)
        # The receipt is drawn from what is loaded before the commit expires it; it is sent
        # only once the vote is committed (on PostgreSQL the cast's statement committed it).
        receipt = _ballot_page(council_session, voter, member, "receipt", tracker=tracker)
        db.session.commit()
        return receipt
    if not voter.voted and not is_open_for_votes(item):
        # A stale link: say so, rather than offer a ballot that cannot be cast.
        raise InvalidTransition(_("The vote on this item is not open."))
    missing = step in ("confirm", "cast") and choice is None
    page = "confirm" if step in ("confirm", "cast") and not missing else "choose"
    return _ballot_page(council_session, voter, member, page, choice=choice, missing=missing)


def _ballot_page(
    council_session: SessionOnBallot,
    voter: Voter,
    member: SeatOnBallot,
    page: str,
    *,
    choice: Choice | None = None,
    missing: bool = False,
    tracker: str = "",
) -> ResponseReturnValue:
    item, voted, attendance = voter.item, voter.voted, voter.roll[0]
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
            refusal=(
                None if voted or tracker else services.ballot_refusal(item, member, roll=voter.roll)
            ),
            # Said on the ballot form only.
            in_writing=not tracker and not (attendance is not None and attendance.present),
            tracker=format_tracker(tracker) if tracker else "",
            codes=CHOICE_CODES,
            # The receipt has no form (a cast vote is final).
            confirm=None if tracker else ConfirmForm(),
            conflict_form=None if tracker else ConflictForm(),
            choices=_choices(item),
        )
    )
    # A proxy that compresses would make sizes differ again; nothing may be cached either.
    response.headers["Cache-Control"] = "no-store, no-transform"
    return response


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/conflict")
@login_required
def conflict(session_id: int, item_id: int) -> ResponseReturnValue:
    _session, voter, seat = _voter(session_id, item_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        abort(400)
    item, member = db.session.get(AgendaItem, voter.item.id), db.session.get(CouncilMember, seat.id)
    if item is None or member is None:  # removed since the ballot was read
        abort(404)
    try:
        services.declare_conflict(item, member, reason=form.reason.data or "")
    except DomainError as error:
        if error.field != "reason":  # the vote's state: the error page, as for a ballot
            raise
        flash(error.message, "danger")
        return redirect(url_for("council.vote", session_id=session_id, item_id=item_id))
    db.session.commit()
    flash(_("Your conflict of interest is recorded; you do not vote on this item."), "success")
    return _back(session_id)
