"""The attacker's side of the secret ballot: ways to link members to ballots, and their score.

Each attack returns, per agenda item, the attacker's guess `member id → tracker` (the ballot it
believes is that member's). The score counts the members whose guessed ballot is really theirs
(`exact`) and those whose guessed ballot carries their choice (`choice`). A guess as good as a
random permutation has one exact match per item on average, and its choice score is what a
random pairing of the ballots gives.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recognition.council.enums import Choice

Guess = dict[int, str]


@dataclass
class Truth:
    """What the test knows: each member's tracker and choice, per item."""

    trackers: dict[int, dict[int, str]]  # item id → member id → tracker
    choices: dict[int, dict[int, Choice]]  # item id → member id → choice

    def choice_of_tracker(self, item_id: int) -> dict[str, Choice]:
        return {
            self.trackers[item_id][member]: choice
            for member, choice in self.choices[item_id].items()
        }


@dataclass(frozen=True)
class Score:
    exact: int
    choice: int
    members: int

    def __add__(self, other: Score) -> Score:
        return Score(
            self.exact + other.exact, self.choice + other.choice, self.members + other.members
        )


def score(truth: Truth, guesses: dict[int, Guess]) -> Score:
    total = Score(0, 0, 0)
    for item_id, guess in guesses.items():
        trackers, choices = truth.trackers[item_id], truth.choices[item_id]
        by_tracker = truth.choice_of_tracker(item_id)
        exact = sum(1 for member, tracker in guess.items() if trackers.get(member) == tracker)
        right = sum(
            1 for member, tracker in guess.items() if by_tracker.get(tracker) == choices[member]
        )
        total = total + Score(exact, right, len(choices))
    return total


def zipped(members: Sequence[int], trackers: Sequence[str]) -> Guess:
    """The n-th member voted the n-th ballot: the order attack."""
    return dict(zip(members, trackers, strict=False))


def by_key(members: Iterable[tuple[int, str]], ballots: Iterable[tuple[str, str]]) -> Guess:
    """Members and ballots that share a system value (xmin) belong together: the join attack.
    Where several ballots share the member's value, the attacker picks the first."""
    found: dict[str, list[str]] = {}
    for tracker, key in ballots:
        found.setdefault(key, []).append(tracker)
    return {member: found[key][0] for member, key in members if key in found}


def balanced_choices(members: Sequence[int]) -> dict[int, Choice]:
    """Half agree, half disagree, in a random order (so every attack has something to find)."""
    choices = [Choice.AGREE, Choice.DISAGREE] * (len(members) // 2 + 1)
    picked = choices[: len(members)]
    random.SystemRandom().shuffle(picked)
    return dict(zip(members, picked, strict=True))


# The bounds the tests hold every attack to, for ITEMS items of MEMBERS members each. A random
# permutation has a mean of one fixed point per item (variance one); the chance that three
# items give more than 10 exact matches is below 1e-4. The choice score of a random pairing of
# 15 agree and 15 disagree ballots has a mean of 15 per item and a standard deviation of about
# 2.7; above 62 of 90 is more than 3.5 standard deviations (below 3e-4). A perfect link scores
# 90 on both.
MEMBERS = 30
ITEMS = 3
MAX_EXACT = 10
MAX_CHOICE = 62
