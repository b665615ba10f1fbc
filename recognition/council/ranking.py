"""The order of a session's results, as a pure function (no database, no Flask).

Within each title, dossiers are ordered by their agree votes, most first. On equal agree votes,
women come first (NĐ 152/2025/NĐ-CP art. 4): an individual nominee who is a woman, and a
collective whose share of women reaches the set percentage (70 % by default), before the other
dossiers with the same count. Otherwise the agenda's order is kept.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One dossier's result, with what the tie-break reads."""

    item: T
    group: Hashable  # the title: dossiers are ranked within their title
    agree: int
    is_collective: bool
    is_woman: bool = False  # an individual nominee who is a woman
    women_percent: int | None = None  # a collective's share of women


@dataclass(frozen=True)
class Ranked(Generic[T]):
    item: T
    rank: int  # within its title, from 1; equal votes and equal priority share a rank
    women_first: bool  # placed ahead of an equal count by the women-first rule


def has_priority(entry: Entry[T], women_percent: int) -> bool:
    """A woman, or a collective with at least `women_percent` % women."""
    if entry.is_collective:
        return entry.women_percent is not None and entry.women_percent >= women_percent
    return entry.is_woman


def rank_results(entries: Iterable[Entry[T]], *, women_percent: int = 70) -> list[Ranked[T]]:
    """The entries by title (in order of first appearance), then agree votes (most first),
    then women first on equal votes, then their given order."""
    listed = list(entries)
    groups: dict[Hashable, int] = {}
    for entry in listed:
        groups.setdefault(entry.group, len(groups))
    ordered = sorted(
        enumerate(listed),
        key=lambda pair: (
            groups[pair[1].group],
            -pair[1].agree,
            not has_priority(pair[1], women_percent),
            pair[0],
        ),
    )
    # A count shared by a dossier with priority and one without: the rule decided the order.
    kinds: dict[tuple[Hashable, int], set[bool]] = defaultdict(set)
    for entry in listed:
        kinds[(entry.group, entry.agree)].add(has_priority(entry, women_percent))
    result: list[Ranked[T]] = []
    rank, previous = 0, None
    for position, (_index, entry) in enumerate(ordered):
        preferred = has_priority(entry, women_percent)
        if not result or ordered[position - 1][1].group != entry.group:
            rank, previous = 0, None
        # Equal votes and equal priority share a rank; the women-first rule separates them.
        if (entry.agree, preferred) != previous:
            rank += 1
        previous = (entry.agree, preferred)
        tied = kinds[(entry.group, entry.agree)] == {True, False}
        result.append(Ranked(entry.item, rank, tied and preferred))
    return result
