"""The vote rules as pure functions: bases, thresholds, quorum, abstentions, ties, the chair.

Definitions (recognition/council/rules.py): an item passes when agree × 100 ≥ threshold × base,
the quorum is met and, where required, the chair approved; abstentions count in the base and
never in favour.
"""

from __future__ import annotations

import collections
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recognition.council import rules
from recognition.council.rules import Base, Counts, Outcome, Rule

pytestmark = pytest.mark.unit

# The suite's autouse isolation fixture is function-scoped; these tests never touch it.
pure = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=300
)

BASES = list(Base)
THRESHOLDS = ["50", "66.67", "70", "90", "100"]


def rule(threshold: str = "70", base: Base = Base.PRESENT, **kwargs: object) -> Rule:
    return Rule(threshold_percent=Decimal(threshold), base=base, **kwargs)  # type: ignore[arg-type]


def counts(members: int, participants: int, agree: int, disagree: int = 0, abstain: int = 0):  # type: ignore[no-untyped-def]
    return Counts(
        members=members,
        participants=participants,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
    )


# --- the base ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        # 10 members, 7 present: 6 agree, 1 disagree, at 70 %.
        (Base.ALL_MEMBERS, Outcome(False, True, 10, 7, "below_threshold")),
        (Base.PRESENT, Outcome(True, True, 7, 5, "passed")),
        (Base.CONSULTED, Outcome(True, True, 7, 5, "passed")),
    ],
)
def test_the_base_decides_what_the_threshold_is_counted_on(base: Base, expected: Outcome) -> None:
    assert rules.outcome(rule("70", base), counts(10, 7, 6, 1)) == expected


@pytest.mark.parametrize(
    ("base", "expected"),
    [(Base.ALL_MEMBERS, 12), (Base.PRESENT, 9), (Base.CONSULTED, 9)],
)
def test_base_size(base: Base, expected: int) -> None:
    assert rules.base_size(rule(base=base), counts(12, 9, 5, 2, 0)) == expected


# --- thresholds: exactly at passes, one vote below fails -------------------------------------

# (threshold, base size, the fewest agree votes that pass)
THRESHOLD_EDGES = [
    ("50", 8, 4),
    ("50", 9, 5),
    ("66.67", 9, 7),  # 6 of 9 is 66.66… %, below 66.67 %
    ("66.67", 6, 5),  # "two thirds" written as 66.67 % is stricter than 2/3
    ("66.67", 3, 3),
    ("70", 10, 7),
    ("70", 9, 7),
    ("70", 7, 5),
    ("90", 10, 9),
    ("90", 9, 9),
    ("90", 20, 18),
    ("100", 9, 9),
    ("100", 1, 1),
]


def test_every_threshold_of_the_brief_is_in_the_edge_table() -> None:
    assert sorted({t for t, _, _ in THRESHOLD_EDGES}, key=Decimal) == THRESHOLDS


@pytest.mark.parametrize(("threshold", "size", "required"), THRESHOLD_EDGES)
def test_required_agree(threshold: str, size: int, required: int) -> None:
    assert rules.required_agree(Decimal(threshold), size) == required


