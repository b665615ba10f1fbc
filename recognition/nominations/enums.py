"""States of a nomination and the actions between them."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class NominationState(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ON_AGENDA = "on_agenda"
    PASSED = "passed"
    FAILED = "failed"
    AWARDED = "awarded"
    ANNULLED = "annulled"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return STATE_LABELS

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return STATE_COLOURS


STATE_LABELS = {
    NominationState.DRAFT: _l("Draft"),
    NominationState.SUBMITTED: _l("Submitted"),
    NominationState.IN_REVIEW: _l("In appraisal"),
    NominationState.RETURNED: _l("Sent back for changes"),
    NominationState.ACCEPTED: _l("Accepted"),
    NominationState.REJECTED: _l("Rejected"),
    NominationState.ON_AGENDA: _l("On the council agenda"),
    NominationState.PASSED: _l("Passed by the council"),
    NominationState.FAILED: _l("Not passed"),
    NominationState.AWARDED: _l("Awarded"),
    NominationState.ANNULLED: _l("Annulled"),
    NominationState.WITHDRAWN: _l("Withdrawn"),
}

# Bootstrap colour of each state's badge.
STATE_COLOURS = {
    NominationState.DRAFT: "secondary",
    NominationState.SUBMITTED: "primary",
    NominationState.IN_REVIEW: "info",
    NominationState.RETURNED: "warning",
    NominationState.ACCEPTED: "success",
    NominationState.REJECTED: "danger",
    NominationState.ON_AGENDA: "primary",
    NominationState.PASSED: "success",
    NominationState.FAILED: "danger",
    NominationState.AWARDED: "success",
    NominationState.ANNULLED: "dark",
    NominationState.WITHDRAWN: "secondary",
}


class Gender(LabelledEnum):
    MALE = "male"
    FEMALE = "female"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.MALE: _l("Male"), cls.FEMALE: _l("Female")}


class HoldKind(LabelledEnum):
    """Why a dossier is held: its nominee is under one of these (NĐ 152/2025/NĐ-CP art. 4)."""

    DISCIPLINE = "discipline"
    INSPECTION = "inspection"
    COMPLAINT = "complaint"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.DISCIPLINE: _l("Under disciplinary review"),
            cls.INSPECTION: _l("Under inspection or investigation"),
            cls.COMPLAINT: _l("Under review of a complaint or denunciation"),
        }


class Action(LabelledEnum):
    SUBMIT = "submit"
    TAKE = "take"
    SEND_BACK = "send_back"
    RESUBMIT = "resubmit"
    REJECT = "reject"
    ACCEPT = "accept"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    PASS_SIMPLIFIED = "pass_simplified"  # an action, not a password  # noqa: S105  # nosec B105
    CLOSE_VOTE = "close_vote"
    AWARD = "award"
    ANNUL = "annul"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    EDIT = "edit"  # not a transition: an edit after the first submission, for the audit trail
    # Not transitions either: a hold leaves the state as it is (NĐ 152/2025 art. 4).
    HOLD = "hold"
    RELEASE = "release"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return ACTION_LABELS


ACTION_LABELS = {
    Action.SUBMIT: _l("Submit"),
    Action.TAKE: _l("Start appraisal"),
    Action.SEND_BACK: _l("Send back"),
    Action.RESUBMIT: _l("Resubmit"),
    Action.REJECT: _l("Reject"),
    Action.ACCEPT: _l("Accept"),
    Action.SCHEDULE: _l("Put on a council agenda"),
    Action.UNSCHEDULE: _l("Take off a council agenda"),
    Action.PASS_SIMPLIFIED: _l("Pass by the simplified procedure"),
    Action.CLOSE_VOTE: _l("Close the vote"),
    Action.AWARD: _l("Award"),
    Action.ANNUL: _l("Annul"),
    Action.WITHDRAW: _l("Withdraw"),
    Action.REOPEN: _l("Reopen appraisal"),
    Action.EDIT: _l("Edit"),
    Action.HOLD: _l("Hold the dossier"),
    Action.RELEASE: _l("Lift the hold"),
}

# What the page says once an action is done ("Đã gửi hồ sơ.", not "Đã thực hiện: Gửi.").
ACTION_DONE = {
    Action.SUBMIT: _l("The dossier has been submitted."),
    Action.TAKE: _l("The appraisal of the dossier has started."),
    Action.SEND_BACK: _l("The dossier has been sent back for changes."),
    Action.RESUBMIT: _l("The dossier has been submitted again."),
    Action.REJECT: _l("The dossier has been rejected."),
    Action.ACCEPT: _l("The dossier has been accepted."),
    Action.PASS_SIMPLIFIED: _l("The dossier has been passed by the simplified procedure."),
    Action.WITHDRAW: _l("The dossier has been withdrawn."),
    Action.REOPEN: _l("The dossier's appraisal has been reopened."),
}


def done_text(action: Action) -> str:
    """What the page says once `action` is done."""
    said = ACTION_DONE.get(action)
    return str(said) if said else _("Done: %(action)s.", action=action.label)


# A nomination in one of these states still counts as the nominee's nomination.
INACTIVE_STATES = (NominationState.WITHDRAWN,)


class ImportAction(LabelledEnum):
    """Logged on a dossier besides its lifecycle's actions."""

    IMPORT = "import"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.IMPORT: _l("Created from a spreadsheet")}
