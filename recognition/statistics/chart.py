"""Charts drawn on the server as inline SVG (no script): horizontal bars for named rows (awards,
units, levels) and vertical bars for the years of a trend. The page pairs each chart with a
table of the same figures; the geometry is computed here, the template only draws it."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 440
LEFT = 8
RIGHT = 48  # room for the figure after the longest bar
ROW = 50  # a row: its label line, then its bar
BAR = 18
TOP = 8
# Colours keep a 3:1 contrast with the white background (WCAG 1.4.11, graphical objects).
COLOURS = ("#2b5fb3", "#1b7f3b", "#b35c00", "#7a4fb3", "#2f7d8c", "#b3261e")
MAX_LABEL = 50  # characters a row's label keeps (the table beside has the full name)

TREND_HEIGHT = 220
TREND_BOTTOM = 32
TREND_TOP = 28


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    y: int
    width: int
    colour: str

    @property
    def bar_y(self) -> int:
        return self.y + 24

    @property
    def value_x(self) -> int:
        return LEFT + self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + 16


@dataclass(frozen=True)
class HorizontalChart:
    rows: list[Row]
    width: int
    height: int


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def horizontal(
    items: list[tuple[str, int]], *, colour_by: list[int] | None = None
) -> HorizontalChart:
    """One bar per (label, value), as long as its share of the largest value. `colour_by`
    gives each row's colour index (its group, e.g. the award's level)."""
    highest = max((value for _, value in items), default=0) or 1
    span = WIDTH - LEFT - RIGHT
    rows = []
    for index, (label, value) in enumerate(items):
        colour = COLOURS[(colour_by[index] if colour_by else 0) % len(COLOURS)]
        width = max(2, round(span * value / highest)) if value else 0
        rows.append(Row(_short(label), value, TOP + index * ROW, width, colour))
    return HorizontalChart(rows, WIDTH, TOP + len(items) * ROW + 4)


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    colour: str

    @property
    def centre(self) -> int:
        return self.x + self.width // 2


@dataclass(frozen=True)
class VerticalChart:
    columns: list[Column]
    width: int
    height: int
    baseline: int


def vertical(items: list[tuple[str, int]], *, highlight: int | None = None) -> VerticalChart:
    """One column per (label, value); the column at index `highlight` in the first colour,
    the others in a quieter one."""
    baseline = TREND_HEIGHT - TREND_BOTTOM
    area = baseline - TREND_TOP
    highest = max((value for _, value in items), default=0) or 1
    slot = (WIDTH - 2 * LEFT) // max(1, len(items))
    width = int(slot * 0.56)
    columns = []
    for index, (label, value) in enumerate(items):
        height = round(area * value / highest)
        colour = COLOURS[0] if index == highlight else "#5f7fa8"
        x = LEFT + index * slot + (slot - width) // 2
        columns.append(Column(label, value, x, baseline - height, width, height, colour))
    return VerticalChart(columns, WIDTH, TREND_HEIGHT, baseline)
