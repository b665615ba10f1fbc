"""Printing on pre-printed blanks (phôi): the layout page with its preview over the scanned
blank, the calibration page, a test print, and a decision's certificates as text only."""

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.blanks import services as blanks
from recognition.blanks.documents import (
    placements,
    preview_fields,
    render_blank_batch,
    render_calibration,
    render_test_print,
    sample_view,
)
from recognition.blanks.forms import BlankLayoutForm, initial_data
from recognition.blanks.models import BLANK_PAPERS, BlankLayout
from recognition.blanks.permissions import can_set_up_blanks
from recognition.certificates.naming import batch_file_name
from recognition.certificates.queries import (
    certificates_for_decision,
    decision_or_404,
    print_refusal,
)
from recognition.certificates.revocation import stamp_revoked
from recognition.certificates.views import not_printed
from recognition.common import storage
from recognition.common.downloads import PDF, send_document
from recognition.common.forms import parse_ids, show_domain_error
from recognition.common.loading import load_or_404
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit
from recognition.units.settings import settings_for

bp = Blueprint("blanks", __name__, url_prefix="/decisions")


def _body(body_id: int) -> Unit:
    return load_or_404(Unit, body_id, permitted=can_set_up_blanks)


def _layout(body: Unit) -> BlankLayout:
    """The layout for the paper asked for (?paper=A3), else for the body's certificate paper."""
    paper = request.args.get("paper", "")
    if paper not in BLANK_PAPERS:
        paper = settings_for(body).paper
    return blanks.layout_for(body, paper)


def _pdf(content: bytes, filename: str) -> ResponseReturnValue:
    return send_document(content, mimetype=PDF, filename=filename)


@bp.route("/blanks/<int:body_id>", methods=["GET", "POST"])
@login_required
def layout(body_id: int) -> ResponseReturnValue:
    body = _body(body_id)
    current = _layout(body)
    paper = current.paper
    form = BlankLayoutForm(
        data=initial_data(
            placements(current, calibrated=False), current.offset_x_mm, current.offset_y_mm
        )
    )
    if form.validate_on_submit():
        try:
            changes = form.changes(blanks.boxes_of(current))
            blanks.save_layout(body, paper, changes, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
            current = blanks.layout_for(body, paper)
        else:
            db.session.commit()
            flash(_("The layout of the %(paper)s blanks has been saved.", paper=paper), "success")
            return redirect(url_for("blanks.layout", body_id=body.id, paper=paper))
    sample = sample_view(body, today=local_today())
    db.session.commit()  # the body's settings are created on first use
    return render_template(
        "decisions/blanks.html",
        body=body,
        paper=paper,
        papers=BLANK_PAPERS,
        form=form,
        layout=current,
        page_mm=blanks.PAGE_MM[paper],
        fields=preview_fields(current, sample),
        qr_uri=sample.qr_uri,
        labels=blanks.FIELD_LABELS,
    )


@bp.get("/blanks/<int:body_id>/scan")
@login_required
def scan(body_id: int) -> ResponseReturnValue:
    current = _layout(_body(body_id))
    if current.scan_key is None:
        abort(404)
    try:
        content = storage.read_bytes(current.scan_key)
    except FileNotFoundError:
        abort(404)
    kind = storage.sniff(io.BytesIO(content))
    if kind not in storage.IMAGE_TYPES:
        abort(404)
    response = current_app.response_class(content, mimetype=kind)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/blanks/<int:body_id>/calibration.pdf")
@login_required
def calibration(body_id: int) -> ResponseReturnValue:
    body = _body(body_id)
    current = _layout(body)
    return _pdf(render_calibration(current, body_name=body.name), f"can-chinh-{current.paper}.pdf")


@bp.get("/blanks/<int:body_id>/test.pdf")
@login_required
def test_print(body_id: int) -> ResponseReturnValue:
    body = _body(body_id)
    current = _layout(body)
    pdf = render_test_print(body, current, today=local_today())
    db.session.commit()  # the body's settings are created on first use
    return _pdf(pdf, f"in-thu-phoi-{current.paper}.pdf")


@bp.get("/<int:decision_id>/certificates-blank.pdf")
@login_required
def certificates_blank_pdf(decision_id: int) -> ResponseReturnValue:
    """The decision's certificates (or the chosen lines) as text for the body's blanks."""
    decision = decision_or_404(decision_id)
    certificates = certificates_for_decision(decision, parse_ids(request.args.getlist("line")))
    refusal = print_refusal(certificates)
    if refusal:
        return not_printed(decision_id, refusal)
    paper = settings_for(decision.awarding_body).paper
    pdf = render_blank_batch(certificates, layout=blanks.layout_for(decision.awarding_body, paper))
    # On the body's blanks: "phoi-bang-khen-05-QĐ-UBND.pdf".
    name = batch_file_name(decision.id, decision.reference, certificates, "pdf")
    return _pdf(stamp_revoked(pdf, certificates), f"phoi-{name}")
