"""The figures of a year from known data: the annulled decision does not count, imported awards
do, a merged commune's awards count under its successor, women among individuals."""

from __future__ import annotations

import pytest

from recognition.campaigns.enums import AwardKind
from recognition.statistics.enums import AwardLevel, Scope
from recognition.statistics.queries import year_statistics
from recognition.statistics.report import fill
from recognition.statistics.tables import REPORT_TABLES
from tests.statistics.conftest import YEAR, World

pytestmark = pytest.mark.integration


def test_the_years_figures(world: World) -> None:
    stats = year_statistics(world.scene.body, YEAR)
    assert stats.total == 7
    # The province's Bằng khen is a higher level's award to a unit of the territory.
    assert [(p.scope, p.total) for p in stats.parts] == [
        (Scope.OWN, 6),
        (Scope.BELOW, 0),
        (Scope.ABOVE, 1),
    ]
    tally = stats.own.tally
    assert (tally.collective, tally.individual, tally.household, tally.women) == (3, 2, 1, 1)
    assert (stats.own.women.individuals, stats.own.women.known, stats.own.women.women) == (2, 2, 1)
    assert stats.own.women.percent == 50
    above = stats.above
    assert [(r.name, r.level, r.kind, r.tally.total) for r in above.by_award] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", AwardLevel.PROVINCE, AwardKind.COMMENDATION, 1)
    ]
    assert (above.women.individuals, above.women.known, above.tally.women_unknown) == (1, 0, True)
    rows = [(r.name, r.level, r.kind, r.tally.total) for r in stats.own.by_award]
    assert rows == [
        ("Giấy khen", AwardLevel.DISTRICT, AwardKind.COMMENDATION, 1),
        ("Lao động tiên tiến", AwardLevel.COMMUNE, AwardKind.TITLE, 2),
        ("Gia đình văn hóa", AwardLevel.COMMUNE, AwardKind.TITLE, 1),
        ("Giấy khen", AwardLevel.COMMUNE, AwardKind.COMMENDATION, 1),
        ("Tập thể tiêu biểu", AwardLevel.COMMUNE, AwardKind.COMMENDATION, 1),
    ]
    assert stats.own.by_level_kind == [
        (AwardLevel.DISTRICT, AwardKind.COMMENDATION, 1),
        (AwardLevel.COMMUNE, AwardKind.TITLE, 3),
        (AwardLevel.COMMUNE, AwardKind.COMMENDATION, 2),
    ]


def test_a_merged_communes_awards_count_under_its_successor(world: World) -> None:
    stats = year_statistics(world.scene.body, YEAR)
    units = [
        (r.name, r.tally.collective, r.tally.individual, r.tally.household, r.tally.total)
        for r in stats.own.by_unit
    ]
    assert units == [("Xã Phú Phụng", 1, 2, 1, 4), ("Xã Vĩnh Bình", 2, 0, 0, 2)]


def test_the_trend_and_the_money(world: World) -> None:
    stats = year_statistics(world.scene.body, YEAR)
    assert [(f.year, f.total, f.below, f.above) for f in stats.trend] == [
        (2022, 1, 0, 0),
        (2023, 0, 0, 0),
        (2024, 0, 0, 0),
        (2025, 0, 0, 0),
        (2026, 6, 0, 1),
    ]
    assert stats.annulled == 2  # the annulled decision's two awards, not counted
    paid = sum(line.amount or 0 for line in world.decision.lines)
    assert stats.amount == paid
    assert [f.amount for f in stats.trend] == [0, 0, 0, 0, paid]
    assert [c.id for c in stats.campaigns] == []


def test_the_movements_launched_in_the_year(world: World) -> None:
    # The scene's campaign opened in June 2025 for a month: a movement by stage.
    stats = year_statistics(world.scene.body, 2025)
    assert [c.id for c in stats.campaigns] == [world.scene.campaign.id]
    filled = fill(REPORT_TABLES[0], stats)
    assert [(row.label, row.values) for row in filled] == [
        ("Tổng số phong trào thi đua", [1]),
        ("Phong trào thi đua thường xuyên", [0]),
        ("Phong trào thi đua theo đợt, chuyên đề", [1]),
    ]


def test_a_year_without_awards(world: World) -> None:
    stats = year_statistics(world.scene.body, 2019)
    assert stats.total == 0
    assert stats.own.by_unit == []
    assert [(f.year, f.total) for f in stats.trend] == [
        (2015, 0),
        (2016, 0),
        (2017, 0),
        (2018, 0),
        (2019, 0),
    ]
