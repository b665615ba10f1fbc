"""What was paid before a decision for its nominees' titles of a period: the lines of earlier
decisions (issued, not annulled) and the earlier awards imported into the history, found
through the award history (so a merged unit's and a person's awards count across the merger).

A decision's line pays its frozen amount, or the secretariat's, or (issued before amounts were
kept) the computed one by the law of its date; an imported award pays what the law of its
decision date gives its standard, when the name says which title it was (a commendation or an
award of unknown standard is not counted: it is paid besides a title). "Earlier" is an issue
date before the decision's (the same day: a lower id), or for a draft any issued decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.compute import Award, Earlier, amount_of
from recognition.extensions import db
from recognition.history.enums import NomineeKind as RecordKind
from recognition.history.lookup import records_for_nominees, standard_of
from recognition.history.models import AwardRecord
from recognition.law.enums import AwardStandard
from recognition.law.rules import Rules, rules_on
from recognition.nominations.models import Nomination

# The forms of commendation: paid besides a title, so never part of "the highest title".
COMMENDATIONS = frozenset({AwardStandard.GIAY_KHEN, AwardStandard.BANG_KHEN_TINH})


@dataclass(frozen=True)
class _Line:
    """An earlier decision's line as the computation needs it."""

    decision_id: int
    state: DecisionState
    issued_on: date | None
    reference: str
    period: str
    amount: int | None
    award: Award


@dataclass(frozen=True)
class _Paid:
    period: str
    amount: int
    reference: str


class _Law:
    """The law of each day asked for, read once."""

    def __init__(self) -> None:
        self._by_day: dict[date, Rules] = {}

    def on(self, day: date) -> Rules:
        if day not in self._by_day:
            self._by_day[day] = rules_on(day)
        return self._by_day[day]


def period_of(campaign: Campaign) -> str:
    return str((campaign.period_end or campaign.closes_on).year)


def earlier_payments(
    decisions: Sequence[Decision], day_of: dict[int, date]
) -> dict[int, dict[tuple[str, str], Earlier]]:
    """For each decision (by id): what was paid before it for each (nominee key, period) of
    its titles. `day_of` gives each decision's day (its issue date, or today for a draft)."""
    items = [
        (decision, line)
        for decision in decisions
        for line in decision.lines
        if line.award_type.kind == AwardKind.TITLE
    ]
    if not items:
        return {}
    found = records_for_nominees([line.nomination for _, line in items])
    lines = _earlier_lines({r.decision_line_id for rs in found for r in rs})
    law = _Law()
    result: dict[int, dict[tuple[str, str], Earlier]] = {}
    counted: dict[tuple[int, str, str], set[int]] = {}
    for (decision, line), records in zip(items, found, strict=True):
        group = (line.nomination.nominee_key, period_of(line.nomination.campaign))
        seen = counted.setdefault((decision.id, *group), set())
        for item in records:
            if item.id in seen:
                continue
            paid = _paid(item, decision, day_of[decision.id], lines, law)
            if paid is None or paid.period != group[1] or paid.amount <= 0:
                continue
            seen.add(item.id)
            before = result.setdefault(decision.id, {}).get(group, Earlier(0))
            result[decision.id][group] = Earlier(
                before.paid + paid.amount, (*before.references, paid.reference)
            )
    return result


def _earlier_lines(ids: set[int | None]) -> dict[int, _Line]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(
            DecisionLine.id,
            DecisionLine.amount,
            DecisionLine.position,
            Decision.id,
            Decision.state,
            Decision.issued_on,
            Decision.reference,
            func.coalesce(Campaign.period_end, Campaign.closes_on),
            AwardType.standard,
            AwardType.kind,
            AwardType.nominee_kind,
            Nomination.nominee_key,
        )
        .join(Decision, Decision.id == DecisionLine.decision_id)
        .join(Nomination, Nomination.id == DecisionLine.nomination_id)
        .join(Campaign, Campaign.id == Nomination.campaign_id)
        .join(AwardType, AwardType.id == DecisionLine.award_type_id)
        .where(DecisionLine.id.in_(wanted))
    )
    found = {}
    for row in rows:
        (line_id, amount, position, decision_id, state, issued_on, reference, end) = row[:8]
        standard, kind, nominee_kind, key = row[8:]
        found[line_id] = _Line(
            decision_id,
            state,
            issued_on,
            reference or "",
            str(end.year),
            amount,
            Award(position, standard, kind, nominee_kind, key, str(end.year)),
        )
    return found


def _paid(
    item: AwardRecord, decision: Decision, day: date, lines: dict[int, _Line], law: _Law
) -> _Paid | None:
    """What the record paid for a title before `decision`, or None when it does not count."""
    if item.decision_line_id is not None:
        line = lines.get(item.decision_line_id)
        if line is None or line.decision_id == decision.id or line.issued_on is None:
            return None
        if line.state != DecisionState.ISSUED or line.award.kind != AwardKind.TITLE:
            return None
        if not _before(line.issued_on, line.decision_id, decision, day):
            return None
        amount = line.amount
        if amount is None:
            amount = amount_of(line.award, law.on(line.issued_on)).amount
        return _Paid(line.period, amount, line.reference)
    standard = standard_of(item)
    if standard is None or standard in COMMENDATIONS or standard == AwardStandard.OWN_TITLE:
        return None
    if item.year is None or (item.decision_on is not None and item.decision_on > day):
        return None
    kind = {
        RecordKind.UNIT: NomineeKind.COLLECTIVE,
        RecordKind.HOUSEHOLD: NomineeKind.HOUSEHOLD,
    }.get(item.nominee_kind, NomineeKind.INDIVIDUAL)
    award = Award(0, standard, AwardKind.TITLE, kind, item.person_key, str(item.year))
    paid_on = item.decision_on or date(item.year, 12, 31)
    return _Paid(str(item.year), amount_of(award, law.on(paid_on)).amount, item.decision_reference)


def _before(issued_on: date, decision_id: int, decision: Decision, day: date) -> bool:
    if decision.state != DecisionState.ISSUED:
        return issued_on <= day
    return (issued_on, decision_id) < (day, decision.id)
