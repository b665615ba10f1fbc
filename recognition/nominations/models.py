"""The nomination dossier, its criterion answers, attachments, snapshots and appraisals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, overload

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from recognition.auth.models import User
from recognition.campaigns.models import AwardType, Campaign, Criterion
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.database import Base, binary_string, enum_check, enum_column, utcnow
from recognition.nominations.enums import Gender, HoldKind, NominationState
from recognition.units.models import Unit

_ACTIVE = "state <> 'withdrawn'"


# The states of a dossier waiting in the secretariat's inbox (review.queries.INBOX_STATES).
_WAITING = "state IN ('submitted', 'in_review')"
# Dossiers the council passed (decisions.queries.passed_waiting).
_PASSED = "state = 'passed'"


class ReportText:
    """One of a dossier's report texts, read and written as if it were the dossier's own
    attribute; kept in the dossier's `NominationReport`. A changed text also changes the dossier's
    `updated_at`, so that its row is written and its version moves (two edits of one dossier
    still conflict when only the texts differ)."""

    def __init__(self, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, nomination: None, owner: type[Nomination]) -> ReportText: ...

    @overload
    def __get__(self, nomination: Nomination, owner: type[Nomination]) -> str: ...

    def __get__(self, nomination: Nomination | None, owner: type[Nomination]) -> str | ReportText:
        if nomination is None:
            return self
        report = nomination.report
        return (getattr(report, self.name) or "") if report is not None else ""

    def __set__(self, nomination: Nomination, value: str) -> None:
        if nomination.report is None:
            nomination.report = NominationReport()
        elif getattr(nomination.report, self.name) == value:
            return
        setattr(nomination.report, self.name, value)
        nomination.updated_at = utcnow()


class Nomination(Base):
    """A dossier proposing one nominee (a unit or a person) for one award type in a campaign."""

    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint(enum_check("state", NominationState), name="state"),
        CheckConstraint(
            "person_gender IS NULL OR " + enum_check("person_gender", Gender),
            name="gender",
        ),
        CheckConstraint("(nominee_unit_id IS NULL) <> (person_name IS NULL)", name="one_nominee"),
        CheckConstraint(
            "state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL", name="submitted_at"
        ),
        CheckConstraint("state <> 'withdrawn' OR withdrawn_at IS NOT NULL", name="withdrawn_at"),
        CheckConstraint(
            "hold_kind IS NULL OR " + enum_check("hold_kind", HoldKind), name="hold_kind"
        ),
        # A hold has its kind, its time and who set it, or none of them.
        CheckConstraint(
            "(hold_kind IS NULL) = (held_at IS NULL) AND (held_at IS NULL) = (held_by_id IS NULL)",
            name="hold",
        ),
        CheckConstraint(
            "women_percent IS NULL OR (women_percent >= 0 AND women_percent <= 100)",
            name="women_percent",
        ),
        # One active nomination per nominee, award type and campaign.
        Index(
            "uq_nominations_active_nominee",
            "campaign_id",
            "award_type_id",
            "nominee_key",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
        Index("ix_nominations_state", "state"),
        # A body's dossiers in a state, and when they were submitted (the inbox's counts of
        # waiting and overdue dossiers, from the index alone).
        Index("ix_nominations_campaign_state", "campaign_id", "state", "submitted_at"),
        # The list's search (LIKE '%…%' on the folded name) on PostgreSQL: trigrams.
        Index(
            "ix_nominations_nominee_trgm",
            "nominee_folded",
            postgresql_using="gin",
            postgresql_ops={"nominee_folded": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_nominations_reference_trgm",
            "reference",
            postgresql_using="gin",
            postgresql_ops={"reference": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The inbox: waiting dossiers, oldest first, with what its counts read (index only).
        Index(
            "ix_nominations_waiting",
            "submitted_at",
            "id",
            "campaign_id",
            "state",
            sqlite_where=text(_WAITING),
            postgresql_where=text(_WAITING),
        ),
        # A body's passed dossiers, in the order the decision page lists them: counted and
        # listed from the index alone (its rows are loaded for the page's 20 only).
        Index(
            "ix_nominations_passed",
            "award_type_id",
            "nominee_sort",
            "id",
            "campaign_id",
            sqlite_where=text(_PASSED),
            postgresql_where=text(_PASSED),
        ),
        # The list of dossiers, in name order, with what its visibility rule and filters read
        # (the page's ids come from the index alone).
        Index(
            "ix_nominations_list",
            "nominee_sort",
            "id",
            "campaign_id",
            "state",
            "nominating_unit_id",
        ).ddl_if(dialect="postgresql"),
        # On SQLite, which has no trigram index, the same with what the search reads: LIKE
        # '%…%' runs over the index alone, not every row (10,000 dossiers: 13 ms to 1.2 ms).
        Index(
            "ix_nominations_list_search",
            "nominee_sort",
            "id",
            "campaign_id",
            "state",
            "nominating_unit_id",
            "nominee_folded",
            "reference",
        ).ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"), index=True)
    nominating_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    nominee_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(120))
    person_position: Mapped[str | None] = mapped_column(String(200))
    person_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    person_birth_year: Mapped[int | None]
    person_gender: Mapped[Gender | None] = enum_column(Gender, 10)
    # The nominee's name as it was when the dossier was made (units are renamed and merged).
    nominee_name: Mapped[str] = mapped_column(String(250))
    nominee_folded: Mapped[str] = mapped_column(String(250))
    nominee_sort: Mapped[str] = mapped_column(binary_string(510))
    nominee_key: Mapped[str] = mapped_column(String(300))
    state: Mapped[NominationState] = enum_column(NominationState, 20, default=NominationState.DRAFT)
    reference: Mapped[str | None] = mapped_column(String(30), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # A collective's share of women (percent), for the tie-break of NĐ 152/2025 art. 4.
    women_percent: Mapped[int | None]
    # Held while the nominee is under discipline, inspection or complaint review (NĐ 152/2025
    # art. 4): set and lifted by the awarding body's secretariat (services.hold_nomination).
    hold_kind: Mapped[HoldKind | None] = enum_column(HoldKind, 20)
    hold_reason: Mapped[str | None] = mapped_column(Text)
    held_at: Mapped[datetime | None]
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}

    campaign: Mapped[Campaign] = relationship()
    award_type: Mapped[AwardType] = relationship()
    nominating_unit: Mapped[Unit] = relationship(foreign_keys=[nominating_unit_id])
    nominee_unit: Mapped[Unit | None] = relationship(foreign_keys=[nominee_unit_id])
    person_unit: Mapped[Unit | None] = relationship(foreign_keys=[person_unit_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    held_by: Mapped[User | None] = relationship(foreign_keys=[held_by_id])
    answers: Mapped[list[CriterionAnswer]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id",
        primaryjoin="and_(Attachment.nomination_id == Nomination.id, "
        "Attachment.removed_at.is_(None))",
        viewonly=True,
    )
    events: Mapped[list[AuditEvent]] = relationship(
        AuditEvent,
        primaryjoin=lambda: and_(
            AuditEvent.object_kind == ObjectKind.NOMINATION,
            foreign(AuditEvent.object_id) == Nomination.id,
        ),
        order_by=AuditEvent.id,
        viewonly=True,
    )
    appraisals: Mapped[list[CriterionAppraisal]] = relationship(
        cascade="all, delete-orphan", order_by="CriterionAppraisal.id"
    )
    # The report's texts, in a row of their own (a list of dossiers reads none of them).
    report: Mapped[NominationReport | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    summary = ReportText("summary")
    report_general = ReportText("report_general")
    report_achievements = ReportText("report_achievements")
    report_criteria = ReportText("report_criteria")
    report_commendations = ReportText("report_commendations")

    @property
    def is_person(self) -> bool:
        return self.person_name is not None

    @property
    def is_held(self) -> bool:
        return self.hold_kind is not None

    def answer_for(self, criterion: Criterion) -> CriterionAnswer | None:
        return next((a for a in self.answers if a.criterion_id == criterion.id), None)


class NominationReport(Base):
    """A dossier's summary and the four sections of its report (one row per dossier)."""

    __tablename__ = "nomination_reports"

    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), primary_key=True
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    report_general: Mapped[str] = mapped_column(Text, default="")
    report_achievements: Mapped[str] = mapped_column(Text, default="")
    report_criteria: Mapped[str] = mapped_column(Text, default="")
    report_commendations: Mapped[str] = mapped_column(Text, default="")


class CriterionAnswer(Base):
    """The nominee's self-assessment of one criterion."""

    __tablename__ = "criterion_answers"
    __table_args__ = (UniqueConstraint("nomination_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), index=True)
    met: Mapped[bool | None]
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="answers")
    criterion: Mapped[Criterion] = relationship()


class Attachment(Base):
    """An evidence file, stored under a generated name outside static/ (see storage.py)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criteria.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Files are never deleted once the dossier was submitted: removal is recorded.
    removed_at: Mapped[datetime | None]

    nomination: Mapped[Nomination] = relationship()
    criterion: Mapped[Criterion | None] = relationship()
    uploaded_by: Mapped[User] = relationship()


class NominationSnapshot(Base):
    """The dossier as it was submitted (each submission is one round), for the diff view."""

    __tablename__ = "nomination_snapshots"
    __table_args__ = (UniqueConstraint("nomination_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CriterionAppraisal(Base):
    """The secretariat's verdict on one criterion of a dossier."""

    __tablename__ = "criterion_appraisals"
    __table_args__ = (
        UniqueConstraint("nomination_id", "criterion_id"),
        CheckConstraint("verdict IN ('agree', 'disagree')", name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    verdict: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    reviewer: Mapped[User] = relationship()
