"""Processing deadlines counted in working days (Monday to Friday, minus configured holidays)."""

from collections.abc import Callable
from datetime import date, timedelta

from recognition.law.rules import LEVELS, Rules, rules_from, stored_values
from recognition.units.models import Unit


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date `days` working days after `start` (the day of receipt does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def parse_holidays(values: list[str]) -> frozenset[date]:
    """Holidays from ISO dates in the settings (e.g. RECOGNITION_HOLIDAYS=2025-09-02,...)."""
    return frozenset(date.fromisoformat(value) for value in values)


def processing_days_of(default: int) -> Callable[[Unit, date], int]:
    """Working days a body has to appraise a dossier received on a day: for a commune, ward
    or township, the law in force that day (20 working days since 1-7-2025, QĐ 638/QĐ-BNV);
    otherwise, and before the law set one, the configured `default`. Reads the law once."""
    stored = stored_values()
    by_day: dict[date, Rules] = {}

    def days(body: Unit, received: date) -> int:
        if LEVELS.get(body.kind) != "commune":
            return default
        if received not in by_day:
            by_day[received] = rules_from(stored, received)
        return by_day[received].processing_days or default

    return days


def appraisal_deadline(
    body: Unit, received: date, *, default_days: int, holidays: frozenset[date]
) -> tuple[int, date]:
    """The working days the body has to appraise a dossier received on `received`, and the
    day by which it is due."""
    days = processing_days_of(default_days)(body, received)
    return days, add_working_days(received, days, holidays)
