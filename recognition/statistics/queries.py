"""The awards an awarding body counts for a year, and the figures of its yearly statistics.

What counts: the lines of the body's own decisions issued that year (an annulled decision
counts no more), and the earlier awards imported into the history for the units of its
territory (the units below it and below the units merged into it). Each award is counted
under its unit: the collective awarded or the person's unit, under its current name, rolled
up to the level just below the body (a hamlet of a merged commune counts under the hamlet; the
merged commune itself counts under the body)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from recognition.campaigns.enums import AwardKind, CampaignStatus, NomineeKind
from recognition.campaigns.models import Campaign
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.queries import paid_in
from recognition.extensions import db
from recognition.history.enums import NomineeKind as RecordNominee
from recognition.history.enums import RecordSource
from recognition.history.models import AwardRecord
from recognition.history.queries import lineage_ids
from recognition.law.enums import AwardStandard
from recognition.nominations.enums import Gender
from recognition.nominations.models import Nomination
from recognition.statistics.classify import (
    kind_of_import,
    level_of_decision,
    level_of_import,
)
from recognition.statistics.enums import AwardLevel
from recognition.units.models import Unit

TREND_YEARS = 5
# A movement whose period runs at least this long is a regular one; shorter ones are
# campaigns by stage or theme (the yearly report counts them apart).
REGULAR_MOVEMENT_DAYS = 300


@dataclass(frozen=True)
class Counted:
    """One award as the statistics count it."""

    year: int
    award_name: str
    kind: AwardKind
    level: AwardLevel
    standard: AwardStandard | None
    nominee_kind: NomineeKind
    unit_id: int | None
    unit_name: str
    is_woman: bool | None  # None: not an individual, or the gender is not recorded
    source: RecordSource


class Territory:
    """The units of a body's territory, their current carriers and the unit each counts under."""

    def __init__(self, body: Unit) -> None:
        self.body = body
        lineage = db.session.scalars(select(Unit).where(Unit.id.in_(lineage_ids({body.id}))))
        inside = or_(*(Unit.path.startswith(unit.path) for unit in lineage))
        found = db.session.scalars(select(Unit).where(inside)).all()
        self.units = {unit.id: unit for unit in found}
        # Units merged into units of the territory from elsewhere belong to its past too.
        extra = lineage_ids(set(self.units)) - set(self.units)
        if extra:
            for unit in db.session.scalars(select(Unit).where(Unit.id.in_(extra))):
                self.units[unit.id] = unit

    @property
    def ids(self) -> set[int]:
        return set(self.units)

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


def _decision_lines(body: Unit, years: list[int]) -> list[DecisionLine]:
    nomination = selectinload(DecisionLine.nomination)
    return list(
        db.session.scalars(
            select(DecisionLine)
            .join(Decision)
            .where(
                Decision.awarding_body_id == body.id,
                Decision.state == DecisionState.ISSUED,
                Decision.year.in_(years),
            )
            .options(
                selectinload(DecisionLine.decision),
                selectinload(DecisionLine.award_type),
                nomination.selectinload(Nomination.nominee_unit),
                nomination.selectinload(Nomination.person_unit),
            )
        )
    )


def _from_line(line: DecisionLine, body: Unit, territory: Territory) -> Counted:
    award, nomination = line.award_type, line.nomination
    unit = territory.reporting_unit(nomination.nominee_unit or nomination.person_unit)
    nominee_kind = award.nominee_kind
    if nomination.nominee_unit is not None:
        nominee_kind = NomineeKind.COLLECTIVE
    is_woman = None
    if nominee_kind == NomineeKind.INDIVIDUAL and nomination.person_gender is not None:
        is_woman = nomination.person_gender == Gender.FEMALE
    return Counted(
        year=line.decision.year or 0,
        award_name=award.name,
        kind=award.kind,
        level=level_of_decision(award.standard, body.kind),
        standard=award.standard,
        nominee_kind=nominee_kind,
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else "",
        is_woman=is_woman,
        source=RecordSource.DECISION,
    )


def _imported(territory: Territory, years: list[int]) -> list[AwardRecord]:
    return list(
        db.session.scalars(
            select(AwardRecord).where(
                AwardRecord.source == RecordSource.IMPORT,
                AwardRecord.is_withdrawn.is_(False),
                AwardRecord.year.in_(years),
                AwardRecord.unit_id.in_(territory.ids),
            )
        )
    )


def _from_record(item: AwardRecord, territory: Territory) -> Counted:
    unit = territory.reporting_unit(territory.units.get(item.unit_id or 0))
    return Counted(
        year=item.year or 0,
        award_name=item.award_name,
        kind=kind_of_import(item.award_name),
        level=level_of_import(item.award_name, item.awarding_body_name),
        standard=item.standard,
        nominee_kind=(
            NomineeKind.INDIVIDUAL
            if item.nominee_kind == RecordNominee.PERSON
            else NomineeKind.COLLECTIVE
        ),
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else "",
        is_woman=None,
        source=RecordSource.IMPORT,
    )


