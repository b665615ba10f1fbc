"""Administrators: the whole audit log, and e-mails that could not be delivered."""

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from recognition.auth.models import User
from recognition.common.audit import verify_chain
from recognition.common.outbox import failed_messages
from recognition.common.pagination import paginate
from recognition.common.text import fold, search_text
from recognition.nominations.enums import Action
from recognition.nominations.models import Nomination, NominationEvent

bp = Blueprint("logs", __name__, url_prefix="/admin")


def _guard() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/audit")
@login_required
def audit() -> ResponseReturnValue:
    _guard()
    text = search_text(request.args.get("q"))
    action = request.args.get("action", "")
    query = (
        select(NominationEvent)
        .join(NominationEvent.nomination)
        .join(User, User.id == NominationEvent.actor_id)
        .options(joinedload(NominationEvent.nomination), joinedload(NominationEvent.actor))
        .order_by(NominationEvent.id.desc())
    )
    if text:
        needle = fold(text)
        query = query.where(
            Nomination.reference.contains(text.upper(), autoescape=True)
            | Nomination.nominee_folded.contains(needle, autoescape=True)
            | User.full_name_folded.contains(needle, autoescape=True)
        )
    if action in {a.value for a in Action}:
        query = query.where(NominationEvent.action == action)
    page = paginate(query, per_page=50)
    return render_template(
        "admin/audit.html", page=page, text=text, action=action, actions=list(Action)
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
