"""The emulation fund of an awarding body for a year (quỹ thi đua, khen thưởng)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.database import Base, utcnow
from recognition.units.models import Unit


class EmulationFund(Base):
    """The year's budget and the share of it kept for organising movements, pledges and
    cluster activities; what is committed and paid is read from the decisions."""

    __tablename__ = "emulation_funds"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "year"),
        CheckConstraint("budget >= 0", name="budget"),
        CheckConstraint("movement_percent >= 0 AND movement_percent <= 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    budget: Mapped[int] = mapped_column(BigInteger)
    movement_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    awarding_body: Mapped[Unit] = relationship()
