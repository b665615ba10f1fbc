"""Who may keep award catalogues and campaigns: pure predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User


def can_edit_catalogue(user: Any) -> bool:
    """Administrators and the secretariat of some awarding body keep award catalogues."""
    return (
        isinstance(user, User)
        and user.is_active
        and (user.is_admin or bool(user.units_with(Role.SECRETARIAT)))
    )


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(can_edit_catalogue=can_edit_catalogue)
