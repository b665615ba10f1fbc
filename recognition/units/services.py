"""Keeping the unit tree: create, edit, move (each audited); merging, dissolving and restoring
a unit are its state changes, in recognition.units.workflow."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select, update

from recognition.common.audit import AuditEvent, ObjectKind, record
from recognition.common.text import clean, fold, sort_string
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitAction, UnitKind, UnitState
from recognition.units.models import Unit
from recognition.units.queries import forget_proposal_bodies


@dataclass(frozen=True)
class UnitData:
    """The editable fields of a unit, already shaped by a form or a CSV row."""

    name: str
    kind: UnitKind
    code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    is_awarding_body: bool = False
    successor: Unit | None = None


# A code identifies a unit within its validity period (a successor may reuse it): the unit in
# use first, then the one that ended last.
_IN_USE_FIRST = (
    case((Unit.state == UnitState.ACTIVE, 0), else_=1),
    Unit.valid_to.desc().nulls_first(),
    Unit.id.desc(),
)


def unit_by_code(code: str) -> Unit | None:
    """The unit with this administrative code: the one in use, else the last that had it."""
    return db.session.scalars(
        select(Unit).where(Unit.code == code).order_by(*_IN_USE_FIRST)
    ).first()


def units_by_code(codes: Iterable[str]) -> dict[str, Unit]:
    """Each code's unit as `unit_by_code` finds it, for the codes that exist."""
    found: dict[str, Unit] = {}
    wanted = {code for code in codes if code}
    query = select(Unit).where(Unit.code.in_(wanted)).order_by(*_IN_USE_FIRST)
    for unit in db.session.scalars(query):
        if unit.code is not None:
            found.setdefault(unit.code, unit)
    return found


def code_holder(code: str | None, *, unit: Unit | None = None) -> Unit | None:
    """The unit in use, other than `unit`, that holds this code (codes are unique among the
    units in use only)."""
    if not code:
        return None
    query = select(Unit).where(Unit.code == code, Unit.is_active)
    if unit is not None and unit.id is not None:
        query = query.where(Unit.id != unit.id)
    return db.session.scalars(query).first()


def _check_code_free(code: str | None, *, unit: Unit | None = None) -> None:
    if not code or (unit is not None and unit.id is not None and not unit.is_active):
        return  # a unit no longer in use keeps the code it had, whoever holds it now
    query = select(Unit.id).where(Unit.code == code, Unit.is_active)
    if unit is not None and unit.id is not None:
        query = query.where(Unit.id != unit.id)
    if db.session.scalar(query) is not None:
        raise DomainError(
            _("The administrative code %(code)s is already used by another unit.", code=code),
            field="code",
        )


def kind_fits(kind: UnitKind, parent_kind: UnitKind | None) -> bool:
    """Whether a unit of `kind` may sit under one of `parent_kind` (None: at the top).

    An administrative unit (province, district, commune, hamlet…) belongs only to an
    administrative unit of a higher level: no province under anything, no commune under a
    commune, a hamlet or an association. Organisations have no level: they sit anywhere
    (a province's department, a commune's association, a hamlet's team).
    """
    if kind.level is None or parent_kind is None:
        return True
    return parent_kind.level is not None and parent_kind.level < kind.level


def _misplaced(kind: UnitKind, parent: Unit) -> str:
    return _(
        "A unit of kind “%(kind)s” cannot belong to %(parent)s (%(parent_kind)s): an "
        "administrative unit belongs only to an administrative unit of a higher level.",
        kind=kind.label,
        parent=parent.name,
        parent_kind=parent.kind.label,
    )


def _check_fits(kind: UnitKind, parent: Unit | None, *, field: str) -> None:
    if parent is not None and not kind_fits(kind, parent.kind):
        raise DomainError(_misplaced(kind, parent), field=field)


def _check_holds_children(unit: Unit, kind: UnitKind) -> None:
    """A unit whose kind changes must still be able to hold the units below it."""
    for child in sorted(unit.children, key=lambda c: c.name_sort):
        if not kind_fits(child.kind, kind):
            raise DomainError(
                _(
                    "%(name)s (%(child_kind)s) belongs to this unit: a unit of kind "
                    "“%(kind)s” cannot hold it.",
                    name=child.name,
                    child_kind=child.kind.label,
                    kind=kind.label,
                ),
                field="kind",
            )


def check_name_free(
    name: str, parent: Unit | None, *, unit: Unit | None = None, field: str = "name"
) -> None:
    """Refuse a second unit in use of the same name (case, diacritics and spacing aside)
    under `parent`, for `unit` (None: a new one) named or placed there by an administrator:
    two "Ấp Phú Hòa" of one commune cannot be told apart.

    Asked by the pages and the import, where a person types the name; not by the tree's own
    operations: a merger may bring two "Ấp 1" under one commune, to be renamed after.
    """
    name = clean(name)
    if unit is not None and unit.id is not None:
        if not unit.is_active:
            return
        if fold(name) == unit.name_folded and parent is unit.parent:
            return  # its own name where it stands: whatever was there before stays
    query = select(Unit).where(Unit.name_folded == fold(name), Unit.is_active)
    query = query.where(
        Unit.parent_id == parent.id if parent is not None else Unit.parent_id.is_(None)
    )
    if unit is not None and unit.id is not None:
        query = query.where(Unit.id != unit.id)
    holder = db.session.scalars(query.order_by(Unit.id)).first()
    if holder is None:
        return
    if parent is None:
        message = _("A unit named %(name)s is already in use at the top level.", name=holder.name)
    else:
        message = _(
            "%(parent)s already has a unit in use named %(name)s.",
            parent=parent.name,
            name=holder.name,
        )
    raise DomainError(message, field=field)


