"""Decisions: draft, post, issue, annul, print; the golden book; the body's settings."""

import io
import zipfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.campaigns.models import Campaign
from recognition.certificates.models import Certificate, PrintJob
from recognition.certificates.rendering import render_batch, store_certificates
from recognition.certificates.revocation import served_pdf, stamp_revoked
from recognition.common import storage
from recognition.common.forms import ConfirmForm, parse_ids, show_domain_error
from recognition.database import local_today
from recognition.decisions import services
from recognition.decisions.forms import AnnulForm, DecisionForm, SettingsForm
from recognition.decisions.models import Decision, DecisionLine
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import can_view_nomination
from recognition.units.models import Unit
from recognition.units.settings import SettingsData, save_settings, settings_for

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


def _bodies() -> list[Unit]:
    found = {
        u.id: u for role in (Role.SECRETARIAT, Role.CHAIR) for u in current_user.units_with(role)
    }
    return list(found.values())


def _staff(body: Unit) -> bool:
    return current_user.holds(Role.SECRETARIAT, body) or current_user.holds(Role.CHAIR, body)


def load_decision(decision_id: int) -> Decision:
    # Its pages and documents show every line with its dossier, title and certificate.
    lines = selectinload(Decision.lines).options(
        selectinload(DecisionLine.nomination),
        selectinload(DecisionLine.award_type),
        selectinload(DecisionLine.certificate),
    )
    decision = db.session.get(Decision, decision_id, options=[lines])
    if decision is None:
        abort(404)
    if not (_staff(decision.awarding_body) or current_user.is_admin):
        abort(403)
    return decision


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    bodies = _bodies()
    if not bodies and not current_user.is_admin:
        abort(403)
    query = select(Decision).order_by(Decision.created_at.desc())
    if not current_user.is_admin:
        query = query.where(Decision.awarding_body_id.in_([b.id for b in bodies]))
    decisions = db.session.scalars(query.options(selectinload(Decision.lines))).all()
    passed = {}
    for body in bodies:
        passed[body.id] = _passed(body)
    return render_template(
        "decisions/index.html",
        decisions=decisions,
        bodies=bodies,
        passed=passed,
        confirm=ConfirmForm(),
    )


def _passed(body: Unit) -> list[Nomination]:
    in_decision = (
        select(DecisionLine.nomination_id)
        .join(Decision)
        .where(Decision.state.in_(("draft", "posted", "issued")))
    )
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(
                Campaign.awarding_body_id == body.id,
                Nomination.state == NominationState.PASSED.value,
                Nomination.id.not_in(in_decision),
            )
            .order_by(Nomination.award_type_id, Nomination.nominee_sort)
        )
    )


