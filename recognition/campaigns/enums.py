"""Kinds and rules of the award catalogue, a campaign's states and the actions between them.

Labels are lazy: forms build their choices once, and each request renders them in its language.
"""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum
from recognition.law.enums import AwardStandard, VoteBase, VoteMethod

__all__ = [
    "AwardKind",
    "CampaignAction",
    "CampaignStatus",
    "CatalogueAction",
    "MeasureKind",
    "NomineeKind",
    "ReportSection",
    "VoteBase",
    "VoteMethod",
    "default_report_sections",
]


class AwardKind(LabelledEnum):
    TITLE = "title"
    COMMENDATION = "commendation"
    MODEL = "model"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.TITLE: _l("Emulation title"),
            cls.COMMENDATION: _l("Commendation"),
            cls.MODEL: _l("Model title"),
        }


class AwardOccasion(LabelledEnum):
    """What an award is given for: regular merit, a sudden achievement, or a theme. Sudden and
    thematic awards do not count towards merit awards (NĐ 152/2025/NĐ-CP art. 4)."""

    REGULAR = "regular"
    SUDDEN = "sudden"
    THEMATIC = "thematic"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.REGULAR: _l("Regular (merit)"),
            cls.SUDDEN: _l("Sudden achievement"),
            cls.THEMATIC: _l("Thematic"),
        }


class NomineeKind(LabelledEnum):
    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"
    HOUSEHOLD = "household"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.COLLECTIVE: _l("Collective (a unit)"),
            cls.INDIVIDUAL: _l("Individual"),
            cls.HOUSEHOLD: _l("Household"),
        }


class MeasureKind(LabelledEnum):
    YES_NO = "yes_no"
    NUMBER = "number"
    TEXT = "text"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.YES_NO: _l("Met / not met"),
            cls.NUMBER: _l("Number with a target"),
            cls.TEXT: _l("Text"),
        }


class CampaignStatus(LabelledEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.DRAFT: _l("Draft"),
            cls.OPEN: _l("Open"),
            cls.CLOSED: _l("Closed"),
            cls.ARCHIVED: _l("Archived"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {
            cls.DRAFT: "secondary",
            cls.OPEN: "success",
            cls.CLOSED: "dark",
            cls.ARCHIVED: "light",
        }


class CampaignAction(LabelledEnum):
    OPEN = "open"
    CLOSE = "close"
    REOPEN = "reopen"
    ARCHIVE = "archive"
    # Not transitions (no button of the campaign's page, see workflow.PAGE_ACTIONS): edits of
    # the campaign kept in the audit trail.
    EXTEND = "extend"  # the closing day moved later
    OFFER = "offer"  # an award type put on offer, with its quota
    CHANGE_QUOTA = "change_quota"  # the quota of an award type on offer
    WITHDRAW_OFFER = "withdraw_offer"  # an award type taken off

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.OPEN: _l("Open for dossiers"),
            cls.CLOSE: _l("Close the campaign"),
            cls.REOPEN: _l("Reopen for dossiers"),
            cls.ARCHIVE: _l("Archive"),
            cls.EXTEND: _l("Extend the submission window"),
            cls.OFFER: _l("Put an award type on offer"),
            cls.CHANGE_QUOTA: _l("Change the quota of an award type on offer"),
            cls.WITHDRAW_OFFER: _l("Take an award type off offer"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        """The style of each action's button."""
        return {
            cls.OPEN: "success",
            cls.CLOSE: "outline-dark",
            cls.REOPEN: "outline-success",
            cls.ARCHIVE: "outline-secondary",
        }


class CatalogueAction(LabelledEnum):
    """What the audit log records of an edit of the catalogue (award types, criteria)."""

    CREATED = "created"
    CHANGED = "changed"
    REMOVED = "removed"
    IMPORTED = "imported"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.CREATED: _l("Added"),
            cls.CHANGED: _l("Changed"),
            cls.REMOVED: _l("Removed"),
            cls.IMPORTED: _l("Criteria imported"),
        }


class ReportSection(LabelledEnum):
    """The numbered sections of a dossier's achievement report, each a column of the dossier;
    an award type says which of them a dossier must fill before it is submitted."""

    GENERAL = "report_general"
    ACHIEVEMENTS = "report_achievements"
    CRITERIA = "report_criteria"
    COMMENDATIONS = "report_commendations"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.GENERAL: _l("I. General information"),
            cls.ACHIEVEMENTS: _l("II. Achievements"),
            cls.CRITERIA: _l("III. Meeting the criteria"),
            cls.COMMENDATIONS: _l("IV. Titles and commendations already received"),
        }


# The titles of the province, its flag and diploma, and the emulation fighters are proposed
# with the full report (sections I-IV); the grassroots awards with their achievements (II).
_FULL_REPORT = frozenset(
    {
        AwardStandard.BANG_KHEN_TINH,
        AwardStandard.CO_THI_DUA_TINH,
        AwardStandard.CSTD_TINH,
        AwardStandard.CSTD_CO_SO,
        AwardStandard.TAP_THE_LDXS,
    }
)


def default_report_sections(standard: AwardStandard, kind: AwardKind) -> list[str]:
    """The report sections an award type requires unless its body decides otherwise: all four
    for a model title and the standards above, the achievements (II) for the others."""
    if kind == AwardKind.MODEL or standard in _FULL_REPORT:
        return [s.value for s in ReportSection]
    return [ReportSection.ACHIEVEMENTS.value]
