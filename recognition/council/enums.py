"""Council roles, session kinds, the lives of a session and of an agenda item, ballot choices.

The labels live on the enums (`LabelledEnum`): pages and the audit log read `.label`.
"""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class CouncilRole(LabelledEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    STANDING = "standing"
    MEMBER = "member"
    SECRETARY = "secretary"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.CHAIR: _l("Chair of the council"),
            cls.VICE_CHAIR: _l("Vice-chair"),
            cls.STANDING: _l("Standing member"),
            cls.MEMBER: _l("Member"),
            cls.SECRETARY: _l("Secretary of the council"),
        }


class SessionKind(LabelledEnum):
    MEETING = "meeting"
    WRITTEN = "written"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.MEETING: _l("Meeting"), cls.WRITTEN: _l("Written consultation")}


class SessionState(LabelledEnum):
    PLANNED = "planned"
    VOTING = "voting"
    CLOSED = "closed"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PLANNED: _l("Being prepared"),
            cls.VOTING: _l("Voting"),
            cls.CLOSED: _l("Closed"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.PLANNED: "secondary", cls.VOTING: "warning", cls.CLOSED: "success"}


class SessionAction(LabelledEnum):
    """What happens to a session. OPEN and CLOSE change its state (workflow.SESSION_LIFE);
    the others are recorded in the audit log without changing it."""

    CREATE = "create"
    OPEN = "open"
    CLOSE = "close"
    APPROVE = "approve"
    ATTENDANCE = "attendance"
    SECRETARY = "secretary"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.CREATE: _l("Create the session"),
            cls.OPEN: _l("Open the vote"),
            cls.CLOSE: _l("Close the vote and count"),
            cls.APPROVE: _l("Chair's approval"),
            cls.ATTENDANCE: _l("Record the attendance"),
            cls.SECRETARY: _l("Choose the secretary of the session"),
        }


class ItemState(LabelledEnum):
    """An agenda item waits for the vote, then is passed or not (frozen when the vote closes)."""

    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PENDING: _l("Waiting for the vote"),
            cls.PASSED: _l("Passed"),
            cls.FAILED: _l("Not passed"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.PENDING: "light", cls.PASSED: "success", cls.FAILED: "danger"}


class ItemAction(LabelledEnum):
    ADD = "add"
    REMOVE = "remove"
    MOVE = "move"
    COUNT = "count"
    CLOSE = "close"
    CONFLICT = "conflict"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.ADD: _l("Put on the agenda"),
            cls.REMOVE: _l("Take off the agenda"),
            cls.MOVE: _l("Move on the agenda"),
            cls.COUNT: _l("Record the counts"),
            cls.CLOSE: _l("Close the vote on the item"),
            cls.CONFLICT: _l("Conflict of interest declared"),
        }


class CouncilAction(LabelledEnum):
    """Changes to a council's membership (audit events of kind COUNCIL, the body's id)."""

    ADD_MEMBER = "add_member"
    END_TERM = "end_term"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.ADD_MEMBER: _l("Member added"), cls.END_TERM: _l("Member's term ended")}


class Presence(LabelledEnum):
    """A member's attendance at a session."""

    PRESENT = "present"
    WRITING = "writing"
    ABSENT = "absent"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PRESENT: _l("Present"),
            cls.WRITING: _l("Votes in writing"),
            cls.ABSENT: _l("Absent"),
        }


class Choice(LabelledEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.AGREE: _l("Agree"), cls.DISAGREE: _l("Disagree"), cls.ABSTAIN: _l("Abstain")}

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.AGREE: "success", cls.DISAGREE: "danger", cls.ABSTAIN: "secondary"}
