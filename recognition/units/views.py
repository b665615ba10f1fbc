"""Administration of the unit tree."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from recognition.auth.enums import Role
from recognition.common.forms import ConfirmForm, parse_id, show_domain_error
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.permissions import can_manage_units
from recognition.security import require
from recognition.units.enums import UnitKind
from recognition.units.forms import ImportUnitsForm, MoveUnitForm, UnitForm
from recognition.units.importing import ImportFailed, export_units_csv, import_units_csv
from recognition.units.models import Unit
from recognition.units.queries import ancestors_of, search_units, unit_choices, unit_tree
from recognition.units.services import (
    UnitData,
    create_unit,
    deactivate_unit,
    move_unit,
    reactivate_unit,
    update_unit,
)

bp = Blueprint("units", __name__, url_prefix="/admin/units")


def _load(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


def _guard() -> None:
    if not can_manage_units(current_user):
        abort(403)


def _unit_or_none(unit_id: int | None) -> Unit | None:
    return db.session.get(Unit, unit_id) if unit_id else None


def _data(form: UnitForm) -> UnitData:
    return UnitData(
        name=form.name.data or "",
        kind=UnitKind(form.kind.data),
        code=form.code.data,
        valid_from=form.valid_from.data,
        valid_to=form.valid_to.data,
        is_awarding_body=bool(form.is_awarding_body.data),
        successor=_unit_or_none(form.successor_id.data),
    )


@bp.get("/")
@require(Role.ADMIN)
def index() -> ResponseReturnValue:
    _guard()
    query = request.args.get("q", "").strip()[:100]
    show_inactive = request.args.get("inactive") == "1"
    if query:
        results = search_units(query, include_inactive=show_inactive)
        return render_template(
            "units/index.html", query=query, results=results, show_inactive=show_inactive, tree=None
        )
    tree = unit_tree(include_inactive=show_inactive)
    return render_template(
        "units/index.html", query="", results=None, tree=tree, show_inactive=show_inactive
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Role.ADMIN)
def create() -> ResponseReturnValue:
    _guard()
    form = UnitForm()
    form.set_choices(unit_choices())
    parent = parse_id(request.args.get("parent")) if request.method == "GET" else None
    if parent is not None:
        form.parent_id.data = parent
    if form.validate_on_submit():
        try:
            unit = create_unit(_data(form), parent=_unit_or_none(form.parent_id.data))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The unit %(name)s has been created.", name=unit.name), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=None)


@bp.get("/<int:unit_id>")
@require(Role.ADMIN)
def detail(unit_id: int) -> ResponseReturnValue:
    _guard()
    unit = _load(unit_id)
    children = sorted(unit.children, key=lambda child: child.name_sort)
    return render_template(
        "units/detail.html",
        unit=unit,
        ancestors=ancestors_of(unit),
        children=children,
        confirm=ConfirmForm(),
    )


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@require(Role.ADMIN)
def edit(unit_id: int) -> ResponseReturnValue:
    _guard()
    unit = _load(unit_id)
    form = UnitForm(obj=unit)
    form.set_choices(unit_choices(include_inactive=True))
    del form.parent_id  # moving has its own page: it changes a whole subtree
    if form.validate_on_submit():
        try:
            update_unit(unit, _data(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=unit)


@bp.route("/<int:unit_id>/move", methods=["GET", "POST"])
@require(Role.ADMIN)
def move(unit_id: int) -> ResponseReturnValue:
    _guard()
    unit = _load(unit_id)
    form = MoveUnitForm(parent_id=unit.parent_id)
    form.set_choices([(i, n) for i, n in unit_choices() if i != unit.id])
    if form.validate_on_submit():
        try:
            move_unit(unit, new_parent=_unit_or_none(form.parent_id.data))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The unit and its sub-units have been moved."), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/move.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/deactivate")
@require(Role.ADMIN)
def deactivate(unit_id: int) -> ResponseReturnValue:
    _guard()
    unit = _load(unit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # The local date: a unit closed at 06:00 in Việt Nam ends today, not (UTC) yesterday.
    count = deactivate_unit(unit, on=local_today())
    db.session.commit()
    flash(
        ngettext(
            "%(num)d unit deactivated. Its records are kept.",
            "%(num)d units deactivated. Their records are kept.",
            count,
        ),
        "success",
    )
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.post("/<int:unit_id>/reactivate")
@require(Role.ADMIN)
def reactivate(unit_id: int) -> ResponseReturnValue:
    _guard()
    unit = _load(unit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reactivate_unit(unit)
    db.session.commit()
    flash(_("The unit is active again."), "success")
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.route("/import", methods=["GET", "POST"])
@require(Role.ADMIN)
def import_csv() -> ResponseReturnValue:
    _guard()
    form = ImportUnitsForm()
    errors = None
    if form.validate_on_submit():
        try:
            created = import_units_csv(form.file.data.read())
        except ImportFailed as failure:
            db.session.rollback()
            errors = failure.errors
        else:
            db.session.commit()
            flash(
                ngettext("%(num)d unit imported.", "%(num)d units imported.", len(created)),
                "success",
            )
            return redirect(url_for("units.index"))
    return render_template("units/import.html", form=form, errors=errors)


@bp.get("/export.csv")
@require(Role.ADMIN)
def export_csv() -> ResponseReturnValue:
    _guard()
    return Response(
        export_units_csv(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=units.csv"},
    )
