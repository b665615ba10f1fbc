"""Ranking and its tie-breaks, as a table: the body's keys in order, the default, and what
remains equal sharing a rank."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recognition.clusters.enums import DEFAULT_TIE_BREAKS
from recognition.clusters.ranking import Standing, rank

pytestmark = pytest.mark.unit

D = Decimal


def s(
    name: str, total: str, deductions: str = "0", tc1: str = "0", votes: int | None = None
) -> Standing:
    return Standing(
        key=hash(name) % 1000,
        name=name,
        total=D(total),
        deductions=D(deductions),
        by_criterion={"TC1": D(tc1)},
        votes=votes,
    )


CASES = [
    # (rules, standings, expected [(rank, name, decided_by)])
    pytest.param(
        DEFAULT_TIE_BREAKS,
        [s("A", "90"), s("B", "95"), s("C", "80")],
        [(1, "B", ""), (2, "A", ""), (3, "C", "")],
        id="totals-alone",
    ),
    pytest.param(
        DEFAULT_TIE_BREAKS,
        [s("A", "90", deductions="2"), s("B", "90", deductions="1")],
        [(1, "B", ""), (2, "A", "deductions")],
        id="default-fewer-deductions-first",
    ),
    pytest.param(
        DEFAULT_TIE_BREAKS,
        [s("A", "90", votes=3), s("B", "90", votes=5)],
        [(1, "B", ""), (2, "A", "votes")],
        id="default-then-votes",
    ),
    pytest.param(
        DEFAULT_TIE_BREAKS,
        [s("A", "90", votes=4), s("B", "90", votes=4)],
        [(1, "A", ""), (1, "B", "")],
        id="still-equal-share-a-rank",
    ),
    pytest.param(
        ["criterion:TC1", "deductions", "votes"],
        [s("A", "90", tc1="30", deductions="0"), s("B", "90", tc1="35", deductions="3")],
        [(1, "B", ""), (2, "A", "criterion:TC1")],
        id="named-criterion-before-deductions",
    ),
    pytest.param(
        ["criterion:TC1", "deductions", "votes"],
        [s("A", "90", tc1="30", deductions="1"), s("B", "90", tc1="30", deductions="0")],
        [(1, "B", ""), (2, "A", "deductions")],
        id="criterion-equal-then-deductions",
    ),
    pytest.param(
        ["votes", "deductions"],
        [s("A", "90", deductions="0", votes=1), s("B", "90", deductions="5", votes=2)],
        [(1, "B", ""), (2, "A", "votes")],
        id="the-body-s-order-wins",
    ),
    pytest.param(
        [],
        [s("A", "90", deductions="0"), s("B", "90", deductions="5"), s("C", "70")],
        [(1, "A", ""), (1, "B", ""), (3, "C", "")],
        id="no-rules-ties-share-and-the-next-rank-skips",
    ),
    pytest.param(
        DEFAULT_TIE_BREAKS,
        [s("A", "90", votes=None), s("B", "90", votes=0)],
        [(1, "A", ""), (1, "B", "")],
        id="no-votes-counts-as-none",
    ),
    pytest.param(
        ["criterion:TC9"],
        [s("A", "90"), s("B", "90")],
        [(1, "A", ""), (1, "B", "")],
        id="a-criterion-nobody-has-decides-nothing",
    ),
]


@pytest.mark.parametrize(("rules", "standings", "expected"), CASES)
def test_ranking(
    rules: list[str], standings: list[Standing], expected: list[tuple[int, str, str]]
) -> None:
    assert [(r.rank, r.standing.name, r.decided_by) for r in rank(standings, rules)] == expected
