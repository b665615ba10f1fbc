"""The summary as a bar chart drawn on the server: an inline SVG (a bar per class, with its
title and description) that the page pairs with a table of the same figures. No script."""

from __future__ import annotations

from dataclasses import dataclass

from recognition.targets.enums import ClassKind
from recognition.targets.rules import Summary

WIDTH = 640
BAR_AREA_TOP = 28
BAR_AREA_HEIGHT = 180
LABEL_SPACE = 64
HEIGHT = BAR_AREA_TOP + BAR_AREA_HEIGHT + LABEL_SPACE
LEFT = 16

# Bands from the highest down, then the classes outside them. Colours keep a 3:1 contrast with
# the white background (WCAG 1.4.11, graphical objects); the figures are written beside them.
BAND_COLOURS = ("#1b7f3b", "#2f7d8c", "#2b5fb3", "#b35c00", "#b3261e")
KIND_COLOURS = {ClassKind.TERM_END: "#5f646b", ClassKind.NOT_REPORTED: "#7a828c"}


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: int
    y: int
    width: int
    height: int
    colour: str
    label_lines: tuple[str, ...]

    @property
    def centre(self) -> int:
        return self.x + self.width // 2


def _lines(label: str, width: int) -> tuple[str, ...]:
    """The label cut into at most three lines of about the bar's width (7 px a character)."""
    per_line = max(6, width // 7)
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    return tuple(lines)


def bars(summary: Summary) -> list[Bar]:
    """One bar per class (every band, and the other classes where they have targets)."""
    shown = [c for c in summary.counts if c.kind is None or c.count]
    if not shown:
        return []
    slot = (WIDTH - 2 * LEFT) // len(shown)
    width = int(slot * 0.62)
    highest = max(c.count for c in shown) or 1
    result = []
    for index, count in enumerate(shown):
        if count.kind is None:
            colour = BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)]
        else:
            colour = KIND_COLOURS[count.kind]
        height = round(BAR_AREA_HEIGHT * count.count / highest)
        x = LEFT + index * slot + (slot - width) // 2
        y = BAR_AREA_TOP + BAR_AREA_HEIGHT - height
        result.append(
            Bar(count.label, count.count, x, y, width, height, colour, _lines(count.label, slot))
        )
    return result
