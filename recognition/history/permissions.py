"""Who may read and import the award history: pure predicates for views and templates.

Signed-in staff read the history of the units within their scope: the units at or below a
unit where they hold a role as nominator, secretariat, council member or chair, and the units
merged into those (their past); administrators read all of it. The secretariat of an awarding
body imports earlier awards of the units below it."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.units.models import Unit

READERS = (Role.NOMINATOR, Role.SECRETARIAT, Role.COUNCIL_MEMBER, Role.CHAIR)


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def scope_units(user: Any) -> list[Unit]:
    """The units whose subtrees `user` reads."""
    if not _active(user):
        return []
    return [unit for role in READERS for unit in user.units_with(role)]


def current_unit(unit: Unit) -> Unit:
    """The unit that carries `unit` today, following its successors after mergers."""
    seen = {unit.id}
    while unit.successor is not None and unit.successor.id not in seen:
        unit = unit.successor
        seen.add(unit.id)
    return unit


def can_search_history(user: Any) -> bool:
    """Any staff member with a role to read some history, and administrators."""
    return _active(user) and (user.is_admin or bool(scope_units(user)))


def can_view_unit_history(user: Any, unit: Unit) -> bool:
    """The history of `unit` (and what merged into it): staff whose scope holds it today."""
    if not _active(user):
        return False
    if user.is_admin:
        return True
    carrier = current_unit(unit)
    return any(carrier.is_within(scope) or unit.is_within(scope) for scope in scope_units(user))


def import_bodies(user: Any) -> list[Unit]:
    """The awarding bodies for which `user` imports earlier awards."""
    if not _active(user):
        return []
    return [unit for unit in user.units_with(Role.SECRETARIAT) if unit.is_awarding_body]


def can_import_history(user: Any) -> bool:
    """The secretariat of an awarding body."""
    return bool(import_bodies(user))


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_search_history=can_search_history,
        can_view_unit_history=can_view_unit_history,
        can_import_history=can_import_history,
    )
