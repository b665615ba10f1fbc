"""Reward money by NĐ 152/2025/NĐ-CP art. 49-54, pure: the law's values come in as `Rules`.

An award's amount is its coefficient × the base salary in force on the decision date (× the
household multiplier for a household), rounded up to the law's rounding step. Several titles
of one nominee for the same period are paid only at the highest (the others are shown at 0);
a commendation is paid besides a title.

The highest rule reaches across decisions: what earlier decisions (issued, not annulled) and
earlier awards imported into the history paid for the nominee's titles of the same period is
`Earlier`. A title that is not above it is paid 0; a higher one is paid the difference, so
that the nominee has been paid the highest title's amount in all. The decree says only "paid
at the highest" (DOMAIN "Reward money"): paying the difference is this application's reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.common.enums import LabelledEnum
from recognition.law.enums import AwardStandard
from recognition.law.rules import Rules


class MoneyRule(LabelledEnum):
    """Which rule gave a line its amount."""

    PAID = "paid"
    HOUSEHOLD = "household"
    NOT_HIGHEST = "not_highest"
    PAID_EARLIER = "paid_earlier"
    DIFFERENCE = "difference"
    NO_COEFFICIENT = "no_coefficient"
    NO_BASE = "no_base"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PAID: _l("Coefficient × base salary, rounded up"),
            cls.HOUSEHOLD: _l("Household: a multiple of an individual’s amount, rounded up"),
            cls.NOT_HIGHEST: _l("Another title of the same period is paid (only the highest)"),
            cls.PAID_EARLIER: _l(
                "A title of the same period was paid earlier at this amount or more "
                "(only the highest is paid)"
            ),
            cls.DIFFERENCE: _l(
                "A lower title of the same period was paid earlier: the difference is paid"
            ),
            cls.NO_COEFFICIENT: _l("The law sets no reward for this award"),
            cls.NO_BASE: _l("No base salary is known on the decision date"),
        }


@dataclass(frozen=True)
class Award:
    """What the computation needs of one decision line."""

    key: int  # the line's position
    standard: AwardStandard
    kind: AwardKind
    nominee_kind: NomineeKind
    nominee: str  # the nominee's stable key
    period: str  # the period the award is for (the campaign's year)


@dataclass(frozen=True)
class Amount:
    """A line's computation: the figures, the amount the rules give and the rule applied."""

    key: int
    coefficient: Decimal | None
    base: int | None
    multiplier: Decimal
    raw: Decimal | None
    rounded: int
    amount: int
    rule: MoneyRule
    # What earlier decisions or imported awards paid for the same period, and where.
    earlier: int = 0
    earlier_references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Earlier:
    """What was paid before for one nominee's titles of one period, and by which decisions."""

    paid: int
    references: tuple[str, ...] = ()


def round_up(value: Decimal, step: int) -> int:
    """`value` rounded up to the next multiple of `step` (itself when it is one)."""
    if step <= 0:
        return int(value.to_integral_value(rounding=ROUND_CEILING))
    steps = (value / step).to_integral_value(rounding=ROUND_CEILING)
    return int(steps) * step


def amount_of(award: Award, rules: Rules) -> Amount:
    """One award's amount by itself (before the highest-title rule)."""
    collective = award.nominee_kind == NomineeKind.COLLECTIVE
    coefficient = rules.coefficient(award.standard, collective=collective)
    base = rules.base_salary
    household = award.nominee_kind == NomineeKind.HOUSEHOLD
    multiplier = (rules.household_multiplier or Decimal(1)) if household else Decimal(1)
    if coefficient is None:
        return Amount(award.key, None, base, multiplier, None, 0, 0, MoneyRule.NO_COEFFICIENT)
    if base is None:
        return Amount(award.key, coefficient, None, multiplier, None, 0, 0, MoneyRule.NO_BASE)
    raw = coefficient * base * multiplier
    rounded = round_up(raw, rules.money_rounding or 0)
    rule = MoneyRule.HOUSEHOLD if household else MoneyRule.PAID
    return Amount(award.key, coefficient, base, multiplier, raw, rounded, rounded, rule)


def amounts_of(
    awards: Sequence[Award],
    rules: Rules,
    earlier: Mapping[tuple[str, str], Earlier] | None = None,
) -> list[Amount]:
    """Every line's amount, in the given order: of one nominee's titles for one period only
    the highest is paid (the first of equal ones), less what `earlier` decisions paid for
    that nominee and period (nothing when they paid as much or more); commendations are all
    paid."""
    amounts = [amount_of(award, rules) for award in awards]
    best: dict[tuple[str, str], int] = {}
    for index, (award, amount) in enumerate(zip(awards, amounts, strict=True)):
        if award.kind != AwardKind.TITLE:
            continue
        group = (award.nominee, award.period)
        current = best.get(group)
        if current is None or amount.amount > amounts[current].amount:
            best[group] = index
    for index, (award, amount) in enumerate(zip(awards, amounts, strict=True)):
        if award.kind != AwardKind.TITLE or amount.amount == 0:
            continue
        group = (award.nominee, award.period)
        if best[group] != index:
            amounts[index] = replace(amount, amount=0, rule=MoneyRule.NOT_HIGHEST)
            continue
        before = (earlier or {}).get(group)
        if before is not None and before.paid > 0:
            amounts[index] = _after(amount, before)
    return amounts


def _after(amount: Amount, before: Earlier) -> Amount:
    """The highest title of a period in this decision, after what was paid for it before."""
    if amount.amount <= before.paid:
        rule, paid = MoneyRule.PAID_EARLIER, 0
    else:
        rule, paid = MoneyRule.DIFFERENCE, amount.amount - before.paid
    return replace(
        amount,
        amount=paid,
        rule=rule,
        earlier=before.paid,
        earlier_references=before.references,
    )
