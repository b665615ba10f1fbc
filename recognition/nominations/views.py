"""Dossiers: create, edit with evidence, act on them, list, read, print."""

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from recognition.auth.enums import Role
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.permissions import can_nominate_in
from recognition.campaigns.queries import award_choices, campaign_choices_for_user
from recognition.campaigns.refusals import refused_for_level
from recognition.common.downloads import PDF, XLSX, send_document, send_stored
from recognition.common.forms import (
    ConfirmForm,
    ask_for_the_files_again,
    parse_id,
    show_domain_error,
)
from recognition.common.i18n import name_in_sentence
from recognition.common.loading import load_or_404
from recognition.common.pagination import paginate
from recognition.common.redirects import safe_next_url
from recognition.database import local_today
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment, remove_attachment
from recognition.nominations.blueprint import bp
from recognition.nominations.deadlines import appraisal_deadline, parse_holidays
from recognition.nominations.enums import Action, NominationState, done_text
from recognition.nominations.forms import (
    ActionForm,
    FilterForm,
    NewNominationForm,
    answers_from,
    collective_from,
    dossier_form_class,
    fill_dossier_form,
    gender_from,
    report_from,
    saved_meanwhile,
)
from recognition.nominations.history_guards import same_achievement_warning
from recognition.nominations.hold_views import dossier_page, load_dossier
from recognition.nominations.models import Attachment, Nomination
from recognition.nominations.pdf import render_dossier
from recognition.nominations.permissions import (
    can_edit_nomination,
)
from recognition.nominations.queries import (
    Filters,
    changes_of,
    nomination_for_page,
    nomination_ids_for_user,
    nominations_in_order,
    return_note,
)
from recognition.nominations.services import (
    DuplicateNomination,
    Nominee,
    create_nomination,
    delete_draft,
    draft_from_withdrawn,
    update_nomination,
)
from recognition.nominations.sheet_views import list_export
from recognition.nominations.workflow import TRANSITIONS, apply_transition
from recognition.units.models import Unit
from recognition.units.queries import levels_that_fit, unit_tree

__all__ = ["bp"]

# The list's filters: award types offered when a campaign is chosen or when there are at most
# this many; units down to this many levels below the nominator's areas, as many levels as fit
# in UNIT_CHOICES (a filter on a unit takes the dossiers of its whole subtree: a province
# filters by commune, a commune by hamlet and team).
AWARD_CHOICES = 60
UNIT_DEPTH = 2
UNIT_CHOICES = 400


def _area_choices(
    award_type: AwardType | None = None, *, depth: int | None = None, nominees: bool = False
) -> list[tuple[int, str]]:
    """Units of the nominator's area, indented, optionally only the kinds the award accepts
    and only `depth` levels below the areas' tops. An awarding body below acts for its own
    area: the units inside it are left out, and the body itself too unless it is offered as
    a nominee (`nominees`: the province's office proposes a commune, not its hamlets)."""
    roots = current_user.units_with(Role.NOMINATOR)
    tops = {unit.id for unit in roots}
    kinds = set(award_type.eligible_unit_kinds or []) if award_type else set()
    result: list[tuple[int, str]] = []

    def walk(nodes: list[Any], level: int) -> None:
        for node in nodes:
            unit = node.unit
            lower_body = unit.id not in tops and unit.is_awarding_body and unit.is_active
            if lower_body and not nominees:
                continue
            if not kinds or unit.kind in kinds:
                result.append((unit.id, "\u2003" * level + unit.name))
            if not lower_body and (depth is None or level < depth):
                walk(node.children, level + 1)

    walk(unit_tree(within=roots, levels=depth), 0)
    return result


