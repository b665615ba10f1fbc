"""A movement's targets (chỉ tiêu), the values units report against them, the evidence files
of a report, and each awarding body's classification rules (bands of progress)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.database import Base, enum_check, enum_column, utcnow
from recognition.targets.enums import AssessmentTiming, TargetDirection, TargetSector, ValueState
from recognition.units.models import Unit


class Target(Base):
    """One target of a campaign: what is measured, from what baseline to what value, which
    unit answers for it and when it is assessed."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("campaign_id", "code"),
        CheckConstraint(enum_check("sector", TargetSector), name="sector"),
        CheckConstraint(enum_check("direction", TargetDirection), name="direction"),
        CheckConstraint(enum_check("timing", AssessmentTiming), name="timing"),
        # A yes/no target needs no figure; every other one does.
        CheckConstraint("direction = 'yes_no' OR target_value IS NOT NULL", name="target_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    sector: Mapped[TargetSector] = enum_column(TargetSector, 30)
    measure_unit: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    direction: Mapped[TargetDirection] = enum_column(
        TargetDirection, 10, default=TargetDirection.HIGHER
    )
    responsible_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    timing: Mapped[AssessmentTiming] = enum_column(
        AssessmentTiming, 20, default=AssessmentTiming.PERIODIC
    )
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    responsible_unit: Mapped[Unit] = relationship()
    values: Mapped[list[TargetValue]] = relationship(
        back_populates="target",
        cascade="all, delete-orphan",
        order_by="(TargetValue.as_of_on.desc(), TargetValue.id.desc())",
    )


class TargetValue(Base):
    """A value a unit reported for a target as of a day; the secretariat confirms or rejects
    it. Only confirmed values count."""

    __tablename__ = "target_values"
    __table_args__ = (
        CheckConstraint(enum_check("state", ValueState), name="state"),
        # Decided exactly when it is no longer waiting; a rejection carries its reason.
        CheckConstraint(
            "(state = 'reported') = (decided_at IS NULL)", name="decided_when_not_reported"
        ),
        CheckConstraint("state <> 'rejected' OR reason <> ''", name="rejected_with_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    as_of_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ValueState] = enum_column(ValueState, 20, default=ValueState.REPORTED)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    target: Mapped[Target] = relationship(back_populates="values")
    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    evidence: Mapped[list[TargetEvidence]] = relationship(
        back_populates="value", cascade="all, delete-orphan", order_by="TargetEvidence.id"
    )


class TargetEvidence(Base):
    """An evidence file of a report, stored under a generated key outside static/ (see
    common/storage.py); the original name is kept here."""

    __tablename__ = "target_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(
        ForeignKey("target_values.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    value: Mapped[TargetValue] = relationship(back_populates="evidence")


class TargetBand(Base):
    """A class of progress of an awarding body's targets: its name as the assessment writes it
    ("đạt và vượt", "xấp xỉ đạt", …) and the least progress (percent of the target) it takes.
    The band with the lowest minimum also takes any progress below it."""

    __tablename__ = "target_bands"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "name"),
        UniqueConstraint("awarding_body_id", "min_percent"),
        CheckConstraint("min_percent >= 0 AND min_percent <= 1000", name="min_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    min_percent: Mapped[Decimal] = mapped_column(Numeric(7, 2))