def _edge_counts(base: Base, size: int, agree: int) -> Counts:
    """Counts whose base has `size` members, the quorum met, everyone voting."""
    if base == Base.ALL_MEMBERS:
        return counts(size, size, agree, size - agree)
    # A few members absent (still within a 2/3 quorum): the base is those taking part.
    return counts(size + size // 2, size, agree, size - agree)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(("threshold", "size", "required"), THRESHOLD_EDGES)
def test_exactly_at_the_threshold_passes_and_one_vote_below_fails(
    base: Base, threshold: str, size: int, required: int
) -> None:
    at = rules.outcome(rule(threshold, base), _edge_counts(base, size, required))
    below = rules.outcome(rule(threshold, base), _edge_counts(base, size, required - 1))

    assert (at, below) == (
        Outcome(True, True, size, required, "passed"),
        Outcome(False, True, size, required, "below_threshold"),
    )


@pytest.mark.parametrize(
    ("threshold", "base", "given_counts", "expected"),
    [
        # Regulations seen: ≥ 70 % of those present for ordinary titles …
        ("70", Base.PRESENT, counts(9, 9, 7, 2), Outcome(True, True, 9, 7, "passed")),
        ("70", Base.PRESENT, counts(9, 9, 6, 3), Outcome(False, True, 9, 7, "below_threshold")),
        # … ≥ 90 % of all members by secret ballot for high titles: absent members count.
        ("90", Base.ALL_MEMBERS, counts(10, 9, 9, 0), Outcome(True, True, 10, 9, "passed")),
        (
            "90",
            Base.ALL_MEMBERS,
            counts(10, 8, 8, 0),
            Outcome(False, True, 10, 9, "below_threshold"),
        ),
        # A written consultation counts on the members consulted.
        ("50", Base.CONSULTED, counts(9, 7, 4, 3), Outcome(True, True, 7, 4, "passed")),
        ("50", Base.CONSULTED, counts(9, 7, 3, 4), Outcome(False, True, 7, 4, "below_threshold")),
        # Members who did not vote count in the base like disagree votes.
        ("70", Base.PRESENT, counts(10, 10, 6, 0), Outcome(False, True, 10, 7, "below_threshold")),
    ],
)
def test_regulation_examples(
    threshold: str, base: Base, given_counts: Counts, expected: Outcome
) -> None:
    assert rules.outcome(rule(threshold, base), given_counts) == expected


# --- quorum ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "participants", "numerator", "denominator", "met"),
    [
        (9, 6, 2, 3, True),  # 2/3 of 9 = 6
        (9, 5, 2, 3, False),
        (10, 7, 2, 3, True),  # 2/3 of 10 = 6.67: 7 needed
        (10, 6, 2, 3, False),
        (3, 2, 2, 3, True),
        (3, 1, 2, 3, False),
        (8, 4, 1, 2, True),
        (8, 3, 1, 2, False),
        (8, 6, 3, 4, True),
        (8, 5, 3, 4, False),
        (5, 5, 1, 1, True),
        (5, 4, 1, 1, False),
        (0, 0, 2, 3, False),  # nobody to vote: never a quorum
    ],
)
def test_quorum_met(
    members: int, participants: int, numerator: int, denominator: int, met: bool
) -> None:
    found = rules.quorum_met(
        members=members, participants=participants, numerator=numerator, denominator=denominator
    )
    assert found == met


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(
    ("members", "participants", "expected_quorum"),
    [(9, 6, True), (9, 5, False), (10, 7, True), (10, 6, False)],
)
def test_quorum_edges_decide_the_outcome(
    base: Base, members: int, participants: int, expected_quorum: bool
) -> None:
    # Everyone taking part agrees: only the quorum (and, on all members, the base) can fail it.
    found = rules.outcome(rule("50", base), counts(members, participants, participants))

    size = members if base == Base.ALL_MEMBERS else participants
    required = rules.required_agree(Decimal(50), size)
    expected = (
        Outcome(True, True, size, required, "passed")
        if expected_quorum
        else Outcome(False, False, size, required, "no_quorum")
    )
    assert found == expected


def test_quorum_is_checked_before_the_threshold() -> None:
    # 5 of 9 take part and all agree; 5 would reach 50 % of all members, but there is no quorum.
    assert rules.outcome(rule("50", Base.ALL_MEMBERS), counts(9, 5, 5)) == Outcome(
        False, False, 9, 5, "no_quorum"
    )


# --- abstentions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_counts", "expected"),
    [
        # 7 agree and 3 abstain of 10 present reach 70 %.
        (counts(10, 10, 7, 0, 3), Outcome(True, True, 10, 7, "passed")),
        # 6 agree, 4 abstain: every expressed vote agrees, yet 6 of 10 is below 70 %.
        (counts(10, 10, 6, 0, 4), Outcome(False, True, 10, 7, "below_threshold")),
        # Abstentions never count in favour, even when they outnumber everything.
        (counts(10, 10, 0, 0, 10), Outcome(False, True, 10, 7, "below_threshold")),
    ],
)
def test_abstentions_count_in_the_base_and_never_in_favour(
    given_counts: Counts, expected: Outcome
) -> None:
    assert rules.outcome(rule("70", abstain_allowed=True), given_counts) == expected


