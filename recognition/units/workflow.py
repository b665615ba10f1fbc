"""A unit's life: merged into a successor, dissolved, restored — one table, one entry point.

Units are never deleted: nominations, decisions and certificates keep pointing at a unit as it
was. A unit that ends is merged (it names the unit that takes over) or dissolved; the whole
subtree of a dissolved unit ends with it, and the active sub-units of a merged unit move under
its successor (the hamlets of merged communes belong to the new commune). Only an
administrator changes a unit's state, and every change is in the audit log.
"""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.i18n import short_date
from recognition.common.lifecycle import Lifecycle, Transition
from recognition.database import local_today, utcnow
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitAction, UnitState
from recognition.units.models import Unit
from recognition.units.permissions import can_manage_units
from recognition.units.queries import forget_proposal_bodies
from recognition.units.services import code_holder, describe, move_unit

S = UnitState
A = UnitAction


def _may_manage(user: Any, unit: Unit) -> bool:
    return can_manage_units(user)


def _successor_fits(unit: Unit, today: date) -> str | None:
    successor = unit.successor
    if successor is None:
        return _("Choose the unit it is merged into.")
    if successor.is_within(unit):
        return _("A unit cannot be merged into itself or one of its own sub-units.")
    if not successor.is_active:
        return _("A unit cannot be merged into a deactivated unit.")
    return None


def _may_restore(unit: Unit, today: date) -> str | None:
    if unit.parent is not None and not unit.parent.is_active:
        return _("Reactivate the parent unit %(name)s first.", name=unit.parent.name)
    holder = code_holder(unit.code, unit=unit)
    if holder is not None:
        return _(
            "The administrative code %(code)s is now used by %(name)s: change that unit's code "
            "first.",
            code=unit.code,
            name=holder.name,
        )
    return None


_TABLE: list[Transition[UnitState, UnitAction]] = [
    Transition(A.MERGE, frozenset({S.ACTIVE}), S.MERGED, _may_manage, _successor_fits),
    Transition(A.DISSOLVE, frozenset({S.ACTIVE}), S.DISSOLVED, _may_manage),
    Transition(A.RESTORE, frozenset({S.MERGED, S.DISSOLVED}), S.ACTIVE, _may_manage, _may_restore),
]


def _set_validity(unit: Unit, source: UnitState, target: UnitState, now: datetime) -> None:
    if target == S.ACTIVE:
        unit.valid_to = None
        unit.successor = None


def _end_on(unit: Unit, on: date) -> None:
    """Close the unit's validity on `on` (the local date of the merge or dissolution)."""
    # A unit that has not started yet ends the day it starts (valid_to >= valid_from).
    end = max(on, unit.valid_from) if unit.valid_from else on
    if unit.valid_to is None or unit.valid_to > end:
        unit.valid_to = end


LIFECYCLE: Lifecycle[UnitState, UnitAction] = Lifecycle(
    kind=ObjectKind.UNIT,
    states=UnitState,
    actions=UnitAction,
    transitions=_TABLE,
    describe=describe,
    on_enter=_set_validity,
    not_possible=lambda action, state: _(
        "“%(action)s” is not possible while the unit is “%(state)s”.",
        action=action.label,
        state=state.label,
    ),
    not_allowed=lambda action: _("You may not do “%(action)s” on this unit.", action=action.label),
)

PAGE_ACTIONS = (A.MERGE, A.DISSOLVE, A.RESTORE)


def available_actions(user: Any, unit: Unit) -> list[UnitAction]:
    """The state changes this user may make to this unit now."""
    return LIFECYCLE.available(user, unit, PAGE_ACTIONS)


def _end(
    unit: Unit,
    action: UnitAction,
    *,
    actor: Any,
    on: date,
    comment: str,
    moment: datetime | None = None,
) -> AuditEvent:
    event = LIFECYCLE.apply(
        unit, action, actor=actor, comment=comment, today=on, recorded_at=moment
    )
    _end_on(unit, on)
    db.session.flush()
    return event