def list_filters() -> tuple[FilterForm, Filters]:
    """The dossier list's filter form, with its choices, and the filters it gives (the page's
    and its export's)."""
    form = FilterForm(request.args)
    areas = current_user.units_with(Role.NOMINATOR)
    campaigns = campaign_choices_for_user(current_user)
    chosen = parse_id(request.args.get("campaign"))
    in_view = [chosen] if chosen in {c for c, _name in campaigns} else [c for c, _ in campaigns]
    form.set_choices(
        campaigns,
        award_choices(in_view, at_most=AWARD_CHOICES),
        _area_choices(depth=levels_that_fit(areas, levels=UNIT_DEPTH, at_most=UNIT_CHOICES)),
    )
    form.validate()
    filters = Filters(
        text=form.q.data or "",
        campaign_id=form.campaign.data or None,
        award_type_id=form.award_type.data or None,
        state=form.state.data or "",
        unit_id=form.unit.data or None,
    )
    return form, filters


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    form, filters = list_filters()
    page = paginate(
        nomination_ids_for_user(current_user, filters), per_page=current_app.config["PAGE_SIZE"]
    )
    page.items = nominations_in_order(list(page.items))
    return render_template("nominations/index.html", page=page, form=form)


@bp.get("/export.xlsx")
@login_required
def export() -> ResponseReturnValue:
    """The dossier list as the page shows it to this user, with its filters, every page."""
    with force_locale("vi"):
        form, filters = list_filters()
    ids = list(db.session.scalars(nomination_ids_for_user(current_user, filters)))
    return send_document(
        list_export(form, ids), mimetype=XLSX, filename="ho-so-de-nghi.xlsx", inline=False
    )


def _new_form(campaign: Campaign) -> NewNominationForm:
    form = NewNominationForm()
    form.award_type_id.choices = [(o.award_type.id, o.award_type.name) for o in campaign.offers]
    # static/js/nominee-section.js shows only the nominee section the chosen title needs.
    collective = [str(o.award_type.id) for o in campaign.offers if o.award_type.for_units]
    form.award_type_id.render_kw = {"data-collective-awards": " ".join(collective)}
    units = _area_choices(nominees=True)
    form.nominee_unit_id.choices = [(None, _("— choose —")), *units]
    form.set_person_choices(units)
    # Each section's fields are required when its section is the one shown (marked so).
    for required in (form.nominee_unit_id, form.person_name, form.person_unit_id):
        required.flags.required = True
    return form


@bp.route("/new/<int:campaign_id>", methods=["GET", "POST"])
@login_required
def create(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id)
    if not can_nominate_in(current_user, campaign):
        return refused_for_level(campaign)
    if request.method == "GET" and campaign.status != CampaignStatus.OPEN:
        # Said before the form is filled in, not after.
        flash(
            _(
                "“%(campaign)s” is not receiving dossiers (%(status)s; submissions from %(opens)s "
                "to %(closes)s).",
                campaign=campaign.name,
                status=campaign.status.label.lower(),
                opens=campaign.opens_on.strftime("%d/%m/%Y"),
                closes=campaign.closes_on.strftime("%d/%m/%Y"),
            ),
            "warning",
        )
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    form = _new_form(campaign)
    existing = None
    if form.validate_on_submit():
        award_type = db.session.get(AwardType, form.award_type_id.data)
        if award_type is None:
            abort(400)
        try:
            nomination = create_nomination(campaign, award_type, _nominee(form), actor=current_user)
        except DuplicateNomination as duplicate:
            db.session.rollback()
            existing = duplicate.existing.id
            flash(duplicate.message, "warning")
        except DomainError as error:
            show_domain_error(form, error)
            _say_what_is_missing(form)
        else:
            db.session.commit()
            flash(
                _(
                    "The draft dossier has been created. Fill in the report and the criteria; "
                    "you can save and come back at any time."
                ),
                "success",
            )
            return redirect(url_for("nominations.edit", nomination_id=nomination.id))
    elif form.is_submitted():
        _say_what_is_missing(form)
    return render_template(
        "nominations/new.html", form=form, campaign=campaign, existing_id=existing
    )