@pytest.mark.parametrize("base", BASES)
def test_abstentions_are_refused_when_the_rule_does_not_allow_them(base: Base) -> None:
    with pytest.raises(ValueError) as error:
        rules.outcome(rule("70", base, abstain_allowed=False), counts(10, 10, 7, 2, 1))
    assert str(error.value) == "abstentions are not allowed by this rule"


# --- ties --------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        ("50", Outcome(True, True, 8, 4, "passed")),
        ("51", Outcome(False, True, 8, 5, "below_threshold")),
        ("66.67", Outcome(False, True, 8, 6, "below_threshold")),
    ],
)
def test_a_tie_passes_only_at_50_percent_or_less(
    base: Base, threshold: str, expected: Outcome
) -> None:
    assert rules.outcome(rule(threshold, base), counts(8, 8, 4, 4)) == expected


def test_a_tie_with_abstentions_at_50_percent() -> None:
    # 4 agree, 4 disagree, 2 abstain of 10: 4 is below half of 10.
    assert rules.outcome(rule("50", abstain_allowed=True), counts(10, 10, 4, 4, 2)) == Outcome(
        False, True, 10, 5, "below_threshold"
    )


# --- the chair -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("must_approve", "chair_approved", "given_counts", "expected"),
    [
        (True, True, counts(9, 9, 9), Outcome(True, True, 9, 7, "passed")),
        (True, False, counts(9, 9, 9), Outcome(False, True, 9, 7, "chair_not_approved")),
        (True, None, counts(9, 9, 9), Outcome(False, True, 9, 7, "chair_not_approved")),
        (False, False, counts(9, 9, 9), Outcome(True, True, 9, 7, "passed")),
        (False, None, counts(9, 9, 7, 2), Outcome(True, True, 9, 7, "passed")),
        # Below the threshold the chair's approval does not help, and the reason says why.
        (True, True, counts(9, 9, 6, 3), Outcome(False, True, 9, 7, "below_threshold")),
        # Without a quorum neither.
        (True, True, counts(9, 5, 5), Outcome(False, False, 5, 4, "no_quorum")),
    ],
)
def test_chair_must_approve(
    must_approve: bool, chair_approved: bool | None, given_counts: Counts, expected: Outcome
) -> None:
    found = rules.outcome(
        rule("70", chair_must_approve=must_approve), given_counts, chair_approved=chair_approved
    )
    assert found == expected


# --- degenerate and invalid counts ----------------------------------------------------------


@pytest.mark.parametrize("base", BASES)
def test_zero_members_never_pass(base: Base) -> None:
    found = rules.outcome(
        rule("50", base, chair_must_approve=True), counts(0, 0, 0), chair_approved=True
    )
    assert found == Outcome(False, False, 0, 0, "no_members")


@pytest.mark.parametrize("base", BASES)
def test_members_but_nobody_taking_part_is_no_quorum(base: Base) -> None:
    found = rules.outcome(rule("50", base), counts(5, 0, 0))
    size = 5 if base == Base.ALL_MEMBERS else 0
    assert found == Outcome(
        False, False, size, rules.required_agree(Decimal(50), size), "no_quorum"
    )


TOO_MANY = "more votes than participants, or participants than members"
NEGATIVE = "counts cannot be negative"


