"""What the certificate pages list: a decision's certificates, a body's golden book.

Certificates sit below decisions: the decision and its lines are reached through the ORM
relationships (`Certificate.line`, `PrintJob.decision`), never imported.
"""

from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate, PrintJob
from recognition.certificates.permissions import can_view_golden_book
from recognition.common.loading import load_or_404
from recognition.extensions import db
from recognition.units.models import Unit

# The mapped classes at the other end of the relationships.
_Decision: Any = PrintJob.decision.property.mapper.class_
_DecisionLine: Any = Certificate.line.property.mapper.class_


def decision_locked(decision_id: int) -> Any:
    """The decision read again with its row locked until the transaction ends (PostgreSQL;
    SQLite has no row locks and takes its write lock at BEGIN: common/writes.py)."""
    return db.session.get(_Decision, decision_id, with_for_update=True)


def decision_or_404(decision_id: int) -> Any:
    """The decision with its lines, dossiers, titles and certificates; 404, then 403 unless
    the user may read its body's certificates."""
    lines = selectinload(_Decision.lines).options(
        selectinload(_DecisionLine.nomination),
        selectinload(_DecisionLine.award_type),
        selectinload(_DecisionLine.certificate),
    )
    return load_or_404(
        _Decision,
        decision_id,
        permitted=lambda user, decision: can_view_golden_book(user, decision.awarding_body),
        options=[lines],
    )


def certificates_for_decision(decision: Any, line_ids: set[int] | None = None) -> list[Certificate]:
    """The decision's certificates in annex order (only the chosen lines when given); 404 while
    it has none (before it is issued)."""
    certificates = [line.certificate for line in decision.lines if line.certificate is not None]
    if not certificates:
        abort(404)
    return [c for c in certificates if not line_ids or c.line_id in line_ids]


def golden_book_query(body: Unit) -> Select[Certificate]:
    """The body's golden book: every certificate, newest year first, in serial order."""
    return (
        select(Certificate)
        .where(Certificate.awarding_body_id == body.id)
        .options(
            selectinload(Certificate.line).selectinload(_DecisionLine.decision),
            selectinload(Certificate.line).selectinload(_DecisionLine.award_type),
        )
        .order_by(Certificate.year.desc(), Certificate.serial)
    )


def certificates_for_body(body: Unit) -> list[Certificate]:
    """The whole golden book (for its XLSX)."""
    return list(db.session.scalars(golden_book_query(body)))


def print_refusal(certificates: list[Certificate]) -> str | None:
    """Why these certificates are not printed: every one is revoked (its decision annulled).
    A revoked certificate is still served one by one, stamped, as a record; it is not
    printed again to be handed out."""
    if any(c.state == CertificateState.VALID for c in certificates):
        return None
    return _(
        "These certificates were revoked when the decision was annulled: they cannot be printed."
    )