@bp.post("/new/<int:body_id>")
@login_required
def create(body_id: int) -> ResponseReturnValue:
    body = db.session.get(Unit, body_id)
    if body is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = parse_ids(request.form.getlist("nomination_id"))
    chosen = [n for n in _passed(body) if n.id in ids]
    decision = services.draft_decision(body, chosen, actor=current_user)
    db.session.commit()
    flash(
        _("The draft decision has been prepared. Check its texts before it is issued."), "success"
    )
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.route("/<int:decision_id>", methods=["GET", "POST"])
@login_required
def detail(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    form = DecisionForm(obj=decision)
    editable = decision.state in ("draft", "posted") and current_user.holds(
        Role.SECRETARIAT, decision.awarding_body
    )
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                services.update_draft(
                    decision,
                    services.DecisionTexts(
                        title=form.title.data or "",
                        legal_bases=form.legal_bases.data or "",
                        articles=form.articles.data or "",
                        recipients=form.recipients.data or "",
                        signer_title=form.signer_title.data or "",
                        signer_name=form.signer_name.data or "",
                    ),
                    actor=current_user,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(_("The changes have been saved."), "success")
                return redirect(url_for("decisions.detail", decision_id=decision.id))
    return render_template(
        "decisions/detail.html",
        decision=decision,
        form=form,
        editable=editable,
        chair=current_user.holds(Role.CHAIR, decision.awarding_body),
        confirm=ConfirmForm(),
        annul_form=AnnulForm(),
        posting_days=services.posting_days(decision),
        today=local_today(),
    )


@bp.post("/<int:decision_id>/post")
@login_required
def post(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.start_posting(decision, actor=current_user, today=local_today())
    db.session.commit()
    flash(
        _(
            "The list is posted publicly until %(date)s.",
            date=decision.posting_ends_on.strftime("%d/%m/%Y"),  # type: ignore[union-attr]
        ),
        "success",
    )
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<int:decision_id>/issue")
@login_required
def issue(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.issue_decision(decision, actor=current_user, today=local_today())
    store_certificates(decision)
    db.session.commit()
    flash(
        _(
            "Decision %(ref)s has been issued; its certificates are ready to print.",
            ref=decision.reference,
        ),
        "success",
    )
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<int:decision_id>/annul")
@login_required
def annul(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    form = AnnulForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "danger")
        return redirect(url_for("decisions.detail", decision_id=decision.id))
    services.annul_decision(decision, actor=current_user, reason=form.reason.data or "")
    db.session.commit()
    flash(_("The decision is annulled; its certificates are revoked."), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.get("/<int:decision_id>/decision.pdf")
@login_required
def decision_pdf(decision_id: int) -> ResponseReturnValue:
    from recognition.decisions.documents import render_decision

    decision = load_decision(decision_id)
    return current_app.response_class(
        render_decision(decision),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=quyet-dinh-{decision.id}.pdf"},
    )


def issued_certificates(decision: Decision) -> list[Certificate]:
    if decision.state not in ("issued", "annulled"):
        abort(404)
    return [line.certificate for line in decision.lines if line.certificate is not None]


@bp.get("/<int:decision_id>/certificates.pdf")
@login_required
def certificates_pdf(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    chosen = parse_ids(request.args.getlist("line"))
    certificates = [c for c in issued_certificates(decision) if not chosen or c.line_id in chosen]
    pdf = render_batch(certificates, paper=settings_for(decision.awarding_body).paper)
    pdf = stamp_revoked(pdf, certificates)
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=giay-khen-{decision.id}.pdf"},
    )


@bp.post("/<int:decision_id>/print-jobs")
@login_required
def start_print(decision_id: int) -> ResponseReturnValue:
    from recognition.certificates.print_jobs import dispatch, start_print_job

    decision = load_decision(decision_id)
    issued_certificates(decision)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = start_print_job(decision, actor=current_user)
    db.session.commit()
    dispatch(job.id)
    return redirect(url_for("decisions.print_job", job_id=job.id))


def _job(job_id: int) -> PrintJob:
    job = db.session.get(PrintJob, job_id)
    if job is None:
        abort(404)
    load_decision(job.decision_id)
    return job


@bp.get("/print-jobs/<int:job_id>")
@login_required
def print_job(job_id: int) -> ResponseReturnValue:
    job = _job(job_id)
    return render_template(
        "decisions/print_job.html", job=job, decision=db.session.get(Decision, job.decision_id)
    )


@bp.get("/print-jobs/<int:job_id>/certificates.pdf")
@login_required
def print_job_download(job_id: int) -> ResponseReturnValue:
    from recognition.certificates.print_jobs import job_certificates

    job = _job(job_id)
    if job.state != "done" or job.result_key is None:
        abort(404)
    # The result is stored as printed; a certificate revoked since is stamped as it is served.
    path = storage.path_for(job.result_key)
    certificates = job_certificates(job)
    revoked = any(c.state == "revoked" for c in certificates)
    return send_file(
        io.BytesIO(stamp_revoked(path.read_bytes(), certificates)) if revoked else path,
        mimetype="application/pdf",
        as_attachment=False,
        download_name=f"giay-khen-{job.decision_id}.pdf",
        max_age=0,
    )


@bp.get("/<int:decision_id>/certificates.zip")
@login_required
def certificates_zip(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    certificates = issued_certificates(decision)
    if store_certificates(decision):
        db.session.commit()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(
                f"{certificate.public_serial}.pdf",
                served_pdf(certificate),
            )
    return Response(
        out.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f"attachment; filename=giay-khen-{decision.id}.zip"},
    )


certificates_bp = Blueprint("certificates", __name__, url_prefix="/certificates")


@certificates_bp.get("/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int) -> ResponseReturnValue:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if not can_view_nomination(current_user, certificate.line.nomination):
        abort(403)
    if certificate.pdf_key is None:  # issued before PDFs were stored at issue time
        store_certificates(certificate.line.decision)
        db.session.commit()
    # Reprints are logged, not counted in a row: a download (a GET) changes nothing.
    current_app.logger.info(
        "certificate %s downloaded by %s", certificate.public_serial, current_user.username
    )
    # A revoked certificate is served stamped; the stored original stays as it was issued.
    path = storage.path_for(certificate.pdf_key or "")
    response = send_file(
        io.BytesIO(served_pdf(certificate)) if certificate.state == "revoked" else path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{certificate.public_serial}.pdf",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/golden-book/<int:body_id>")
@login_required
def golden_book(body_id: int) -> ResponseReturnValue:
    body = db.session.get(Unit, body_id)
    if body is None:
        abort(404)
    if not (_staff(body) or current_user.is_admin):
        abort(403)
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.awarding_body_id == body.id)
        .options(
            selectinload(Certificate.line).selectinload(DecisionLine.decision),
            selectinload(Certificate.line).selectinload(DecisionLine.award_type),
        )
        .order_by(Certificate.year.desc(), Certificate.serial)
    ).all()
    if request.args.get("format") == "xlsx":
        from recognition.certificates.golden_book import golden_book_workbook

        return Response(
            golden_book_workbook(body, list(certificates)),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": "attachment; filename=so-vang.xlsx"},
        )
    return render_template("decisions/golden_book.html", body=body, certificates=certificates)


@bp.route("/settings/<int:body_id>", methods=["GET", "POST"])
@login_required
def settings(body_id: int) -> ResponseReturnValue:
    body = db.session.get(Unit, body_id)
    if body is None:
        abort(404)
    if not (current_user.holds(Role.SECRETARIAT, body) or current_user.is_admin):
        abort(403)
    current = settings_for(body)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        upload = form.emblem.data if getattr(form.emblem.data, "filename", "") else None
        data = SettingsData(
            **{
                name: form[name].data or ""
                for name in (
                    "superior_name",
                    "issuer_name",
                    "signer_office",
                    "signer_title",
                    "signer_name",
                    "place_name",
                    "number_suffix",
                    "legal_bases",
                    "recipients",
                    "paper",
                )
            }
        )
        try:
            replaced = save_settings(
                body,
                data,
                emblem=upload.stream if upload else None,
                emblem_name=upload.filename if upload else "",
                remove_emblem=bool(form.remove_emblem.data),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            if replaced:
                storage.discard(replaced)
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("decisions.settings", body_id=body.id))
    db.session.commit()
    return render_template(
        "decisions/settings.html", body=body, form=form, has_emblem=current.emblem_key is not None
    )
