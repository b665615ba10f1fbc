"""Reminders to the council: a written consultation closes tomorrow."""

from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from recognition.common.links import app_path
from recognition.council.counting import is_show_of_hands
from recognition.council.enums import ItemState, SessionKind, SessionState
from recognition.council.models import Attendance, CouncilSession
from recognition.council.queries import voted_items_for_member
from recognition.council.voting import ballot_refusal
from recognition.extensions import db
from recognition.notifications.enums import NotificationKind
from recognition.notifications.reminders import Due


def _still_to_vote(session: CouncilSession, attendance: Attendance, today: date) -> bool:
    """Whether the member has a ballot they may still cast in this session."""
    voted = voted_items_for_member(attendance.member)
    return any(
        item.state == ItemState.PENDING
        and item.id not in voted
        and not is_show_of_hands(item)
        and ballot_refusal(item, attendance.member, today=today) is None
        for item in session.items
    )


def consultations_closing(today: date) -> list[Due]:
    """The members consulted in writing who have not voted yet, the day before the
    consultation's closing day (a written session, or the absentees of a meeting who vote in
    writing)."""
    tomorrow = today + timedelta(days=1)
    sessions = db.session.scalars(
        select(CouncilSession)
        .where(
            CouncilSession.state == SessionState.VOTING,
            or_(
                CouncilSession.consultation_closes_on == tomorrow,
                (CouncilSession.kind == SessionKind.WRITTEN)
                & CouncilSession.consultation_closes_on.is_(None)
                & (CouncilSession.held_on == tomorrow),
            ),
        )
        .order_by(CouncilSession.id)
    )
    found = []
    for session in sessions:
        link = app_path("council.session", session_id=session.id)
        for attendance in session.attendance:
            user = attendance.member.user
            if attendance.present or not attendance.in_writing or not user.is_active:
                continue
            if not _still_to_vote(session, attendance, today):
                continue
            with force_locale(user.locale or "vi"):
                text = _(
                    "The written consultation “%(title)s” closes tomorrow (%(day)s); you "
                    "have not sent your vote yet.",
                    title=session.title,
                    day=tomorrow.strftime("%d/%m/%Y"),
                )
            found.append(
                Due(NotificationKind.CONSULTATION_CLOSING, session.id, user, tomorrow, text, link)
            )
    return found
