"""Certificates: created with their serial and code when a decision is issued, revoked through
their life when it is annulled."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from recognition.certificates import codes
from recognition.certificates.enums import CertificateAction, CertificateState
from recognition.certificates.models import Certificate
from recognition.certificates.workflow import CERTIFICATE_LIFECYCLE
from recognition.common.audit import AuditEvent
from recognition.common.numbering import next_number
from recognition.extensions import db
from recognition.units.models import Unit

if TYPE_CHECKING:
    from recognition.decisions.models import DecisionLine


def _public_serial(body: Unit, year: int, serial: int) -> str:
    """ "<code>-<year>-<serial>". A successor may take up its predecessor's code, and both may
    award in the year of the change: the second to take a serial adds its id after the code."""
    prefix = body.code or str(body.id)
    candidate = f"{prefix}-{year}-{serial:05d}"
    taken = db.session.scalar(
        select(Certificate.awarding_body_id).where(Certificate.public_serial == candidate)
    )
    if taken is not None and taken != body.id:
        return f"{prefix}.{body.id}-{year}-{serial:05d}"
    return candidate


def create_certificate(line: "DecisionLine", *, body: Unit, year: int) -> Certificate:
    """The line's certificate with the next golden-book serial of the body's year and its
    verification code; flushes nothing."""
    serial = next_number(body.id, year, "golden_book")
    certificate = Certificate(
        line=line,
        awarding_body_id=body.id,
        year=year,
        serial=serial,
        public_serial=_public_serial(body, year, serial),
        key_id="",
        code="",
    )
    certificate.key_id, certificate.code = codes.make_code(codes.essentials(certificate))
    db.session.add(certificate)
    return certificate


def revoke_certificate(
    certificate: Certificate, *, actor: Any, reason: str, revoked_at: datetime | None = None
) -> AuditEvent | None:
    """Revoke a valid certificate (its PDFs are served stamped from now on); a revoked one is
    left as it is. `revoked_at`: the moment of the annulment it follows (the stamp's day)."""
    if certificate.state != CertificateState.VALID:
        return None
    event = CERTIFICATE_LIFECYCLE.apply(
        certificate, CertificateAction.REVOKE, actor=actor, comment=reason
    )
    if revoked_at is not None:
        certificate.revoked_at = revoked_at
    return event
