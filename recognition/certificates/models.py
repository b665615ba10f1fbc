"""Certificates of merit and the print jobs that render them in the background."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.certificates.enums import CertificateState, PrintJobState
from recognition.database import Base, enum_check, enum_column, utcnow

if TYPE_CHECKING:
    from recognition.decisions.models import Decision, DecisionLine


class Certificate(Base):
    """A certificate of merit: golden-book serial, verification code, the stored PDF."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "year", "serial"),
        CheckConstraint(enum_check("state", CertificateState), name="state"),
        CheckConstraint("state <> 'revoked' OR revoked_at IS NOT NULL", name="revoked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("decision_lines.id"), unique=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    serial: Mapped[int]
    public_serial: Mapped[str] = mapped_column(String(40), unique=True)
    key_id: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    state: Mapped[CertificateState] = enum_column(
        CertificateState, 10, default=CertificateState.VALID
    )
    pdf_key: Mapped[str | None] = mapped_column(String(64))
    # Indexed: an uploaded PDF is found by its digest (the public verification page).
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    line: Mapped[DecisionLine] = relationship(back_populates="certificate")


class PrintJob(Base):
    """A batch of certificates printed in the background, with its progress."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint(enum_check("state", PrintJobState), name="state"),
        CheckConstraint("done >= 0 AND done <= total", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    line_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[PrintJobState] = enum_column(PrintJobState, 10, default=PrintJobState.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    result_key: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    decision: Mapped[Decision] = relationship("Decision")

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else int(self.done * 100 / self.total)
