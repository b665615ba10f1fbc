"""Administrators: the whole audit log, and e-mails that could not be delivered."""

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import false

from recognition.admin.forms import AuditFilterForm
from recognition.admin.permissions import can_read_logs
from recognition.admin.queries import audit_events, audit_link
from recognition.common.audit import ObjectKind, verify_chain
from recognition.common.loading import require
from recognition.common.outbox import failed_messages
from recognition.common.pagination import paginate

bp = Blueprint("logs", __name__, url_prefix="/admin")


# The audit log's rows counted for its pages: beyond them, a search or a kind narrows it.
AUDIT_COUNTED = 10_000


@bp.get("/audit")
@require(can_read_logs)
def audit() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.kind.choices = [("", _("All")), *((k.value, k.label) for k in ObjectKind)]
    chosen = ObjectKind(form.kind.data) if form.kind.data in ObjectKind.values() else None
    if form.validate():
        events = audit_events(
            text=form.q.data or "", kind=chosen, since=form.since.data, until=form.until.data
        )
    else:
        # A filter that cannot be read is said under its box, and nothing is listed as if it
        # had been applied.
        events = audit_events().where(false())
    page = paginate(events, per_page=50, count_at_most=AUDIT_COUNTED)
    return render_template("admin/audit.html", page=page, form=form, link_for=audit_link)


@bp.get("/audit/verify")
@require(can_read_logs)
def audit_verify() -> ResponseReturnValue:
    count, problems = verify_chain()
    return render_template("admin/audit_verify.html", count=count, problems=problems)


@bp.get("/mail")
@require(can_read_logs)
def mail() -> ResponseReturnValue:
    return render_template("admin/mail.html", messages=failed_messages())
