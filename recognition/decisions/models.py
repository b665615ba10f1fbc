"""Decisions, their award lines and public posting."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.models import User
from recognition.campaigns.models import AwardType
from recognition.certificates.models import Certificate
from recognition.database import Base, enum_check, enum_column, utcnow
from recognition.decisions.enums import AnnulmentRequestState, DecisionState
from recognition.nominations.models import Nomination
from recognition.units.models import Unit


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(enum_check("state", DecisionState), name="state"),
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
    # The day whose law the bases were generated for (None: typed, or not generated).
    legal_bases_on: Mapped[date | None]
    # "Theo đề nghị của …." after the legal bases (Decree 30/2020), from the body's settings.
    proposal: Mapped[str] = mapped_column(String(300), default="")
    articles: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    signer_title: Mapped[str] = mapped_column(String(100))
    signer_name: Mapped[str] = mapped_column(String(120))
    state: Mapped[DecisionState] = enum_column(DecisionState, 10, default=DecisionState.DRAFT)
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
    # The decision as signed at issue (PAdES), when its body has a signing key; otherwise the
    # PDF is rendered from the record when asked for.
    pdf_key: Mapped[str | None] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

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

    @property
    def is_signed_digitally(self) -> bool:
        """Signed at issue: only the signing stores a decision's PDF (see `pdf_key`)."""
        return self.pdf_key is not None


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
    # Reward money (recognition.decisions.money): the secretariat's amount in place of the
    # computed one, with its reason; the amount paid, stored when the decision is issued.
    amount_override: Mapped[int | None] = mapped_column(BigInteger)
    amount_reason: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int | None] = mapped_column(BigInteger)

    decision: Mapped[Decision] = relationship(back_populates="lines")
    nomination: Mapped[Nomination] = relationship()
    award_type: Mapped[AwardType] = relationship()
    certificate: Mapped[Certificate | None] = relationship(back_populates="line")


class PostingFeedback(Base):
    """A citizen's comment on a publicly posted list (before the decision is issued)."""

    __tablename__ = "posting_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


_PENDING = "state = 'pending'"


class AnnulmentRequest(Base):
    """The secretariat's proposal to annul an issued decision, after an inspection or a
    complaint; the chair who awarded decides (NĐ 152/2025/NĐ-CP: a commendation is annulled
    by whoever conferred it, at a proposal)."""

    __tablename__ = "annulment_requests"
    __table_args__ = (
        CheckConstraint(enum_check("state", AnnulmentRequestState), name="state"),
        CheckConstraint("(state = 'pending') = (decided_at IS NULL)", name="decided_at"),
        # At most one proposal waits for the chair per decision.
        Index(
            "uq_annulment_requests_pending",
            "decision_id",
            unique=True,
            sqlite_where=text(_PENDING),
            postgresql_where=text(_PENDING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[AnnulmentRequestState] = enum_column(
        AnnulmentRequestState, 10, default=AnnulmentRequestState.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    decision: Mapped[Decision] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
