"""Who may keep the council, run its sessions, vote, approve, close and read the results.

Pure predicates `can_<verb>(user, obj) -> bool`, used by the views, the session's lifecycle and
the templates (registered as Jinja globals by `register_template_globals`).
"""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.council.enums import SessionState
from recognition.council.models import CouncilSession
from recognition.units.models import Unit


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_view_council(user: Any) -> bool:
    """The council's pages: administrators and anyone with a council role somewhere."""
    roles = (Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER)
    return _active(user) and (user.is_admin or any(user.units_with(role) for role in roles))


def can_manage_council(user: Any, body: Unit) -> bool:
    """Administrators and the body's secretariat keep its council and sessions."""
    return _active(user) and (user.is_admin or user.holds(Role.SECRETARIAT, body))


def can_run_session(user: Any, session: CouncilSession) -> bool:
    """The secretariat builds the agenda, records attendance and opens the vote."""
    return _active(user) and user.holds(Role.SECRETARIAT, session.awarding_body)


def can_prepare_session(user: Any, session: CouncilSession) -> bool:
    """Agenda and attendance change only while the session is being prepared."""
    return session.state == SessionState.PLANNED and can_run_session(user, session)


def can_choose_secretary(user: Any, session: CouncilSession) -> bool:
    """The secretariat names who keeps the minutes, before or after the vote, until the chair
    has approved the results (the minutes signed then name them)."""
    return not session.chair_approved and can_run_session(user, session)


def can_count_hands(user: Any, session: CouncilSession) -> bool:
    """The secretary enters the counts of a show of hands while the vote is open."""
    return session.state == SessionState.VOTING and can_run_session(user, session)


def can_close_session(user: Any, session: CouncilSession) -> bool:
    return _active(user) and _leads_council_of(user, session.awarding_body)


def _leads_council_of(user: User, body: Unit) -> bool:
    """The body's secretariat or its chair."""
    return user.holds(Role.SECRETARIAT, body) or user.holds(Role.CHAIR, body)


def can_view_session(user: Any, session: CouncilSession) -> bool:
    return can_view_sessions_of(user, session.awarding_body)


def can_view_sessions_of(user: Any, body: Unit) -> bool:
    """The sessions of `body`'s council: administrators, its secretariat and chair, and its
    council's members."""
    return _active(user) and (
        user.is_admin or _leads_council_of(user, body) or user.holds(Role.COUNCIL_MEMBER, body)
    )


def can_approve_session(user: Any, session: CouncilSession) -> bool:
    """The chair's approval is the chair's own act (no other role may give it)."""
    return _active(user) and user.holds(Role.CHAIR, session.awarding_body)


def can_give_approval(user: Any, session: CouncilSession) -> bool:
    """The chair may approve now: the vote is open, a title on the agenda needs the chair's
    approval, and none is recorded yet."""
    return (
        session.state == SessionState.VOTING
        and not session.chair_approved
        and any(item.nomination.award_type.chair_must_approve for item in session.items)
        and can_approve_session(user, session)
    )


def can_view_results(user: Any, session: CouncilSession) -> bool:
    """The minutes and the results exist once the vote is closed."""
    return session.state == SessionState.CLOSED and can_view_session(user, session)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_council=can_view_council,
        can_manage_council=can_manage_council,
        can_run_session=can_run_session,
        can_prepare_session=can_prepare_session,
        can_choose_secretary=can_choose_secretary,
        can_count_hands=can_count_hands,
        can_close_session=can_close_session,
        can_view_session=can_view_session,
        can_approve_session=can_approve_session,
        can_give_approval=can_give_approval,
        can_view_results=can_view_results,
    )
