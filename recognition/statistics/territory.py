"""A body's territory as its statistics read it: the units it counts awards for, the bodies
whose awards are its own, the bodies below it, and the unit each award counts under.

Its own bodies are the body and the bodies of its level merged into it (Bến Tre province into
Vĩnh Long; the old communes into the new one). A body of a higher level merged into it (a
district dissolved into the commune of its former seat, 1-7-2025) is not: its awards are a
district's, counted once, by the province among the levels below, and its old communes belong
to the communes that succeeded them, not to the successor of the district."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from recognition.common.text import fold
from recognition.extensions import db
from recognition.history.queries import lineage_ids
from recognition.statistics.classify import BODY_LEVELS, level_of_import
from recognition.statistics.enums import AwardLevel, Scope
from recognition.units.enums import UnitKind
from recognition.units.models import Unit

_LEVEL_RANK = {level: index for index, level in enumerate(AwardLevel)}


def body_level(kind: UnitKind) -> AwardLevel:
    """The level of what a body of `kind` confers."""
    return BODY_LEVELS.get(kind, AwardLevel.COMMUNE)


class Territory:
    """The units of a body's territory, their current carriers and the unit each counts under."""

    def __init__(self, body: Unit) -> None:
        self.body = body
        self.level = body_level(body.kind)
        lineage = db.session.scalars(select(Unit).where(Unit.id.in_(lineage_ids({body.id}))))
        roots, self.higher_predecessors = [], []
        for unit in lineage:
            same_or_lower = _LEVEL_RANK[body_level(unit.kind)] >= _LEVEL_RANK[self.level]
            if unit.id == body.id or same_or_lower:
                roots.append(unit)
            else:
                self.higher_predecessors.append(unit)
        self.higher_predecessors.sort(key=lambda u: u.name_sort)
        inside = or_(*(Unit.path.startswith(unit.path) for unit in roots))
        found = db.session.scalars(select(Unit).where(inside)).all()
        self.units = {unit.id: unit for unit in found}
        # Units merged into units of the territory from elsewhere belong to its past too; not
        # those of a higher level (a district dissolved into one of its communes).
        extra = lineage_ids(set(self.units)) - set(self.units)
        if extra:
            for unit in db.session.scalars(select(Unit).where(Unit.id.in_(extra))):
                if _LEVEL_RANK[body_level(unit.kind)] >= _LEVEL_RANK[self.level]:
                    self.units[unit.id] = unit
        self.own_ids = {u.id for u in roots if u.id == body.id or u.is_awarding_body}
        self.below_ids = {
            u.id for u in self.units.values() if u.is_awarding_body and u.id not in self.own_ids
        }
        self._by_name = _names(self.units[i] for i in self.own_ids | self.below_ids)
        self._conferrers: dict[tuple[str, date | None], tuple[Unit | None, Scope]] = {}

    @property
    def ids(self) -> set[int]:
        return set(self.units)

    @property
    def body_ids(self) -> set[int]:
        """The bodies whose decisions the statistics count: its own and those below."""
        return self.own_ids | self.below_ids

    def is_above(self, unit: Unit) -> bool:
        """Whether `unit`, a body outside the territory, confers at a higher level than the
        body (a neighbouring commune's award to one of its people is not a higher level's)."""
        return _LEVEL_RANK[body_level(unit.kind)] < _LEVEL_RANK[self.level]

    def scope_of_body(self, body_id: int) -> Scope:
        """Whose award a decision of this body is: the body's own, a lower body's, or (a body
        outside the territory, whose decision reached one of its units) a higher level's."""
        if body_id in self.own_ids:
            return Scope.OWN
        return Scope.BELOW if body_id in self.below_ids else Scope.ABOVE

    def conferrer(
        self, body_name: str, award_name: str, on: date | None
    ) -> tuple[Unit | None, Scope]:
        """The body of the territory an imported award names as its awarder (None: none of
        them), and whose award it is. An awarder that is none of the territory's bodies is
        placed by its level: below the body's, a lower body's; the same, the body's own; above,
        a higher level's."""
        key = (body_name, on)
        if key not in self._conferrers:
            unit = _find(self._by_name, body_name, on)
            if unit is not None:
                self._conferrers[key] = (unit, self.scope_of_body(unit.id))
            else:
                rank = _LEVEL_RANK[level_of_import(award_name, body_name)]
                own = _LEVEL_RANK[self.level]
                scope = Scope.ABOVE if rank < own else Scope.OWN if rank == own else Scope.BELOW
                self._conferrers[key] = (None, scope)
        return self._conferrers[key]

    def _current(self, unit: Unit) -> Unit:
        seen = {unit.id}
        while unit.successor_id in self.units and unit.successor_id not in seen:
            unit = self.units[unit.successor_id]
            seen.add(unit.id)
        return unit

    def reporting_unit(self, unit: Unit | None) -> Unit | None:
        """The unit an award of `unit` counts under (None: no unit recorded)."""
        if unit is None:
            return None
        if unit.id not in self.units:
            return unit
        seen: set[int] = set()
        while unit.id not in seen:
            seen.add(unit.id)
            carrier = self._current(unit)
            if carrier.id == self.body.id:
                return self.body
            parent = self.units.get(carrier.parent_id or 0)
            if parent is None or self._current(parent).id == self.body.id:
                return carrier
            unit = parent
        return unit


def _names(bodies: object) -> dict[str, list[Unit]]:
    by_name: dict[str, list[Unit]] = {}
    for unit in bodies:  # type: ignore[attr-defined]
        by_name.setdefault(fold(unit.name), []).append(unit)
    return by_name


def _find(by_name: dict[str, list[Unit]], text: str, on: date | None) -> Unit | None:
    """The body whose name (folded) is the longest run of whole words of `text`; between
    namesakes (the old Xã Phú Phụng and the new), the one in being on the day."""
    words = fold(text).split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            found = by_name.get(" ".join(words[start : start + size]))
            if found:
                return min(found, key=lambda unit: (not _valid_on(unit, on), unit.id))
    return None


def _valid_on(unit: Unit, on: date | None) -> bool:
    if on is None:
        return unit.valid_to is None
    return (unit.valid_from is None or unit.valid_from <= on) and (
        unit.valid_to is None or on <= unit.valid_to
    )
