"""The secretariat's inbox and appraisal page."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from recognition.common.downloads import XLSX, send_document
from recognition.common.forms import parse_id
from recognition.common.loading import load_or_404
from recognition.database import local_today
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.history.lookup import nominee_records
from recognition.nominations.diff import FIELD_LABELS, diff_snapshots
from recognition.nominations.enums import Action, done_text
from recognition.nominations.forms import ActionForm
from recognition.nominations.history_guards import same_achievement_warning
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import can_view_nomination
from recognition.nominations.queries import PAGE_OPTIONS, nomination_for_page, snapshots_of
from recognition.nominations.views import what_happens_next
from recognition.nominations.workflow import LIFECYCLE, apply_transition, available_actions
from recognition.review.export import inbox_xlsx
from recognition.review.forms import appraisal_form_class
from recognition.review.permissions import can_appraise, can_use_inbox
from recognition.review.queries import inbox_page, inbox_query
from recognition.review.services import Verdict, record_appraisal

bp = Blueprint("review", __name__, url_prefix="/review")


def _load(nomination_id: int) -> Nomination:
    return load_or_404(Nomination, nomination_id, permitted=can_appraise, options=PAGE_OPTIONS)


@bp.get("/")
@login_required
def inbox() -> ResponseReturnValue:
    if not can_use_inbox(current_user):
        abort(403)
    page, rows = inbox_page(
        current_user, today=local_today(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template("review/inbox.html", page=page, rows=rows)


@bp.get("/export.xlsx")
@login_required
def inbox_export() -> ResponseReturnValue:
    """The whole inbox (every page) as XLSX."""
    query = inbox_query(current_user) if can_use_inbox(current_user) else None
    if query is None:
        abort(403)
    content = inbox_xlsx(query, today=local_today())
    return send_document(content, mimetype=XLSX, filename="ho-so-cho-tham-dinh.xlsx", inline=False)


@bp.get("/<int:nomination_id>")
@login_required
def appraise(nomination_id: int) -> ResponseReturnValue:
    nomination = _load(nomination_id)
    form = appraisal_form_class(nomination.award_type)()
    for appraisal in nomination.appraisals:
        if f"v{appraisal.criterion_id}" in form:
            form[f"v{appraisal.criterion_id}"].data = appraisal.verdict
            form[f"n{appraisal.criterion_id}"].data = appraisal.note
    return _page(nomination, form)


def _page(nomination: Nomination, form: object, action_form: ActionForm | None = None) -> str:
    snapshots = snapshots_of(nomination)
    diff = diff_snapshots(snapshots[-2].data, snapshots[-1].data) if len(snapshots) > 1 else None
    actions = available_actions(current_user, nomination)

    def refusal(action: Action) -> str | None:
        # The guard of the transition itself, so the page never offers what it would refuse.
        return (
            LIFECYCLE.refusal(nomination, action, today=local_today())
            if action in actions
            else None
        )

    accept_refusal, send_back_refusal = refusal(Action.ACCEPT), refusal(Action.SEND_BACK)
    return render_template(
        "review/appraise.html",
        nomination=nomination,
        form=form,
        snapshots=snapshots,
        diff=diff,
        actions=actions,
        accept_refusal=accept_refusal,
        send_back_refusal=send_back_refusal,
        action_form=action_form or ActionForm(version=nomination.version),
        appraised={a.criterion_id: a for a in nomination.appraisals},
        earlier_awards=nominee_records(nomination, withdrawn=True),
        same_achievement=same_achievement_warning(nomination),
    )


# The decisions the appraisal page takes together with the verdicts typed above them.
DECISIONS = {a.value: a for a in (Action.ACCEPT, Action.SEND_BACK, Action.REJECT)}


def _verdicts(form: FlaskForm, nomination: Nomination) -> dict[int, Verdict]:
    verdicts = {}
    for criterion in nomination.award_type.criteria:
        agree = {"agree": True, "disagree": False}.get(form[f"v{criterion.id}"].data)
        verdicts[criterion.id] = Verdict(agree=agree, note=form[f"n{criterion.id}"].data or "")
    return verdicts


@bp.post("/<int:nomination_id>")
@login_required
def save_appraisal(nomination_id: int) -> ResponseReturnValue:
    """Save the verdicts; with a `decide` button, then accept, send back or reject."""
    nomination = _load(nomination_id)
    form = appraisal_form_class(nomination.award_type)()
    action_form = ActionForm()
    decide = request.form.get("decide", "")
    if decide and decide not in DECISIONS:
        abort(400)
    if not form.validate_on_submit():
        flash(_("Please check the verdicts: a note is at most 3,000 characters."), "danger")
        return _page(nomination, form, action_form)
    try:
        record_appraisal(nomination, _verdicts(form, nomination), actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _page(nomination_for_page(nomination_id) or nomination, form, action_form)
    if decide:
        return _decide(nomination, DECISIONS[decide], form, action_form)
    db.session.commit()
    flash(_("The appraisal has been saved."), "success")
    return redirect(url_for("review.appraise", nomination_id=nomination_id, _anchor="decide"))


def _decide(
    nomination: Nomination, action: Action, form: FlaskForm, action_form: ActionForm
) -> ResponseReturnValue:
    """Take `action` after the verdicts were recorded; refused, the verdicts are kept as the
    appraisal draft and the page comes back with everything typed, comment included."""
    try:
        with db.session.begin_nested():
            apply_transition(
                nomination,
                action,
                actor=current_user,
                comment=action_form.comment.data or "",
                expected_version=parse_id(action_form.version.data),
            )
    except NotAllowed:
        raise  # a role refusal is the 403 page
    except DomainError as error:
        db.session.commit()
        if error.field == "comment":  # said under the comment box
            action_form.comment.errors = [*action_form.comment.errors, error.message]
        else:
            flash(error.message, "danger")
        page = nomination_for_page(nomination.id) or nomination
        action_form.version.data = str(page.version)  # the next click acts on this version
        return _page(page, form, action_form), error.status_code
    db.session.commit()
    flash(done_text(action), "success")
    after = what_happens_next(nomination, action)
    if after:
        flash(after, "info")
    return redirect(url_for("review.appraise", nomination_id=nomination.id))


@bp.get("/<int:nomination_id>/rounds/<int:round_number>")
@login_required
def round_view(nomination_id: int, round_number: int) -> ResponseReturnValue:
    nomination = load_or_404(
        Nomination, nomination_id, permitted=can_view_nomination, options=PAGE_OPTIONS
    )
    snapshot = next((s for s in snapshots_of(nomination) if s.round == round_number), None)
    if snapshot is None:
        abort(404)
    return render_template("review/round.html", nomination=nomination, snapshot=snapshot)


@bp.app_template_global()
def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


@bp.app_template_filter()
def describe_changes(comment: str) -> str:
    """An edit event's change list ("summary, +file:x.pdf") in words of the user's language."""
    words = []
    for part in (p.strip() for p in comment.split(", ") if p.strip()):
        if part.startswith("+file:"):
            words.append(_("file added: %(name)s", name=part[6:]))
        elif part.startswith("-file:"):
            words.append(_("file removed: %(name)s", name=part[6:]))
        elif part.startswith("criterion:"):
            words.append(_("criterion %(code)s", code=part[10:]))
        elif part == "person":
            words.append(_("the person's details"))
        else:
            words.append(str(FIELD_LABELS.get(part, part)))
    return _("Changed: %(list)s", list="; ".join(words))
