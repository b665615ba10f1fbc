"""The administrator's API clients: list, register (the token shown once) and revoke."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.api.enums import Scope
from recognition.api.forms import ClientForm
from recognition.api.models import ApiClient
from recognition.api.services import create_client, revoke_client
from recognition.auth.permissions import can_manage_users
from recognition.common.forms import ConfirmForm, show_domain_error
from recognition.common.loading import load_or_404, require
from recognition.common.pagination import paginate
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit
from recognition.units.queries import unit_choices

bp = Blueprint("api_clients", __name__, url_prefix="/admin/api-clients")


@bp.get("/")
@require(can_manage_users)
def index() -> ResponseReturnValue:
    query = (
        select(ApiClient)
        .options(selectinload(ApiClient.unit))
        .order_by(ApiClient.revoked_at.is_not(None), ApiClient.name, ApiClient.id)
    )
    page = paginate(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/api_clients.html", page=page, form=ConfirmForm(), scope_label=_scope_label
    )


def _scope_label(code: str) -> str:
    """A scope's meaning in the reader's language (a scope no longer known: its code)."""
    return str(Scope(code).label) if code in Scope.values() else code


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_users)
def create() -> ResponseReturnValue:
    form = ClientForm()
    form.set_choices(unit_choices())
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        if unit is None:
            abort(400)
        try:
            client, token = create_client(
                form.name.data or "", scopes=form.scopes.data or [], unit=unit, actor=current_user
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            # The token is shown on this page only: it is stored as a digest.
            response = current_app.make_response(
                render_template("admin/api_client_token.html", client=client, token=token)
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return render_template("admin/api_client_form.html", form=form)


@bp.post("/<int:client_id>/revoke")
@require(can_manage_users)
def revoke(client_id: int) -> ResponseReturnValue:
    client = load_or_404(ApiClient, client_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revoke_client(client, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("The client has been revoked: its token no longer works."), "success")
    return redirect(url_for("api_clients.index"))
