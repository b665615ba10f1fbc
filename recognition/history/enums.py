"""Where an award record comes from, and what its audit events say."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class RecordSource(LabelledEnum):
    DECISION = "decision"
    IMPORT = "import"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.DECISION: _l("Decision issued here"), cls.IMPORT: _l("Imported")}


class NomineeKind(LabelledEnum):
    UNIT = "unit"
    PERSON = "person"
    HOUSEHOLD = "household"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.UNIT: _l("Collective"),
            cls.PERSON: _l("Individual"),
            cls.HOUSEHOLD: _l("Household"),
        }


class RecordAction(LabelledEnum):
    RECORD = "record"
    IMPORT = "import"
    WITHDRAW = "withdraw"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.RECORD: _l("Recorded from a decision"),
            cls.IMPORT: _l("Imported"),
            cls.WITHDRAW: _l("Withdrawn with its decision"),
        }
