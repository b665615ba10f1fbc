"""States of a decision and the actions between them."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class DecisionState(LabelledEnum):
    DRAFT = "draft"
    POSTED = "posted"
    ISSUED = "issued"
    ANNULLED = "annulled"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.DRAFT: _l("Draft"),
            cls.POSTED: _l("Posted publicly"),
            cls.ISSUED: _l("Issued"),
            cls.ANNULLED: _l("Annulled"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {
            cls.DRAFT: "secondary",
            cls.POSTED: "info",
            cls.ISSUED: "success",
            cls.ANNULLED: "dark",
        }


class DecisionAction(LabelledEnum):
    POST = "post"
    ISSUE = "issue"
    ANNUL = "annul"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.POST: _l("Post publicly"),
            cls.ISSUE: _l("Sign and issue"),
            cls.ANNUL: _l("Annul the decision"),
        }


# A dossier in a decision in one of these states cannot be put in another one.
HOLDING_STATES = frozenset({DecisionState.DRAFT, DecisionState.POSTED, DecisionState.ISSUED})
# A decision in one of these states has certificates.
CERTIFIED_STATES = frozenset({DecisionState.ISSUED, DecisionState.ANNULLED})


class AnnulmentRequestState(LabelledEnum):
    """A proposal to annul an issued decision: waiting for the chair, then granted (the
    decision annulled) or dismissed."""

    PENDING = "pending"
    GRANTED = "granted"
    DISMISSED = "dismissed"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PENDING: _l("Waiting for the chair"),
            cls.GRANTED: _l("Granted"),
            cls.DISMISSED: _l("Dismissed"),
        }


class AnnulmentRequestAction(LabelledEnum):
    """How the audit log names the steps of a proposal to annul (the annulment itself is the
    decision's `annul`)."""

    REQUEST = "request_annulment"
    DISMISS = "dismiss_annulment"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.REQUEST: _l("Propose to annul"),
            cls.DISMISS: _l("Dismiss the proposal to annul"),
        }
