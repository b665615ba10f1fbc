"""Totals and ranking of a cluster's members: pure functions over plain values.

A member's total is the sum of its points on the scored lines, less its deduction points. Members
with the same total are ordered by the body's tie-break keys in turn (TieBreak values, or
`criterion:<code>` for more points in that criterion); members still equal share a rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from recognition.clusters.enums import CRITERION_PREFIX, TieBreak

ZERO = Decimal("0.0")


@dataclass(frozen=True)
class Standing:
    """What ranks a member: its total, deductions, points per criterion code and votes."""

    key: int
    name: str
    total: Decimal
    deductions: Decimal = ZERO
    by_criterion: Mapping[str, Decimal] = field(default_factory=dict)
    votes: int | None = None


@dataclass(frozen=True)
class Ranked:
    rank: int
    standing: Standing
    # The tie-break key that set this member apart from the one above it ("" if the total did).
    decided_by: str = ""


def tie_break_value(standing: Standing, key: str) -> tuple[int, Decimal]:
    """A sort value for `key` where smaller ranks higher."""
    if key == TieBreak.DEDUCTIONS:
        return (0, standing.deductions)
    if key == TieBreak.VOTES:
        return (0, -Decimal(standing.votes or 0))
    if key.startswith(CRITERION_PREFIX):
        code = key.removeprefix(CRITERION_PREFIX)
        return (0, -standing.by_criterion.get(code, ZERO))
    return (0, ZERO)  # an unknown key decides nothing


def _sort_key(standing: Standing, keys: Sequence[str]) -> tuple[object, ...]:
    return (-standing.total, *(tie_break_value(standing, key) for key in keys))


def rank(standings: Sequence[Standing], keys: Sequence[str]) -> list[Ranked]:
    """The members best first, each with its rank (equal members share one) and the key that
    decided between it and the member above it."""
    ordered = sorted(standings, key=lambda s: (_sort_key(s, keys), s.name, s.key))
    result: list[Ranked] = []
    for position, standing in enumerate(ordered, start=1):
        if not result:
            result.append(Ranked(1, standing))
            continue
        above = result[-1]
        if _sort_key(above.standing, keys) == _sort_key(standing, keys):
            result.append(Ranked(above.rank, standing))
            continue
        decided_by = ""
        if above.standing.total == standing.total:
            decided_by = next(
                key
                for key in keys
                if tie_break_value(above.standing, key) != tie_break_value(standing, key)
            )
        result.append(Ranked(position, standing, decided_by))
    return result
