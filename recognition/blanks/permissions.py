"""Who may set up a body's pre-printed blanks and print certificates on them."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.certificates.permissions import can_print_certificates
from recognition.units.models import Unit


def can_set_up_blanks(user: Any, body: Unit) -> bool:
    """The body's secretariat and administrators set up its blanks."""
    return (
        isinstance(user, User)
        and user.is_active
        and bool(user.is_admin or user.holds(Role.SECRETARIAT, body))
    )


def can_print_on_blanks(user: Any, decision: Any) -> bool:
    """Whoever may print the decision's certificates may print them on blanks."""
    return can_print_certificates(user, decision)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_set_up_blanks=can_set_up_blanks, can_print_on_blanks=can_print_on_blanks
    )
