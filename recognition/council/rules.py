"""The council's vote rules as pure functions (no database, no Flask).

Law 06/2022/QH15 leaves the procedure to each council's regulation; the rule is data on the
award type: a threshold percentage of a base (all members, members present, or members
consulted), a quorum (a fraction of all members that must take part), whether abstaining is
allowed and whether the chair must approve.

Definitions used everywhere (and explained on the result page):
- members: the council's members on the day, minus those excluded for a conflict of interest
  on this item;
- participants: eligible members who took part (present at the meeting, or consulted in
  writing);
- base: all members, the participants, or the members consulted, as the rule says;
- the item passes when agree × 100 ≥ threshold × base (exactly at the threshold passes: "at
  least"), the quorum is met, and (where required) the chair approved;
- abstentions and blank ballots count in the base but never in favour; a tie is therefore not
  a pass unless the threshold is 50 % or less.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Base(StrEnum):
    ALL_MEMBERS = "all_members"
    PRESENT = "present"
    CONSULTED = "consulted"


@dataclass(frozen=True)
class Rule:
    threshold_percent: Decimal
    base: Base
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    chair_must_approve: bool = False
    abstain_allowed: bool = False


@dataclass(frozen=True)
class Counts:
    members: int  # eligible members (conflicts excluded)
    participants: int  # eligible members present or consulted
    agree: int
    disagree: int
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.agree + self.disagree + self.abstain


@dataclass(frozen=True)
class Outcome:
    passed: bool
    quorum_met: bool
    base: int
    required: int  # the fewest "agree" votes that pass
    reason: str  # one of REASONS' keys


REASONS = ("passed", "no_quorum", "below_threshold", "chair_not_approved", "no_members")


def quorum_met(*, members: int, participants: int, numerator: int, denominator: int) -> bool:
    """At least numerator/denominator of the members take part (integer arithmetic)."""
    if members <= 0:
        return False
    return participants * denominator >= members * numerator


def base_size(rule: Rule, counts: Counts) -> int:
    if rule.base == Base.ALL_MEMBERS:
        return counts.members
    return counts.participants


def required_agree(threshold_percent: Decimal, base: int) -> int:
    """The smallest integer a with a × 100 ≥ threshold × base."""
    if base <= 0:
        return 0
    product = threshold_percent * base
    whole = int(product // 100)
    return whole if whole * 100 >= product else whole + 1


def outcome(rule: Rule, counts: Counts, *, chair_approved: bool | None = None) -> Outcome:
    """Whether an item passes under `rule` with `counts`; see the module docstring."""
    if min(counts.members, counts.participants, counts.agree, counts.disagree, counts.abstain) < 0:
        raise ValueError("counts cannot be negative")
    if counts.cast > counts.participants or counts.participants > counts.members:
        raise ValueError("more votes than participants, or participants than members")
    if counts.abstain and not rule.abstain_allowed:
        raise ValueError("abstentions are not allowed by this rule")
    base = base_size(rule, counts)
    required = required_agree(rule.threshold_percent, base)
    if counts.members == 0:
        return Outcome(False, False, base, required, "no_members")
    has_quorum = quorum_met(
        members=counts.members,
        participants=counts.participants,
        numerator=rule.quorum_numerator,
        denominator=rule.quorum_denominator,
    )
    if not has_quorum:
        return Outcome(False, False, base, required, "no_quorum")
    if base == 0 or counts.agree < required:
        return Outcome(False, True, base, required, "below_threshold")
    if rule.chair_must_approve and not chair_approved:
        return Outcome(False, True, base, required, "chair_not_approved")
    return Outcome(True, True, base, required, "passed")


def tally(choices: list[str]) -> dict[str, int]:
    """Count ballots by choice ("agree", "disagree", "abstain")."""
    result = {"agree": 0, "disagree": 0, "abstain": 0}
    for choice in choices:
        result[choice] += 1
    return result
