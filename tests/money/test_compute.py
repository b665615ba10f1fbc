"""Reward money by the rules, as a table: every coefficient of the law, households, the
highest title of a period, a title with a commendation, rounding at the boundary and the day
the base salary changes (NĐ 152/2025/NĐ-CP art. 49-54; the figures come from the registry)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.decisions.money.compute import (
    Award,
    Earlier,
    MoneyRule,
    amount_of,
    amounts_of,
    round_up,
)
from recognition.law.enums import AwardStandard as S
from recognition.law.models import LawValue
from recognition.law.rules import rules_from

DAY = date(2026, 3, 4)  # base salary 2,340,000 đ (NĐ 73/2024)
T, C = AwardKind.TITLE, AwardKind.COMMENDATION
IND, COL, H = NomineeKind.INDIVIDUAL, NomineeKind.COLLECTIVE, NomineeKind.HOUSEHOLD


def award(
    standard: S, nominee_kind: NomineeKind = IND, kind: AwardKind = T, *, key: int = 1,
    nominee: str = "p1", period: str = "2025",
) -> Award:  # fmt: skip
    return Award(key, standard, kind, nominee_kind, nominee, period)


@pytest.mark.parametrize(
    ("standard", "nominee_kind", "kind", "coefficient", "raw", "amount", "rule"),
    [
        (S.LAO_DONG_TIEN_TIEN, IND, T, "0.3", 702_000, 710_000, MoneyRule.PAID),
        (S.CSTD_CO_SO, IND, T, "1.0", 2_340_000, 2_340_000, MoneyRule.PAID),
        (S.CSTD_TINH, IND, T, "3.0", 7_020_000, 7_020_000, MoneyRule.PAID),
        (S.TAP_THE_LDTT, COL, T, "0.8", 1_872_000, 1_880_000, MoneyRule.PAID),
        (S.TAP_THE_LDXS, COL, T, "1.5", 3_510_000, 3_510_000, MoneyRule.PAID),
        (S.THON_AP_VAN_HOA, COL, T, "1.5", 3_510_000, 3_510_000, MoneyRule.PAID),
        (S.GIAY_KHEN, COL, C, "0.6", 1_404_000, 1_410_000, MoneyRule.PAID),
        (S.GIAY_KHEN, IND, C, "0.3", 702_000, 710_000, MoneyRule.PAID),
        # A household: 1.5 × the individual's coefficient, rounded up once.
        (S.GIAY_KHEN, H, C, "0.3", 1_053_000, 1_060_000, MoneyRule.HOUSEHOLD),
        (S.BANG_KHEN_TINH, COL, C, "3.0", 7_020_000, 7_020_000, MoneyRule.PAID),
        # Half the collective's (a setting, marked uncertain), as for the Giấy khen.
        (S.BANG_KHEN_TINH, IND, C, "1.5", 3_510_000, 3_510_000, MoneyRule.PAID),
        # The law sets no figure for these: nothing is paid, and the page says why.
        (S.GIA_DINH_VAN_HOA, H, T, None, None, 0, MoneyRule.NO_COEFFICIENT),
        (S.OWN_TITLE, COL, T, None, None, 0, MoneyRule.NO_COEFFICIENT),
    ],
)
def test_each_award_is_paid_by_its_coefficient(
    standard: S,
    nominee_kind: NomineeKind,
    kind: AwardKind,
    coefficient: str | None,
    raw: int | None,
    amount: int,
    rule: MoneyRule,
) -> None:
    result = amount_of(award(standard, nominee_kind, kind), rules_from([], DAY))
    assert result.coefficient == (None if coefficient is None else Decimal(coefficient))
    assert result.raw == (None if raw is None else Decimal(raw))
    assert (result.rounded, result.amount, result.rule) == (amount, amount, rule)
    assert result.base == 2_340_000


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (Decimal(2_340_000), 10_000, 2_340_000),  # a multiple stays itself
        (Decimal(2_340_001), 10_000, 2_350_000),  # one đồng over: the next step
        (Decimal("2339999.99"), 10_000, 2_340_000),
        (Decimal(2_349_999), 10_000, 2_350_000),
        (Decimal(0), 10_000, 0),
        (Decimal("702000.5"), 0, 702_001),  # no step: whole đồng, up
    ],
)
def test_rounding_goes_up_to_the_next_step(value: Decimal, step: int, expected: int) -> None:
    assert round_up(value, step) == expected


def _value(key: str, valid_from: date, value: object) -> LawValue:
    return LawValue(key=key, valid_from=valid_from, value=value, source="test", note="")


def test_the_base_salary_in_force_on_the_decision_date_applies() -> None:
    # An administrator's newer base salary from 1-7-2026 (the registry keeps 2,340,000 until).
    stored = [_value("base_salary", date(2026, 7, 1), 2_530_000)]
    before = amount_of(award(S.CSTD_CO_SO), rules_from(stored, date(2026, 6, 30)))
    on_the_day = amount_of(award(S.CSTD_CO_SO), rules_from(stored, date(2026, 7, 1)))
    assert (before.base, before.amount) == (2_340_000, 2_340_000)
    assert (on_the_day.base, on_the_day.amount) == (2_530_000, 2_530_000)
    ldtt = amount_of(award(S.LAO_DONG_TIEN_TIEN), rules_from(stored, date(2026, 7, 1)))
    assert (ldtt.raw, ldtt.amount) == (Decimal(759_000), 760_000)


def test_rounding_step_and_household_multiplier_are_the_laws_data() -> None:
    stored = [
        _value("money.rounding", date(2026, 1, 1), 1_000),
        _value("money.household_multiplier", date(2026, 1, 1), "2"),
    ]
    rules = rules_from(stored, DAY)
    assert amount_of(award(S.TAP_THE_LDTT, COL), rules).amount == 1_872_000
    assert amount_of(award(S.GIAY_KHEN, H, C), rules).amount == 1_404_000


def test_before_the_decree_no_coefficient_is_known() -> None:
    result = amount_of(award(S.CSTD_CO_SO), rules_from([], date(2025, 6, 30)))
    assert (result.amount, result.rule) == (0, MoneyRule.NO_COEFFICIENT)


def test_several_titles_of_one_period_are_paid_only_at_the_highest() -> None:
    rules = rules_from([], DAY)
    lines = [
        award(S.LAO_DONG_TIEN_TIEN, key=1),
        award(S.CSTD_CO_SO, key=2),
        award(S.GIAY_KHEN, kind=C, key=3),  # a commendation besides the title: paid
        award(S.LAO_DONG_TIEN_TIEN, key=4, period="2024"),  # another period: paid
        award(S.LAO_DONG_TIEN_TIEN, key=5, nominee="p2"),  # another person: paid
        award(S.GIAY_KHEN, kind=C, key=6),  # a second commendation: paid too
    ]
    result = amounts_of(lines, rules)
    assert [(a.key, a.amount, a.rule) for a in result] == [
        (1, 0, MoneyRule.NOT_HIGHEST),
        (2, 2_340_000, MoneyRule.PAID),
        (3, 710_000, MoneyRule.PAID),
        (4, 710_000, MoneyRule.PAID),
        (5, 710_000, MoneyRule.PAID),
        (6, 710_000, MoneyRule.PAID),
    ]
    # The computation stays visible on the line that is not paid.
    assert result[0].rounded == 710_000


def test_of_equal_titles_the_first_is_paid() -> None:
    result = amounts_of(
        [award(S.TAP_THE_LDXS, COL, key=1), award(S.THON_AP_VAN_HOA, COL, key=2)],
        rules_from([], DAY),
    )
    assert [(a.amount, a.rule) for a in result] == [
        (3_510_000, MoneyRule.PAID),
        (0, MoneyRule.NOT_HIGHEST),
    ]


# --- the highest title across decisions -----------------------------------------------------
# (what is paid now for p1's titles of 2025, given what earlier decisions paid for them)
P, D, E = MoneyRule.PAID, MoneyRule.DIFFERENCE, MoneyRule.PAID_EARLIER


@pytest.mark.parametrize(
    ("now", "earlier", "base", "amount", "rule"),
    [
        # Nothing paid before: the title in full.
        ([award(S.CSTD_CO_SO)], {}, None, [2_340_000], P),
        # The same title again: nothing more.
        ([award(S.LAO_DONG_TIEN_TIEN)], {("p1", "2025"): 710_000}, None, [0], E),
        # A lower title after a higher one: nothing.
        ([award(S.LAO_DONG_TIEN_TIEN)], {("p1", "2025"): 2_340_000}, None, [0], E),
        # A higher title after a lower one: the difference.
        ([award(S.CSTD_CO_SO)], {("p1", "2025"): 710_000}, None, [1_630_000], D),
        # After two decisions (LĐTT, then the difference to CSTĐCS): the rest up to CSTĐ tỉnh.
        ([award(S.CSTD_TINH)], {("p1", "2025"): 2_340_000}, None, [4_680_000], D),
        # A collective: TTLĐTT paid before, TTLĐXS now.
        ([award(S.TAP_THE_LDXS, COL)], {("p1", "2025"): 1_880_000}, None, [1_630_000], D),
        # Another period, or another nominee, paid before: the title in full.
        ([award(S.CSTD_CO_SO)], {("p1", "2024"): 2_340_000}, None, [2_340_000], P),
        ([award(S.CSTD_CO_SO)], {("p2", "2025"): 2_340_000}, None, [2_340_000], P),
        # A commendation is paid besides whatever title was paid.
        ([award(S.GIAY_KHEN, kind=C)], {("p1", "2025"): 2_340_000}, None, [710_000], P),
        # Two titles now, one paid before: the higher one now, less what was paid.
        (
            [award(S.LAO_DONG_TIEN_TIEN, key=1), award(S.CSTD_CO_SO, key=2)],
            {("p1", "2025"): 710_000},
            None,
            [0, 1_630_000],
            D,
        ),
        # Rounding at the 10,000 đ boundary: 2,340,001 × 1.0 rounds up to 2,350,000, which
        # is one step above the 2,340,000 paid before; exactly 2,340,000 is not above it.
        ([award(S.CSTD_CO_SO)], {("p1", "2025"): 2_340_000}, 2_340_001, [10_000], D),
        ([award(S.CSTD_CO_SO)], {("p1", "2025"): 2_340_000}, 2_340_000, [0], E),
        # An earlier amount off the step (corrected by the secretariat): the difference makes
        # the total the highest title's rounded amount, so it is not rounded again.
        ([award(S.CSTD_CO_SO)], {("p1", "2025"): 2_339_999}, 2_330_001, [1], D),
    ],
)
def test_the_highest_title_of_a_period_across_decisions(
    now: list[Award], earlier: dict[tuple[str, str], int], base: int | None,
    amount: list[int], rule: MoneyRule,
) -> None:  # fmt: skip
    stored = [_value("base_salary", date(2026, 1, 1), base)] if base else []
    before = {group: Earlier(paid, ("12/QĐ-UBND",)) for group, paid in earlier.items()}
    result = amounts_of(now, rules_from(stored, DAY), before)
    assert [a.amount for a in result] == amount
    assert result[-1].rule == rule
    paid_before = before.get((now[-1].nominee, now[-1].period))
    if rule in (D, E):
        assert paid_before is not None
        assert (result[-1].earlier, result[-1].earlier_references) == (
            paid_before.paid,
            ("12/QĐ-UBND",),
        )
