"""Who may keep and see units: pure predicates, used by views and templates alike.

The user is taken as it comes (duck-typed): the units area sits below the accounts area and
does not import it. A user has `is_authenticated`, `is_active`, `is_admin` and `grants` (each
with a `unit`).
"""

from typing import Any

from flask import Flask

from recognition.units.models import Unit


def _is_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_manage_units(user: Any, unit: Unit | None = None) -> bool:
    """Administrators keep the unit tree (create, edit, move, merge, dissolve, restore)."""
    return _is_user(user) and bool(user.is_admin)


def can_view_unit(user: Any, unit: Unit) -> bool:
    """Admins see every unit; others see the subtrees of the units they hold a role on."""
    if not _is_user(user):
        return False
    if user.is_admin:
        return True
    return any(unit.is_within(grant.unit) for grant in user.grants if grant.unit.is_active)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(can_manage_units=can_manage_units, can_view_unit=can_view_unit)
