"""Who opens a year's registration, registers a unit and follows who has registered."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.registration.models import RegistrationCall
from recognition.units.models import Unit
from recognition.units.queries import represents


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_open_registration(user: Any, body: Unit) -> bool:
    """The awarding body's secretariat sets the year's deadline and pledge."""
    return (
        _active(user)
        and body.is_awarding_body
        and body.is_active
        and user.holds(Role.SECRETARIAT, body)
    )


def can_change_registration(user: Any, call: RegistrationCall) -> bool:
    """The body's secretariat moves the deadline and corrects the pledge (before it is signed)."""
    return can_open_registration(user, call.awarding_body)


def can_follow_registration(user: Any, call: RegistrationCall) -> bool:
    """The body's secretariat and chair see who has registered, and by when."""
    body = call.awarding_body
    return _active(user) and (user.holds(Role.SECRETARIAT, body) or user.holds(Role.CHAIR, body))


def can_register(user: Any, call: RegistrationCall, unit: Unit) -> bool:
    """A nominator of the unit (or of a unit above it, with no other body in between)
    registers a unit directly below the body."""
    if not _active(user) or unit.parent_id != call.awarding_body_id or not unit.is_active:
        return False
    return any(represents(own, unit) for own in user.units_with(Role.NOMINATOR))


def uses_registration(user: Any) -> bool:
    """The menu item: nominators and the awarding bodies' secretariats and chairs."""
    return _active(user) and bool(
        user.units_with(Role.NOMINATOR)
        or user.units_with(Role.SECRETARIAT)
        or user.units_with(Role.CHAIR)
    )


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_open_registration=can_open_registration,
        can_change_registration=can_change_registration,
        can_follow_registration=can_follow_registration,
        can_register=can_register,
        uses_registration=uses_registration,
    )
