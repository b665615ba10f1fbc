"""Who sees reward money and the emulation fund, who corrects an amount and keeps the fund:
pure predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.models import User
from recognition.certificates.permissions import is_staff_of
from recognition.decisions.models import Decision
from recognition.decisions.permissions import (
    EDITABLE_STATES,
    can_view_decision,
    is_secretariat_of_body,
)
from recognition.units.models import Unit


def can_view_money(user: Any, decision: Decision) -> bool:
    """Whoever sees the decision sees its amounts and its payment list."""
    return can_view_decision(user, decision)


def can_override_amount(user: Any, decision: Decision) -> bool:
    """The secretariat corrects an amount until the decision is issued (then it is frozen)."""
    return decision.state in EDITABLE_STATES and is_secretariat_of_body(
        user, decision.awarding_body
    )


def can_view_fund(user: Any, body: Unit) -> bool:
    """The body's secretariat and chair, and administrators."""
    return isinstance(user, User) and user.is_active and (user.is_admin or is_staff_of(user, body))


def can_edit_fund(user: Any, body: Unit) -> bool:
    """The body's secretariat keeps its fund."""
    return is_secretariat_of_body(user, body)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_money=can_view_money,
        can_override_amount=can_override_amount,
        can_view_fund=can_view_fund,
        can_edit_fund=can_edit_fund,
    )