def _say_what_is_missing(form: Any) -> None:
    """Say every missing field of the nominee at once, beside any other refusal: not the name
    on the second try, nor the unit on the third."""
    award_type = parse_id(form.award_type_id.data)
    chosen = db.session.get(AwardType, award_type) if award_type else None
    if chosen is None:
        return
    missing: list[tuple[Any, str]] = []
    if chosen.for_units:
        if hasattr(form, "nominee_unit_id") and not form.nominee_unit_id.data:
            missing.append((form.nominee_unit_id, _("Choose the nominee.")))
    else:
        if not (form.person_name.data or "").strip():
            missing.append((form.person_name, _("Enter the full name of the person.")))
        if not form.person_unit_id.data:
            missing.append(
                (form.person_unit_id, _("Choose the unit where the person works or lives."))
            )
    for field, message in missing:
        if message not in field.errors:
            field.errors = [*field.errors, message]


def _unit(unit_id: int | None) -> Unit | None:
    return db.session.get(Unit, unit_id) if unit_id else None


def _nominee(form: Any) -> Nominee:
    return Nominee(
        unit=_unit(form.nominee_unit_id.data) if hasattr(form, "nominee_unit_id") else None,
        person_name=form.person_name.data or "",
        person_position=form.person_position.data or "",
        person_unit=_unit(form.person_unit_id.data),
        person_birth_year=form.person_birth_year.data,
        person_gender=gender_from(form.person_gender.data),
    )


@bp.get("/<int:nomination_id>")
@login_required
def detail(nomination_id: int) -> ResponseReturnValue:
    return dossier_page(load_dossier(nomination_id))


def _dossier_form(nomination: Nomination) -> FlaskForm:
    form_class = dossier_form_class(nomination.award_type, person=nomination.is_person)
    form = form_class(obj=nomination)
    if nomination.is_person:
        form.set_person_choices(_area_choices(nominees=True))
    # Marked as needed, as a required field is (the submission's guard, report_problems): not
    # validated as such, since a draft is saved without them.
    for name in ("summary", *(s.value for s in nomination.award_type.report_sections)):
        form[name].flags.required = True
    if request.method == "GET":
        fill_dossier_form(form, nomination)
    return form


def _save_files(form: FlaskForm, nomination: Nomination) -> list[str]:
    """Store every uploaded file; returns a message for each one refused."""
    refused = []
    uploads = [(None, form["general_files"].data)] + [
        (c, form[f"c{c.id}_files"].data) for c in nomination.award_type.criteria
    ]
    for criterion, files in uploads:
        for upload in files or []:
            if not getattr(upload, "filename", ""):
                continue
            try:
                add_attachment(
                    nomination,
                    upload.stream,
                    upload.filename,
                    actor=current_user,
                    criterion=criterion,
                )
            except ConcurrentUpdate:
                raise  # the flush failed: nothing of this save can be kept
            except DomainError as error:
                refused.append(error.message)  # refused before anything was written
    return refused


def _save(form: FlaskForm, nomination: Nomination) -> list[str]:
    """Save the texts, answers and files; returns a message for each file refused."""
    update_nomination(
        nomination,
        report_from(form),
        answers_from(form, nomination),
        actor=current_user,
        person=_nominee(form) if nomination.is_person else None,
        collective=collective_from(form),
        expected_version=parse_id(form["version"].data),
    )
    return _save_files(form, nomination)


def _saved(nomination: Nomination, refused: list[str]) -> ResponseReturnValue:
    """After a save: a refused file is named, the rest said saved without it, and the page
    stays the edit page to attach it again (not the submission, which would go without it)."""
    if refused:
        flash(
            ngettext(
                "The dossier has been saved, but %(num)d file was refused and not attached "
                "(see below): attach a correct file and save again.",
                "The dossier has been saved, but %(num)d files were refused and not attached "
                "(see below): attach correct files and save again.",
                len(refused),
            ),
            "warning",
        )
        for message in refused:
            flash(message, "danger")
        return redirect(url_for("nominations.edit", nomination_id=nomination.id))
    flash(_("The dossier has been saved."), "success")
    if request.form.get("then") == "submit":
        return redirect(
            url_for("nominations.detail", nomination_id=nomination.id, _anchor="actions")
        )
    return redirect(url_for("nominations.edit", nomination_id=nomination.id))


