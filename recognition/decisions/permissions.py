"""Who may see, draft, post, issue and annul decisions, and keep a body's settings: pure
predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.certificates.permissions import is_chair_of_body, is_staff_of
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision
from recognition.units.models import Unit

EDITABLE_STATES = frozenset({DecisionState.DRAFT, DecisionState.POSTED})


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def is_secretariat_of_body(user: Any, body: Unit) -> bool:
    return _active(user) and user.holds(Role.SECRETARIAT, body)


def is_secretariat_of(user: Any, decision: Decision) -> bool:
    """The secretariat of the decision's awarding body."""
    return is_secretariat_of_body(user, decision.awarding_body)


def is_chair_of(user: Any, decision: Decision) -> bool:
    """The chair of the decision's awarding body."""
    return is_chair_of_body(user, decision.awarding_body)


def can_list_decisions(user: Any) -> bool:
    """Administrators and anyone who is secretariat or chair of some awarding body."""
    return _active(user) and (
        user.is_admin or bool(user.units_with(Role.SECRETARIAT) or user.units_with(Role.CHAIR))
    )


def can_view_decision(user: Any, decision: Decision) -> bool:
    """The awarding body's secretariat and chair, and administrators."""
    return _active(user) and (user.is_admin or is_staff_of(user, decision.awarding_body))


def can_draft_decision(user: Any, body: Unit) -> bool:
    """The body's secretariat drafts its decisions."""
    return is_secretariat_of_body(user, body)


def can_edit_decision(user: Any, decision: Decision) -> bool:
    """The secretariat edits the texts until the decision is issued."""
    return decision.state in EDITABLE_STATES and is_secretariat_of(user, decision)


def can_post_decision(user: Any, decision: Decision) -> bool:
    return is_secretariat_of(user, decision)


def can_issue_decision(user: Any, decision: Decision) -> bool:
    return is_chair_of(user, decision)


def can_annul_decision(user: Any, decision: Decision) -> bool:
    return is_chair_of(user, decision)


def can_request_annulment(user: Any, decision: Decision) -> bool:
    """The body's secretariat proposes to annul its decisions (after an inspection or a
    complaint); whether this decision can be proposed now is the service's to say."""
    return is_secretariat_of(user, decision)


def can_decide_annulment_request(user: Any, decision: Decision) -> bool:
    """The chair who annuls the decision grants or dismisses a proposal to annul it."""
    return is_chair_of(user, decision)


def can_edit_body_settings(user: Any, body: Unit) -> bool:
    """The body's secretariat and administrators keep its settings (texts, emblem, paper)."""
    return _active(user) and (user.is_admin or is_secretariat_of_body(user, body))


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_decision=can_view_decision,
        can_draft_decision=can_draft_decision,
        can_edit_decision=can_edit_decision,
        can_issue_decision=can_issue_decision,
        can_annul_decision=can_annul_decision,
        can_request_annulment=can_request_annulment,
        can_decide_annulment_request=can_decide_annulment_request,
        can_edit_body_settings=can_edit_body_settings,
        DecisionState=DecisionState,
    )
