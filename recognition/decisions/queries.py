"""What the decision pages list: the user's awarding bodies, their decisions, and the passed
dossiers waiting for one."""

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.campaigns.models import Campaign
from recognition.decisions.enums import HOLDING_STATES
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.units.models import Unit


def bodies_for_user(user: Any) -> list[Unit]:
    """The awarding bodies the user is secretariat or chair of."""
    found = {u.id: u for role in (Role.SECRETARIAT, Role.CHAIR) for u in user.units_with(role)}
    return list(found.values())


def decisions_query(user: Any, bodies: list[Unit]) -> Select[Decision]:
    """The decisions of the user's bodies (every decision for an administrator): the drafts
    first (no date yet), then by the day they were issued, newest first, and their number."""
    query = select(Decision).order_by(
        Decision.issued_on.desc().nulls_first(),
        Decision.year.desc(),
        Decision.number.desc(),
        Decision.id.desc(),
    )
    if not user.is_admin:
        query = query.where(Decision.awarding_body_id.in_([b.id for b in bodies]))
    return query


def line_counts(decisions: list[Decision]) -> dict[int, int]:
    """How many lines each decision has (one query)."""
    if not decisions:
        return {}
    rows = db.session.execute(
        select(DecisionLine.decision_id, func.count(DecisionLine.id))
        .where(DecisionLine.decision_id.in_([d.id for d in decisions]))
        .group_by(DecisionLine.decision_id)
    )
    counts: dict[int, int] = dict(rows.all())
    return {d.id: counts.get(d.id, 0) for d in decisions}


def _live_line() -> Select[Any]:
    return (
        select(DecisionLine.id)
        .join(Decision, Decision.id == DecisionLine.decision_id)
        .where(DecisionLine.nomination_id == Nomination.id, Decision.state.in_(HOLDING_STATES))
    )


def no_live_decision(*, counting: bool = False) -> ColumnElement[bool]:
    """That no decision holds a dossier (drafted, posted or issued).

    For a list in order, NOT EXISTS: the first rows of the index, one probe each. For a count,
    the same question row by row (`(SELECT … LIMIT 1) IS NULL`): as NOT EXISTS, PostgreSQL
    hashes every line of every live decision first, a cost that grows with all the decisions
    ever issued (16 ms for 2,155 dossiers at 100,000, against 3.5 ms).
    """
    if counting:
        return _live_line().limit(1).scalar_subquery().is_(None)
    return ~_live_line().exists()


def passed_waiting(body_ids: list[int], *, counting: bool = False) -> Select[Nomination]:
    """The dossiers of these bodies that the council passed and no live decision holds. Their
    campaigns are read first and given as values, so the planner knows each one's share."""
    campaigns = list(
        db.session.scalars(select(Campaign.id).where(Campaign.awarding_body_id.in_(body_ids)))
    )
    return select(Nomination).where(
        Nomination.campaign_id.in_(campaigns),
        Nomination.state == NominationState.PASSED,
        no_live_decision(counting=counting),
    )


def _passed_query(body: Unit) -> Select[Nomination]:
    return passed_waiting([body.id])


def passed_count(body: Unit) -> int:
    """How many of the body's passed dossiers wait for a decision."""
    return count_passed_waiting([body.id])


def count_passed_waiting(body_ids: list[int]) -> int:
    query = passed_waiting(body_ids, counting=True)
    return int(db.session.scalar(query.with_only_columns(func.count(Nomination.id))) or 0)


# The order of passed dossiers on the decision page and the dashboard (ix_nominations_passed).
PASSED_ORDER = (Nomination.award_type_id, Nomination.nominee_sort, Nomination.id)


def passed_nominations_for_body(body: Unit, *, limit: int | None = None) -> list[Nomination]:
    """Dossiers of the body that the council passed and that no live decision holds yet (the
    first `limit` of them, by title and name, when given)."""
    # The ids first, from the passed dossiers' index; then the rows of those only.
    ids = _passed_query(body).with_only_columns(Nomination.id).order_by(*PASSED_ORDER)
    if limit is not None:
        ids = ids.limit(limit)
    chosen = list(db.session.scalars(ids))
    if not chosen:
        return []
    rows = db.session.scalars(
        select(Nomination)
        .where(Nomination.id.in_(chosen))
        .options(selectinload(Nomination.award_type), selectinload(Nomination.held_by))
    )
    found = {row.id: row for row in rows}
    return [found[i] for i in chosen]
