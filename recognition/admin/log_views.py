"""Administrators: the whole audit log, and e-mails that could not be delivered."""

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from recognition.admin.queries import audit_events, audit_link
from recognition.common.audit import ObjectKind, verify_chain
from recognition.common.outbox import failed_messages
from recognition.common.pagination import paginate
from recognition.common.text import search_text

bp = Blueprint("logs", __name__, url_prefix="/admin")


def _guard() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/audit")
@login_required
def audit() -> ResponseReturnValue:
    _guard()
    text = search_text(request.args.get("q"))
    kind = request.args.get("kind", "")
    chosen = ObjectKind(kind) if kind in ObjectKind.values() else None
    page = paginate(audit_events(text=text, kind=chosen), per_page=50)
    return render_template(
        "admin/audit.html",
        page=page,
        text=text,
        kind=chosen.value if chosen else "",
        kinds=list(ObjectKind),
        link_for=audit_link,
    )


@bp.get("/audit/verify")
@login_required
def audit_verify() -> ResponseReturnValue:
    _guard()
    count, problems = verify_chain()
    return render_template("admin/audit_verify.html", count=count, problems=problems)


@bp.get("/mail")
@login_required
def mail() -> ResponseReturnValue:
    _guard()
    return render_template("admin/mail.html", messages=failed_messages())
