"""Who may do what: pure predicates, used by views and templates alike."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.units.models import Unit


def _is_user(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_manage_units(user: Any) -> bool:
    """Administrators keep the unit tree."""
    return _is_user(user) and user.is_admin


def can_manage_users(user: Any) -> bool:
    """Administrators create accounts and grant roles."""
    return _is_user(user) and user.is_admin


def can_view_unit(user: Any, unit: Unit) -> bool:
    """Admins see every unit; others see the subtrees of the units they hold a role on."""
    if not _is_user(user):
        return False
    if user.is_admin:
        return True
    return any(unit.is_within(grant.unit) for grant in user.grants if grant.unit.is_active)


def can_nominate_for(user: Any, unit: Unit) -> bool:
    """A nominator acts for its unit and the units below it."""
    return _is_user(user) and user.has_role(Role.NOMINATOR, unit)


def can_edit_catalogue(user: Any) -> bool:
    """Administrators and the secretariat of some awarding body keep award catalogues."""
    return _is_user(user) and (user.is_admin or bool(user.units_with(Role.SECRETARIAT)))


PREDICATES = {
    "can_edit_catalogue": can_edit_catalogue,
    "can_manage_units": can_manage_units,
    "can_manage_users": can_manage_users,
    "can_view_unit": can_view_unit,
    "can_nominate_for": can_nominate_for,
}


def register_template_globals(app: Flask) -> None:
    from recognition.nominations import permissions as nomination_permissions
    from recognition.nominations.enums import STATE_COLOURS, NominationState

    app.jinja_env.globals.update(PREDICATES)
    app.jinja_env.globals.update(
        can_view_nomination=nomination_permissions.can_view_nomination,
        can_edit_nomination=nomination_permissions.can_edit_nomination,
        can_delete_nomination=nomination_permissions.can_delete_nomination,
        can_nominate_in=nomination_permissions.can_nominate_in,
        can_manage_campaigns=nomination_permissions.can_manage_campaigns,
        state_colour=lambda state: STATE_COLOURS[NominationState(state)],
        state_label=lambda state: NominationState(state).label,
        has_council_role=lambda user: bool(
            user.roles & {Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER}
        ),
    )
