"""Processing deadlines: defined with the dossier (recognition.nominations.deadlines)."""

from recognition.nominations.deadlines import (
    add_working_days,
    parse_holidays,
    processing_days_of,
)

__all__ = ["add_working_days", "parse_holidays", "processing_days_of"]