def _active_below(unit: Unit) -> list[Unit]:
    """The active units strictly below `unit`, parents before children."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.path.startswith(unit.path, autoescape=True), Unit.id != unit.id)
            .where(Unit.is_active)
            .order_by(Unit.depth, Unit.id)
        )
    )


def dissolve_unit(unit: Unit, *, actor: Any, on: date, comment: str = "") -> int:
    """Dissolve `unit` and every active unit below it (each audited, all at one moment: that
    is how `deactivated_with` finds them again); returns how many ended.

    Nothing is deleted: nominations and awards keep pointing at the unit as it was.
    """
    forget_proposal_bodies()
    if not LIFECYCLE.can(actor, unit, A.DISSOLVE):
        # Refused with the table's message (409 wrong state, 403 not allowed).
        _end(unit, A.DISSOLVE, actor=actor, on=on, comment=comment)
    below = _active_below(unit)
    moment = utcnow()
    # The deepest first: an administrator whose own grant lies in the subtree stays one until
    # the last step.
    for member in reversed(below):
        _end(member, A.DISSOLVE, actor=actor, on=on, comment=comment, moment=moment)
    _end(unit, A.DISSOLVE, actor=actor, on=on, comment=comment, moment=moment)
    return 1 + len(below)


def _last_dissolved_at(unit_ids: list[int]) -> dict[int, datetime]:
    """When each of these units was last dissolved (the moment of its audit event)."""
    last = (
        select(func.max(AuditEvent.id))
        .where(
            AuditEvent.object_kind == ObjectKind.UNIT,
            AuditEvent.object_id.in_(unit_ids),
            AuditEvent.action == A.DISSOLVE.value,
        )
        .group_by(AuditEvent.object_id)
    )
    rows = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.created_at).where(AuditEvent.id.in_(last))
    )
    return {object_id: created_at for object_id, created_at in rows}


def deactivated_with(unit: Unit) -> list[Unit]:
    """The units below a dissolved `unit` that ended in its dissolution and are still
    dissolved, parents before children; not those dissolved on their own before it."""
    if unit.state != S.DISSOLVED:
        return []
    below = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.path.startswith(unit.path, autoescape=True), Unit.id != unit.id)
            .where(Unit.state == S.DISSOLVED)
            .order_by(Unit.depth, Unit.name_sort)
        )
    )
    moments = _last_dissolved_at([unit.id, *(member.id for member in below)])
    moment = moments.get(unit.id)
    if moment is None:
        return []
    return [member for member in below if moments.get(member.id) == moment]


def _check_merge_date(unit: Unit, on: date) -> None:
    """A merger ends the unit on `on`: not before it started, nor in the future (its state
    changes now, so its validity cannot run on)."""
    if unit.valid_from is not None and on < unit.valid_from:
        raise DomainError(
            _(
                "The unit cannot end before it started (%(date)s).",
                date=short_date(unit.valid_from),
            ),
            field="merged_on",
        )
    if on > local_today():
        raise DomainError(
            _("A merger is recorded once it has taken effect: its date cannot be after today."),
            field="merged_on",
        )


def merge_unit(
    unit: Unit, *, successor: Unit | None, actor: Any, on: date, comment: str = ""
) -> AuditEvent:
    """Merge `unit` into `successor`: it ends on `on`, names its successor, and its active
    sub-units move under the successor (each move audited)."""
    forget_proposal_bodies()
    if successor is not None and successor.id == unit.id:
        raise DomainError(_("A unit cannot be merged into itself."), field="successor_id")
    _check_merge_date(unit, on)
    previous = unit.successor
    unit.successor = successor
    try:
        event = _end(unit, A.MERGE, actor=actor, on=on, comment=comment)
    except DomainError:  # InvalidTransition and NotAllowed too: leave the unit as it was
        unit.successor = previous
        raise
    # The guard refused a merge without a successor.
    for child in sorted(unit.children, key=lambda c: c.name_sort):
        if child.is_active and successor is not None:
            move_unit(child, new_parent=successor, actor=actor)
    return event


def restore_unit(unit: Unit, *, actor: Any, comment: str = "") -> int:
    """Make a merged or dissolved unit active again (its parent must be active), with the units
    below it that were dissolved together with it (each audited); returns how many.

    All or none: a sub-unit that cannot come back (its code now used elsewhere) refuses the
    whole restoration with its reason.
    """
    forget_proposal_bodies()
    members = deactivated_with(unit)
    LIFECYCLE.apply(unit, A.RESTORE, actor=actor, comment=comment)
    for member in members:  # parents first: each finds its parent active again
        LIFECYCLE.apply(member, A.RESTORE, actor=actor, comment=comment)
    return 1 + len(members)
