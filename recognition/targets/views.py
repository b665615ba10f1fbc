"""A movement's targets: the list with its summary and chart, a target's page with its values,
the report form for the responsible unit, confirm and reject for the secretariat, the export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.campaigns.forms import CsvUploadForm
from recognition.campaigns.models import Campaign
from recognition.campaigns.queries import managed_bodies
from recognition.common.csvfiles import ImportFailed, RowError
from recognition.common.downloads import send_document, send_stored
from recognition.common.forms import ConfirmForm, ask_for_the_files_again, show_domain_error
from recognition.common.loading import load_or_404
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.targets.chart import HEIGHT, WIDTH, bars
from recognition.targets.enums import ValueState
from recognition.targets.export import targets_workbook
from recognition.targets.forms import BandsForm, RejectForm, ReportForm, TargetForm
from recognition.targets.importing import import_targets_csv
from recognition.targets.models import Target, TargetEvidence, TargetValue
from recognition.targets.permissions import (
    can_edit_bands,
    can_manage_targets,
    can_report_value,
    can_view_target,
    can_view_targets,
)
from recognition.targets.queries import (
    bands_of,
    by_sector,
    campaigns_with_targets,
    classify_target,
    responsible_choices,
    summaries_by_unit,
    summary_of,
    summary_sentence,
    target_rows_of,
    values_of,
)
from recognition.targets.rules import Band
from recognition.targets.services import (
    confirm_value,
    reject_value,
    report_value,
    save_bands,
    save_target,
    withdraw_value,
)
from recognition.units.models import Unit

bp = Blueprint("targets", __name__)


def band_index(bands: list[Band]) -> dict[str, int]:
    """Each band's rank, highest first: the colour of its badge and bar."""
    ordered = sorted(bands, key=lambda band: band.min_percent, reverse=True)
    return {band.name: index for index, band in enumerate(ordered)}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/targets/")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "targets/index.html",
        campaigns=campaigns_with_targets(current_user),
        bodies=[body for body in managed_bodies(current_user) if body.is_awarding_body],
    )


def _campaign_page(campaign: Campaign, upload: CsvUploadForm, errors: list[RowError] | None) -> str:
    bands = bands_of(campaign.awarding_body)
    rows = target_rows_of(campaign, bands)
    summary = summary_of(rows, bands)
    return render_template(
        "targets/campaign.html",
        campaign=campaign,
        sectors=by_sector(rows),
        summary=summary,
        sentence=summary_sentence(summary),
        bars=bars(summary),
        chart_size=(WIDTH, HEIGHT),
        units=[(unit, s, summary_sentence(s)) for unit, s in summaries_by_unit(rows, bands)],
        bands=bands,
        band_index=band_index(bands),
        manager=can_manage_targets(current_user, campaign),
        upload=upload,
        import_errors=errors,
    )


@bp.get("/campaigns/<int:campaign_id>/targets")
@login_required
def campaign_targets(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id, permitted=can_view_targets)
    return _campaign_page(campaign, CsvUploadForm(), None)


@bp.post("/campaigns/<int:campaign_id>/targets/import")
@login_required
def import_targets(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id, permitted=can_manage_targets)
    upload = CsvUploadForm()
    errors = None
    if upload.validate_on_submit():
        try:
            count = import_targets_csv(campaign, upload.file.data.read(), actor=current_user)
        except ImportFailed as failure:
            db.session.rollback()
            errors = failure.errors
        else:
            db.session.commit()
            flash(_("%(count)d targets imported.", count=count), "success")
            return redirect(url_for("targets.campaign_targets", campaign_id=campaign.id))
    return _campaign_page(campaign, upload, errors)


@bp.get("/campaigns/<int:campaign_id>/targets.xlsx")
@login_required
def export(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id, permitted=can_view_targets)
    bands = bands_of(campaign.awarding_body)
    return send_document(
        targets_workbook(campaign, target_rows_of(campaign, bands), bands),
        mimetype=XLSX,
        filename=f"chi-tieu-{campaign.id}.xlsx",
        inline=False,
    )


def _target_form(campaign: Campaign, target: Target | None) -> TargetForm:
    form = TargetForm(obj=target)
    form.set_choices(responsible_choices(campaign))
    return form


def _save(form: TargetForm, campaign: Campaign, target: Target | None) -> Target | None:
    """Save the form's target, or show the refusal on the form (None)."""
    unit = db.session.get(Unit, form.responsible_unit_id.data or 0)
    if unit is None:
        form.responsible_unit_id.errors = [_("Choose the responsible unit.")]
        return None
    try:
        saved = save_target(target, form.to_data(unit), campaign=campaign, actor=current_user)
    except DomainError as error:
        show_domain_error(form, error)
        return None
    db.session.commit()
    return saved


@bp.route("/campaigns/<int:campaign_id>/targets/new", methods=["GET", "POST"])
@login_required
def new_target(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id, permitted=can_manage_targets)
    form = _target_form(campaign, None)
    if form.validate_on_submit() and (target := _save(form, campaign, None)) is not None:
        flash(_("The target %(code)s has been added.", code=target.code), "success")
        return redirect(url_for("targets.campaign_targets", campaign_id=campaign.id))
    return render_template("targets/form.html", form=form, campaign=campaign, target=None)


