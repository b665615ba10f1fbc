"""Reward money as read: each decision line's computation and amount, and where an
awarding body's emulation fund stands for a year."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from recognition.common.numbers import format_number
from recognition.database import local_today
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.compute import Amount, Award, Earlier, amounts_of
from recognition.decisions.money.earlier import earlier_payments, period_of
from recognition.decisions.money.models import EmulationFund
from recognition.extensions import db
from recognition.law.rules import Rules, rules_on
from recognition.nominations.models import Nomination
from recognition.units.models import Unit

FROZEN_STATES = frozenset({DecisionState.ISSUED, DecisionState.ANNULLED})
COMMITTED_STATES = frozenset({DecisionState.DRAFT, DecisionState.POSTED})


def decision_day(decision: Decision) -> date:
    """The day whose law the amounts follow: the issue date, or today for a draft."""
    return decision.issued_on or local_today()


def award_of(line: DecisionLine) -> Award:
    return Award(
        key=line.position,
        standard=line.award_type.standard,
        kind=line.award_type.kind,
        nominee_kind=line.award_type.nominee_kind,
        nominee=line.nomination.nominee_key,
        period=period_of(line.nomination.campaign),
    )


@dataclass(frozen=True)
class LineMoney:
    line: DecisionLine
    computed: Amount
    # The amount paid: frozen on an issued decision, else the secretariat's or the computed.
    amount: int

    @property
    def overridden(self) -> bool:
        return self.line.amount_override is not None

    @property
    def law_changed_since(self) -> bool:
        """Frozen at issue at another amount than the law now recorded for the decision's day
        gives (a value of that day entered or corrected afterwards): the page says so."""
        return (
            self.line.amount is not None
            and not self.overridden
            and self.computed.amount != self.amount
        )


@dataclass(frozen=True)
class DecisionMoney:
    day: date
    frozen: bool
    lines: list[LineMoney]

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.lines)


def decision_money(
    decision: Decision,
    rules: Rules | None = None,
    earlier: dict[tuple[str, str], Earlier] | None = None,
) -> DecisionMoney:
    """Every line's computation by the law of the decision's day, after what earlier
    decisions and imported awards paid for the same titles' period, and its amount."""
    day = decision_day(decision)
    law = rules or rules_on(day)
    if earlier is None:
        earlier = earlier_payments([decision], {decision.id: day}).get(decision.id, {})
    lines = list(decision.lines)
    computed = amounts_of([award_of(line) for line in lines], law, earlier)
    frozen = decision.state in FROZEN_STATES
    items = []
    for line, amount in zip(lines, computed, strict=True):
        if frozen and line.amount is not None:
            paid = line.amount
        elif line.amount_override is not None:
            paid = line.amount_override
        else:
            paid = amount.amount
        items.append(LineMoney(line, amount, paid))
    return DecisionMoney(day, frozen, items)


@dataclass(frozen=True)
class FundStatus:
    body: Unit
    year: int
    fund: EmulationFund | None
    paid: int
    committed: int
    # What the year's decisions annulled since had paid: to be recovered, no longer counted
    # as paid (shown apart, so the paid figure does not fall without a word).
    annulled: int = 0

    @property
    def budget(self) -> int:
        return self.fund.budget if self.fund else 0

    @property
    def movement_percent(self) -> Decimal:
        return self.fund.movement_percent if self.fund else Decimal(0)

    @property
    def percent_text(self) -> str:
        """The share as the reader's language writes it: 20, 12,5 (12.5 in English)."""
        return format_number(self.movement_percent.normalize())

    @property
    def reserved(self) -> int:
        """The share kept for organising movements, pledges and cluster activities."""
        return int(self.budget * self.movement_percent / 100)

    @property
    def for_awards(self) -> int:
        return self.budget - self.reserved

    @property
    def remaining(self) -> int:
        # Money an annulled decision paid is out until it is recovered: not left to spend.
        return self.for_awards - self.paid - self.committed - self.annulled


def fund_of(body: Unit, year: int) -> EmulationFund | None:
    return db.session.scalar(
        select(EmulationFund).where(
            EmulationFund.awarding_body_id == body.id, EmulationFund.year == year
        )
    )


def paid_in(body: Unit, year: int, *, state: DecisionState = DecisionState.ISSUED) -> int:
    """What the body's issued decisions of the year pay (their frozen amounts); with
    `state=ANNULLED`, what those annulled since had paid."""
    return paid_by_year({body.id}, [year], state=state)[year]


def paid_by_year(
    body_ids: Collection[int],
    years: Sequence[int],
    *,
    state: DecisionState = DecisionState.ISSUED,
) -> dict[int, int]:
    """What the issued decisions (or those in `state`) of the bodies paid in each of the years
    (their frozen amounts), in one statement: the statistics' money of a body and of the
    bodies of its level merged into it."""
    rows = db.session.execute(
        select(Decision.year, func.coalesce(func.sum(DecisionLine.amount), 0))
        .select_from(DecisionLine)
        .join(Decision)
        .where(
            Decision.awarding_body_id.in_(body_ids),
            Decision.state == state,
            Decision.year.in_(years),
        )
        .group_by(Decision.year)
    ).all()
    paid = {year: int(total or 0) for year, total in rows if year is not None}
    return {year: paid.get(year, 0) for year in years}


def committed_in(body: Unit, year: int, *, excluding: Decision | None = None) -> int:
    """What the body's decisions not issued yet would pay; they are dated this year."""
    if year != local_today().year:
        return 0
    lines = selectinload(Decision.lines).options(
        selectinload(DecisionLine.nomination).selectinload(Nomination.campaign),
        selectinload(DecisionLine.award_type),
    )
    drafts = db.session.scalars(
        select(Decision)
        .where(Decision.awarding_body_id == body.id, Decision.state.in_(COMMITTED_STATES))
        .options(lines)
    ).all()
    law = rules_on(local_today())
    # The excluded decision is read with the others: the page's queries stay as many however
    # many drafts there are.
    earlier = earlier_payments(drafts, {draft.id: local_today() for draft in drafts})
    return sum(
        decision_money(draft, law, earlier.get(draft.id, {})).total
        for draft in drafts
        if excluding is None or draft.id != excluding.id
    )


def fund_status(body: Unit, year: int, *, excluding: Decision | None = None) -> FundStatus:
    return FundStatus(
        body,
        year,
        fund_of(body, year),
        paid_in(body, year),
        committed_in(body, year, excluding=excluding),
        paid_in(body, year, state=DecisionState.ANNULLED),
    )


@dataclass(frozen=True)
class FundCheck:
    """A decision not issued yet against its body's fund of the year."""

    status: FundStatus
    total: int

    @property
    def exceeds(self) -> bool:
        return self.status.fund is not None and self.total > self.status.remaining


def fund_check(decision: Decision, money: DecisionMoney) -> FundCheck | None:
    """For a decision not issued yet: its total against what its body's fund has left."""
    if decision.state not in COMMITTED_STATES:
        return None
    status = fund_status(decision.awarding_body, money.day.year, excluding=decision)
    return FundCheck(status, money.total)
