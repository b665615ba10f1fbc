"""Administration of the unit tree."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from recognition.common.forms import ConfirmForm, parse_id, show_domain_error
from recognition.common.import_pages import import_page
from recognition.common.loading import load_or_404, require
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitAction, UnitKind
from recognition.units.forms import ImportUnitsForm, MergeUnitForm, MoveUnitForm, UnitForm
from recognition.units.importing import export_units_csv, import_units_csv
from recognition.units.models import Unit
from recognition.units.permissions import can_manage_units
from recognition.units.queries import (
    active_subtree_size,
    ancestors_of,
    search_units,
    shallow_tree,
    subtree_sizes,
    unit_choices,
    unit_tree,
)
from recognition.units.services import (
    UnitData,
    check_name_free,
    create_unit,
    move_unit,
    update_unit,
)
from recognition.units.workflow import (
    available_actions,
    deactivated_with,
    dissolve_unit,
    merge_unit,
    restore_unit,
)

bp = Blueprint("units", __name__, url_prefix="/admin/units")


def _load(unit_id: int) -> Unit:
    return load_or_404(Unit, unit_id, permitted=can_manage_units)


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


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


# A tree of more units than this (a province's thousands of hamlets) is drawn down to the
# communes (depth 0 is the top); each unit's page lists the units below it.
WHOLE_TREE_AT_MOST = 400
SHALLOW_DEPTH = 1


@bp.get("/")
@require(can_manage_units)
def index() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()[:100]
    show_inactive = request.args.get("inactive") == "1"
    if query:
        results = search_units(query, include_inactive=show_inactive)
        return render_template(
            "units/index.html", query=query, results=results, show_inactive=show_inactive, tree=None
        )
    sizes = subtree_sizes(include_inactive=show_inactive)
    size = len(sizes)
    whole = size <= WHOLE_TREE_AT_MOST
    tree = (
        unit_tree(include_inactive=show_inactive)
        if whole
        else shallow_tree(SHALLOW_DEPTH, sizes, include_inactive=show_inactive)
    )
    return render_template(
        "units/index.html",
        query="",
        results=None,
        tree=tree,
        show_inactive=show_inactive,
        size=size,
        deepest=None if whole else SHALLOW_DEPTH,
    )


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_units)
def create() -> ResponseReturnValue:
    form = UnitForm()
    form.set_choices(unit_choices())
    preset = parse_id(request.args.get("parent")) if request.method == "GET" else None
    if preset is not None:
        above = db.session.get(Unit, preset)
        if above is not None and not above.is_active:
            # A unit no longer in use holds no new units (the form would drop it silently).
            flash(
                _("%(name)s is no longer in use: no unit can be added under it.", name=above.name),
                "warning",
            )
            return redirect(url_for("units.detail", unit_id=above.id))
        form.parent_id.data = preset
    if form.validate_on_submit():
        parent = _unit_or_none(form.parent_id.data)
        try:
            check_name_free(form.name.data or "", parent)
            unit = create_unit(_data(form), parent=parent, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The unit %(name)s has been created.", name=unit.name), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=None)


def _merge_form(unit: Unit) -> MergeUnitForm:
    form = MergeUnitForm()
    # Neither the unit nor a unit below it: those would read as indented under another unit.
    form.set_choices(unit_choices(excluding=unit))
    return form


def _detail_page(unit: Unit, merge_form: MergeUnitForm) -> ResponseReturnValue:
    children = sorted(unit.children, key=lambda child: child.name_sort)
    actions = available_actions(current_user, unit)
    return render_template(
        "units/detail.html",
        unit=unit,
        ancestors=ancestors_of(unit),
        children=children,
        actions=actions,
        merge_form=merge_form,
        # What the buttons' confirmations count.
        to_deactivate=active_subtree_size(unit) if UnitAction.DISSOLVE in actions else 0,
        to_restore=len(deactivated_with(unit)) if UnitAction.RESTORE in actions else 0,
    )


@bp.get("/<int:unit_id>")
@require(can_manage_units)
def detail(unit_id: int) -> ResponseReturnValue:
    unit = _load(unit_id)
    merge_form = _merge_form(unit)
    merge_form.merged_on.data = local_today()
    return _detail_page(unit, merge_form)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@require(can_manage_units)
def edit(unit_id: int) -> ResponseReturnValue:
    unit = _load(unit_id)
    form = UnitForm(obj=unit)
    # The successor: neither the unit itself nor one of its sub-units.
    form.set_choices(unit_choices(include_inactive=True, excluding=unit))
    del form.parent_id  # moving has its own page: it changes a whole subtree
    if form.validate_on_submit():
        try:
            check_name_free(form.name.data or "", unit.parent, unit=unit)
            update_unit(unit, _data(form), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=unit)


@bp.route("/<int:unit_id>/move", methods=["GET", "POST"])
@require(can_manage_units)
def move(unit_id: int) -> ResponseReturnValue:
    unit = _load(unit_id)
    form = MoveUnitForm(parent_id=unit.parent_id)
    # Not the unit itself nor a unit below it: a unit cannot move under its own sub-unit.
    form.set_choices(unit_choices(excluding=unit))
    if form.validate_on_submit():
        new_parent = _unit_or_none(form.parent_id.data)
        try:
            if new_parent is None or not new_parent.is_within(unit):  # else: the cycle's message
                check_name_free(unit.name, new_parent, unit=unit, field="parent_id")
            move_unit(unit, new_parent=new_parent, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The unit and its sub-units have been moved."), "success")
            return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/move.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/deactivate")
@require(can_manage_units)
def deactivate(unit_id: int) -> ResponseReturnValue:
    unit = _load(unit_id)
    _confirmed()
    # The local date: a unit closed at 06:00 in Việt Nam ends today, not (UTC) yesterday.
    count = dissolve_unit(unit, actor=current_user, on=local_today())
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


@bp.post("/<int:unit_id>/merge")
@require(can_manage_units)
def merge(unit_id: int) -> ResponseReturnValue:
    unit = _load(unit_id)
    form = _merge_form(unit)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _detail_page(unit, form)  # a date it cannot read, a unit it does not offer
    successor = _unit_or_none(form.successor_id.data)
    on = form.merged_on.data or local_today()
    try:
        merge_unit(unit, successor=successor, actor=current_user, on=on)
    except DomainError as error:
        if error.status_code != 400:
            raise  # wrong state (409) or not allowed (403): the error page says so
        if error.field == "merged_on":
            show_domain_error(form, error)
            return _detail_page(unit, form)
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("units.detail", unit_id=unit.id))
    db.session.commit()
    flash(_("The unit has been merged; its sub-units now belong to its successor."), "success")
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.post("/<int:unit_id>/reactivate")
@require(can_manage_units)
def reactivate(unit_id: int) -> ResponseReturnValue:
    unit = _load(unit_id)
    _confirmed()
    count = restore_unit(unit, actor=current_user)
    db.session.commit()
    if count == 1:
        flash(_("The unit is active again."), "success")
    else:
        flash(
            ngettext(
                "%(num)d unit is active again: this one and the units deactivated with it.",
                "%(num)d units are active again: this one and the units deactivated with it.",
                count,
            ),
            "success",
        )
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.route("/import", methods=["GET", "POST"])
@require(can_manage_units)
def import_csv() -> ResponseReturnValue:
    made_up: list[str] = []  # read before the commit expires the units

    def run(upload: FileStorage) -> list[Unit]:
        imported = import_units_csv(upload.read(), actor=current_user)
        made_up.extend(f"{unit.name} ({unit.code})" for unit in imported.made_up)
        return imported

    return import_page(
        ImportUnitsForm(),
        run,
        template="units/import.html",
        done=lambda n: _imported(n, made_up),
        next_url=lambda: url_for("units.index"),
    )


# The units given a code named in the message after an import; beyond them, a count.
NAMED_MADE_UP_CODES = 10


def _imported(count: int, made_up: list[str]) -> str:
    message = ngettext("%(num)d unit imported.", "%(num)d units imported.", count)
    if not made_up:
        return message
    named = ", ".join(made_up[:NAMED_MADE_UP_CODES])
    if len(made_up) > NAMED_MADE_UP_CODES:
        named += " " + _("and %(num)d more", num=len(made_up) - NAMED_MADE_UP_CODES)
    given = ngettext(
        "%(num)d row had no code and was given one: %(units)s.",
        "%(num)d rows had no code and were given one: %(units)s.",
        len(made_up),
        units=named,
    )
    return f"{message} {given}"


@bp.get("/export.csv")
@require(can_manage_units)
def export_csv() -> ResponseReturnValue:
    return Response(
        export_units_csv(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=units.csv"},
    )
