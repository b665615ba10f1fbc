"""Council roles, session kinds and states, ballot choices."""

from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class CouncilRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    STANDING = "standing"
    MEMBER = "member"
    SECRETARY = "secretary"

    @property
    def label(self) -> LazyString:
        return {
            CouncilRole.CHAIR: _l("Chair of the council"),
            CouncilRole.VICE_CHAIR: _l("Vice-chair"),
            CouncilRole.STANDING: _l("Standing member"),
            CouncilRole.MEMBER: _l("Member"),
            CouncilRole.SECRETARY: _l("Secretary of the council"),
        }[self]


class SessionKind(StrEnum):
    MEETING = "meeting"
    WRITTEN = "written"

    @property
    def label(self) -> LazyString:
        return {
            SessionKind.MEETING: _l("Meeting"),
            SessionKind.WRITTEN: _l("Written consultation"),
        }[self]


class SessionState(StrEnum):
    PLANNED = "planned"
    VOTING = "voting"
    CLOSED = "closed"

    @property
    def label(self) -> LazyString:
        return {
            SessionState.PLANNED: _l("Being prepared"),
            SessionState.VOTING: _l("Voting"),
            SessionState.CLOSED: _l("Closed"),
        }[self]


class Choice(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"

    @property
    def label(self) -> LazyString:
        return {
            Choice.AGREE: _l("Agree"),
            Choice.DISAGREE: _l("Disagree"),
            Choice.ABSTAIN: _l("Abstain"),
        }[self]
