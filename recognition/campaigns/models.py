"""The award catalogue (award types and their criteria) and campaigns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.campaigns.enums import (
    AwardKind,
    AwardOccasion,
    CampaignStatus,
    MeasureKind,
    NomineeKind,
    ReportSection,
    VoteBase,
    VoteMethod,
)
from recognition.database import Base, binary_string, enum_check, enum_column, utcnow
from recognition.law.enums import AwardStandard
from recognition.units.models import Unit

if TYPE_CHECKING:  # the dossiers' area is above this one: named, never imported
    from recognition.nominations.models import CriterionAnswer, Nomination


class AwardType(Base):
    """A title or commendation an awarding body confers, with its rules as data."""

    __tablename__ = "award_types"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "code"),
        CheckConstraint(enum_check("kind", AwardKind), name="kind"),
        CheckConstraint(enum_check("nominee_kind", NomineeKind), name="nominee_kind"),
        CheckConstraint(enum_check("occasion", AwardOccasion), name="occasion"),
        CheckConstraint(enum_check("vote_method", VoteMethod), name="vote_method"),
        CheckConstraint(enum_check("vote_base", VoteBase), name="vote_base"),
        CheckConstraint(enum_check("standard", AwardStandard), name="standard"),
        CheckConstraint(
            "vote_threshold_percent > 0 AND vote_threshold_percent <= 100", name="threshold"
        ),
        CheckConstraint(
            "quorum_numerator > 0 AND quorum_denominator > 0 "
            "AND quorum_numerator <= quorum_denominator",
            name="quorum",
        ),
        CheckConstraint("public_posting_days >= 0", name="posting_days"),
        CheckConstraint(
            "cap_percent IS NULL OR (cap_percent > 0 AND cap_percent <= 100)", name="cap_percent"
        ),
        CheckConstraint("history_years IS NULL OR history_years > 0", name="history_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(250))
    certificate_title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[AwardKind] = enum_column(AwardKind, 20)
    nominee_kind: Mapped[NomineeKind] = enum_column(NomineeKind, 20)
    # Which title or commendation of the law this is (its vote rule, authority and reward
    # coefficient follow from it), or the body's own title.
    standard: Mapped[AwardStandard] = enum_column(
        AwardStandard, 30, default=AwardStandard.OWN_TITLE
    )
    eligible_unit_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The report sections (ReportSection values) a dossier fills before it is submitted, besides
    # the summary, which every dossier needs.
    required_report_sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    vote_method: Mapped[VoteMethod] = enum_column(VoteMethod, 30, default=VoteMethod.SECRET_BALLOT)
    vote_threshold_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(70))
    vote_base: Mapped[VoteBase] = enum_column(VoteBase, 20, default=VoteBase.PRESENT)
    quorum_numerator: Mapped[int] = mapped_column(default=2)
    quorum_denominator: Mapped[int] = mapped_column(default=3)
    chair_must_approve: Mapped[bool] = mapped_column(default=False)
    abstain_allowed: Mapped[bool] = mapped_column(default=False)
    # Members absent from a meeting vote in writing (NĐ 98/2023 art. 30(7), kept by NĐ
    # 152/2025: the absentees of a council meeting on CSTĐCS and above vote in writing).
    absentees_vote_in_writing: Mapped[bool] = mapped_column(default=True)
    public_posting_days: Mapped[int] = mapped_column(default=0)
    simplified_allowed: Mapped[bool] = mapped_column(default=False)
    # Sudden and thematic awards do not count towards merit awards (NĐ 152/2025 art. 4).
    occasion: Mapped[AwardOccasion] = enum_column(AwardOccasion, 20, default=AwardOccasion.REGULAR)
    # "At most cap_percent % of the number of cap_base awards in the same year": an optional
    # rule of the body, off by default. (Decree 91/2017 art. 7 capped Chiến sĩ thi đua cơ sở at
    # 15 % of Lao động tiên tiến; that cap lapsed on 1-1-2024.)
    cap_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    cap_base_id: Mapped[int | None] = mapped_column(ForeignKey("award_types.id"))
    # "The nominee must hold history_award for history_years consecutive years before."
    history_award_id: Mapped[int | None] = mapped_column(ForeignKey("award_types.id"))
    history_years: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    awarding_body: Mapped[Unit] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="award_type",
        order_by="Criterion.position",
        cascade="all, delete-orphan",
    )
    cap_base: Mapped[AwardType | None] = relationship(remote_side=[id], foreign_keys=[cap_base_id])
    history_award: Mapped[AwardType | None] = relationship(
        remote_side=[id], foreign_keys=[history_award_id]
    )

    @property
    def report_sections(self) -> list[ReportSection]:
        """The report sections a dossier fills before it is submitted, in the report's order."""
        required = set(self.required_report_sections or [])
        return [s for s in ReportSection if s.value in required]

    @property
    def for_units(self) -> bool:
        return self.nominee_kind == NomineeKind.COLLECTIVE


class Criterion(Base):
    """One criterion of an award type, with how it is measured and evidenced."""

    __tablename__ = "criteria"
    __table_args__ = (
        UniqueConstraint("award_type_id", "code"),
        CheckConstraint(enum_check("measure", MeasureKind), name="measure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(
        ForeignKey("award_types.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    group: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=True)
    measure: Mapped[MeasureKind] = enum_column(MeasureKind, 10, default=MeasureKind.YES_NO)
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unit_label: Mapped[str] = mapped_column(String(40), default="")
    evidence_required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    award_type: Mapped[AwardType] = relationship(back_populates="criteria")
    # The dossiers' answers to this criterion (read only: a used criterion is kept).
    answers: Mapped[list[CriterionAnswer]] = relationship("CriterionAnswer", viewonly=True)


class Campaign(Base):
    """An emulation movement or period (đợt thi đua) in which an awarding body takes dossiers."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(enum_check("status", CampaignStatus), name="status"),
        CheckConstraint("closes_on >= opens_on", name="window"),
        CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300))
    name_sort: Mapped[str] = mapped_column(binary_string(610))
    directive_reference: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    status: Mapped[CampaignStatus] = enum_column(CampaignStatus, 20, default=CampaignStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    awarding_body: Mapped[Unit] = relationship()
    offers: Mapped[list[CampaignAward]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="CampaignAward.id"
    )

    def is_window_open(self, today: date) -> bool:
        return self.status == CampaignStatus.OPEN and self.opens_on <= today <= self.closes_on


class CampaignAward(Base):
    """An award type on offer in a campaign, with an optional quota of nominations."""

    __tablename__ = "campaign_awards"
    __table_args__ = (
        UniqueConstraint("campaign_id", "award_type_id"),
        CheckConstraint("quota IS NULL OR quota > 0", name="quota"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"), index=True)
    quota: Mapped[int | None]

    campaign: Mapped[Campaign] = relationship(back_populates="offers")
    award_type: Mapped[AwardType] = relationship(lazy="joined")
    # The dossiers of this campaign for this award type (read only).
    nominations: Mapped[list[Nomination]] = relationship(
        "Nomination",
        primaryjoin="and_(foreign(Nomination.campaign_id) == CampaignAward.campaign_id, "
        "foreign(Nomination.award_type_id) == CampaignAward.award_type_id)",
        viewonly=True,
    )
