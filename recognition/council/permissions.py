"""Who may keep the council, run its sessions, vote and close."""

from typing import Any

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.council.models import CouncilSession
from recognition.units.models import Unit


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_manage_council(user: Any, body: Unit) -> bool:
    """Administrators and the body's secretariat keep its council and sessions."""
    return _active(user) and (user.is_admin or user.holds(Role.SECRETARIAT, body))


def can_run_session(user: Any, session: CouncilSession) -> bool:
    """The secretariat builds the agenda, records attendance and opens the vote."""
    return _active(user) and user.holds(Role.SECRETARIAT, session.awarding_body)


def can_close_session(user: Any, session: CouncilSession) -> bool:
    return _active(user) and (
        user.holds(Role.SECRETARIAT, session.awarding_body)
        or user.holds(Role.CHAIR, session.awarding_body)
    )


def can_view_session(user: Any, session: CouncilSession) -> bool:
    return _active(user) and (
        user.is_admin
        or can_close_session(user, session)
        or user.holds(Role.COUNCIL_MEMBER, session.awarding_body)
    )


def can_approve_session(user: Any, session: CouncilSession) -> bool:
    """The chair's approval is the chair's own act (no other role may give it)."""
    return _active(user) and user.holds(Role.CHAIR, session.awarding_body)
