"""Kinds and rules of the award catalogue and campaigns.

Labels are lazy: forms build their choices once, and each request renders them in its language.
"""

from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class AwardKind(StrEnum):
    TITLE = "title"
    COMMENDATION = "commendation"
    MODEL = "model"

    @property
    def label(self) -> LazyString:
        return {
            AwardKind.TITLE: _l("Emulation title"),
            AwardKind.COMMENDATION: _l("Commendation"),
            AwardKind.MODEL: _l("Model title"),
        }[self]


class NomineeKind(StrEnum):
    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"
    HOUSEHOLD = "household"

    @property
    def label(self) -> LazyString:
        return {
            NomineeKind.COLLECTIVE: _l("Collective (a unit)"),
            NomineeKind.INDIVIDUAL: _l("Individual"),
            NomineeKind.HOUSEHOLD: _l("Household"),
        }[self]


class VoteMethod(StrEnum):
    SHOW_OF_HANDS = "show_of_hands"
    SECRET_BALLOT = "secret_ballot"  # a vote method, not a password  # noqa: S105  # nosec B105
    WRITTEN_CONSULTATION = "written_consultation"

    @property
    def label(self) -> LazyString:
        return {
            VoteMethod.SHOW_OF_HANDS: _l("Show of hands"),
            VoteMethod.SECRET_BALLOT: _l("Secret ballot"),
            VoteMethod.WRITTEN_CONSULTATION: _l("Written consultation"),
        }[self]


class VoteBase(StrEnum):
    ALL_MEMBERS = "all_members"
    PRESENT = "present"
    CONSULTED = "consulted"

    @property
    def label(self) -> LazyString:
        return {
            VoteBase.ALL_MEMBERS: _l("All members of the council"),
            VoteBase.PRESENT: _l("Members present"),
            VoteBase.CONSULTED: _l("Members consulted"),
        }[self]


class MeasureKind(StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"
    TEXT = "text"

    @property
    def label(self) -> LazyString:
        return {
            MeasureKind.YES_NO: _l("Met / not met"),
            MeasureKind.NUMBER: _l("Number with a target"),
            MeasureKind.TEXT: _l("Text"),
        }[self]


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @property
    def label(self) -> LazyString:
        return {
            CampaignStatus.DRAFT: _l("Draft"),
            CampaignStatus.OPEN: _l("Open"),
            CampaignStatus.CLOSED: _l("Closed"),
            CampaignStatus.ARCHIVED: _l("Archived"),
        }[self]
