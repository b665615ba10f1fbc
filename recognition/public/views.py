"""Pages for everyone, without an account: certificate verification and public posting."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from recognition.certificates.codes import check_code, essentials
from recognition.certificates.models import Certificate
from recognition.common.forms import show_domain_error
from recognition.common.text import clean
from recognition.database import local_today, string_length
from recognition.decisions.enums import DecisionState
from recognition.decisions.forms import FeedbackForm, VerifyUploadForm
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.services import add_feedback
from recognition.errors import DomainError
from recognition.extensions import db, limiter
from recognition.public.authenticity import check_upload, read_upload, stored_signature

SERIAL_LENGTH = string_length(Certificate.public_serial)

bp = Blueprint("public", __name__)


@bp.get("/verify/<serial>")
@limiter.limit("30 per minute")
def verify(serial: str) -> ResponseReturnValue:
    """Is this certificate genuine? Shown plainly: valid, revoked, or not valid."""
    # Spaces around the number or the code are a copy's, not part of them.
    serial, code = serial.strip(), request.args.get("c", "").strip()[:80]
    # A serial is cleaned text that fits its column: anything else (control characters, a
    # longer text that a cut could make match another) is not looked up.
    well_formed = len(serial) <= SERIAL_LENGTH and clean(serial) == serial
    # What the code is checked against comes in the same statement as the certificate: a
    # number that exists takes about as long to answer as one that does not.
    certificate = (
        db.session.scalar(
            select(Certificate)
            .where(Certificate.public_serial == serial)
            .options(
                joinedload(Certificate.line).joinedload(DecisionLine.decision),
                joinedload(Certificate.line).joinedload(DecisionLine.award_type),
            )
        )
        if well_formed
        else None
    )
    genuine = certificate is not None and check_code(essentials(certificate), code)
    # The number printed under the QR code, typed without the code the QR code carries: not
    # a sign of forgery, so the page says how to check it (and whether such a number exists
    # is not told, as for a wrong code).
    typed_number = not code.strip()
    return render_template(
        "public/verify.html",
        certificate=certificate if genuine else None,
        signature=stored_signature(certificate) if genuine and certificate else None,
        serial=clean(serial)[:SERIAL_LENGTH],
        typed_number=typed_number,
    ), 200 if genuine or typed_number else 404


@bp.route("/verify/file", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def verify_file() -> ResponseReturnValue:
    """Is this PDF a genuine, unaltered certificate or decision issued here?"""
    form = VerifyUploadForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            pdf = read_upload(upload.stream, upload.filename or "")
        except DomainError as error:
            show_domain_error(form, error)
        else:
            result = check_upload(pdf)
    return render_template("public/verify_file.html", form=form, result=result)


def _comment_saved(response: Response) -> bool:
    """Only comments received count towards an address's budget: a post to a list that is
    not (or no longer) posted, or a form sent back with its errors, stores nothing."""
    return response.status_code in (302, 303)


@bp.route("/posted/<int:decision_id>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], deduct_when=_comment_saved)
def posting(decision_id: int) -> ResponseReturnValue:
    """A list posted publicly before the decision, with a form for comments."""
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.state != DecisionState.POSTED:
        abort(404)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            add_feedback(
                decision,
                name=form.name.data or "",
                contact=form.contact.data or "",
                text=form.text.data or "",
                today=local_today(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. Your comment has been sent to the secretariat."), "success")
            return redirect(url_for("public.posting", decision_id=decision.id))
    return render_template(
        "public/posting.html",
        decision=decision,
        form=form,
        open_for_comments=decision.posting_ends_on is not None
        and local_today() <= decision.posting_ends_on,
    )
