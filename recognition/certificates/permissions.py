"""Who may download and print certificates, read the golden book and follow print jobs.

Certificates sit below decisions: a decision is read through the ORM relationships
(`certificate.line.decision`, `job.decision`), never imported.
"""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.certificates.enums import PENDING_JOB_STATES, CertificateState, PrintJobState
from recognition.certificates.models import Certificate, PrintJob
from recognition.nominations.permissions import can_view_nomination
from recognition.units.models import Unit


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def is_staff_of(user: Any, body: Unit) -> bool:
    """The body's secretariat or chair."""
    return _active(user) and (user.holds(Role.SECRETARIAT, body) or user.holds(Role.CHAIR, body))


def is_chair_of_body(user: Any, body: Unit) -> bool:
    return _active(user) and user.holds(Role.CHAIR, body)


def can_view_golden_book(user: Any, body: Unit) -> bool:
    """The body's secretariat and chair, and administrators."""
    return _active(user) and (user.is_admin or is_staff_of(user, body))


def can_print_certificates(user: Any, decision: Any) -> bool:
    """The body's staff and administrators print a decision that has valid certificates (an
    annulled decision's are revoked and not printed)."""
    has_certificates = any(
        line.certificate is not None and line.certificate.state == CertificateState.VALID
        for line in decision.lines
    )
    return has_certificates and can_view_golden_book(user, decision.awarding_body)


def can_download_certificate(user: Any, certificate: Certificate) -> bool:
    """Whoever may see the dossier it was awarded on."""
    return _active(user) and can_view_nomination(user, certificate.line.nomination)


def can_revoke_certificate(user: Any, certificate: Certificate) -> bool:
    """The chair of the awarding body (when it annuls the decision)."""
    return is_chair_of_body(user, certificate.line.decision.awarding_body)


def can_view_print_job(user: Any, job: PrintJob) -> bool:
    """Those who may print the decision's certificates."""
    return can_view_golden_book(user, job.decision.awarding_body)


def can_run_print_job(user: Any, job: PrintJob) -> bool:
    """The worker acts as the application (no user) or as the one who asked for the job."""
    return user is None or (_active(user) and user.id == job.requested_by_id)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_golden_book=can_view_golden_book,
        can_print_certificates=can_print_certificates,
        can_download_certificate=can_download_certificate,
        can_view_print_job=can_view_print_job,
        CertificateState=CertificateState,
        PrintJobState=PrintJobState,
        PENDING_JOB_STATES=PENDING_JOB_STATES,
    )