def _apply(unit: Unit, data: UnitData) -> None:
    name = clean(data.name)
    if not name:
        raise DomainError(_("The name is required."), field="name")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise DomainError(_("“Valid to” cannot be before “valid from”."), field="valid_to")
    if data.successor is not None and unit.id is not None:
        if data.successor.id == unit.id:
            raise DomainError(_("A unit cannot be its own successor."), field="successor_id")
        if data.successor.is_within(unit):
            raise DomainError(
                _("A unit cannot be succeeded by one of its own sub-units."), field="successor_id"
            )
        _check_no_succession_loop(unit, data.successor)
        if data.valid_to is None and data.successor != unit.successor:
            raise DomainError(
                _(
                    "A unit with a successor has ended: give its last day (“valid to”) too, "
                    "or merge it into its successor on its page."
                ),
                field="successor_id",
            )
    code = clean(data.code) or None
    _check_code_free(code, unit=unit)
    unit.name = name
    unit.name_folded = fold(name)
    unit.name_sort = sort_string(name)
    unit.kind = data.kind
    unit.code = code
    unit.valid_from = data.valid_from
    unit.valid_to = data.valid_to
    unit.is_awarding_body = data.is_awarding_body
    unit.successor = data.successor


def _check_no_succession_loop(unit: Unit, successor: Unit) -> None:
    """Refuse a successor that already passes, by its own successors, to `unit`."""
    seen: set[int] = set()
    step: Unit | None = successor
    while step is not None and step.id not in seen:
        if step.id == unit.id:
            raise DomainError(
                _(
                    "%(name)s was itself succeeded by this unit: a unit cannot be succeeded "
                    "by one that passed to it.",
                    name=successor.name,
                ),
                field="successor_id",
            )
        seen.add(step.id)
        step = step.successor


def _place(unit: Unit, parent: Unit | None) -> None:
    """Set parent, path and depth of a unit that already has an id."""
    unit.parent = parent
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0


def describe(unit: Unit) -> str:
    """How the audit log names a unit: its name and administrative code."""
    return f"{unit.name} ({unit.code})" if unit.code else unit.name


def record_edit(unit: Unit, action: UnitAction, *, actor: Any, comment: str = "") -> AuditEvent:
    """Audit a change that leaves the unit's state alone (created, edited, moved, imported)."""
    return record(
        ObjectKind.UNIT, unit.id, action.value, actor=actor, subject=describe(unit), comment=comment
    )


def create_unit(
    data: UnitData,
    *,
    parent: Unit | None,
    actor: Any = None,
    action: UnitAction = UnitAction.CREATE,
) -> Unit:
    """Add a unit under `parent` (None for a root); audited when an `actor` made it."""
    if parent is not None and not parent.is_active:
        raise DomainError(_("A unit cannot be added under a deactivated unit."), field="parent_id")
    _check_fits(data.kind, parent, field="parent_id")
    unit = Unit(path="/")
    _apply(unit, data)
    db.session.add(unit)
    db.session.flush()
    _place(unit, parent)
    db.session.flush()
    if actor is not None:
        record_edit(unit, action, actor=actor)
    return unit


def update_unit(unit: Unit, data: UnitData, *, actor: Any = None) -> None:
    """Change a unit's own fields (not its place in the tree); audited when an `actor` did."""
    forget_proposal_bodies()
    if data.kind != unit.kind:
        _check_fits(data.kind, unit.parent, field="kind")
        _check_holds_children(unit, data.kind)
    _apply(unit, data)
    db.session.flush()
    if actor is not None:
        record_edit(unit, UnitAction.EDIT, actor=actor)


def move_unit(unit: Unit, *, new_parent: Unit | None, actor: Any = None) -> None:
    """Put `unit` and its whole subtree under `new_parent`; refuses cycles and a parent that
    cannot hold its kind; audited when an `actor` moved it."""
    forget_proposal_bodies()
    if new_parent is not None:
        if new_parent.is_within(unit):
            raise DomainError(
                _("A unit cannot be moved under itself or one of its own sub-units."),
                field="parent_id",
            )
        if not new_parent.is_active:
            raise DomainError(
                _("A unit cannot be moved under a deactivated unit."), field="parent_id"
            )
    _check_fits(unit.kind, new_parent, field="parent_id")
    old_path, old_depth = unit.path, unit.depth
    _place(unit, new_parent)
    db.session.flush()
    db.session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_path, autoescape=True), Unit.id != unit.id)
        .values(
            path=unit.path + func.substr(Unit.path, len(old_path) + 1),
            depth=Unit.depth + (unit.depth - old_depth),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    if actor is not None:
        record_edit(
            unit, UnitAction.MOVE, actor=actor, comment=new_parent.name if new_parent else ""
        )