def counted_awards(body: Unit, years: list[int]) -> list[Counted]:
    """Every award `body` counts in `years` (a constant number of queries)."""
    territory = Territory(body)
    counted = [_from_line(line, body, territory) for line in _decision_lines(body, years)]
    counted += [_from_record(item, territory) for item in _imported(territory, years)]
    return counted


def campaigns_launched(body: Unit, year: int) -> list[Campaign]:
    """The body's movements opened in `year` (drafts never launched are left out)."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(
                Campaign.awarding_body_id == body.id,
                Campaign.status != CampaignStatus.DRAFT,
                Campaign.opens_on >= date(year, 1, 1),
                Campaign.opens_on <= date(year, 12, 31),
            )
            .order_by(Campaign.opens_on, Campaign.id)
        )
    )


def is_regular(campaign: Campaign) -> bool:
    """A regular movement (thường xuyên) rather than one by stage or theme (theo đợt)."""
    start = campaign.period_start or campaign.opens_on
    end = campaign.period_end or campaign.closes_on
    return (end - start).days >= REGULAR_MOVEMENT_DAYS


# --- the figures -------------------------------------------------------------------------------


@dataclass
class Tally:
    """How many awards, by nominee kind, and how many to women."""

    collective: int = 0
    individual: int = 0
    household: int = 0
    women: int = 0

    @property
    def total(self) -> int:
        return self.collective + self.individual + self.household

    def add(self, item: Counted) -> None:
        if item.nominee_kind == NomineeKind.COLLECTIVE:
            self.collective += 1
        elif item.nominee_kind == NomineeKind.HOUSEHOLD:
            self.household += 1
        else:
            self.individual += 1
        if item.is_woman:
            self.women += 1


@dataclass
class AwardRow:
    name: str
    kind: AwardKind
    level: AwardLevel
    tally: Tally = field(default_factory=Tally)


@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    tally: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class YearFigure:
    year: int
    total: int
    amount: int


@dataclass(frozen=True)
class Women:
    individuals: int
    known: int
    women: int

    @property
    def percent(self) -> int | None:
        """Women's share among the individuals whose gender is recorded, rounded."""
        if not self.known:
            return None
        return round(100 * self.women / self.known)


@dataclass(frozen=True)
class YearStatistics:
    body: Unit
    year: int
    awards: list[Counted]
    by_award: list[AwardRow]
    by_level: list[tuple[AwardLevel, int]]
    by_kind: list[tuple[AwardKind, int]]
    by_unit: list[UnitRow]
    tally: Tally
    women: Women
    trend: list[YearFigure]
    campaigns: list[Campaign]

    @property
    def total(self) -> int:
        return len(self.awards)

    @property
    def amount(self) -> int:
        return self.trend[-1].amount if self.trend else 0

    @property
    def by_level_kind(self) -> list[tuple[AwardLevel, AwardKind, int]]:
        """The awards by level (highest first) and kind, where there are any."""
        counts = Counter((item.level, item.kind) for item in self.awards)
        return [
            (level, kind, counts[(level, kind)])
            for level in AwardLevel
            for kind in AwardKind
            if counts[(level, kind)]
        ]


_LEVEL_ORDER = {level: index for index, level in enumerate(AwardLevel)}
_KIND_ORDER = {kind: index for index, kind in enumerate(AwardKind)}


def _by_award(awards: list[Counted]) -> list[AwardRow]:
    rows: dict[tuple[str, AwardKind, AwardLevel], AwardRow] = {}
    for item in awards:
        key = (item.award_name, item.kind, item.level)
        rows.setdefault(key, AwardRow(item.award_name, item.kind, item.level)).tally.add(item)
    return sorted(
        rows.values(),
        key=lambda r: (_LEVEL_ORDER[r.level], _KIND_ORDER[r.kind], -r.tally.total, r.name),
    )


def _by_unit(awards: list[Counted]) -> list[UnitRow]:
    rows: dict[int | None, UnitRow] = {}
    for item in awards:
        rows.setdefault(item.unit_id, UnitRow(item.unit_id, item.unit_name)).tally.add(item)
    return sorted(rows.values(), key=lambda r: (-r.tally.total, r.name))


def _women(awards: list[Counted]) -> Women:
    people = [a for a in awards if a.nominee_kind == NomineeKind.INDIVIDUAL]
    known = [a for a in people if a.is_woman is not None]
    return Women(len(people), len(known), sum(1 for a in known if a.is_woman))


def year_statistics(body: Unit, year: int) -> YearStatistics:
    """The figures of `body` for `year`, with the trend over the last five years."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    everything = counted_awards(body, years)
    per_year = Counter(item.year for item in everything)
    awards = [item for item in everything if item.year == year]
    tally = Tally()
    for item in awards:
        tally.add(item)
    levels = Counter(item.level for item in awards)
    kinds = Counter(item.kind for item in awards)
    return YearStatistics(
        body=body,
        year=year,
        awards=awards,
        by_award=_by_award(awards),
        by_level=[(level, levels[level]) for level in AwardLevel],
        by_kind=[(kind, kinds[kind]) for kind in AwardKind],
        by_unit=_by_unit(awards),
        tally=tally,
        women=_women(awards),
        trend=[YearFigure(y, per_year[y], paid_in(body, y)) for y in years],
        campaigns=campaigns_launched(body, year),
    )