@bp.route("/<int:nomination_id>/edit", methods=["GET", "POST"])
@login_required
def edit(nomination_id: int) -> ResponseReturnValue:
    nomination = load_dossier(nomination_id)
    if not can_edit_nomination(current_user, nomination):
        flash(
            _(
                "This dossier cannot be changed while it is “%(state)s”.",
                state=nomination.state.label,
            ),
            "info",
        )
        return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    form = _dossier_form(nomination)
    meanwhile: list[tuple[str, str]] | None = None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                refused = _save(form, nomination)
            except ConcurrentUpdate as error:
                # The rollback also deletes the files this request stored (storage.py).
                db.session.rollback()
                flash(error.message, "warning")
                meanwhile = []
            except DomainError as error:
                show_domain_error(form, error)
            else:
                db.session.commit()
                return _saved(nomination, refused)
        elif form.errors.keys() == {"csrf_token"}:
            flash(
                _(
                    "The page was open for a long time and its security token expired. Your "
                    "text is kept below: press Save again."
                ),
                "warning",
            )
        nomination = nomination_for_page(nomination_id) or nomination
        if meanwhile is not None:
            meanwhile = saved_meanwhile(form, nomination)
        ask_for_the_files_again(form)
    return render_template(
        "nominations/edit.html",
        form=form,
        meanwhile=meanwhile,
        nomination=nomination,
        returned=return_note(nomination),
        changes=changes_of(nomination),
    )


def _already_done(nomination_id: int, action: Action) -> NominationState | None:
    """After a refusal: the dossier's state when it is already where `action` would take it
    (a double click, or someone else was quicker), else None."""
    target = TRANSITIONS[action].target
    current = db.session.get(Nomination, nomination_id)
    if current is None or target is None or current.state != target:
        return None
    return current.state


@bp.post("/<int:nomination_id>/do/<action>")
@login_required
def act(nomination_id: int, action: str) -> ResponseReturnValue:
    nomination = load_dossier(nomination_id)
    if action not in TRANSITIONS:
        abort(404)
    chosen = Action(action)
    form = ActionForm()
    if not form.validate_on_submit():
        if set(form.errors) != {"comment"} or request.form.get("next"):
            abort(400)
        # A comment too long is said under its box, with what was typed kept.
        page = load_dossier(nomination_id)
        form.version.data = str(page.version)
        return dossier_page(page, action_form=form, status=400)
    here = url_for("nominations.detail", nomination_id=nomination_id)
    try:
        apply_transition(
            nomination,
            chosen,
            actor=current_user,
            comment=form.comment.data or "",
            expected_version=parse_id(form.version.data),
        )
    except (ConcurrentUpdate, InvalidTransition) as error:
        db.session.rollback()
        done = _already_done(nomination_id, chosen)
        if done is not None:
            flash(_("This was already done: the dossier is “%(state)s”.", state=done.label), "info")
            return redirect(here)
        if isinstance(error, InvalidTransition):
            raise
        flash(error.message, "warning")
        return redirect(here)
    except NotAllowed:
        raise  # a role refusal is the 403 page, not a hint to try again
    except DomainError as error:
        db.session.rollback()
        if error.field == "comment" and not request.form.get("next"):
            # A missing reason is said under the comment box, with what was typed kept.
            form.comment.errors = [*form.comment.errors, error.message]
            page = load_dossier(nomination_id)
            form.version.data = str(page.version)  # the next click acts on this version
            return dossier_page(page, action_form=form, status=error.status_code)
        flash(error.message, "danger")
        # Back to the page the action was taken from (the appraisal page sends `next`).
        return redirect(safe_next_url(request.form.get("next"), here + "#actions"))
    db.session.commit()
    flash(done_text(chosen), "success")
    after = what_happens_next(nomination, chosen)
    if after:
        flash(after, "info")
    if chosen in (Action.SUBMIT, Action.RESUBMIT):
        warning = same_achievement_warning(nomination)
        if warning:
            flash(warning, "warning")
    return redirect(safe_next_url(request.form.get("next"), here))


