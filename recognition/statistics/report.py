"""The yearly report's tables (recognition.statistics.tables) filled with a year's figures."""

from __future__ import annotations

from dataclasses import dataclass

from recognition.common.text import fold
from recognition.statistics.classify import has_words
from recognition.statistics.queries import (
    Counted,
    Tally,
    YearStatistics,
    is_regular,
)
from recognition.statistics.tables import (
    AWARDS,
    BY_STAGE,
    CAMPAIGNS,
    COLLECTIVE,
    HOUSEHOLD,
    INDIVIDUAL,
    MOVEMENTS,
    REGULAR,
    TOTAL,
    WOMEN,
    ReportRow,
    ReportTable,
)


@dataclass(frozen=True)
class FilledRow:
    label: str
    values: list[int]
    is_total: bool = False


def _has(name: str, words: str) -> bool:
    """`words` in the award's name; a leading ^ wants them at its start."""
    if words.startswith("^"):
        return fold(name).startswith(words[1:])
    return has_words(name, words)


def matches(row: ReportRow, item: Counted) -> bool:
    """Whether the row counts the award: its level, then its standard or its name."""
    if item.level not in row.levels:
        return False
    if not row.standards and not row.words:
        return True
    if item.standard is not None and item.standard in row.standards:
        return True
    return any(_has(item.award_name, words) for words in row.words)


def _measure(tally: Tally, measure: str) -> int:
    return {
        TOTAL: tally.total,
        COLLECTIVE: tally.collective,
        INDIVIDUAL: tally.individual,
        HOUSEHOLD: tally.household,
        WOMEN: tally.women,
    }[measure]


def _movements(row: ReportRow, stats: YearStatistics) -> int:
    if row.movements == REGULAR:
        return sum(1 for c in stats.campaigns if is_regular(c))
    if row.movements == BY_STAGE:
        return sum(1 for c in stats.campaigns if not is_regular(c))
    return len(stats.campaigns)


def fill(table: ReportTable, stats: YearStatistics) -> list[FilledRow]:
    """The table's rows with the year's figures, in the table's order."""
    if table.counts == CAMPAIGNS:
        return [
            FilledRow(
                row.label,
                [_movements(row, stats) if c.measure == MOVEMENTS else 0 for c in table.columns],
                row.is_total,
            )
            for row in table.rows
        ]
    if table.counts == AWARDS:
        filled = []
        for row in table.rows:
            tally = Tally()
            for item in stats.awards:
                if matches(row, item):
                    tally.add(item)
            values = [_measure(tally, column.measure) for column in table.columns]
            filled.append(FilledRow(row.label, values, row.is_total))
        return filled
    # One row per unit, then the total.
    rows = [
        FilledRow(
            unit.name or "Không ghi đơn vị",
            [_measure(unit.tally, c.measure) for c in table.columns],
        )
        for unit in stats.by_unit
    ]
    total = [_measure(stats.tally, c.measure) for c in table.columns]
    return [FilledRow("Tổng số", total, True), *rows]
