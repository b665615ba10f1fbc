"""Who appraises a dossier: pure predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import can_view_nomination, is_secretariat_of


def can_appraise(user: Any, nomination: Nomination) -> bool:
    """The awarding body's secretariat, once the dossier was submitted: a draft is its
    nominators' alone (can_view_nomination), even for the appraisal page."""
    return is_secretariat_of(user, nomination) and can_view_nomination(user, nomination)


def can_use_inbox(user: Any) -> bool:
    """The secretariat of some awarding body."""
    return bool(user.units_with(Role.SECRETARIAT))


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(can_appraise=can_appraise, can_use_inbox=can_use_inbox)