def what_happens_next(nomination: Nomination, action: Action) -> str | None:
    """What happens after `action` and by when, told to whoever took it."""
    if action in (Action.SUBMIT, Action.RESUBMIT):
        days, due = appraisal_deadline(
            nomination.campaign.awarding_body,
            local_today(),
            default_days=current_app.config["REVIEW_WORKING_DAYS"],
            holidays=parse_holidays(current_app.config["HOLIDAYS"]),
        )
        return _(
            "The secretariat of %(body)s appraises the dossier within %(days)d working days, "
            "by %(date)s. You will be notified if it is sent back for changes.",
            body=name_in_sentence(nomination.campaign.awarding_body.name),
            days=days,
            date=due.strftime("%d/%m/%Y"),
        )
    if action == Action.SEND_BACK:
        return _(
            "The nominator is told to fix the dossier and submit it again; it comes back to "
            "the inbox then."
        )
    if action == Action.ACCEPT:
        return _("The dossier can now be put on a council session's agenda.")
    if action == Action.WITHDRAW:
        return _("The dossier is withdrawn: it will not be appraised.")
    return None


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/<int:nomination_id>/delete")
@login_required
def delete(nomination_id: int) -> ResponseReturnValue:
    nomination = load_dossier(nomination_id)
    _confirmed()
    delete_draft(nomination, actor=current_user)
    db.session.commit()
    flash(_("The draft has been deleted."), "success")
    return redirect(url_for("nominations.index"))


@bp.post("/<int:nomination_id>/copy")
@login_required
def copy(nomination_id: int) -> ResponseReturnValue:
    """A new draft from a withdrawn dossier."""
    source = load_dossier(nomination_id)
    _confirmed()
    try:
        nomination = draft_from_withdrawn(source, actor=current_user)
    except DuplicateNomination as duplicate:
        db.session.rollback()
        flash(duplicate.message, "warning")
        return redirect(url_for("nominations.detail", nomination_id=duplicate.existing.id))
    except (NotAllowed, InvalidTransition):
        raise
    except DomainError as error:
        # The campaign closed, or no longer offers the title: said on the dossier's page.
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("nominations.detail", nomination_id=nomination_id))
    db.session.commit()
    flash(
        _(
            "A new draft has been made from dossier %(reference)s with its report and "
            "self-assessment. Attach the evidence files again, then submit it.",
            reference=source.reference or source.id,
        ),
        "success",
    )
    return redirect(url_for("nominations.edit", nomination_id=nomination.id))


def _attachment(nomination: Nomination, attachment_id: int) -> Attachment:
    attachment = load_or_404(Attachment, attachment_id)
    if attachment.nomination_id != nomination.id:
        abort(404)
    return attachment


@bp.get("/<int:nomination_id>/files/<int:attachment_id>")
@login_required
def download(nomination_id: int, attachment_id: int) -> ResponseReturnValue:
    attachment = _attachment(load_dossier(nomination_id), attachment_id)
    return send_stored(
        attachment.storage_key,
        mimetype=attachment.content_type,
        filename=attachment.original_name,
    )


@bp.post("/<int:nomination_id>/files/<int:attachment_id>/remove")
@login_required
def remove_file(nomination_id: int, attachment_id: int) -> ResponseReturnValue:
    attachment = _attachment(load_dossier(nomination_id), attachment_id)
    _confirmed()
    remove_attachment(attachment, actor=current_user)
    db.session.commit()
    flash(_("The file has been removed."), "success")
    return redirect(url_for("nominations.edit", nomination_id=nomination_id))


@bp.get("/<int:nomination_id>/dossier.pdf")
@login_required
def dossier_pdf(nomination_id: int) -> ResponseReturnValue:
    nomination = load_dossier(nomination_id)
    filename = f"{nomination.reference or f'du-thao-{nomination.id}'}.pdf"
    return send_document(render_dossier(nomination), mimetype=PDF, filename=filename)
