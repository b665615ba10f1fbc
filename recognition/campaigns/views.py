"""The award catalogue and campaigns: secretariat and administrators keep them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.campaigns.criteria_csv import export_criteria_csv, import_criteria_csv
from recognition.campaigns.defaults import lacks_defaults, seed_level_catalogue
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.forms import (
    AwardTypeForm,
    CampaignForm,
    CriterionForm,
    CsvUploadForm,
    ExtendForm,
    OfferForm,
)
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.campaigns.permissions import (
    can_edit_award_type,
    can_manage_campaign,
    can_manage_campaigns,
    can_nominate_in,
    can_view_campaign,
)
from recognition.campaigns.queries import (
    award_types_of,
    campaigns_for_user,
    catalogue_for_user,
    dossier_counts_for_offers,
    managed_bodies,
    offerable_award_types,
)
from recognition.campaigns.refusals import refused_for_level
from recognition.campaigns.services import (
    delete_criterion,
    extend_window,
    offer_award,
    save_award_type,
    save_campaign,
    save_criterion,
    withdraw_offer,
)
from recognition.campaigns.workflow import (
    TRANSITIONS,
    action_towards,
    apply_campaign_action,
    available_actions,
)
from recognition.common.csvfiles import ImportFailed
from recognition.common.downloads import send_document
from recognition.common.forms import ConfirmForm, show_domain_error
from recognition.common.loading import load_or_404
from recognition.database import local_today
from recognition.errors import DomainError, InvalidTransition
from recognition.extensions import db
from recognition.law.rules import LEVELS
from recognition.units.models import Unit

SEEDABLE = ("commune", "province")

bp = Blueprint("campaigns", __name__)

CSV = "text/csv"  # the response adds "; charset=utf-8"


def _body(body_id: int) -> Unit:
    return load_or_404(Unit, body_id, permitted=can_manage_campaigns)


def _award(award_type_id: int) -> AwardType:
    return load_or_404(AwardType, award_type_id, permitted=can_edit_award_type)


def _campaign(campaign_id: int) -> Campaign:
    return load_or_404(Campaign, campaign_id, permitted=can_manage_campaign)


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


# Catalogue -------------------------------------------------------------------------------


@bp.get("/catalogue/")
@login_required
def catalogue() -> ResponseReturnValue:
    catalogue = catalogue_for_user(current_user)
    if not catalogue:
        abort(403)
    # Offered while the body lacks some of its level's starting catalogue.
    seedable = {
        body.id
        for body, types in catalogue
        if LEVELS.get(body.kind) in SEEDABLE
        and lacks_defaults(body, {a.code for a in types}, on=local_today())
    }
    return render_template("campaigns/catalogue.html", catalogue=catalogue, seedable=seedable)


@bp.post("/catalogue/defaults/<int:body_id>")
@login_required
def seed_defaults(body_id: int) -> ResponseReturnValue:
    body = _body(body_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    before = len(award_types_of(body))
    try:
        seed_level_catalogue(body, on=local_today(), actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        added = len(award_types_of(body)) - before
        flash(_("%(count)d award types have been added to the catalogue.", count=added), "success")
    return redirect(url_for("campaigns.catalogue"))


def _award_form(body: Unit, award_type: AwardType | None) -> AwardTypeForm:
    form = AwardTypeForm(obj=award_type)
    if award_type is not None and request.method == "GET":
        form.cap_base_id.data = award_type.cap_base_id
        form.history_award_id.data = award_type.history_award_id
    form.set_choices([(a.id, a.name) for a in award_types_of(body) if a is not award_type])
    return form


def _save_award(form: AwardTypeForm, award: AwardType | None, body: Unit) -> AwardType | None:
    """Save the form's award type, or show the refusal on the form (None)."""

    def linked(award_id: int | None) -> AwardType | None:
        return db.session.get(AwardType, award_id) if award_id else None

    data = form.to_data(
        cap_base=linked(form.cap_base_id.data), history_award=linked(form.history_award_id.data)
    )
    try:
        saved = save_award_type(award, data, awarding_body=body, actor=current_user)
    except DomainError as error:
        show_domain_error(form, error)
        return None
    db.session.commit()
    return saved


