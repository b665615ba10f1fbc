"""The award catalogue and campaigns: secretariat and administrators keep them."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.campaigns.criteria_csv import export_criteria_csv, import_criteria_csv
from recognition.campaigns.enums import (
    AwardKind,
    CampaignStatus,
    MeasureKind,
    NomineeKind,
    VoteBase,
    VoteMethod,
)
from recognition.campaigns.forms import (
    AwardTypeForm,
    CampaignForm,
    CriterionForm,
    CsvUploadForm,
    ExtendForm,
    OfferForm,
)
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.campaigns.queries import award_types_of, campaigns_for_user, managed_bodies
from recognition.campaigns.services import (
    AwardTypeData,
    CampaignData,
    CriterionData,
    delete_criterion,
    extend_window,
    offer_award,
    save_award_type,
    save_campaign,
    save_criterion,
    set_campaign_status,
    withdraw_offer,
)
from recognition.common.csvfiles import ImportFailed
from recognition.common.forms import ConfirmForm, show_domain_error
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.permissions import can_manage_campaigns, can_nominate_in
from recognition.units.models import Unit

bp = Blueprint("campaigns", __name__)


def _get(model: type, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def _require_manager(body: Unit) -> None:
    if not can_manage_campaigns(current_user, body):
        abort(403)


# Catalogue -------------------------------------------------------------------------------


@bp.get("/catalogue/")
@login_required
def catalogue() -> ResponseReturnValue:
    bodies = managed_bodies(current_user)
    if not bodies:
        abort(403)
    return render_template(
        "campaigns/catalogue.html", catalogue=[(body, award_types_of(body)) for body in bodies]
    )


def _award_data(form: AwardTypeForm) -> AwardTypeData:
    def award(award_id: int | None) -> AwardType | None:
        return db.session.get(AwardType, award_id) if award_id else None

    return AwardTypeData(
        code=form.code.data or "",
        name=form.name.data or "",
        certificate_title=form.certificate_title.data or "",
        kind=AwardKind(form.kind.data),
        nominee_kind=NomineeKind(form.nominee_kind.data),
        eligible_unit_kinds=list(form.eligible_unit_kinds.data or []),
        description=form.description.data or "",
        vote_method=VoteMethod(form.vote_method.data),
        vote_threshold_percent=form.vote_threshold_percent.data,
        vote_base=VoteBase(form.vote_base.data),
        quorum_numerator=form.quorum_numerator.data or 0,
        quorum_denominator=form.quorum_denominator.data or 0,
        chair_must_approve=bool(form.chair_must_approve.data),
        abstain_allowed=bool(form.abstain_allowed.data),
        absentees_vote_in_writing=bool(form.absentees_vote_in_writing.data),
        public_posting_days=form.public_posting_days.data or 0,
        simplified_allowed=bool(form.simplified_allowed.data),
        cap_percent=form.cap_percent.data,
        cap_base=award(form.cap_base_id.data),
        history_award=award(form.history_award_id.data),
        history_years=form.history_years.data,
    )


def _award_form(body: Unit, award_type: AwardType | None) -> AwardTypeForm:
    form = AwardTypeForm(obj=award_type)
    if award_type is not None and request.method == "GET":
        form.cap_base_id.data = award_type.cap_base_id
        form.history_award_id.data = award_type.history_award_id
    form.set_choices([(a.id, a.name) for a in award_types_of(body) if a is not award_type])
    return form


@bp.route("/catalogue/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_award_type(body_id: int) -> ResponseReturnValue:
    body = _get(Unit, body_id)
    _require_manager(body)
    form = _award_form(body, None)
    if form.validate_on_submit():
        try:
            award_type = save_award_type(None, _award_data(form), awarding_body=body)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s has been added to the catalogue.", name=award_type.name), "success")
            return redirect(url_for("campaigns.award_type", award_type_id=award_type.id))
    return render_template("campaigns/award_type_form.html", form=form, body=body, award_type=None)


@bp.get("/catalogue/<int:award_type_id>")
@login_required
def award_type(award_type_id: int) -> ResponseReturnValue:
    award = _get(AwardType, award_type_id)
    _require_manager(award.awarding_body)
    return render_template(
        "campaigns/award_type.html",
        award_type=award,
        criterion_form=CriterionForm(),
        upload=CsvUploadForm(),
        confirm=ConfirmForm(),
        import_errors=None,
    )


@bp.route("/catalogue/<int:award_type_id>/edit", methods=["GET", "POST"])
@login_required
def edit_award_type(award_type_id: int) -> ResponseReturnValue:
    award = _get(AwardType, award_type_id)
    _require_manager(award.awarding_body)
    form = _award_form(award.awarding_body, award)
    if form.validate_on_submit():
        try:
            save_award_type(award, _award_data(form), awarding_body=award.awarding_body)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("campaigns.award_type", award_type_id=award.id))
    return render_template(
        "campaigns/award_type_form.html", form=form, body=award.awarding_body, award_type=award
    )


def _criterion_data(form: CriterionForm) -> CriterionData:
    return CriterionData(
        code=form.code.data or "",
        text=form.text.data or "",
        group=form.group.data or "",
        required=bool(form.required.data),
        measure=MeasureKind(form.measure.data),
        target=form.target.data,
        unit_label=form.unit_label.data or "",
        evidence_required=bool(form.evidence_required.data),
    )


@bp.route("/catalogue/<int:award_type_id>/criteria/new", methods=["GET", "POST"])
@bp.route("/catalogue/<int:award_type_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
@login_required
def criterion(award_type_id: int, criterion_id: int | None = None) -> ResponseReturnValue:
    award = _get(AwardType, award_type_id)
    _require_manager(award.awarding_body)
    item = _get(Criterion, criterion_id) if criterion_id else None
    if item is not None and item.award_type_id != award.id:
        abort(404)
    form = CriterionForm(obj=item)
    if form.validate_on_submit():
        try:
            save_criterion(award, item, _criterion_data(form))
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
    award = _get(AwardType, award_type_id)
    _require_manager(award.awarding_body)
    item = _get(Criterion, criterion_id)
    if item.award_type_id != award.id or not ConfirmForm().validate_on_submit():
        abort(404 if item.award_type_id != award.id else 400)
    delete_criterion(item)
    db.session.commit()
    flash(_("The criterion has been deleted."), "success")
    return redirect(url_for("campaigns.award_type", award_type_id=award.id))


@bp.post("/catalogue/<int:award_type_id>/criteria/import")
@login_required
def import_criteria(award_type_id: int) -> ResponseReturnValue:
    award = _get(AwardType, award_type_id)
    _require_manager(award.awarding_body)
    upload = CsvUploadForm()
    errors = None
    if upload.validate_on_submit():
        try:
            count = import_criteria_csv(award, upload.file.data.read())
        except ImportFailed as failure:
            db.session.rollback()
            errors = failure.errors
        else:
            db.session.commit()
            flash(_("%(count)d criteria imported.", count=count), "success")
            return redirect(url_for("campaigns.award_type", award_type_id=award.id))
    award = _get(AwardType, award_type_id)
    return render_template(
        "campaigns/award_type.html",
        award_type=award,
        criterion_form=CriterionForm(),
        upload=upload,
        confirm=ConfirmForm(),
        import_errors=errors,
    ), 200


@bp.get("/catalogue/<int:award_type_id>/criteria.csv")
@login_required
def export_criteria(award_type_id: int) -> ResponseReturnValue:
    award = _get(AwardType, award_type_id)
    _require_manager(award.awarding_body)
    return Response(
        export_criteria_csv(award),
        content_type="text/csv; charset=utf-8",  # mimetype= would add a second charset
        headers={"Content-Disposition": f"attachment; filename=criteria-{award.id}.csv"},
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


def _campaign_data(form: CampaignForm) -> CampaignData:
    return CampaignData(
        name=form.name.data or "",
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        directive_reference=form.directive_reference.data or "",
        description=form.description.data or "",
        period_start=form.period_start.data,
        period_end=form.period_end.data,
    )


@bp.route("/campaigns/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_campaign(body_id: int) -> ResponseReturnValue:
    body = _get(Unit, body_id)
    _require_manager(body)
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            campaign = save_campaign(None, _campaign_data(form), awarding_body=body)
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


def _visible(campaign: Campaign) -> bool:
    return campaign in campaigns_for_user(current_user)


@bp.get("/campaigns/<int:campaign_id>")
@login_required
def detail(campaign_id: int) -> ResponseReturnValue:
    campaign = _get(Campaign, campaign_id)
    if not _visible(campaign):
        abort(403)
    manager = can_manage_campaigns(current_user, campaign.awarding_body)
    offer_form = OfferForm()
    offered = {o.award_type_id for o in campaign.offers}
    offer_form.award_type_id.choices = [
        (a.id, a.name)
        for a in award_types_of(campaign.awarding_body)
        if a.id not in offered and a.is_active
    ]
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        manager=manager,
        offer_form=offer_form,
        extend_form=ExtendForm(),
        confirm=ConfirmForm(),
        can_nominate=can_nominate_in(current_user, campaign),
    )


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit_campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = _get(Campaign, campaign_id)
    _require_manager(campaign.awarding_body)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        try:
            save_campaign(campaign, _campaign_data(form), awarding_body=campaign.awarding_body)
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
    campaign = _get(Campaign, campaign_id)
    _require_manager(campaign.awarding_body)
    if status not in {s.value for s in CampaignStatus} or not ConfirmForm().validate_on_submit():
        abort(400)
    set_campaign_status(campaign, CampaignStatus(status))
    db.session.commit()
    flash(_("The campaign is now %(status)s.", status=campaign.status_label.lower()), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/extend")
@login_required
def extend(campaign_id: int) -> ResponseReturnValue:
    campaign = _get(Campaign, campaign_id)
    _require_manager(campaign.awarding_body)
    form = ExtendForm()
    if not form.validate_on_submit():
        flash(_("Enter a valid closing day."), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    extend_window(campaign, closes_on=form.closes_on.data)
    db.session.commit()
    flash(
        _("Submissions are now open until %(date)s.", date=campaign.closes_on.strftime("%d/%m/%Y")),
        "success",
    )
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/offers")
@login_required
def add_offer(campaign_id: int) -> ResponseReturnValue:
    campaign = _get(Campaign, campaign_id)
    _require_manager(campaign.awarding_body)
    form = OfferForm()
    form.award_type_id.choices = [(a.id, a.name) for a in award_types_of(campaign.awarding_body)]
    if not form.validate_on_submit():
        flash(_("Choose an award type (and a quota of at least 1, or none)."), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    offer_award(campaign, _get(AwardType, form.award_type_id.data), quota=form.quota.data)
    db.session.commit()
    flash(_("The award type is on offer in this campaign."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/offers/<int:offer_id>/remove")
@login_required
def remove_offer(campaign_id: int, offer_id: int) -> ResponseReturnValue:
    campaign = _get(Campaign, campaign_id)
    _require_manager(campaign.awarding_body)
    offer = _get(CampaignAward, offer_id)
    if offer.campaign_id != campaign.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    withdraw_offer(offer)
    db.session.commit()
    flash(_("The award type is no longer on offer."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
