"""Administrators: the whole audit log, and e-mails that could not be delivered."""

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from recognition.admin.permissions import can_read_logs
from recognition.admin.queries import audit_events, audit_link
from recognition.common.audit import ObjectKind, verify_chain
from recognition.common.loading import require
from recognition.common.outbox import failed_messages
from recognition.common.pagination import paginate
from recognition.common.text import search_text

bp = Blueprint("logs", __name__, url_prefix="/admin")


# The audit log's rows counted for its pages: beyond them, a search or a kind narrows it.
AUDIT_COUNTED = 10_000


@bp.get("/audit")
@require(can_read_logs)
def audit() -> ResponseReturnValue:
    text = search_text(request.args.get("q"))
    kind = request.args.get("kind", "")
    chosen = ObjectKind(kind) if kind in ObjectKind.values() else None
    page = paginate(audit_events(text=text, kind=chosen), per_page=50, count_at_most=AUDIT_COUNTED)
    return render_template(
        "admin/audit.html",
        page=page,
        text=text,
        kind=chosen.value if chosen else "",
        kinds=list(ObjectKind),
        link_for=audit_link,
    )


@bp.get("/audit/verify")
@require(can_read_logs)
def audit_verify() -> ResponseReturnValue:
    count, problems = verify_chain()
    return render_template("admin/audit_verify.html", count=count, problems=problems)


@bp.get("/mail")
@require(can_read_logs)
def mail() -> ResponseReturnValue:
    return render_template("admin/mail.html", messages=failed_messages())