@bp.route("/catalogue/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_award_type(body_id: int) -> ResponseReturnValue:
    body = _body(body_id)
    form = _award_form(body, None)
    if form.validate_on_submit() and (award := _save_award(form, None, body)) is not None:
        flash(_("%(name)s has been added to the catalogue.", name=award.name), "success")
        return redirect(url_for("campaigns.award_type", award_type_id=award.id))
    return render_template("campaigns/award_type_form.html", form=form, body=body, award_type=None)


def _award_page(award: AwardType, upload: CsvUploadForm, errors: object) -> str:
    return render_template(
        "campaigns/award_type.html",
        award_type=award,
        criterion_form=CriterionForm(),
        upload=upload,
        confirm=ConfirmForm(),
        import_errors=errors,
    )


@bp.get("/catalogue/<int:award_type_id>")
@login_required
def award_type(award_type_id: int) -> ResponseReturnValue:
    return _award_page(_award(award_type_id), CsvUploadForm(), None)


@bp.route("/catalogue/<int:award_type_id>/edit", methods=["GET", "POST"])
@login_required
def edit_award_type(award_type_id: int) -> ResponseReturnValue:
    award = _award(award_type_id)
    form = _award_form(award.awarding_body, award)
    if form.validate_on_submit() and _save_award(form, award, award.awarding_body) is not None:
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("campaigns.award_type", award_type_id=award.id))
    return render_template(
        "campaigns/award_type_form.html", form=form, body=award.awarding_body, award_type=award
    )


def _criterion_of(award: AwardType, criterion_id: int) -> Criterion:
    item = load_or_404(Criterion, criterion_id)
    if item.award_type_id != award.id:
        abort(404)
    return item


@bp.route("/catalogue/<int:award_type_id>/criteria/new", methods=["GET", "POST"])
@bp.route("/catalogue/<int:award_type_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
@login_required
def criterion(award_type_id: int, criterion_id: int | None = None) -> ResponseReturnValue:
    award = _award(award_type_id)
    item = _criterion_of(award, criterion_id) if criterion_id else None
    form = CriterionForm(obj=item)
    if form.validate_on_submit():
        try:
            save_criterion(award, item, form.to_data(), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The criterion has been saved."), "success")
            return redirect(url_for("campaigns.award_type", award_type_id=award.id))
    return render_template(
        "campaigns/criterion_form.html", form=form, award_type=award, criterion=item
    )


@bp.post("/catalogue/<int:award_type_id>/criteria/<int:criterion_id>/delete")
@login_required
def remove_criterion(award_type_id: int, criterion_id: int) -> ResponseReturnValue:
    award = _award(award_type_id)
    item = _criterion_of(award, criterion_id)
    _confirmed()
    delete_criterion(item, actor=current_user)
    db.session.commit()
    flash(_("The criterion has been deleted."), "success")
    return redirect(url_for("campaigns.award_type", award_type_id=award.id))


@bp.post("/catalogue/<int:award_type_id>/criteria/import")
@login_required
def import_criteria(award_type_id: int) -> ResponseReturnValue:
    award = _award(award_type_id)
    upload = CsvUploadForm()
    errors = None
    if upload.validate_on_submit():
        try:
            count = import_criteria_csv(award, upload.file.data.read(), actor=current_user)
        except ImportFailed as failure:
            db.session.rollback()
            errors = failure.errors
        else:
            db.session.commit()
            flash(_("%(count)d criteria imported.", count=count), "success")
            return redirect(url_for("campaigns.award_type", award_type_id=award.id))
    return _award_page(_award(award_type_id), upload, errors), 200


@bp.get("/catalogue/<int:award_type_id>/criteria.csv")
@login_required
def export_criteria(award_type_id: int) -> ResponseReturnValue:
    award = _award(award_type_id)
    return send_document(
        export_criteria_csv(award).encode("utf-8"),
        mimetype=CSV,
        filename=f"criteria-{award.id}.csv",
        inline=False,
    )


# Campaigns -------------------------------------------------------------------------------


@bp.get("/campaigns/")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "campaigns/index.html",
        campaigns=campaigns_for_user(current_user),
        bodies=managed_bodies(current_user),
    )


@bp.route("/campaigns/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_campaign(body_id: int) -> ResponseReturnValue:
    body = _body(body_id)
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            campaign = save_campaign(None, form.to_data(), awarding_body=body)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The campaign has been created as a draft. Add the award types on offer, "
                    "then open it."
                ),
                "success",
            )
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/campaign_form.html", form=form, body=body, campaign=None)


