"""An award record: one nominee's award, from a decision issued here or an earlier one
imported from a spreadsheet. The unit is the one awarded (a collective) or the person's unit,
with its name as it was, so a merged unit's past reads under its old name."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.database import Base, enum_check, enum_column, utcnow
from recognition.history.enums import NomineeKind, RecordSource
from recognition.law.enums import AwardStandard

if TYPE_CHECKING:
    from recognition.units.models import Unit


class AwardRecord(Base):
    __tablename__ = "award_records"
    __table_args__ = (
        CheckConstraint(enum_check("source", RecordSource), name="source"),
        CheckConstraint(enum_check("nominee_kind", NomineeKind), name="nominee_kind"),
        CheckConstraint(enum_check("standard", AwardStandard), name="standard"),
        CheckConstraint(
            "source <> 'decision' OR decision_line_id IS NOT NULL", name="decision_has_line"
        ),
        CheckConstraint(
            "nominee_kind <> 'unit' OR unit_id IS NOT NULL", name="collective_has_unit"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[RecordSource] = enum_column(RecordSource, 10)
    decision_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision_lines.id", ondelete="CASCADE"), unique=True
    )
    # The dossier a decision's record awards: the eligibility checks, which sit below the
    # decisions, read the dossier's period and procedure through it.
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    is_withdrawn: Mapped[bool] = mapped_column(default=False)
    nominee_kind: Mapped[NomineeKind] = enum_column(NomineeKind, 10)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    person_name: Mapped[str | None] = mapped_column(String(120))
    person_birth_year: Mapped[int | None]
    person_position: Mapped[str] = mapped_column(String(200), default="")
    # The citizen ID number: personal data, stored only where HISTORY_STORE_CITIZEN_ID is set,
    # never shown on a page.
    citizen_id: Mapped[str | None] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(250))
    nominee_folded: Mapped[str] = mapped_column(String(250), index=True)
    person_key: Mapped[str] = mapped_column(String(300), index=True)
    award_name: Mapped[str] = mapped_column(String(300))
    standard: Mapped[AwardStandard | None] = enum_column(AwardStandard, 30, nullable=True)
    decision_reference: Mapped[str] = mapped_column(String(60), default="")
    decision_on: Mapped[date | None]
    awarding_body_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    awarding_body_name: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None]
    achievement: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    awarding_body: Mapped[Unit | None] = relationship(foreign_keys=[awarding_body_id])
