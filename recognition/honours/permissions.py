"""Who may publish awarded nominees on the honour board: the awarding body's secretariat."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate
from recognition.honours.enums import HonourState
from recognition.honours.models import HonourEntry
from recognition.units.models import Unit


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_manage_honours(user: Any, body: Unit) -> bool:
    """The body's secretariat (it publishes for the body that awarded)."""
    return _active(user) and user.holds(Role.SECRETARIAT, body)


def can_manage_any_honours(user: Any) -> bool:
    """The secretariat of some awarding body: the honour board's management page."""
    return _active(user) and any(
        unit.is_awarding_body for unit in user.units_with(Role.SECRETARIAT)
    )


def can_publish_certificate(user: Any, certificate: Certificate) -> bool:
    """The awarding body's secretariat, for a certificate that is still valid (a revoked one,
    its decision annulled, is never shown to the public)."""
    if certificate.state != CertificateState.VALID:
        return False
    return can_manage_honours(user, certificate.line.decision.awarding_body)


def can_unpublish_entry(user: Any, entry: HonourEntry) -> bool:
    """The awarding body's secretariat (an entry not on the board is refused by the service,
    409)."""
    return can_manage_honours(user, entry.awarding_body)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_manage_any_honours=can_manage_any_honours,
        can_publish_certificate=can_publish_certificate,
        can_unpublish_entry=can_unpublish_entry,
        HonourState=HonourState,
    )