@bp.get("/campaigns/<int:campaign_id>")
@login_required
def detail(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id)
    if not can_view_campaign(current_user, campaign):
        return refused_for_level(campaign)
    offer_form = OfferForm()
    offer_form.award_type_id.choices = [(a.id, a.name) for a in offerable_award_types(campaign)]
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        manager=can_manage_campaign(current_user, campaign),
        actions=available_actions(current_user, campaign),
        transitions=TRANSITIONS,
        offer_form=offer_form,
        dossier_counts=dossier_counts_for_offers(campaign),
        extend_form=ExtendForm(),
        confirm=ConfirmForm(),
        can_nominate=can_nominate_in(current_user, campaign),
    )


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit_campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        try:
            save_campaign(campaign, form.to_data(), awarding_body=campaign.awarding_body)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template(
        "campaigns/campaign_form.html", form=form, body=campaign.awarding_body, campaign=campaign
    )


@bp.post("/campaigns/<int:campaign_id>/status/<status>")
@login_required
def change_status(campaign_id: int, status: str) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    if status not in CampaignStatus.values():
        abort(400)
    _confirmed()
    action = action_towards(campaign, CampaignStatus(status))
    if action is None:
        raise InvalidTransition(
            _(
                "A campaign that is %(current)s cannot become %(new)s.",
                current=campaign.status.label.lower(),
                new=CampaignStatus(status).label.lower(),
            )
        )
    apply_campaign_action(campaign, action, actor=current_user)
    db.session.commit()
    flash(_("The campaign is now %(status)s.", status=campaign.status.label.lower()), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/extend")
@login_required
def extend(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    form = ExtendForm()
    if not form.validate_on_submit():
        flash(_("Enter a valid closing day."), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    extend_window(campaign, closes_on=form.closes_on.data, actor=current_user)
    db.session.commit()
    flash(
        _("Submissions are now open until %(date)s.", date=campaign.closes_on.strftime("%d/%m/%Y")),
        "success",
    )
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/offers")
@login_required
def add_offer(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    form = OfferForm()
    form.award_type_id.choices = [(a.id, a.name) for a in award_types_of(campaign.awarding_body)]
    if not form.validate_on_submit():
        # The form sits in the campaign's page: each refusal is said with its field's name.
        for field in (form.award_type_id, form.quota):
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "danger")
        if form.csrf_token.errors:
            flash(_("The form expired; send it again."), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    award = load_or_404(AwardType, form.award_type_id.data)
    offer_award(campaign, award, quota=form.quota.data, actor=current_user)
    db.session.commit()
    flash(_("The award type is on offer in this campaign."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/offers/<int:offer_id>/remove")
@login_required
def remove_offer(campaign_id: int, offer_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    offer = load_or_404(CampaignAward, offer_id)
    if offer.campaign_id != campaign.id:
        abort(404)
    _confirmed()
    try:
        withdraw_offer(offer, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The award type is no longer on offer."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
