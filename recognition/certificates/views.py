"""Certificates: a single download, a decision's batch PDF and ZIP, printing in the
background, and a body's golden book. The URLs stay under /decisions for a decision's
certificates and under /certificates for one."""

import io
import zipfile

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import func, select

from recognition.certificates.enums import CertificateState, PrintJobState
from recognition.certificates.golden_book import golden_book_workbook
from recognition.certificates.models import Certificate, PrintJob
from recognition.certificates.naming import batch_file_name
from recognition.certificates.permissions import (
    can_download_certificate,
    can_print_certificates,
    can_view_golden_book,
    can_view_print_job,
)
from recognition.certificates.print_jobs import (
    STUCK_AFTER,
    job_certificates,
    looks_stuck,
    start_print_job,
)
from recognition.certificates.queries import (
    certificates_for_body,
    certificates_for_decision,
    decision_locked,
    decision_or_404,
    golden_book_query,
    print_refusal,
)
from recognition.certificates.rendering import (
    render_batch,
    store_certificates,
    unstored_certificates,
)
from recognition.certificates.revocation import served_pdf, stamp_revoked
from recognition.common import storage
from recognition.common.downloads import PDF, XLSX, ZIP, send_document, send_stored
from recognition.common.forms import ConfirmForm, parse_ids
from recognition.common.loading import load_or_404
from recognition.common.pagination import paginate
from recognition.common.writes import write_from_here
from recognition.database import utcnow
from recognition.extensions import db
from recognition.units.models import Unit
from recognition.units.settings import settings_for

bp = Blueprint("certificates", __name__)

# Lines of the golden book per page (a register's page holds about as many).
GOLDEN_BOOK_PAGE = 50


def store_missing_pdfs(decision_id: int) -> None:
    """Store the PDFs that the decision's certificates lack (issued before PDFs were stored at
    issue), once, even when several people download them at the same moment: the decision is
    read again with its row locked (SQLite: with the write lock), and a request that waited
    finds them stored."""
    write_from_here()
    decision = decision_locked(decision_id)
    if decision is not None and store_certificates(decision):
        db.session.commit()


def not_printed(decision_id: int, refusal: str) -> ResponseReturnValue:
    """Back to the decision's page with why its certificates are not printed."""
    flash(refusal, "danger")
    return redirect(url_for("decisions.detail", decision_id=decision_id))


@bp.get("/decisions/<int:decision_id>/certificates.pdf")
@login_required
def certificates_pdf(decision_id: int) -> ResponseReturnValue:
    decision = decision_or_404(decision_id)
    certificates = certificates_for_decision(decision, parse_ids(request.args.getlist("line")))
    refusal = print_refusal(certificates)
    if refusal:
        return not_printed(decision_id, refusal)
    pdf = render_batch(certificates, paper=settings_for(decision.awarding_body).paper)
    return send_document(
        stamp_revoked(pdf, certificates),
        mimetype=PDF,
        filename=batch_file_name(decision.id, decision.reference, certificates, "pdf"),
    )


@bp.get("/decisions/<int:decision_id>/certificates.zip")
@login_required
def certificates_zip(decision_id: int) -> ResponseReturnValue:
    decision = decision_or_404(decision_id)
    if unstored_certificates(decision):
        store_missing_pdfs(decision.id)
    certificates = certificates_for_decision(decision)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(f"{certificate.public_serial}.pdf", served_pdf(certificate))
    return send_document(
        out.getvalue(),
        mimetype=ZIP,
        filename=batch_file_name(decision.id, decision.reference, certificates, "zip"),
        inline=False,
    )


@bp.post("/decisions/<int:decision_id>/print-jobs")
@login_required
def start_print(decision_id: int) -> ResponseReturnValue:
    decision = decision_or_404(decision_id)
    refusal = print_refusal(certificates_for_decision(decision))
    if refusal:
        return not_printed(decision_id, refusal)
    if not can_print_certificates(current_user, decision):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = start_print_job(decision, actor=current_user)
    db.session.commit()
    return redirect(url_for("certificates.print_job", job_id=job.id))


@bp.get("/decisions/print-jobs/<int:job_id>")
@login_required
def print_job(job_id: int) -> ResponseReturnValue:
    job = load_or_404(PrintJob, job_id, permitted=can_view_print_job)
    return render_template(
        "decisions/print_job.html",
        job=job,
        decision=job.decision,
        stuck=looks_stuck(job, utcnow()),
        stuck_minutes=int(STUCK_AFTER.total_seconds() // 60),
        may_print_again=can_print_certificates(current_user, job.decision),
    )


@bp.get("/decisions/print-jobs/<int:job_id>/certificates.pdf")
@login_required
def print_job_download(job_id: int) -> ResponseReturnValue:
    job = load_or_404(PrintJob, job_id, permitted=can_view_print_job)
    if job.state != PrintJobState.DONE or job.result_key is None:
        abort(404)
    # The result is stored as printed; a certificate revoked since is stamped as it is served.
    certificates = job_certificates(job)
    filename = batch_file_name(job.decision_id, job.decision.reference, certificates, "pdf")
    if any(c.state == CertificateState.REVOKED for c in certificates):
        pdf = stamp_revoked(storage.read_bytes(job.result_key), certificates)
        return send_document(pdf, mimetype=PDF, filename=filename)
    return send_stored(job.result_key, mimetype=PDF, filename=filename, inline=True)


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int) -> ResponseReturnValue:
    certificate = load_or_404(Certificate, certificate_id, permitted=can_download_certificate)
    if certificate.pdf_key is None:  # issued before PDFs were stored at issue time
        store_missing_pdfs(certificate.line.decision_id)
    # Reprints are logged, not counted in a row: a download (a GET) changes nothing.
    current_app.logger.info(
        "certificate %s downloaded by %s", certificate.public_serial, current_user.username
    )
    # A revoked certificate is served stamped; the stored original stays as it was issued.
    filename = f"{certificate.public_serial}.pdf"
    if certificate.state == CertificateState.REVOKED:
        return send_document(served_pdf(certificate), mimetype=PDF, filename=filename, inline=False)
    return send_stored(certificate.pdf_key or "", mimetype=PDF, filename=filename)


@bp.get("/decisions/golden-book/<int:body_id>")
@login_required
def golden_book(body_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id, permitted=can_view_golden_book)
    if request.args.get("format") == "xlsx":
        return send_document(
            golden_book_workbook(body, certificates_for_body(body)),
            mimetype=XLSX,
            filename="so-vang.xlsx",
            inline=False,
        )
    page = paginate(golden_book_query(body), per_page=GOLDEN_BOOK_PAGE)
    revoked = db.session.scalar(
        select(func.count(Certificate.id)).where(
            Certificate.awarding_body_id == body.id,
            Certificate.state == CertificateState.REVOKED,
        )
    )
    return render_template(
        "decisions/golden_book.html",
        body=body,
        certificates=page.items,
        page=page,
        revoked=revoked or 0,
    )