def _manageable(target_id: int) -> Target:
    target = load_or_404(Target, target_id, permitted=can_view_target)
    if not can_manage_targets(current_user, target.campaign):
        abort(403)
    return target


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@login_required
def edit(target_id: int) -> ResponseReturnValue:
    target = _manageable(target_id)
    form = _target_form(target.campaign, target)
    if form.validate_on_submit() and _save(form, target.campaign, target) is not None:
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("targets.detail", target_id=target.id))
    return render_template("targets/form.html", form=form, campaign=target.campaign, target=target)


def _page(
    target: Target,
    report: ReportForm | None = None,
    rejects: dict[int, RejectForm] | None = None,
) -> str:
    values = values_of(target)
    bands = bands_of(target.campaign.awarding_body)
    confirmed = [v for v in values if v.state == ValueState.CONFIRMED]
    latest = max(confirmed, key=lambda v: (v.as_of_on, v.decided_at, v.id), default=None)
    forms = {v.id: RejectForm(prefix=f"r{v.id}") for v in values if v.state == ValueState.REPORTED}
    forms.update(rejects or {})
    return render_template(
        "targets/detail.html",
        target=target,
        values=values,
        latest=latest,
        classification=classify_target(target, latest, bands),
        band_index=band_index(bands),
        report=report or ReportForm(direction=target.direction, as_of_on=local_today()),
        rejects=forms,
        confirm=ConfirmForm(),
        may_report=can_report_value(current_user, target),
    )


@bp.get("/targets/<int:target_id>")
@login_required
def detail(target_id: int) -> ResponseReturnValue:
    return _page(load_or_404(Target, target_id, permitted=can_view_target))


@bp.post("/targets/<int:target_id>/values")
@login_required
def report(target_id: int) -> ResponseReturnValue:
    target = load_or_404(Target, target_id, permitted=can_view_target)
    if not can_report_value(current_user, target):
        abort(403)
    form = ReportForm(direction=target.direction)
    if form.validate_on_submit():
        try:
            report_value(target, form.to_report(), actor=current_user, today=local_today())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The value has been reported; the secretariat will confirm it."), "success")
            return redirect(url_for("targets.detail", target_id=target.id))
    ask_for_the_files_again(form)
    return _page(target, report=form)


def _value(target: Target, value_id: int) -> TargetValue:
    """The target's value to decide on: 403 before any lookup unless the user may decide."""
    if not can_manage_targets(current_user, target.campaign):
        abort(403)
    value = load_or_404(TargetValue, value_id)
    if value.target_id != target.id:
        abort(404)
    return value


@bp.post("/targets/<int:target_id>/values/<int:value_id>/confirm")
@login_required
def confirm(target_id: int, value_id: int) -> ResponseReturnValue:
    target = load_or_404(Target, target_id, permitted=can_view_target)
    value = _value(target, value_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    confirm_value(value, actor=current_user)
    db.session.commit()
    flash(_("The value has been confirmed."), "success")
    return redirect(url_for("targets.detail", target_id=target.id))


@bp.post("/targets/<int:target_id>/values/<int:value_id>/reject")
@login_required
def reject(target_id: int, value_id: int) -> ResponseReturnValue:
    target = load_or_404(Target, target_id, permitted=can_view_target)
    value = _value(target, value_id)
    form = RejectForm(prefix=f"r{value.id}")
    if form.validate_on_submit():
        try:
            reject_value(value, actor=current_user, reason=form.reason.data or "")
        except DomainError as error:
            if error.status_code != 400:
                raise
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The value has been rejected."), "success")
            return redirect(url_for("targets.detail", target_id=target.id))
    return _page(target, rejects={value.id: form})


@bp.post("/targets/<int:target_id>/values/<int:value_id>/withdraw")
@login_required
def withdraw(target_id: int, value_id: int) -> ResponseReturnValue:
    target = load_or_404(Target, target_id, permitted=can_view_target)
    if not can_report_value(current_user, target):
        abort(403)
    value = load_or_404(TargetValue, value_id)
    if value.target_id != target.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    withdraw_value(value, actor=current_user)
    db.session.commit()
    flash(_("The value has been withdrawn; you can report it again."), "success")
    return redirect(url_for("targets.detail", target_id=target.id))


@bp.get("/targets/<int:target_id>/evidence/<int:evidence_id>")
@login_required
def evidence(target_id: int, evidence_id: int) -> ResponseReturnValue:
    target = load_or_404(Target, target_id, permitted=can_view_target)
    item = load_or_404(TargetEvidence, evidence_id)
    if item.value.target_id != target.id:
        abort(404)
    return send_stored(item.storage_key, mimetype=item.content_type, filename=item.original_name)


@bp.route("/targets/classes/<int:body_id>", methods=["GET", "POST"])
@login_required
def bands(body_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id, permitted=can_edit_bands)
    form = BandsForm()
    if request.method == "GET":
        form.set_bands(bands_of(body))
    if form.validate_on_submit():
        try:
            save_bands(body, form.to_bands(), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The classes of %(body)s have been saved.", body=body.name), "success")
            return redirect(url_for("targets.bands", body_id=body.id))
    return render_template("targets/bands.html", form=form, body=body)
