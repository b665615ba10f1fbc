"""What the audit log records of reward money and the emulation fund."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class MoneyAction(LabelledEnum):
    """A decision line's amount corrected by the secretariat (logged on the decision)."""

    OVERRIDE = "override_amount"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.OVERRIDE: _l("Reward amount corrected")}


class FundAction(LabelledEnum):
    SET = "set"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.SET: _l("Fund of the year set")}
