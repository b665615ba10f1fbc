"""Reading clusters: a body's clusters of a year, a cluster's standings and ranking, the
clusters a person sees, and a unit's scored past (its predecessors' too)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.clusters.models import (
    Cluster,
    ClusterMember,
    ClusterOfficer,
    ClusterScore,
    ScoringCriterion,
)
from recognition.clusters.permissions import acts_for, can_manage_clusters, can_view_cluster
from recognition.clusters.ranking import ZERO, Ranked, Standing, rank
from recognition.extensions import db
from recognition.units.models import Unit


def _loaded() -> list[Any]:
    return [
        selectinload(Cluster.members).selectinload(ClusterMember.scores),
        selectinload(Cluster.members).selectinload(ClusterMember.unit),
        selectinload(Cluster.criteria).selectinload(ScoringCriterion.items),
        selectinload(Cluster.officers).selectinload(ClusterOfficer.unit),
        selectinload(Cluster.locked_by),
        selectinload(Cluster.awarding_body),
    ]


def bodies_for_user(user: Any) -> list[Unit]:
    """The awarding bodies whose clusters `user` may see: those it keeps, chairs or sits on,
    and the bodies above the units it acts for."""
    if user.is_admin:
        return list(
            db.session.scalars(
                select(Unit).where(Unit.is_awarding_body, Unit.is_active).order_by(Unit.path)
            )
        )
    bodies: dict[int, Unit] = {}
    for role in (Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER, Role.NOMINATOR):
        for unit in user.units_with(role):
            node: Unit | None = unit
            while node is not None:
                if node.is_awarding_body and node.is_active:
                    bodies[node.id] = node
                node = node.parent
    return sorted(bodies.values(), key=lambda b: b.path)


def clusters_of_year(body: Unit, year: int) -> list[Cluster]:
    return list(
        db.session.scalars(
            select(Cluster)
            .where(Cluster.awarding_body_id == body.id, Cluster.year == year)
            .options(*_loaded())
            .order_by(Cluster.name_sort)
        )
    )


def visible_clusters(user: Any, body: Unit, year: int) -> list[Cluster]:
    if can_manage_clusters(user, body):
        return clusters_of_year(body, year)
    return [c for c in clusters_of_year(body, year) if can_view_cluster(user, c)]


def years_of(body: Unit) -> list[int]:
    return list(
        db.session.scalars(
            select(Cluster.year)
            .where(Cluster.awarding_body_id == body.id)
            .distinct()
            .order_by(Cluster.year.desc())
        )
    )


def load_cluster(cluster_id: int) -> Cluster | None:
    return db.session.get(Cluster, cluster_id, options=_loaded())


def member_points(member: ClusterMember, *, agreed: bool) -> dict[int, Decimal | None]:
    return {s.criterion_id: (s.agreed_points if agreed else s.self_points) for s in member.scores}


def standing_of(cluster: Cluster, member: ClusterMember, *, agreed: bool = True) -> Standing:
    """A member's total (less deductions), deductions and points per criterion."""
    points = member_points(member, agreed=agreed)
    by_criterion: dict[str, Decimal] = {}
    total = deductions = ZERO
    for criterion in cluster.criteria:
        if criterion.parent_id is not None:
            continue
        lines = criterion.items or [criterion]
        subtotal = sum((points.get(line.id) or ZERO for line in lines), ZERO)
        by_criterion[criterion.code] = subtotal
        if criterion.is_deduction:
            deductions += subtotal
        else:
            total += subtotal
    return Standing(
        key=member.id,
        name=member.unit_name,
        total=total - deductions,
        deductions=deductions,
        by_criterion=by_criterion,
        votes=member.votes,
    )


@dataclass(frozen=True)
class Row:
    ranked: Ranked
    member: ClusterMember
    self_total: Decimal
    self_scored: bool  # whether the member scored any line itself
    agreed: bool  # whether any line of its score is agreed (else no total is shown, not 0)


def _scored(member: ClusterMember, *, agreed: bool) -> bool:
    return any(points is not None for points in member_points(member, agreed=agreed).values())


def ranking_of(cluster: Cluster) -> list[Row]:
    """The members ranked on the agreed scores by the cluster's tie-break keys."""
    members = {m.id: m for m in cluster.members}
    ranked = rank([standing_of(cluster, m) for m in cluster.members], cluster.tie_breaks)
    return [
        Row(
            r,
            members[r.standing.key],
            standing_of(cluster, members[r.standing.key], agreed=False).total,
            _scored(members[r.standing.key], agreed=False),
            _scored(members[r.standing.key], agreed=True),
        )
        for r in ranked
    ]


def table_maximum(cluster: Cluster) -> Decimal:
    return sum(
        (c.max_points for c in cluster.criteria if c.parent_id is None and not c.is_deduction),
        ZERO,
    )


def predecessors_of(unit: Unit) -> list[Unit]:
    """The units merged into `unit`, and theirs in turn."""
    found: list[Unit] = []
    frontier = [unit.id]
    while frontier:
        merged = list(db.session.scalars(select(Unit).where(Unit.successor_id.in_(frontier))))
        merged = [u for u in merged if u.id != unit.id and u not in found]
        found.extend(merged)
        frontier = [u.id for u in merged]
    return found


@dataclass(frozen=True)
class PastResult:
    cluster: Cluster
    member: ClusterMember
    rank: int
    total: Decimal
    of_count: int


def history_of(unit: Unit) -> list[PastResult]:
    """Every locked result of `unit` and of the units merged into it, newest first, under the
    name each had then."""
    ids = [unit.id, *(u.id for u in predecessors_of(unit))]
    members = db.session.scalars(
        select(ClusterMember)
        .join(Cluster)
        .where(ClusterMember.unit_id.in_(ids), Cluster.locked_at.is_not(None))
        .options(selectinload(ClusterMember.cluster).options(*_loaded()))
    ).all()
    results = []
    for member in members:
        rows = ranking_of(member.cluster)
        row = next(r for r in rows if r.member.id == member.id)
        results.append(
            PastResult(
                member.cluster, member, row.ranked.rank, row.ranked.standing.total, len(rows)
            )
        )
    return sorted(results, key=lambda r: (-r.cluster.year, r.cluster.name_sort, r.member.unit_sort))


def member_units_for(user: Any, cluster: Cluster) -> list[ClusterMember]:
    """The members `user` scores for."""
    return [m for m in cluster.members if acts_for(user, m.unit)]


def score_of(member: ClusterMember, line: ScoringCriterion) -> ClusterScore | None:
    return next((s for s in member.scores if s.criterion_id == line.id), None)
