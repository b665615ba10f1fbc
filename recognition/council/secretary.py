"""Who keeps a session's minutes (thư ký phiên họp): the secretariat's choice, or a default.

The minutes name one person under "Thư ký" and have them sign. The secretariat chooses them on
the session's page, before or after the vote (the minutes are drawn from the session whenever
they are printed, never frozen). Until it does, the minutes name the default, which the page
says: the council's secretary when they may keep them, otherwise the first of those who may in
the order the minutes list the members (`CouncilSession.roll_in_order`).
"""

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.council.enums import CouncilRole, SessionAction, SessionKind
from recognition.council.models import CouncilMember, CouncilSession
from recognition.council.workflow import in_default_locale, record_session_event
from recognition.errors import DomainError
from recognition.extensions import db


def presiding_member(session: CouncilSession) -> CouncilMember | None:
    """Who presides (chủ tọa): the council's chair; at a meeting the chair is absent from, the
    first vice-chair present, else the first member present (None: nobody on the roll)."""
    lines = session.roll_in_order
    chair = next((a.member for a in lines if a.member.role == CouncilRole.CHAIR), None)
    if session.kind != SessionKind.MEETING:
        return chair
    present = [a.member for a in lines if a.present]
    if chair is not None and chair in present:
        return chair
    deputy = (m for m in present if m.role == CouncilRole.VICE_CHAIR)
    return next(deputy, present[0] if present else chair)


def secretary_candidates(session: CouncilSession) -> list[CouncilMember]:
    """Who may keep the minutes, in the council's order: at a meeting, the members present;
    in a written consultation (nobody is present: the count is kept at the office), the
    members on the roll. Never the chair, nor whoever presides in the chair's absence: they
    sign beside the secretary."""
    lines = session.roll_in_order
    if session.kind == SessionKind.MEETING:
        lines = [a for a in lines if a.present]
    presiding = presiding_member(session)
    return [
        a.member for a in lines if a.member.role != CouncilRole.CHAIR and a.member is not presiding
    ]


def default_secretary(session: CouncilSession) -> CouncilMember | None:
    """The council's secretary when they may keep the minutes, otherwise the first who may."""
    candidates = secretary_candidates(session)
    appointed = (m for m in candidates if m.role == CouncilRole.SECRETARY)
    return next(appointed, candidates[0] if candidates else None)


def session_secretary(session: CouncilSession) -> CouncilMember | None:
    """Whom the minutes name as secretary: the one chosen, or else the default."""
    chosen = session.secretary
    if chosen is not None and chosen in secretary_candidates(session):
        return chosen
    return default_secretary(session)


def _comment(member: CouncilMember | None, session: CouncilSession) -> str:
    if member is not None:
        return member.user.full_name
    default = default_secretary(session)
    name = default.user.full_name if default is not None else "—"
    return in_default_locale(lambda: _("By default: %(name)s", name=name))


def choose_secretary(
    session: CouncilSession, member: CouncilMember | None, *, actor: User | None
) -> bool:
    """Name `member` secretary of the session (None: nobody, the default); audited when it
    changes. Returns whether it changed."""
    if member is not None and member not in secretary_candidates(session):
        raise DomainError(
            _(
                "%(name)s cannot be the secretary of this session. Choose among the names offered.",
                name=member.user.full_name,
            ),
            field="member_id",
        )
    if session.secretary_id == (member.id if member is not None else None):
        return False
    session.secretary = member
    db.session.flush()
    record_session_event(
        session, SessionAction.SECRETARY, actor=actor, comment=_comment(member, session)
    )
    return True


def forget_secretary_if_absent(session: CouncilSession, *, actor: User | None) -> None:
    """A secretary chosen who may no longer keep the minutes (marked absent, left the roll)
    is forgotten, so that the page and the minutes name the default instead (audited)."""
    if session.secretary is not None and session.secretary not in secretary_candidates(session):
        choose_secretary(session, None, actor=actor)
