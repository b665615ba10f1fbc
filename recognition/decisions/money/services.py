"""Reward money's writes: the secretariat's amount for a line, the amounts frozen at issue,
and a body's emulation fund of a year; each audited.

A fund's events are filed under its awarding body's id (a fund is its body's for a year; the
year is in the event's subject), so the log opens the body's fund page.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.common.audit import (
    AuditEvent,
    ObjectKind,
    record,
    register_more_actions,
    register_vocabulary,
)
from recognition.common.text import clean_multiline
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.enums import FundAction, MoneyAction
from recognition.decisions.money.models import EmulationFund
from recognition.decisions.money.permissions import can_edit_fund, can_override_amount
from recognition.decisions.money.queries import decision_money, fund_of
from recognition.decisions.permissions import EDITABLE_STATES
from recognition.decisions.workflow import describe
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.units.models import Unit

register_more_actions(ObjectKind.DECISION, MoneyAction)
register_vocabulary(ObjectKind.EMULATION_FUND, FundAction)

# No award of a commune or province comes near: a figure above this is a typing slip.
MAX_AMOUNT = 10**12


def money_text(amount: int | None) -> str:
    """An amount as Vietnamese write it: 1.080.000 đ."""
    if amount is None:
        return "—"
    return f"{amount:,} đ".replace(",", ".")


def override_amount(
    decision: Decision, line: DecisionLine, amount: int | None, *, reason: str, actor: User
) -> AuditEvent:
    """Pay `amount` for the line instead of the computed one (None: back to the computed),
    with a reason; only before the decision is issued."""
    if decision.state not in EDITABLE_STATES:
        raise InvalidTransition(_("The amounts of an issued decision are frozen."))
    if not can_override_amount(actor, decision):
        raise NotAllowed(_("You may not change this decision."))
    if line.decision_id != decision.id:
        raise DomainError(_("This line is not in the decision."))
    why = clean_multiline(reason)
    if not why:
        raise DomainError(_("Please give a reason."), field="reason")
    if amount is not None and not 0 <= amount <= MAX_AMOUNT:
        raise DomainError(
            _("Enter an amount between 0 and %(max)s.", max=money_text(MAX_AMOUNT)),
            field="amount",
        )
    before = next(m.amount for m in decision_money(decision).lines if m.line.id == line.id)
    line.amount_override = amount
    line.amount_reason = why if amount is not None else ""
    after = next(m.amount for m in decision_money(decision).lines if m.line.id == line.id)
    db.session.flush()
    return record(
        ObjectKind.DECISION,
        decision.id,
        MoneyAction.OVERRIDE,
        actor=actor,
        subject=describe(decision),
        comment=(
            f"{line.position}. {line.recipient}: {money_text(before)} → {money_text(after)}. {why}"
        ),
    )


def freeze_amounts(decision: Decision) -> None:
    """Store each line's amount as it is paid (on issue; the law of the issue date)."""
    for item in decision_money(decision).lines:
        item.line.amount = item.amount
    db.session.flush()


def save_fund(
    body: Unit, year: int, *, budget: int, movement_percent: Decimal, actor: User
) -> EmulationFund:
    """Set the body's fund of `year`: its budget and the share kept for organising
    movements."""
    if not can_edit_fund(actor, body):
        raise NotAllowed(_("You may not keep this body's fund."))
    if not 2000 <= year <= 2200:
        raise DomainError(_("Enter a year between 2000 and 2200."), field="year")
    if not 0 <= budget <= MAX_AMOUNT:
        raise DomainError(
            _("Enter an amount between 0 and %(max)s.", max=money_text(MAX_AMOUNT)),
            field="budget",
        )
    if not Decimal(0) <= movement_percent <= Decimal(100):
        raise DomainError(_("Enter a percentage between 0 and 100."), field="movement_percent")
    fund = fund_of(body, year)
    if fund is None:
        fund = EmulationFund(awarding_body_id=body.id, year=year)
        db.session.add(fund)
    fund.budget = budget
    fund.movement_percent = movement_percent
    db.session.flush()
    record(
        ObjectKind.EMULATION_FUND,
        body.id,
        FundAction.SET,
        actor=actor,
        subject=f"Quỹ thi đua, khen thưởng {year} — {body.name}",
        comment=f"{money_text(budget)}; {movement_percent} %",
    )
    return fund
