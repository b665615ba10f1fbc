"""Who may keep accounts, and what a user's roles let the pages show: pure predicates, used by
views and templates alike."""

from typing import Any

from flask import Flask

from recognition.auth.enums import COUNCIL_ROLES, Role
from recognition.auth.models import User
from recognition.units.models import Unit


def _is_user(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_manage_users(user: Any, account: User | None = None) -> bool:
    """Administrators create accounts, grant roles, disable and enable accounts."""
    return _is_user(user) and user.is_admin


def can_nominate_for(user: Any, unit: Unit) -> bool:
    """A nominator acts for its unit and the units below it."""
    return _is_user(user) and user.has_role(Role.NOMINATOR, unit)


def has_council_role(user: Any) -> bool:
    """The user sits on or serves some council (secretariat, chair or member): the council
    pages are in their navigation."""
    return _is_user(user) and bool(user.roles & COUNCIL_ROLES)


def has_secretariat_role(user: Any) -> bool:
    """The user serves the secretariat of some awarding body (the appraisal pages)."""
    return _is_user(user) and Role.SECRETARIAT in user.roles


def has_decision_role(user: Any) -> bool:
    """The user prepares or signs decisions somewhere (secretariat or chair)."""
    return _is_user(user) and bool(user.roles & {Role.SECRETARIAT, Role.CHAIR})


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_manage_users=can_manage_users,
        can_nominate_for=can_nominate_for,
        has_council_role=has_council_role,
        has_secretariat_role=has_secretariat_role,
        has_decision_role=has_decision_role,
    )
