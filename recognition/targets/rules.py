"""How a target is classified from its latest confirmed value: pure functions, tested as a table.

Progress is a percentage of the target, the way Vietnamese resolution assessments state it
("đạt 92% so với chỉ tiêu Nghị quyết"):

- Higher is better (income, coverage, number of communes): value ÷ target. Where the target is
  zero or negative, a ratio means nothing: the share of the way from the baseline to the target
  that was covered, (value − baseline) ÷ (target − baseline), when a baseline below the target
  is known; otherwise met (100 %) or not (0 %).
- Lower is better (poverty rate, accidents): a value at or below the target is met, with
  progress target ÷ value (above 100 %: exceeded; 100 % for a value of zero or less). Above the
  target, the share of the planned reduction achieved, (baseline − value) ÷ (baseline − target),
  when a baseline above the target is known (the poverty rate from 2.1 % towards 1 %: at 1.5 %,
  55 %); otherwise target ÷ value.
- Yes/no: a value other than 0 means achieved (100 %), 0 means not (0 %).

Progress is never negative (a value that moved away from the target is 0 %). The classes are
the body's bands (`TargetBand`, or `DEFAULT_BANDS`, the story's "đạt và vượt / xấp xỉ đạt / đạt
trên 70% / đạt trên 50% / dưới 50%"): the band with the highest minimum that the progress
reaches, each minimum included (exactly 90 % is "xấp xỉ đạt"); the lowest band also takes
anything below its minimum. A target assessed only at the end of the term is "assessed at the
end of the term" until a value as of the term's end is confirmed; a target with no confirmed
value is "no confirmed value yet".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from recognition.targets.enums import AssessmentTiming, ClassKind, TargetDirection

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Band:
    """A class of progress: its name and the least progress (percent) it takes."""

    name: str
    min_percent: Decimal


# The story's classes (Chợ Lách's mid-term assessment, 2024), the default of every body.
DEFAULT_BANDS: tuple[Band, ...] = (
    Band("đạt và vượt", Decimal(100)),
    Band("xấp xỉ đạt", Decimal(90)),
    Band("đạt trên 70%", Decimal(70)),
    Band("đạt trên 50%", Decimal(50)),
    Band("đạt dưới 50%", Decimal(0)),
)


def _percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    return max(ZERO, numerator * HUNDRED / denominator)


def progress(
    direction: TargetDirection,
    value: Decimal,
    target: Decimal | None,
    baseline: Decimal | None = None,
) -> Decimal:
    """The value's progress towards the target, in percent (≥ 0, one decimal)."""
    if direction == TargetDirection.YES_NO:
        result = HUNDRED if value != 0 else ZERO
    elif target is None:
        raise ValueError("a target with a figure needs its target value")
    elif direction == TargetDirection.HIGHER:
        result = _higher(value, target, baseline)
    else:
        result = _lower(value, target, baseline)
    return result.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _higher(value: Decimal, target: Decimal, baseline: Decimal | None) -> Decimal:
    if target > 0:
        return _percent(value, target)
    if baseline is not None and baseline < target:
        return _percent(value - baseline, target - baseline)
    return HUNDRED if value >= target else ZERO


def _lower(value: Decimal, target: Decimal, baseline: Decimal | None) -> Decimal:
    if value <= target:
        return _percent(target, value) if value > 0 else HUNDRED
    if baseline is not None and baseline > target:
        return _percent(baseline - value, baseline - target)
    return _percent(target, value) if target > 0 else ZERO


def band_for(percent: Decimal, bands: Sequence[Band]) -> Band:
    """The band with the highest minimum that `percent` reaches; the lowest band otherwise."""
    ordered = sorted(bands, key=lambda band: band.min_percent, reverse=True)
    if not ordered:
        raise ValueError("no bands")
    return next((band for band in ordered if percent >= band.min_percent), ordered[-1])


@dataclass(frozen=True)
class Classification:
    """A target's class: a band (with the progress that put it there) or a kind outside them."""

    band: Band | None = None
    kind: ClassKind | None = None
    progress: Decimal | None = None

    @property
    def key(self) -> str:
        """What the summary counts by: the band's name, or the kind."""
        return self.band.name if self.band is not None else str(self.kind)

    @property
    def label(self) -> str:
        return (
            self.band.name if self.band is not None else str(self.kind.label if self.kind else "")
        )


def classify(
    *,
    direction: TargetDirection,
    timing: AssessmentTiming,
    target: Decimal | None,
    baseline: Decimal | None,
    latest: Decimal | None,
    at_term_end: bool,
    bands: Sequence[Band],
) -> Classification:
    """The class of a target from its latest confirmed value (`latest`, None if none);
    `at_term_end`: that value is as of the end of the term."""
    if timing == AssessmentTiming.TERM_END and not (latest is not None and at_term_end):
        return Classification(kind=ClassKind.TERM_END)
    if latest is None:
        return Classification(kind=ClassKind.NOT_REPORTED)
    percent = progress(direction, latest, target, baseline)
    return Classification(band=band_for(percent, bands), progress=percent)


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    kind: ClassKind | None  # None for a band


@dataclass(frozen=True)
class Summary:
    """How many targets fall in each class, bands first (highest first), then the others."""

    total: int
    counts: tuple[Count, ...]

    def of(self, key: str) -> int:
        return next((c.count for c in self.counts if c.key == key), 0)


def summarise(classes: Iterable[Classification], bands: Sequence[Band]) -> Summary:
    """Count `classes` by band (every band, even empty) and by the other kinds."""
    found = list(classes)
    counts = [
        Count(band.name, band.name, sum(1 for c in found if c.band == band), None)
        for band in sorted(bands, key=lambda band: band.min_percent, reverse=True)
    ]
    counts += [
        Count(str(kind), str(kind.label), sum(1 for c in found if c.kind == kind), kind)
        for kind in ClassKind
    ]
    return Summary(len(found), tuple(counts))
