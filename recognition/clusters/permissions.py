"""Who keeps a cluster, who scores for a member, who leads: pure predicates for views and
templates.

A unit acts through the people holding a role on exactly that unit (its nominator, its
secretariat or its chair). The body's secretariat defines the clusters; each member scores
itself; the unit leading the cluster on the day (cụm trưởng) records the score the cluster
meeting agreed and locks the year's result (the body's secretariat may do what the lead does,
on its behalf); a nominator covering every member turns the result into dossiers."""

from datetime import date
from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.clusters.enums import OfficerRole, tie_break_labels
from recognition.clusters.models import Cluster, ClusterMember, ClusterOfficer
from recognition.database import local_today
from recognition.units.models import Unit

UNIT_ROLES = (Role.NOMINATOR, Role.SECRETARIAT, Role.CHAIR)


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def acts_for(user: Any, unit: Unit) -> bool:
    """`user` holds a role on exactly `unit` (its nominator, secretariat or chair)."""
    return _active(user) and any(user.holds(role, unit) for role in UNIT_ROLES)


def can_manage_clusters(user: Any, awarding_body: Any) -> bool:
    """The awarding body's secretariat, and administrators."""
    return _active(user) and (user.is_admin or user.holds(Role.SECRETARIAT, awarding_body))


def officer_on(cluster: Cluster, role: OfficerRole, day: date) -> ClusterOfficer | None:
    """The unit holding `role` in `cluster` on `day`, if any."""
    return next((o for o in cluster.officers if o.role == role and o.covers(day)), None)


def lead_unit(cluster: Cluster, day: date | None = None) -> Unit | None:
    officer = officer_on(cluster, OfficerRole.LEAD, day or local_today())
    return officer.unit if officer else None


def can_lead(user: Any, cluster: Cluster) -> bool:
    """The unit leading the cluster today, or the body's secretariat for it."""
    if can_manage_clusters(user, cluster.awarding_body):
        return True
    lead = lead_unit(cluster)
    return lead is not None and acts_for(user, lead)


def _nominates_all(user: Any, cluster: Cluster) -> bool:
    return (
        _active(user)
        and bool(cluster.members)
        and all(user.has_role(Role.NOMINATOR, m.unit) for m in cluster.members)
    )


def can_view_cluster(user: Any, cluster: Cluster) -> bool:
    """The body's secretariat, chair and council members, administrators, the people of each
    member unit, and a nominator covering every member."""
    if not _active(user):
        return False
    body = cluster.awarding_body
    if can_manage_clusters(user, body) or user.holds(Role.CHAIR, body):
        return True
    if user.holds(Role.COUNCIL_MEMBER, body):
        return True
    return any(acts_for(user, m.unit) for m in cluster.members) or _nominates_all(user, cluster)


def can_self_score(user: Any, member: ClusterMember) -> bool:
    """The member's own people, while the year's result is open."""
    return not member.cluster.is_locked and acts_for(user, member.unit)


def can_view_member(user: Any, member: ClusterMember) -> bool:
    return can_view_cluster(user, member.cluster)


def can_agree_scores(user: Any, cluster: Cluster) -> bool:
    """The lead records the agreed scores and locks, while the result is open."""
    return not cluster.is_locked and can_lead(user, cluster)


def can_propose(user: Any, cluster: Cluster) -> bool:
    """Once locked: a nominator whose unit covers every member (for a province's cluster of
    communes, a nominator of the province), as the dossiers are made in that person's name
    through the nominations' own service."""
    return cluster.is_locked and _nominates_all(user, cluster)


def can_view_history(user: Any, unit: Unit) -> bool:
    """A unit's cluster results over the years (with those of the units merged into it): its
    own people, a nominator whose unit covers it (the province's officer who follows the
    clusters and proposes their awards), the secretariat, chair and council of an awarding
    body above it, and administrators."""
    if not _active(user):
        return False
    if user.is_admin or acts_for(user, unit) or user.has_role(Role.NOMINATOR, unit):
        return True
    return any(
        unit.is_within(grant.unit) and grant.unit.is_awarding_body and grant.unit.is_active
        for grant in user.grants
        if grant.role in (Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER)
    )


def has_cluster_role(user: Any) -> bool:
    """Whether the navigation shows the clusters: anyone who may keep or score one."""
    return _active(user) and bool(
        user.is_admin
        or user.units_with(Role.SECRETARIAT)
        or user.units_with(Role.CHAIR)
        or user.units_with(Role.COUNCIL_MEMBER)
        or user.units_with(Role.NOMINATOR)
    )


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_manage_clusters=can_manage_clusters,
        can_self_score=can_self_score,
        can_agree_scores=can_agree_scores,
        can_propose=can_propose,
        can_lead=can_lead,
        lead_unit=lead_unit,
        can_view_cluster=can_view_cluster,
        can_view_history=can_view_history,
        has_cluster_role=has_cluster_role,
        tie_break_labels=tie_break_labels,
    )
