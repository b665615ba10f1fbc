"""Processing deadlines counted in working days (Monday to Friday, minus configured holidays)."""

from datetime import date, timedelta


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
