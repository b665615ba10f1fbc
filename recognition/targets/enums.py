"""Kinds of a movement's targets (chỉ tiêu), the states of a reported value, and what the audit
log records of them."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class TargetSector(LabelledEnum):
    """The sectors (lĩnh vực) a resolution arranges its targets in."""

    ECONOMY = "economy"
    SOCIETY = "society"
    CULTURE = "culture"
    ENVIRONMENT = "environment"
    PARTY_GOVERNMENT = "party_government"
    DEFENCE_SECURITY = "defence_security"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.ECONOMY: _l("Economy"),
            cls.SOCIETY: _l("Society"),
            cls.CULTURE: _l("Culture"),
            cls.ENVIRONMENT: _l("Environment"),
            cls.PARTY_GOVERNMENT: _l("Party building and government"),
            cls.DEFENCE_SECURITY: _l("Defence and security"),
        }


class TargetDirection(LabelledEnum):
    """How a value is compared with the target."""

    HIGHER = "higher"
    LOWER = "lower"
    YES_NO = "yes_no"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.HIGHER: _l("Higher is better"),
            cls.LOWER: _l("Lower is better"),
            cls.YES_NO: _l("Achieved or not (yes/no)"),
        }


class AssessmentTiming(LabelledEnum):
    """When a target is assessed: at every report, or only at the end of the term."""

    PERIODIC = "periodic"
    TERM_END = "term_end"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PERIODIC: _l("Periodically"),
            cls.TERM_END: _l("Only at the end of the term"),
        }


class ValueState(LabelledEnum):
    """A reported value: waiting for the secretariat, confirmed, or rejected with a reason."""

    REPORTED = "reported"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.REPORTED: _l("Awaiting confirmation"),
            cls.CONFIRMED: _l("Confirmed"),
            cls.REJECTED: _l("Rejected"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.REPORTED: "warning", cls.CONFIRMED: "success", cls.REJECTED: "danger"}


class TargetAction(LabelledEnum):
    """What the audit log records of a target (its events are filed under the target)."""

    CREATED = "created"
    CHANGED = "changed"
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.CREATED: _l("Target added"),
            cls.CHANGED: _l("Target changed"),
            cls.REPORTED: _l("Value reported"),
            cls.CONFIRMED: _l("Value confirmed"),
            cls.REJECTED: _l("Value rejected"),
            cls.WITHDRAWN: _l("Value withdrawn by its unit"),
        }


class BandAction(LabelledEnum):
    """What the audit log records of a body's classification rules (under its settings)."""

    BANDS_CHANGED = "target_bands_changed"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.BANDS_CHANGED: _l("Classification rules of targets changed")}


class ClassKind(LabelledEnum):
    """The classes outside the bands of progress: not assessed before the term ends, and no
    confirmed value yet."""

    TERM_END = "term_end"
    NOT_REPORTED = "not_reported"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.TERM_END: _l("assessed at the end of the term"),
            cls.NOT_REPORTED: _l("no confirmed value yet"),
        }
