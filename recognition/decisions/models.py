"""Decisions, their award lines, certificates, the golden book and public posting."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.models import User
from recognition.campaigns.models import AwardType
from recognition.database import Base, enum_check, utcnow
from recognition.nominations.models import Nomination
from recognition.units.models import Unit

DECISION_STATES = ("draft", "posted", "issued", "annulled")


class BodySettings(Base):
    """How an awarding body's decisions and certificates look (editable by its secretariat)."""

    __tablename__ = "body_settings"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    issuer_name: Mapped[str] = mapped_column(String(200))  # "ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH"
    superior_name: Mapped[str] = mapped_column(String(200), default="")  # line above it
    signer_office: Mapped[str] = mapped_column(String(200))  # "CHỦ TỊCH ỦY BAN NHÂN DÂN ..."
    signer_title: Mapped[str] = mapped_column(String(100), default="CHỦ TỊCH")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    place_name: Mapped[str] = mapped_column(String(100))  # "Chợ Lách"
    number_suffix: Mapped[str] = mapped_column(String(30), default="QĐ-UBND")
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    paper: Mapped[str] = mapped_column(String(2), default="A4")
    emblem_key: Mapped[str | None] = mapped_column(String(64))


class Counter(Base):
    """A gapless sequence per body, year and kind, locked while a number is taken."""

    __tablename__ = "counters"
    __table_args__ = (CheckConstraint("kind IN ('decision', 'golden_book')", name="kind"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(enum_check("state", list(DECISION_STATES)), name="state"),
        UniqueConstraint("awarding_body_id", "year", "number"),
        CheckConstraint(
            "state NOT IN ('issued', 'annulled') OR number IS NOT NULL", name="numbered"
        ),
        CheckConstraint("state <> 'annulled' OR annulled_at IS NOT NULL", name="annulled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    articles: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    signer_title: Mapped[str] = mapped_column(String(100))
    signer_name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10), default="draft")
    year: Mapped[int | None]
    number: Mapped[int | None]
    reference: Mapped[str | None] = mapped_column(String(60))
    issued_on: Mapped[date | None]
    posting_starts_on: Mapped[date | None]
    posting_ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    annulled_at: Mapped[datetime | None]
    annul_reason: Mapped[str] = mapped_column(Text, default="")

    awarding_body: Mapped[Unit] = relationship()
    issued_by: Mapped[User | None] = relationship()
    lines: Mapped[list[DecisionLine]] = relationship(
        back_populates="decision",
        order_by="DecisionLine.position",
        cascade="all, delete-orphan",
    )
    feedback: Mapped[list[PostingFeedback]] = relationship(
        order_by="PostingFeedback.id", cascade="all, delete-orphan"
    )


class DecisionLine(Base):
    """One award in a decision's annex: the recipient as named on the day."""

    __tablename__ = "decision_lines"
    __table_args__ = (UniqueConstraint("decision_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"))
    position: Mapped[int]
    recipient: Mapped[str] = mapped_column(String(250))
    detail: Mapped[str] = mapped_column(String(400), default="")  # position, unit
    achievement: Mapped[str] = mapped_column(Text, default="")

    decision: Mapped[Decision] = relationship(back_populates="lines")
    nomination: Mapped[Nomination] = relationship()
    award_type: Mapped[AwardType] = relationship()
    certificate: Mapped[Certificate | None] = relationship(back_populates="line")


class Certificate(Base):
    """A certificate of merit: golden-book serial, verification code, the stored PDF."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "year", "serial"),
        CheckConstraint("state IN ('valid', 'revoked')", name="state"),
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
    state: Mapped[str] = mapped_column(String(10), default="valid")
    pdf_key: Mapped[str | None] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    line: Mapped[DecisionLine] = relationship(back_populates="certificate")


class PostingFeedback(Base):
    """A citizen's comment on a publicly posted list (before the decision is issued)."""

    __tablename__ = "posting_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrintJob(Base):
    """A batch of certificates printed in the background, with its progress."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state"),
        CheckConstraint("done >= 0 AND done <= total", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    line_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Where the request came from: the QR links are built against it.
    base_url: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    result_key: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else int(self.done * 100 / self.total)


BLANK_PAPERS = ("A4", "A3")


class BlankLayout(Base):
    """Where the text of a certificate goes on an awarding body's pre-printed blanks (phôi) of
    one paper size: a box per field (JSON, checked by the service), the printer's calibration
    offset, and a scan of the blank for the on-screen preview."""

    __tablename__ = "blank_layouts"
    __table_args__ = (
        UniqueConstraint("unit_id", "paper"),
        CheckConstraint(enum_check("paper", list(BLANK_PAPERS)), name="paper"),
        CheckConstraint(
            "offset_x_mm BETWEEN -20 AND 20 AND offset_y_mm BETWEEN -20 AND 20", name="offset"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    paper: Mapped[str] = mapped_column(String(2))
    # {"office": {"x": 33.5, "y": 60.25, "width": 230, "size": 19, "align": "center",
    #  "shown": true}, ...}: millimetres from the sheet's top-left corner, points.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    offset_x_mm: Mapped[float] = mapped_column(default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(default=0.0)
    scan_key: Mapped[str | None] = mapped_column(String(64))
    scan_name: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
