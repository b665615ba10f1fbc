"""The council's work: members, sessions, agenda and attendance.

Opening and closing the vote live in `workflow`, ballots in `voting`, counting in `counting`;
they are re-exported here, so callers have one module for the council's operations. Every
nomination moves only through nominations.workflow.apply_transition (schedule, close_vote).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.common.text import clean
from recognition.council.counting import (
    counts_for,
    eligible_members,
    is_show_of_hands,
    participants,
    rule_for,
    takes_part,
    votes_cast,
    votes_in_writing,
    written_votes,
)
from recognition.council.enums import (
    CouncilAction,
    CouncilRole,
    ItemAction,
    Presence,
    SessionAction,
    SessionKind,
    SessionState,
)
from recognition.council.models import (
    AgendaItem,
    Attendance,
    Conflict,
    CouncilMember,
    CouncilSession,
)
from recognition.council.secretary import (
    choose_secretary,
    default_secretary,
    forget_secretary_if_absent,
    secretary_candidates,
    session_secretary,
)
from recognition.council.voting import (
    AlreadyVoted,
    attendance_of,
    ballot_refusal,
    cast_vote,
    declare_conflict,
    has_voted,
    record_hands,
    voter_on,
)
from recognition.council.workflow import (
    approve_as_chair,
    close_vote,
    in_default_locale,
    open_vote,
    record_council_event,
    record_item_event,
    record_session_event,
)
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.enums import Action
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.models import Unit

__all__ = [
    "AlreadyVoted",
    "SessionData",
    "add_member",
    "add_to_agenda",
    "approve_as_chair",
    "attendance_of",
    "ballot_refusal",
    "cast_vote",
    "choose_secretary",
    "close_vote",
    "counts_for",
    "create_session",
    "declare_conflict",
    "default_secretary",
    "eligible_members",
    "end_term",
    "has_voted",
    "is_show_of_hands",
    "member_of",
    "members_on",
    "move_item",
    "open_vote",
    "participants",
    "record_hands",
    "rule_for",
    "secretary_candidates",
    "session_secretary",
    "set_attendance",
    "takes_part",
    "voter_on",
    "votes_cast",
    "votes_in_writing",
    "written_votes",
]


# Members ---------------------------------------------------------------------------------


def _seat_comment(user: User, role: CouncilRole) -> str:
    return in_default_locale(lambda: f"{user.full_name} — {role.label}")


def add_member(
    body: Unit,
    user: User,
    *,
    role: CouncilRole,
    term_start: date,
    term_end: date | None = None,
    actor: User | None = None,
) -> CouncilMember:
    """Seat `user` on the council of `body` (and grant the council-member role)."""
    if not body.is_awarding_body:
        raise DomainError(_("%(unit)s is not an awarding body.", unit=body.name))
    if user.is_api_account:  # a seat would widen a registered system's reach
        raise DomainError(_("An API client's account cannot sit on a council."), field="user_id")
    if term_end is not None and term_end < term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    existing = db.session.scalar(
        select(CouncilMember).where(
            CouncilMember.awarding_body_id == body.id, CouncilMember.user_id == user.id
        )
    )
    if existing is not None:
        raise DomainError(
            _("%(name)s is already on this council.", name=user.full_name), field="user_id"
        )
    if role == CouncilRole.CHAIR:
        _check_one_chair(body, term_start, term_end)
    member = CouncilMember(
        awarding_body=body, user=user, role=role, term_start=term_start, term_end=term_end
    )
    db.session.add(member)
    if not user.holds(Role.COUNCIL_MEMBER, body):
        db.session.add(RoleGrant(user=user, unit=body, role=Role.COUNCIL_MEMBER.value))
    db.session.flush()
    record_council_event(
        body, CouncilAction.ADD_MEMBER, actor=actor, comment=_seat_comment(user, role)
    )
    _update_planned_rolls(body.id, actor=actor)
    return member


def _check_one_chair(body: Unit, start: date, end: date | None) -> None:
    """A council has one chair at a time: a new chair's term starts after the last one's ends."""
    overlapping = db.session.scalars(
        select(CouncilMember).where(
            CouncilMember.awarding_body_id == body.id,
            CouncilMember.role == CouncilRole.CHAIR,
            or_(CouncilMember.term_end.is_(None), CouncilMember.term_end >= start),
            *([CouncilMember.term_start <= end] if end is not None else []),
        )
    ).first()
    if overlapping is not None:
        raise DomainError(
            _(
                "%(name)s chairs this council over those dates: end their term first (the day "
                "before the new chair's), then seat the new chair.",
                name=overlapping.user.full_name,
            ),
            field="role",
        )


def end_term(member: CouncilMember, *, on: date, actor: User | None = None) -> None:
    """End a member's term (the seat's history is kept)."""
    if on < member.term_start:
        raise DomainError(_("The term cannot end before it started."))
    member.term_end = on
    db.session.flush()
    comment = f"{_seat_comment(member.user, CouncilRole(member.role))} ({on:%d/%m/%Y})"
    record_council_event(member.awarding_body, CouncilAction.END_TERM, actor=actor, comment=comment)
    _update_planned_rolls(member.awarding_body_id, actor=actor)


def _update_planned_rolls(body_id: int, *, actor: User | None) -> None:
    """Keep the roll of each session not yet voting on the council as it stands on the
    session's day: a member seated since is added to it, one whose term ended before that day
    leaves it, and no longer keeps its minutes (once the vote opens, the roll is the vote's and
    no longer changes)."""
    planned = db.session.scalars(
        select(CouncilSession).where(
            CouncilSession.awarding_body_id == body_id,
            CouncilSession.state == SessionState.PLANNED,
        )
    ).all()
    for session in planned:
        serving = {m.id: m for m in members_on(body_id, session.held_on)}
        on_roll = {a.member_id for a in session.attendance}
        written = session.kind == SessionKind.WRITTEN
        for attendance in [a for a in session.attendance if a.member_id not in serving]:
            session.attendance.remove(attendance)
        for member_id, member in serving.items():
            if member_id not in on_roll:
                session.attendance.append(
                    Attendance(member=member, present=False, in_writing=written)
                )
                # As for those on the roll when the items were scheduled: a member who
                # nominated a dossier, or belongs to its nominee, takes no part in its vote.
                for item in session.items:
                    item.conflicts.extend(_conflicts_for(item.nomination, [member]))
        db.session.flush()
        forget_secretary_if_absent(session, actor=actor)
    db.session.flush()


def members_on(body_id: int, day: date) -> list[CouncilMember]:
    rows = db.session.scalars(
        select(CouncilMember).where(CouncilMember.awarding_body_id == body_id)
    )
    return sorted((m for m in rows if m.serves_on(day)), key=lambda m: m.council_order)


def member_of(user: User, session: CouncilSession) -> CouncilMember | None:
    """The user's seat on the session's council, if it serves on the session's day (a user
    holds at most one seat per council)."""
    # The seat's user is `user`, already loaded: no join to read it again.
    seat = db.session.scalar(
        select(CouncilMember)
        .where(
            CouncilMember.awarding_body_id == session.awarding_body_id,
            CouncilMember.user_id == user.id,
        )
        .options(lazyload(CouncilMember.user))
    )
    return seat if seat is not None and seat.serves_on(session.held_on) else None


# Sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    title: str
    kind: SessionKind
    held_on: date
    place: str = ""
    consultation_closes_on: date | None = None


def _check_session_data(body: Unit, data: SessionData) -> list[CouncilMember]:
    if data.kind == SessionKind.WRITTEN and data.consultation_closes_on is None:
        raise DomainError(
            _("A written consultation needs the day it closes."), field="consultation_closes_on"
        )
    if data.consultation_closes_on and data.consultation_closes_on < data.held_on:
        raise DomainError(
            _("The consultation must close after it opens."), field="consultation_closes_on"
        )
    members = members_on(body.id, data.held_on)
    if not members:
        raise DomainError(
            _(
                "The council of %(body)s has no members on that day. Add its members first.",
                body=body.name,
            )
        )
    return members


def create_session(body: Unit, data: SessionData, *, actor: User | None = None) -> CouncilSession:
    """Plan a meeting or a written consultation; every current member is on its roll."""
    members = _check_session_data(body, data)
    session = CouncilSession(
        awarding_body=body,
        kind=data.kind,
        title=clean(data.title),
        held_on=data.held_on,
        place=clean(data.place),
        consultation_closes_on=data.consultation_closes_on,
    )
    written = data.kind == SessionKind.WRITTEN
    session.attendance = [Attendance(member=m, present=False, in_writing=written) for m in members]
    db.session.add(session)
    db.session.flush()
    record_session_event(session, SessionAction.CREATE, actor=actor)
    return session


def _require_planned(session: CouncilSession) -> None:
    if session.state != SessionState.PLANNED:
        raise DomainError(_("The agenda and attendance can only change before the vote opens."))


def presence_of(attendance: Attendance) -> Presence:
    if attendance.present:
        return Presence.PRESENT
    return Presence.WRITING if attendance.in_writing else Presence.ABSENT


def set_attendance(
    session: CouncilSession, presence: dict[int, str], *, actor: User | None = None
) -> None:
    """presence maps member id → "present", "writing" or "absent" (anything else: absent). A
    secretary of the session chosen who is no longer present is forgotten (the default
    keeps the minutes)."""
    _require_planned(session)
    changes = []
    for attendance in session.attendance:
        given = presence.get(attendance.member_id, Presence.ABSENT)
        status = Presence(given) if given in Presence.values() else Presence.ABSENT
        before = presence_of(attendance)
        attendance.present = status == Presence.PRESENT
        attendance.in_writing = status == Presence.WRITING
        if status != before:
            changes.append((attendance.member.user.full_name, before, status))
    db.session.flush()
    if changes:
        comment = in_default_locale(
            lambda: "; ".join(f"{name}: {old.label} → {new.label}" for name, old, new in changes)
        )
        record_session_event(session, SessionAction.ATTENDANCE, actor=actor, comment=comment)
    forget_secretary_if_absent(session, actor=actor)


# Agenda ---------------------------------------------------------------------------------


def _conflict_reason(nomination: Nomination, user: User) -> str | None:
    nominee_unit = nomination.nominee_unit or nomination.person_unit
    if nomination.created_by_id == user.id:
        return "prepared"
    if nominee_unit is not None and any(
        g.unit.is_within(nominee_unit) or nominee_unit.is_within(g.unit)
        for g in user.grants
        if g.role == Role.NOMINATOR.value
    ):
        return "unit"
    if nomination.is_person and user.full_name_folded == (nomination.nominee_folded or ""):
        return "nominee"
    return None


def _conflicts_for(nomination: Nomination, members: list[CouncilMember]) -> list[Conflict]:
    """Members who belong to the nominee unit, nominated it, or are the nominee."""
    found = []
    for member in members:
        reason = _conflict_reason(nomination, member.user)
        if reason:
            found.append(Conflict(member=member, reason=reason, declared=False))
    return found


def add_to_agenda(
    session: CouncilSession, nominations: list[Nomination], *, actor: User
) -> list[AgendaItem]:
    """Schedule accepted dossiers on the session, grouped by award type (each one audited)."""
    _require_planned(session)
    members = [a.member for a in session.attendance]
    added = []
    position = max((item.position for item in session.items), default=0)
    for nomination in sorted(
        nominations, key=lambda n: (n.award_type.position, n.award_type_id, n.nominee_sort)
    ):
        if nomination.campaign.awarding_body_id != session.awarding_body_id:
            raise DomainError(
                _("%(name)s was submitted to another awarding body.", name=nomination.nominee_name)
            )
        apply_transition(nomination, Action.SCHEDULE, actor=actor)
        position += 1
        item = AgendaItem(
            nomination=nomination, position=position, conflicts=_conflicts_for(nomination, members)
        )
        session.items.append(item)
        added.append(item)
    db.session.flush()
    for item in added:
        record_item_event(item, ItemAction.ADD, actor=actor)
    return added


def remove_from_agenda(item: AgendaItem, *, actor: User) -> None:
    """Take a dossier off the agenda of a session still being prepared: it is accepted again,
    waiting for a council; the items after it move up (audited on the item and the dossier)."""
    session = item.session
    _require_planned(session)
    apply_transition(item.nomination, Action.UNSCHEDULE, actor=actor)
    record_item_event(item, ItemAction.REMOVE, actor=actor)
    session.items.remove(item)
    for position, other in enumerate(sorted(session.items, key=lambda i: i.position), start=1):
        other.position = position
    db.session.flush()


def move_item(item: AgendaItem, *, up: bool, actor: User | None = None) -> None:
    """Swap an agenda item with its neighbour."""
    _require_planned(item.session)
    # By position, not the loaded list's order: earlier swaps in this transaction moved them.
    items = sorted(item.session.items, key=lambda i: i.position)
    index = items.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
        db.session.flush()
        record_item_event(item, ItemAction.MOVE, actor=actor, comment=str(item.position))
