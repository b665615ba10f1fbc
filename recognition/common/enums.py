"""String enums that carry their own translated labels (and badge colours).

A state or kind is stored as its value (a short ASCII string, kept to its values by a CHECK
constraint, see `database.enum_column`), compared as the enum, and shown through `.label`, so
no page or template keeps a table of labels of its own.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class LabelledEnum(StrEnum):
    """A `StrEnum` whose members have a `label` (translated when read) and a `colour`.

    Subclasses override `labels()` (member → lazy gettext string) and, for states shown as a
    badge, `colours()` (member → Bootstrap colour name)."""

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {}

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {}

    @property
    def label(self) -> str:
        return str(type(self).labels().get(self.value, self.value))

    @property
    def colour(self) -> str:
        return type(self).colours().get(self.value, "secondary")

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a select field, in declaration order."""
        return [(member.value, member.label) for member in cls]
