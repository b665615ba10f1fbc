"""The yearly report's tables (recognition.statistics.tables) filled with a year's figures."""

from __future__ import annotations

from dataclasses import dataclass

from recognition.common.text import fold
from recognition.statistics.classify import has_words
from recognition.statistics.queries import (
    Counted,
    Part,
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
    values: list[int | str]
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


# What the women's column reads where individuals were awarded but no gender is recorded, as
# the page says it (a 0 would say none was a woman).
NO_GENDER = "— (chưa ghi giới tính)"


def _measure(tally: Tally, measure: str) -> int | str:
    if measure == WOMEN and tally.women_unknown:
        return NO_GENDER
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


def fill(table: ReportTable, stats: YearStatistics, part: Part | None = None) -> list[FilledRow]:
    """The table's rows with the year's figures of `part` (the body's own awards unless
    said), in the table's order."""
    part = part or stats.own
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
            for item in part.awards:
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
        for unit in part.by_unit
    ]
    total = [_measure(part.tally, c.measure) for c in table.columns]
    return [FilledRow("Tổng số", total, True), *rows]
