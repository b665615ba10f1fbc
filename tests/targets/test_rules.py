"""The classification of a target, as a table: every class boundary, each direction, yes/no,
zero baselines and targets, term-end targets and targets with no confirmed value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recognition.targets.enums import AssessmentTiming, ClassKind, TargetDirection
from recognition.targets.rules import (
    DEFAULT_BANDS,
    Band,
    Classification,
    band_for,
    classify,
    progress,
    summarise,
)

pytestmark = pytest.mark.unit

H, L, Y = TargetDirection.HIGHER, TargetDirection.LOWER, TargetDirection.YES_NO
MET, NEAR, A70, A50, BELOW = (band.name for band in DEFAULT_BANDS)


def d(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# direction, value, target, baseline → progress (percent, one decimal)
PROGRESS = [
    # Higher is better: value ÷ target, whatever the baseline.
    (H, "82", "82", None, "100.0"),
    (H, "90.2", "82", None, "110.0"),
    (H, "0", "82", None, "0.0"),
    (H, "41", "82", "30", "50.0"),
    (H, "-5", "82", None, "0.0"),  # moved away: never negative
    (H, "1", "3", None, "33.3"),
    (H, "2", "3", None, "66.7"),  # rounded half up
    # Target zero or below: the way covered from a baseline below it, else met or not.
    (H, "-1", "0", "-4", "75.0"),
    (H, "0", "0", "-4", "100.0"),
    (H, "-6", "0", "-4", "0.0"),
    (H, "0", "0", None, "100.0"),
    (H, "-0.01", "0", None, "0.0"),
    (H, "5", "0", "5", "100.0"),  # baseline not below the target: met or not
    (H, "-3", "-2", None, "0.0"),
    # Lower is better: at or below the target, target ÷ value (100 % for zero).
    (L, "1", "1", "2.1", "100.0"),
    (L, "0.8", "1", "2.1", "125.0"),
    (L, "0", "1", "2.1", "100.0"),
    (L, "0", "0", None, "100.0"),
    (L, "-1", "0", None, "100.0"),
    # Above it: the share of the planned reduction from the baseline…
    (L, "1.5", "1", "2.1", "54.5"),
    (L, "2.1", "1", "2.1", "0.0"),
    (L, "3", "1", "2.1", "0.0"),  # worse than the baseline
    (L, "1.11", "1", "2.1", "90.0"),
    # …or, without a baseline above the target, target ÷ value.
    (L, "2", "1", None, "50.0"),
    (L, "2", "1", "1", "50.0"),
    (L, "2", "1", "0.5", "50.0"),
    (L, "3", "0", None, "0.0"),
    (L, "3", "0", "5", "40.0"),
    # Yes/no: any value but 0 is achieved.
    (Y, "1", None, None, "100.0"),
    (Y, "0", None, None, "0.0"),
    (Y, "1", "5", "3", "100.0"),
]


@pytest.mark.parametrize(("direction", "value", "target", "baseline", "expected"), PROGRESS)
def test_progress(
    direction: TargetDirection, value: str, target: str | None, baseline: str | None, expected: str
) -> None:
    assert progress(direction, d(value), d(target), d(baseline)) == Decimal(expected)  # type: ignore[arg-type]


def test_a_figure_target_needs_its_target_value() -> None:
    with pytest.raises(ValueError, match="target value"):
        progress(H, Decimal(1), None)


# progress → band, at and around every boundary of the default bands
BANDS = [
    ("1000", MET),
    ("100.1", MET),
    ("100.0", MET),
    ("99.9", NEAR),
    ("90.0", NEAR),
    ("89.9", A70),
    ("70.0", A70),
    ("69.9", A50),
    ("50.0", A50),
    ("49.9", BELOW),
    ("0.1", BELOW),
    ("0.0", BELOW),
]


@pytest.mark.parametrize(("percent", "name"), BANDS)
def test_band_boundaries(percent: str, name: str) -> None:
    assert band_for(Decimal(percent), DEFAULT_BANDS).name == name


def test_the_lowest_band_takes_what_is_below_it() -> None:
    bands = [Band("đạt", Decimal(100)), Band("chưa đạt", Decimal(60))]
    assert band_for(Decimal(10), bands).name == "chưa đạt"
    assert band_for(Decimal(60), bands).name == "chưa đạt"
    assert band_for(Decimal(100), list(reversed(bands))).name == "đạt"


def test_no_bands_is_an_error() -> None:
    with pytest.raises(ValueError, match="no bands"):
        band_for(Decimal(1), [])


# direction, timing, value, target, baseline, at term end → class (band name or kind)
P, T = AssessmentTiming.PERIODIC, AssessmentTiming.TERM_END
CLASSES = [
    (H, P, "82", "82", None, False, MET),
    (H, P, "80", "82", None, False, NEAR),  # 97.6 %
    (H, P, "73.8", "82", None, False, NEAR),  # exactly 90 %
    (H, P, "73.7", "82", None, False, A70),
    (H, P, "57.4", "82", None, False, A70),  # exactly 70 %
    (H, P, "41", "82", None, False, A50),  # exactly 50 %
    (H, P, "40.9", "82", None, False, BELOW),
    (H, P, "0", "0", None, False, MET),  # zero target, reached
    (L, P, "1", "1", "2.1", False, MET),
    (L, P, "1.11", "1", "2.1", False, NEAR),
    (L, P, "1.33", "1", "2.1", False, A70),
    (L, P, "1.55", "1", "2.1", False, A50),
    (L, P, "1.6", "1", "2.1", False, BELOW),
    (L, P, "0", "0", None, False, MET),  # zero target, zero value
    (Y, P, "1", None, None, False, MET),
    (Y, P, "0", None, None, False, BELOW),
    (H, P, None, "82", None, False, ClassKind.NOT_REPORTED.value),
    (Y, P, None, None, None, False, ClassKind.NOT_REPORTED.value),
    # Assessed at the end of the term: until a value as of the term's end is confirmed.
    (H, T, None, "82", None, False, ClassKind.TERM_END.value),
    (H, T, "82", "82", None, False, ClassKind.TERM_END.value),
    (H, T, "82", "82", None, True, MET),
    (Y, T, "0", None, None, True, BELOW),
    (L, T, None, "1", None, True, ClassKind.TERM_END.value),
]


@pytest.mark.parametrize(
    ("direction", "timing", "value", "target", "baseline", "at_end", "expected"), CLASSES
)
def test_classify(
    direction: TargetDirection,
    timing: AssessmentTiming,
    value: str | None,
    target: str | None,
    baseline: str | None,
    at_end: bool,
    expected: str,
) -> None:
    found = classify(
        direction=direction,
        timing=timing,
        target=d(target),
        baseline=d(baseline),
        latest=d(value),
        at_term_end=at_end,
        bands=DEFAULT_BANDS,
    )
    assert found.key == expected
    assert (found.progress is None) == (found.band is None)


def test_the_summary_counts_every_band_and_the_other_kinds() -> None:
    classes = [
        Classification(band=DEFAULT_BANDS[0], progress=Decimal(100)),
        Classification(band=DEFAULT_BANDS[0], progress=Decimal(120)),
        Classification(band=DEFAULT_BANDS[3], progress=Decimal(55)),
        Classification(kind=ClassKind.TERM_END),
    ]
    summary = summarise(classes, list(reversed(DEFAULT_BANDS)))
    assert summary.total == 4
    assert [(c.key, c.count) for c in summary.counts] == [
        (MET, 2),
        (NEAR, 0),
        (A70, 0),
        (A50, 1),
        (BELOW, 0),
        ("term_end", 1),
        ("not_reported", 0),
    ]
    assert summary.of(MET) == 2
    assert summary.of("nothing") == 0
