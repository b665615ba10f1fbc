"""The awards an awarding body counts for a year, and the figures of its yearly statistics.

What counts, in three parts that never share an award (territory.py says whose is whose):
- its own: the lines of its decisions issued that year (an annulled decision counts no more)
  and the earlier awards imported into the history that it conferred;
- the levels below: the decisions of the bodies within its territory (the communes, the
  districts dissolved into it) and the imported awards they conferred;
- the higher levels': imported awards conferred from above on units of its territory.
Each award is counted under its unit: the collective awarded or the person's unit, under its
current name, rolled up to the level just below the body (a hamlet of a merged commune counts
under the hamlet; the merged commune itself counts under the body)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from recognition.campaigns.enums import AwardKind, CampaignStatus, NomineeKind
from recognition.campaigns.models import Campaign
from recognition.common.text import fold
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.queries import paid_by_year
from recognition.extensions import db
from recognition.history.enums import NomineeKind as RecordNominee
from recognition.history.enums import RecordSource
from recognition.history.models import AwardRecord
from recognition.law.enums import AwardStandard
from recognition.nominations.enums import Gender
from recognition.nominations.models import Nomination
from recognition.statistics.classify import (
    kind_of_import,
    level_of_decision,
    level_of_import,
)
from recognition.statistics.enums import AwardLevel, Scope
from recognition.statistics.territory import Territory
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
    scope: Scope = Scope.OWN
    person: str = ""  # who an individual is (name, birth year, unit), to count people once


def _decision_lines(territory: Territory, years: list[int]) -> list[DecisionLine]:
    """The issued decisions' lines of the year: those of the territory's bodies, then those of
    other bodies (higher levels) that reached a unit or a person of the territory (two
    statements, each on its own index)."""
    nomination = selectinload(DecisionLine.nomination)
    options = (
        selectinload(DecisionLine.decision).selectinload(Decision.awarding_body),
        selectinload(DecisionLine.award_type),
        nomination.selectinload(Nomination.nominee_unit),
        nomination.selectinload(Nomination.person_unit),
    )
    issued = (Decision.state == DecisionState.ISSUED, Decision.year.in_(years))
    inside = db.session.scalars(
        select(DecisionLine)
        .join(Decision)
        .where(Decision.awarding_body_id.in_(territory.body_ids), *issued)
        .options(*options)
    ).all()
    ids = list(territory.ids)
    from_above = db.session.scalars(
        select(DecisionLine)
        .join(Decision)
        .join(Nomination, DecisionLine.nomination_id == Nomination.id)
        .where(
            Decision.awarding_body_id.not_in(territory.body_ids),
            *issued,
            Nomination.nominee_unit_id.in_(ids) | Nomination.person_unit_id.in_(ids),
        )
        .options(*options)
    ).all()
    return [
        *inside,
        *(line for line in from_above if territory.is_above(line.decision.awarding_body)),
    ]


def _from_line(line: DecisionLine, territory: Territory) -> Counted:
    award, nomination = line.award_type, line.nomination
    awarder = line.decision.awarding_body
    unit = territory.reporting_unit(nomination.nominee_unit or nomination.person_unit)
    nominee_kind = award.nominee_kind
    if nomination.nominee_unit is not None:
        nominee_kind = NomineeKind.COLLECTIVE
    is_woman, person = None, ""
    if nominee_kind == NomineeKind.INDIVIDUAL:
        if nomination.person_gender is not None:
            is_woman = nomination.person_gender == Gender.FEMALE
        name = fold(nomination.person_name or "")
        person = f"{name}|{nomination.person_birth_year or ''}|{unit.id if unit else ''}"
    return Counted(
        year=line.decision.year or 0,
        award_name=award.name,
        kind=award.kind,
        level=level_of_decision(award.standard, awarder.kind),
        standard=award.standard,
        nominee_kind=nominee_kind,
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else "",
        is_woman=is_woman,
        source=RecordSource.DECISION,
        scope=territory.scope_of_body(awarder.id),
        person=person,
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
    _awarder, scope = territory.conferrer(
        item.awarding_body_name, item.award_name, item.decision_on
    )
    person = item.nominee_kind == RecordNominee.PERSON
    return Counted(
        year=item.year or 0,
        award_name=item.award_name,
        kind=kind_of_import(item.award_name),
        level=level_of_import(item.award_name, item.awarding_body_name),
        standard=item.standard,
        nominee_kind=NomineeKind.INDIVIDUAL if person else NomineeKind.COLLECTIVE,
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else "",
        is_woman=None,
        source=RecordSource.IMPORT,
        scope=scope,
        person=item.person_key if person else "",
    )


def counted_awards(territory: Territory, years: list[int]) -> list[Counted]:
    """Every award the territory's body counts in `years`, each in its part (a constant
    number of queries)."""
    lines = _decision_lines(territory, years)
    counted = [_from_line(line, territory) for line in lines]
    counted += [_from_record(item, territory) for item in _imported(territory, years)]
    return counted


def annulled_awards(territory: Territory, year: int) -> int:
    """How many awards the decisions of the year annulled since took back (not counted): the
    territory's own and below, and a higher level's that reached its units, as the issued
    ones are counted (two counts: the latter by awarding body, few)."""
    annulled = (Decision.state == DecisionState.ANNULLED, Decision.year == year)
    inside = db.session.scalar(
        select(func.count(DecisionLine.id))
        .join(Decision)
        .where(Decision.awarding_body_id.in_(territory.body_ids), *annulled)
    )
    ids = list(territory.ids)
    by_body = db.session.execute(
        select(Decision.awarding_body_id, func.count(DecisionLine.id))
        .join(Decision)
        .join(Nomination, DecisionLine.nomination_id == Nomination.id)
        .where(
            Decision.awarding_body_id.not_in(territory.body_ids),
            *annulled,
            Nomination.nominee_unit_id.in_(ids) | Nomination.person_unit_id.in_(ids),
        )
        .group_by(Decision.awarding_body_id)
    ).all()
    above = sum(
        count
        for body_id, count in by_body
        if (body := db.session.get(Unit, body_id)) is not None and territory.is_above(body)
    )
    return int(inside or 0) + above


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
    """How many awards, by nominee kind, how many to women and to individuals whose gender is
    recorded (women's awards read "—" where none is)."""

    collective: int = 0
    individual: int = 0
    household: int = 0
    women: int = 0
    gender_known: int = 0

    @property
    def total(self) -> int:
        return self.collective + self.individual + self.household

    @property
    def women_unknown(self) -> bool:
        """Individuals were awarded but none with a recorded gender: no figure for women."""
        return bool(self.individual) and not self.gender_known

    def add(self, item: Counted) -> None:
        if item.nominee_kind == NomineeKind.COLLECTIVE:
            self.collective += 1
        elif item.nominee_kind == NomineeKind.HOUSEHOLD:
            self.household += 1
        else:
            self.individual += 1
            if item.is_woman is not None:
                self.gender_known += 1
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
    total: int  # the body's own awards
    amount: int
    below: int = 0
    above: int = 0


@dataclass(frozen=True)
class Women:
    """The people awarded as individuals, each counted once however many awards they had."""

    individuals: int
    known: int
    women: int

    @property
    def percent(self) -> int | None:
        """Women's share among the people whose gender is recorded, rounded."""
        if not self.known:
            return None
        return round(100 * self.women / self.known)


_LEVEL_ORDER = {level: index for index, level in enumerate(AwardLevel)}
_KIND_ORDER = {kind: index for index, kind in enumerate(AwardKind)}


@dataclass(frozen=True)
class Part:
    """The awards of one part of the statistics (the body's own, the levels below', the
    higher levels') and their figures."""

    scope: Scope
    awards: list[Counted]
    tally: Tally
    women: Women

    @property
    def total(self) -> int:
        return len(self.awards)

    @property
    def by_award(self) -> list[AwardRow]:
        rows: dict[tuple[str, AwardKind, AwardLevel], AwardRow] = {}
        for item in self.awards:
            key = (item.award_name, item.kind, item.level)
            rows.setdefault(key, AwardRow(item.award_name, item.kind, item.level)).tally.add(item)
        return sorted(
            rows.values(),
            key=lambda r: (_LEVEL_ORDER[r.level], _KIND_ORDER[r.kind], -r.tally.total, r.name),
        )

    @property
    def by_unit(self) -> list[UnitRow]:
        rows: dict[int | None, UnitRow] = {}
        for item in self.awards:
            rows.setdefault(item.unit_id, UnitRow(item.unit_id, item.unit_name)).tally.add(item)
        return sorted(rows.values(), key=lambda r: (-r.tally.total, r.name))

    @property
    def by_level(self) -> list[tuple[AwardLevel, int]]:
        levels = Counter(item.level for item in self.awards)
        return [(level, levels[level]) for level in AwardLevel]

    @property
    def by_kind(self) -> list[tuple[AwardKind, int]]:
        kinds = Counter(item.kind for item in self.awards)
        return [(kind, kinds[kind]) for kind in AwardKind]

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


def _women(awards: list[Counted]) -> Women:
    people: dict[str, bool | None] = {}
    for item in awards:
        if item.nominee_kind == NomineeKind.INDIVIDUAL:
            seen = people.get(item.person)
            people[item.person] = item.is_woman if seen is None else seen
    recorded = [woman for woman in people.values() if woman is not None]
    return Women(len(people), len(recorded), sum(1 for woman in recorded if woman))


def _part(scope: Scope, awards: list[Counted]) -> Part:
    mine = [item for item in awards if item.scope == scope]
    tally = Tally()
    for item in mine:
        tally.add(item)
    return Part(scope, mine, tally, _women(mine))


@dataclass(frozen=True)
class YearStatistics:
    body: Unit
    year: int
    own: Part
    below: Part
    above: Part
    trend: list[YearFigure]
    campaigns: list[Campaign]
    annulled: int = 0
    # Bodies of a higher level merged into the body (a dissolved district): their awards are
    # counted by the province, among the levels below.
    higher_predecessors: tuple[Unit, ...] = ()

    @property
    def parts(self) -> list[Part]:
        """The parts to show: the body's own and the levels below' always, the higher
        levels' where there are any."""
        return [self.own, self.below, *([self.above] if self.above.total else [])]

    @property
    def total(self) -> int:
        return self.own.total + self.below.total + self.above.total

    @property
    def amount(self) -> int:
        return self.trend[-1].amount if self.trend else 0


def year_statistics(body: Unit, year: int) -> YearStatistics:
    """The figures of `body` for `year`, with the trend over the last five years."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    territory = Territory(body)
    everything = counted_awards(territory, years)
    per_year = Counter((item.year, item.scope) for item in everything)
    awards = [item for item in everything if item.year == year]
    # The money, as the awards, of the body and of the bodies of its level merged into it.
    paid = paid_by_year(territory.own_ids, years)
    return YearStatistics(
        body=body,
        year=year,
        own=_part(Scope.OWN, awards),
        below=_part(Scope.BELOW, awards),
        above=_part(Scope.ABOVE, awards),
        trend=[
            YearFigure(
                y,
                per_year[(y, Scope.OWN)],
                paid[y],
                per_year[(y, Scope.BELOW)],
                per_year[(y, Scope.ABOVE)],
            )
            for y in years
        ],
        campaigns=campaigns_launched(body, year),
        annulled=annulled_awards(territory, year),
        higher_predecessors=tuple(territory.higher_predecessors),
    )
