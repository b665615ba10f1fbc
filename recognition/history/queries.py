"""Reading the award history: a unit's (with the units merged into it), a person's, and the
search over the records a user may read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, or_, select
from sqlalchemy.orm import aliased, selectinload

from recognition.common.text import clean, fold
from recognition.extensions import db
from recognition.history.enums import NomineeKind
from recognition.history.models import AwardRecord
from recognition.history.permissions import scope_units
from recognition.units.models import Unit

_NEWEST_FIRST = (
    AwardRecord.decision_on.desc().nulls_last(),
    AwardRecord.year.desc().nulls_last(),
    AwardRecord.id.desc(),
)


def lineage_ids(unit_ids: set[int]) -> set[int]:
    """`unit_ids` and every unit merged into them, at any depth."""
    found = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        frontier = set(
            db.session.scalars(
                select(Unit.id).where(Unit.successor_id.in_(frontier), Unit.id.not_in(found))
            )
        )
        found |= frontier
    return found


def predecessors_of(unit: Unit) -> list[Unit]:
    """The units merged into `unit` (at any depth), by name."""
    ids = lineage_ids({unit.id}) - {unit.id}
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name_sort)))


def _within(unit: Unit) -> tuple[set[int], ColumnElement[bool]]:
    """The ids of `unit` and its predecessors, and the condition of the records of any unit
    within one of them (hamlets moved in by a merger included)."""
    ids = lineage_ids({unit.id})
    lineage = db.session.scalars(select(Unit).where(Unit.id.in_(ids))).all()
    inside = select(Unit.id).where(or_(*(Unit.path.startswith(u.path) for u in lineage)))
    return ids, AwardRecord.unit_id.in_(inside)


def unit_records(unit: Unit) -> tuple[list[AwardRecord], list[AwardRecord]]:
    """The collective awards of `unit` and its predecessors; and the awards of the people and
    sub-units within any of them (hamlets moved in by a merger included)."""
    ids, within_unit = _within(unit)
    rows = db.session.scalars(select(AwardRecord).where(within_unit).order_by(*_NEWEST_FIRST)).all()
    own = [r for r in rows if r.unit_id in ids and r.nominee_kind == NomineeKind.UNIT]
    within = [r for r in rows if not (r.unit_id in ids and r.nominee_kind == NomineeKind.UNIT)]
    return own, within


def unit_history_query(unit: Unit) -> Select[AwardRecord]:
    """The records of `unit_records` in one list, in its order: the unit's own awards (and its
    predecessors') first, then those of the people and units within, each newest first, to the
    id (a place of its own for every record, so that pages neither repeat nor skip one)."""
    ids, within_unit = _within(unit)
    own = AwardRecord.unit_id.in_(ids) & (AwardRecord.nominee_kind == NomineeKind.UNIT)
    return select(AwardRecord).where(within_unit).order_by(case((own, 0), else_=1), *_NEWEST_FIRST)


def person_records(key: str) -> list[AwardRecord]:
    """Every award of the person with this key, newest first."""
    return list(
        db.session.scalars(
            select(AwardRecord)
            .where(AwardRecord.person_key == key)
            .options(selectinload(AwardRecord.unit))
            .order_by(*_NEWEST_FIRST)
        )
    )


def visible_units(user: Any) -> Select[Any] | None:
    """The ids of the units whose records `user` reads, as a subquery (None: all of them, for
    an administrator): the units at or below the user's scopes and, at any depth, the units
    merged into those. One recursive query inside the search's, rather than a province's
    thousands of unit ids read and sent back as parameters."""
    if getattr(user, "is_admin", False):
        return None
    scopes = scope_units(user)
    if not scopes:
        return select(Unit.id).where(false())
    inside = or_(*(Unit.path.startswith(scope.path) for scope in scopes))
    lineage = select(Unit.id).where(inside).cte("lineage", recursive=True)
    merged = aliased(Unit)
    lineage = lineage.union(
        select(merged.id).join(lineage, merged.successor_id == lineage.c.id)
    )  # UNION, not UNION ALL: a unit met twice is not followed twice
    return select(lineage.c.id)


def search_query(user: Any, text: str, *, year: int | None = None) -> Select[Any]:
    """The records `user` may read whose nominee's name contains `text` (folded), newest
    first; withdrawn records included (the page marks them)."""
    query = select(AwardRecord).order_by(*_NEWEST_FIRST)
    allowed = visible_units(user)
    if allowed is not None:
        query = query.where(AwardRecord.unit_id.in_(allowed))
    words = fold(clean(text))
    if words:
        query = query.where(AwardRecord.nominee_folded.contains(words, autoescape=True))
    if year is not None:
        query = query.where(AwardRecord.year == year)
    return query
