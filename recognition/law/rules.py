"""The law in force on a day: `rules_on(day)` gives every rule's value with the latest
`valid_from` on or before that day, the administrator's values over the registry's defaults.

Pure apart from one query for the administrator's values; the defaults are read once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.enums import AwardStandard, RuleKind, VoteBase, VoteMethod
from recognition.law.models import LawValue
from recognition.law.registry import RULES, Dated, Rule
from recognition.units.enums import UnitKind

LEVELS = {
    UnitKind.PROVINCE: "province",
    UnitKind.DISTRICT: "district",
    UnitKind.COMMUNE: "commune",
    UnitKind.WARD: "commune",
    UnitKind.TOWNSHIP: "commune",
}


@dataclass(frozen=True)
class VoteRule:
    """How the council votes on a standard: whether a vote is required, by which method, the
    share in favour needed (`threshold` % of `base`) and whether absent members vote in
    writing."""

    required: bool
    method: VoteMethod
    threshold: Decimal
    base: VoteBase
    absentees_in_writing: bool


@dataclass(frozen=True)
class Entry:
    """A dated value of a rule as shown and applied: from the registry or the administrator."""

    key: str
    valid_from: date
    value: Any  # the stored (JSON) form
    source: str
    uncertain: bool
    note: str = ""
    stored: LawValue | None = None


def typed(kind: RuleKind, value: Any) -> Any:
    """A stored value in the form the application uses."""
    if value is None:
        return None
    if kind == RuleKind.TEXT_LINES:
        return tuple(str(line) for line in value)
    if kind in (RuleKind.INTEGER, RuleKind.MONEY):
        return int(value)
    if kind in (RuleKind.DECIMAL, RuleKind.PERCENT):
        return Decimal(str(value))
    if kind == RuleKind.FRACTION:
        return (int(value[0]), int(value[1]))
    if kind == RuleKind.STANDARDS:
        return frozenset(AwardStandard(v) for v in value if v in AwardStandard.values())
    return VoteRule(
        required=bool(value["required"]),
        method=VoteMethod(value["method"]),
        threshold=Decimal(str(value["threshold"])),
        base=VoteBase(value["base"]),
        absentees_in_writing=bool(value["absentees_in_writing"]),
    )


def _entry(key: str, dated: Dated) -> Entry:
    return Entry(key, dated.valid_from, dated.value, dated.source, dated.uncertain, dated.note)


@cache
def _defaults() -> dict[str, tuple[Entry, ...]]:
    return {key: tuple(_entry(key, d) for d in rule.defaults) for key, rule in RULES.items()}


def merged(stored: Iterable[LawValue]) -> dict[str, list[Entry]]:
    """Every rule's dated values, oldest first: a stored value replaces a default of the same
    day. Stored values of keys the registry no longer knows are left out."""
    by_key: dict[str, dict[date, Entry]] = {
        key: {e.valid_from: e for e in entries} for key, entries in _defaults().items()
    }
    for row in stored:
        if row.key in by_key:
            by_key[row.key][row.valid_from] = Entry(
                row.key, row.valid_from, row.value, row.source, row.uncertain, row.note, row
            )
    return {key: [days[d] for d in sorted(days)] for key, days in by_key.items()}


def in_force(entries: list[Entry], day: date) -> Entry | None:
    """The entry with the latest `valid_from` on or before `day`."""
    current = None
    for entry in entries:
        if entry.valid_from <= day:
            current = entry
    return current


@dataclass(frozen=True)
class ExpectedChange:
    """A change the registry expects on `on` for which no value from that day is entered yet;
    `passed` once that day has come (the earlier value still applies)."""

    rule: Rule
    on: date
    passed: bool


# A value from a reported change's day, or within a year of it, answers it; a value years later (a
# date typed wrongly, 2030 for 2026) is another change and leaves the reminder up.
ANSWERED_WITHIN = timedelta(days=366)


def expected_changes(history: dict[str, list[Entry]], today: date) -> list[ExpectedChange]:
    """The reported changes still to be entered (a newer base salary), judged on `today`: a
    notice about a day to come reads otherwise once the day has passed."""
    return [
        ExpectedChange(rule, rule.expected_from, passed=rule.expected_from <= today)
        for key, rule in RULES.items()
        if rule.expected_from is not None
        and not any(
            rule.expected_from <= entry.valid_from < rule.expected_from + ANSWERED_WITHIN
            for entry in history.get(key, [])
        )
    ]


def stored_values() -> list[LawValue]:
    return list(db.session.scalars(select(LawValue).order_by(LawValue.key, LawValue.valid_from)))


@dataclass(frozen=True)
class Rules:
    """The rules in force on `day`, typed (a rule with no value yet on that day is None)."""

    day: date
    values: dict[str, Any]
    entries: dict[str, Entry]

    def value(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def bases(self) -> tuple[str, ...]:
        """The "Căn cứ …" lines an award decision of this day cites."""
        return self.values.get("decision.bases") or ()

    def vote(self, standard: AwardStandard) -> VoteRule:
        """The council's vote rule for `standard`; refused for a day before the law has one
        (the Law on Emulation and Commendation 2022 applies from 1-1-2024)."""
        rule: VoteRule | None = self.values.get(f"vote.{standard.value}")
        if rule is None:
            raise DomainError(
                _(
                    "No vote rule of the law is known on %(date)s.",
                    date=self.day.strftime("%d/%m/%Y"),
                )
            )
        return rule

    @property
    def quorum(self) -> tuple[int, int]:
        return self.values.get("vote.quorum") or (2, 3)

    def authority(self, level: str | UnitKind) -> frozenset[AwardStandard]:
        """The standards the chairman of a level (province, district, commune) awards."""
        name = LEVELS.get(UnitKind(level), "") if level in UnitKind.values() else level
        return self.values.get(f"authority.{name}") or frozenset()

    @property
    def processing_days(self) -> int | None:
        """Working days a commune has to process a complete dossier."""
        days: int | None = self.values.get("processing_days.commune")
        return days

    @property
    def posting_days(self) -> int:
        return self.values.get("posting_days.default") or 0

    def coefficient(self, standard: AwardStandard, *, collective: bool = False) -> Decimal | None:
        """The reward coefficient of a standard (× the base salary), None when the law sets
        none."""
        specific = f"coefficient.{standard.value}.{'collective' if collective else 'individual'}"
        found: Decimal | None = self.values.get(
            specific, self.values.get(f"coefficient.{standard.value}")
        )
        return found

    @property
    def base_salary(self) -> int | None:
        salary: int | None = self.values.get("base_salary")
        return salary

    @property
    def money_rounding(self) -> int | None:
        """Reward amounts are rounded up to a multiple of this (đồng)."""
        step: int | None = self.values.get("money.rounding")
        return step

    @property
    def household_multiplier(self) -> Decimal | None:
        """A household's reward, as a multiple of an individual's."""
        found: Decimal | None = self.values.get("money.household_multiplier")
        return found

    @property
    def fund_movement_percent(self) -> Decimal | None:
        """The share of the emulation fund kept for organising movements (percent)."""
        found: Decimal | None = self.values.get("fund.movement_percent")
        return found

    @property
    def cstdcs_cap_percent(self) -> Decimal | None:
        cap: Decimal | None = self.values.get("cap.cstdcs_percent")
        return cap


def rules_from(stored: Iterable[LawValue], day: date) -> Rules:
    values: dict[str, Any] = {}
    entries: dict[str, Entry] = {}
    for key, dated in merged(stored).items():
        entry = in_force(dated, day)
        if entry is not None:
            entries[key] = entry
            values[key] = typed(RULES[key].kind, entry.value)
    return Rules(day, values, entries)


def rules_on(day: date) -> Rules:
    """The legal rules in force on `day` (one query for the administrator's values)."""
    return rules_from(stored_values(), day)
