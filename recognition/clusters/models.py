"""Emulation clusters and blocks of a year: members, the rotation of the lead and deputy, the
scoring table and the scores."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

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

from recognition.auth.models import User
from recognition.clusters.enums import DEFAULT_TIE_BREAKS, ClusterKind, OfficerRole
from recognition.database import Base, binary_string, enum_check, enum_column, utcnow
from recognition.units.models import Unit

# Points are kept to one decimal place (a scoring table's usual precision).
POINTS = Numeric(5, 1)


class Cluster(Base):
    """A cluster (cụm) or block (khối) of an awarding body for one year."""

    __tablename__ = "clusters"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "year", "name_folded"),
        CheckConstraint(enum_check("kind", ClusterKind.values()), name="kind"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year"),
        CheckConstraint("(locked_at IS NULL) = (locked_by_id IS NULL)", name="locked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))
    name_sort: Mapped[str] = mapped_column(binary_string(410))
    kind: Mapped[ClusterKind] = enum_column(ClusterKind, 20, default=ClusterKind.CLUSTER)
    # The body's order of tie-break keys (TieBreak values or "criterion:<code>").
    tie_breaks: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(DEFAULT_TIE_BREAKS))
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    awarding_body: Mapped[Unit] = relationship()
    locked_by: Mapped[User | None] = relationship()
    members: Mapped[list[ClusterMember]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan", order_by="ClusterMember.unit_sort"
    )
    officers: Mapped[list[ClusterOfficer]] = relationship(
        back_populates="cluster",
        cascade="all, delete-orphan",
        order_by="(ClusterOfficer.valid_from, ClusterOfficer.id)",
    )
    criteria: Mapped[list[ScoringCriterion]] = relationship(
        back_populates="cluster",
        cascade="all, delete-orphan",
        order_by="(ScoringCriterion.position, ScoringCriterion.id)",
    )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def __repr__(self) -> str:
        return f"<Cluster {self.id} {self.name!r} {self.year}>"


class ClusterMember(Base):
    """A unit in a cluster for the year, with its name as it was (a merged unit keeps it)."""

    __tablename__ = "cluster_members"
    __table_args__ = (
        UniqueConstraint("cluster_id", "unit_id"),
        CheckConstraint("votes IS NULL OR votes >= 0", name="votes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(200))
    unit_sort: Mapped[str] = mapped_column(binary_string(410))
    # Votes the member received at the cluster meeting (a tie-break key).
    votes: Mapped[int | None]
    # The dossier the year's result proposed for the member, once proposed.
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id"))

    cluster: Mapped[Cluster] = relationship(back_populates="members")
    unit: Mapped[Unit] = relationship()
    scores: Mapped[list[ClusterScore]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )


class ClusterOfficer(Base):
    """A unit leading (or deputising for) the cluster from one day to another (inclusive)."""

    __tablename__ = "cluster_officers"
    __table_args__ = (
        CheckConstraint(enum_check("role", OfficerRole.values()), name="role"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[OfficerRole] = enum_column(OfficerRole, 20)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]

    cluster: Mapped[Cluster] = relationship(back_populates="officers")
    unit: Mapped[Unit] = relationship()

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ScoringCriterion(Base):
    """A line of the scoring table: a criterion, or a sub-item of one (`parent_id`). A
    criterion with sub-items is worth the sum of theirs; a deduction line's points are
    subtracted from the total."""

    __tablename__ = "cluster_criteria"
    __table_args__ = (
        UniqueConstraint("cluster_id", "code"),
        CheckConstraint("max_points >= 0", name="max_points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster_criteria.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    max_points: Mapped[Decimal] = mapped_column(POINTS)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    is_deduction: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    cluster: Mapped[Cluster] = relationship(back_populates="criteria")
    parent: Mapped[ScoringCriterion | None] = relationship(remote_side=[id], back_populates="items")
    items: Mapped[list[ScoringCriterion]] = relationship(
        back_populates="parent", order_by="(ScoringCriterion.position, ScoringCriterion.id)"
    )


class ClusterScore(Base):
    """A member's points on one scored line: its own (self-score), and the score the cluster
    meeting agreed after cross-checking, which the lead records."""

    __tablename__ = "cluster_scores"
    __table_args__ = (
        UniqueConstraint("member_id", "criterion_id"),
        CheckConstraint("self_points IS NULL OR self_points >= 0", name="self_points"),
        CheckConstraint("agreed_points IS NULL OR agreed_points >= 0", name="agreed_points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("cluster_members.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("cluster_criteria.id", ondelete="CASCADE"), index=True
    )
    self_points: Mapped[Decimal | None] = mapped_column(POINTS)
    self_note: Mapped[str] = mapped_column(Text, default="")
    # Evidence: a text, a document's number or a link to it (files stay with the dossier).
    evidence: Mapped[str] = mapped_column(Text, default="")
    agreed_points: Mapped[Decimal | None] = mapped_column(POINTS)
    agreed_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[ClusterMember] = relationship(back_populates="scores")
    criterion: Mapped[ScoringCriterion] = relationship()