@pytest.mark.parametrize(
    ("given_counts", "message"),
    [
        (counts(9, 6, 5, 2), TOO_MANY),  # 7 votes from 6 participants
        (counts(9, 6, 7, 0), TOO_MANY),
        (counts(9, 6, 3, 2, 2), TOO_MANY),  # abstentions make it 7
        (counts(9, 10, 5, 0), TOO_MANY),  # more participants than members
        (counts(0, 1, 0, 0), TOO_MANY),
        # Negative counts, which could otherwise "balance" too many agree votes.
        (counts(9, 5, 7, -2), NEGATIVE),
        (counts(9, 9, -1, 0), NEGATIVE),
        (counts(9, 9, 5, 0, -1), NEGATIVE),
        (counts(9, -1, 0, 0), NEGATIVE),
        (counts(-1, 0, 0, 0), NEGATIVE),
    ],
)
@pytest.mark.parametrize("base", BASES)
def test_invalid_counts_are_a_value_error(base: Base, given_counts: Counts, message: str) -> None:
    with pytest.raises(ValueError) as error:
        rules.outcome(rule("50", base, abstain_allowed=True), given_counts)
    assert str(error.value) == message


def test_counts_cast_adds_every_choice() -> None:
    assert counts(9, 9, 4, 3, 2).cast == 9


# --- properties ----------------------------------------------------------------------------------

CHOICES = st.sampled_from(["agree", "disagree", "abstain"])


@pure
@given(st.lists(CHOICES, max_size=200))
def test_tally_counts_every_choice_once(choices: list[str]) -> None:
    found = rules.tally(choices)

    assert (sorted(found), sum(found.values()), collections.Counter(found)) == (
        ["abstain", "agree", "disagree"],
        len(choices),
        collections.Counter(choices),
    )


THRESHOLD = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)


@pure
@given(THRESHOLD, st.integers(min_value=0, max_value=1000))
def test_required_agree_is_the_least_integer_reaching_the_threshold(
    threshold: Decimal, base: int
) -> None:
    required = rules.required_agree(threshold, base)

    assert required * 100 >= threshold * base
    assert required == 0 or (required - 1) * 100 < threshold * base
    assert 0 <= required <= base


@st.composite
def rule_and_two_counts(draw: st.DrawFn) -> tuple[Rule, Counts, Counts]:
    """A rule and two valid counts that differ only in more agree votes (fewer not voting)."""
    denominator = draw(st.integers(min_value=1, max_value=5))
    numerator = draw(st.integers(min_value=1, max_value=denominator))
    abstain_allowed = draw(st.booleans())
    the_rule = Rule(
        threshold_percent=draw(THRESHOLD),
        base=draw(st.sampled_from(BASES)),
        quorum_numerator=numerator,
        quorum_denominator=denominator,
        chair_must_approve=draw(st.booleans()),
        abstain_allowed=abstain_allowed,
    )
    members = draw(st.integers(min_value=0, max_value=60))
    participants = draw(st.integers(min_value=0, max_value=members))
    more_agree = draw(st.integers(min_value=0, max_value=participants))
    agree = draw(st.integers(min_value=0, max_value=more_agree))
    disagree = draw(st.integers(min_value=0, max_value=participants - more_agree))
    abstain = (
        draw(st.integers(min_value=0, max_value=participants - more_agree - disagree))
        if abstain_allowed
        else 0
    )
    fewer = Counts(members, participants, agree, disagree, abstain)
    more = Counts(members, participants, more_agree, disagree, abstain)
    return the_rule, fewer, more


@pure
@given(rule_and_two_counts(), st.booleans())
def test_the_outcome_is_monotonic_in_agree_votes(
    drawn: tuple[Rule, Counts, Counts], chair_approved: bool
) -> None:
    the_rule, fewer, more = drawn

    with_fewer = rules.outcome(the_rule, fewer, chair_approved=chair_approved)
    with_more = rules.outcome(the_rule, more, chair_approved=chair_approved)

    assert (with_fewer.base, with_fewer.required, with_fewer.quorum_met) == (
        with_more.base,
        with_more.required,
        with_more.quorum_met,
    )
    if with_fewer.passed:
        assert with_more.passed
    assert with_more.passed == (
        with_more.quorum_met
        and more.agree >= with_more.required
        and with_more.base > 0
        and (chair_approved or not the_rule.chair_must_approve)
    )
