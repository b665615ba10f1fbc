"""Who is told when a council vote opens or closes (in their language, in the app and by
e-mail, queued in the transaction that opened or closed it)."""

from flask_babel import force_locale
from flask_babel import gettext as _

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.common.links import app_path
from recognition.council.enums import ItemState, SessionKind
from recognition.council.models import CouncilSession
from recognition.nominations.effects import holders
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify_once


def voters_of(session: CouncilSession) -> list[User]:
    """The members on the roll who take part: present at the meeting or consulted in writing."""
    found: dict[int, User] = {}
    for attendance in session.attendance:
        user = attendance.member.user
        if (attendance.present or attendance.in_writing) and user.is_active:
            found[user.id] = user
    return list(found.values())


def _opened_text(session: CouncilSession, user: User) -> str:
    if session.kind == SessionKind.WRITTEN:
        closes = session.consultation_closes_on or session.held_on
        return _(
            "A written consultation is open: %(title)s. Send your vote by %(day)s.",
            title=session.title,
            day=closes.strftime("%d/%m/%Y"),
        )
    attendance = next(a for a in session.attendance if a.member.user_id == user.id)
    if attendance.in_writing and not attendance.present:
        return _(
            "The vote of %(title)s is open; you are consulted in writing. Send your vote by "
            "%(day)s.",
            title=session.title,
            day=(session.consultation_closes_on or session.held_on).strftime("%d/%m/%Y"),
        )
    return _("The vote of %(title)s is open: cast your ballot.", title=session.title)


def on_vote_opened(session: CouncilSession, *, actor: User) -> None:
    """Every member who may vote is told where to vote."""
    link = app_path("council.session", session_id=session.id)
    kind = (
        NotificationKind.CONSULTATION_OPENED
        if session.kind == SessionKind.WRITTEN
        else NotificationKind.VOTE_OPENED
    )
    for user in voters_of(session):
        if user.id == actor.id:
            continue
        with force_locale(user.locale or "vi"):
            text = _opened_text(session, user)
        notify_once(user, kind=kind, text=text, link=link)


def on_vote_closed(session: CouncilSession, *, actor: User) -> None:
    """The chair and the secretariat are told the vote is closed, with its result."""
    link = app_path("council.session", session_id=session.id)
    passed = sum(1 for item in session.items if item.state == ItemState.PASSED)
    failed = sum(1 for item in session.items if item.state == ItemState.FAILED)
    people = {u.id: u for u in holders(Role.CHAIR, [session.awarding_body_id])} | {
        u.id: u for u in holders(Role.SECRETARIAT, [session.awarding_body_id])
    }
    for user in people.values():
        if user.id == actor.id:
            continue
        with force_locale(user.locale or "vi"):
            text = _(
                "The vote of %(title)s is closed: %(passed)d passed, %(failed)d not passed.",
                title=session.title,
                passed=passed,
                failed=failed,
            )
        notify_once(user, kind=NotificationKind.VOTE_CLOSED, text=text, link=link)
