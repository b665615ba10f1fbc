"""The council's work: members, sessions, agenda, attendance, votes and closing.

Every nomination moves only through workflow.apply_transition (schedule, close_vote).
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import VoteMethod
from recognition.campaigns.models import AwardType
from recognition.common.text import clean
from recognition.council import ballot_box, rules
from recognition.council.enums import Choice, CouncilRole, SessionKind, SessionState
from recognition.council.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Conflict,
    CouncilMember,
    CouncilSession,
    Participation,
    SealedBallot,
)
from recognition.council.permissions import can_approve_session
from recognition.database import local_today, utcnow
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.models import Unit


class AlreadyVoted(DomainError):
    status_code = 409


# Members ---------------------------------------------------------------------------------


def add_member(
    body: Unit, user: User, *, role: CouncilRole, term_start: date, term_end: date | None = None
) -> CouncilMember:
    """Seat `user` on the council of `body` (and grant the council-member role)."""
    if not body.is_awarding_body:
        raise DomainError(_("%(unit)s is not an awarding body.", unit=body.name))
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
    member = CouncilMember(
        awarding_body=body, user=user, role=role.value, term_start=term_start, term_end=term_end
    )
    db.session.add(member)
    if not user.holds(Role.COUNCIL_MEMBER, body):
        from recognition.auth.models import RoleGrant

        db.session.add(RoleGrant(user=user, unit=body, role=Role.COUNCIL_MEMBER.value))
    db.session.flush()
    return member


def end_term(member: CouncilMember, *, on: date) -> None:
    """End a member's term (the seat's history is kept)."""
    if on < member.term_start:
        raise DomainError(_("The term cannot end before it started."))
    member.term_end = on
    db.session.flush()


def members_on(body_id: int, day: date) -> list[CouncilMember]:
    rows = db.session.scalars(
        select(CouncilMember).where(CouncilMember.awarding_body_id == body_id)
    )
    return sorted(
        (m for m in rows if m.serves_on(day)),
        key=lambda m: (list(CouncilRole).index(CouncilRole(m.role)), m.user.full_name_sort),
    )


def member_of(user: User, session: CouncilSession) -> CouncilMember | None:
    return next(
        (m for m in members_on(session.awarding_body_id, session.held_on) if m.user_id == user.id),
        None,
    )


# Sessions and agenda -------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    title: str
    kind: SessionKind
    held_on: date
    place: str = ""
    consultation_closes_on: date | None = None


def create_session(body: Unit, data: SessionData) -> CouncilSession:
    """Plan a meeting or a written consultation; every current member is on its roll."""
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
    session = CouncilSession(
        awarding_body=body,
        kind=data.kind.value,
        title=clean(data.title),
        held_on=data.held_on,
        place=clean(data.place),
        consultation_closes_on=data.consultation_closes_on,
    )
    written = data.kind == SessionKind.WRITTEN
    session.attendance = [Attendance(member=m, present=False, in_writing=written) for m in members]
    db.session.add(session)
    db.session.flush()
    return session


def _require_planned(session: CouncilSession) -> None:
    if session.state != SessionState.PLANNED.value:
        raise DomainError(_("The agenda and attendance can only change before the vote opens."))


def _conflicts_for(nomination: Nomination, members: list[CouncilMember]) -> list[Conflict]:
    """Members who belong to the nominee unit, nominated it, or are the nominee."""
    found = []
    nominee_unit = nomination.nominee_unit or nomination.person_unit
    for member in members:
        user = member.user
        reason = None
        if nomination.created_by_id == user.id:
            reason = "prepared"
        elif nominee_unit is not None and any(
            g.unit.is_within(nominee_unit) or nominee_unit.is_within(g.unit)
            for g in user.grants
            if g.role == Role.NOMINATOR.value
        ):
            reason = "unit"
        elif nomination.is_person and user.full_name_folded == (nomination.nominee_folded or ""):
            reason = "nominee"
        if reason:
            found.append(Conflict(member=member, reason=reason, declared=False))
    return found


def add_to_agenda(
    session: CouncilSession, nominations: list[Nomination], *, actor: User
) -> list[AgendaItem]:
    """Schedule accepted dossiers on the session, grouped by award type."""
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
    return added


def move_item(item: AgendaItem, *, up: bool) -> None:
    """Swap an agenda item with its neighbour."""
    _require_planned(item.session)
    # By position, not the loaded list's order: earlier swaps in this transaction moved them.
    items = sorted(item.session.items, key=lambda i: i.position)
    index = items.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
        db.session.flush()


def set_attendance(session: CouncilSession, presence: dict[int, str]) -> None:
    """presence maps member id → "present", "writing" or "absent"."""
    _require_planned(session)
    for attendance in session.attendance:
        status = presence.get(attendance.member_id, "absent")
        attendance.present = status == "present"
        attendance.in_writing = status == "writing"
    db.session.flush()


def declare_conflict(item: AgendaItem, member: CouncilMember, *, reason: str) -> Conflict:
    """A member withdraws from voting on an item (before voting on it)."""
    if item.outcome is not None:
        raise DomainError(_("The vote on this item is closed."))
    voted = db.session.scalar(
        select(Participation.id).where(
            Participation.item_id == item.id, Participation.member_id == member.id
        )
    )
    # Counted hands include every member present: withdrawing one afterwards would leave
    # more votes than participants.
    if voted is not None or (is_show_of_hands(item) and item.hands_agree is not None):
        raise DomainError(_("You have already voted on this item."))
    if any(c.member_id == member.id for c in item.conflicts):
        raise DomainError(_("Your conflict of interest is already recorded."))
    conflict = Conflict(member=member, reason=clean(reason)[:300], declared=True)
    item.conflicts.append(conflict)
    db.session.flush()
    return conflict


# Counting ------------------------------------------------------------------------------


def rule_for(award_type: AwardType) -> rules.Rule:
    return rules.Rule(
        threshold_percent=award_type.vote_threshold_percent,
        base=rules.Base(award_type.vote_base),
        quorum_numerator=award_type.quorum_numerator,
        quorum_denominator=award_type.quorum_denominator,
        chair_must_approve=award_type.chair_must_approve,
        abstain_allowed=award_type.abstain_allowed,
    )


def eligible_members(item: AgendaItem) -> list[Attendance]:
    excluded = {c.member_id for c in item.conflicts}
    return [a for a in item.session.attendance if a.member_id not in excluded]


def votes_in_writing(item: AgendaItem) -> bool:
    """Whether members consulted in writing vote on this item: always in a written
    consultation; at a meeting only where the title's rule lets absentees vote in writing."""
    return (
        item.session.kind == SessionKind.WRITTEN.value
        or item.nomination.award_type.absentees_vote_in_writing
    )


def takes_part(attendance: Attendance, item: AgendaItem) -> bool:
    """Present at the meeting, or consulted in writing where the item allows it."""
    return attendance.present or (attendance.in_writing and votes_in_writing(item))


def participants(item: AgendaItem) -> int:
    """Eligible members taking part in an item (present or in writing); reads no ballot."""
    return sum(1 for a in eligible_members(item) if takes_part(a, item))


def counts_for(item: AgendaItem) -> rules.Counts:
    """Members, participants and the tally of an item (ballots, or the hands entered).

    The ballots of a secret vote are sealed until it closes, so before the close this counts
    none of them: nothing, not even this function, knows the tally of an open vote.
    """
    eligible = eligible_members(item)
    participants = sum(1 for a in eligible if takes_part(a, item))
    if is_show_of_hands(item):
        agree, disagree, abstain = (
            item.hands_agree or 0,
            item.hands_disagree or 0,
            item.hands_abstain or 0,
        )
    else:
        counted = dict(
            db.session.execute(
                select(Ballot.choice, func.count(Ballot.id))
                .where(Ballot.item_id == item.id)
                .group_by(Ballot.choice)
            ).all()
        )
        agree, disagree, abstain = (
            counted.get("agree", 0),
            counted.get("disagree", 0),
            counted.get("abstain", 0),
        )
    return rules.Counts(
        members=len(eligible),
        participants=participants,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
    )


def is_show_of_hands(item: AgendaItem) -> bool:
    return (
        item.nomination.award_type.vote_method == VoteMethod.SHOW_OF_HANDS.value
        and item.session.kind == SessionKind.MEETING.value
    )


def votes_cast(item: AgendaItem) -> int:
    """How many have voted on an item (shown live; never how)."""
    return (
        db.session.scalar(
            select(func.count(Participation.id)).where(Participation.item_id == item.id)
        )
        or 0
    )


# Voting ---------------------------------------------------------------------------------


def open_vote(session: CouncilSession, *, actor: User) -> None:
    """Start the vote, after checking the quorum of every item."""
    _require_planned(session)
    if not session.items:
        raise DomainError(_("Put at least one dossier on the agenda first."))
    short = []
    for item in session.items:
        rule = rule_for(item.nomination.award_type)
        counts = counts_for(item)
        if not rules.quorum_met(
            members=counts.members,
            participants=counts.participants,
            numerator=rule.quorum_numerator,
            denominator=rule.quorum_denominator,
        ):
            short.append(
                _(
                    "%(name)s needs %(num)d/%(den)d of %(members)d members; %(present)d take part",
                    name=item.nomination.nominee_name,
                    num=rule.quorum_numerator,
                    den=rule.quorum_denominator,
                    members=counts.members,
                    present=counts.participants,
                )
            )
    if short:
        raise DomainError(
            _(
                "The quorum is not met: %(list)s. Record the attendance (members "
                "present or consulted in writing) and try again.",
                list="; ".join(short),
            )
        )
    session.ballot_key_id, session.ballot_key_fingerprint = ballot_box.create_key(session.id)
    session.state = SessionState.VOTING.value
    session.opened_at = utcnow()
    db.session.flush()
    _destroy_spent_keys()


def _destroy_spent_keys(*, keep: CouncilSession | None = None) -> None:
    """Remove the key files of votes that are not open; `keep`'s stays until its commit."""
    voting = db.session.execute(
        select(CouncilSession.id, CouncilSession.ballot_key_id).where(
            CouncilSession.state == SessionState.VOTING.value,
            CouncilSession.ballot_key_id.is_not(None),
        )
    ).all()
    kept = {(row[0], str(row[1])) for row in voting}
    if keep is not None and keep.ballot_key_id is not None:
        kept.add((keep.id, keep.ballot_key_id))
    ballot_box.destroy_spent_keys(kept)


def ballot_refusal(
    item: AgendaItem, member: CouncilMember, *, today: date | None = None
) -> str | None:
    """Why `member` is not offered a ballot on `item` (None: they may vote). Reads no ballot."""
    session = item.session
    attendance = next((a for a in session.attendance if a.member_id == member.id), None)
    if attendance is None:
        return _("You are not on this session's roll of voting members.")
    if not takes_part(attendance, item):
        if attendance.in_writing:
            return _(
                "You are recorded as absent from the meeting, and this title's rule does not "
                "let absent members vote in writing."
            )
        return _(
            "You are recorded as absent from this meeting: absent members do not vote at the "
            "meeting. The secretariat can record you as voting in writing before the vote opens."
        )
    closes_on = session.consultation_closes_on
    if not attendance.present and closes_on is not None and (today or local_today()) > closes_on:
        return _(
            "The written consultation closed on %(day)s; written votes are no longer accepted.",
            day=closes_on.strftime("%d/%m/%Y"),
        )
    if any(c.member_id == member.id for c in item.conflicts):
        return _("You do not vote on this item (conflict of interest).")
    return None


def cast_vote(
    item: AgendaItem, member: CouncilMember, choice: Choice, *, today: date | None = None
) -> str:
    """Record that `member` voted and seal the ballot — once; return the ballot's tracker.

    The UNIQUE(item, member) participation is inserted in the same transaction as the sealed
    ballot; a second vote fails on the constraint, whatever the timing (no Python check is
    trusted). The sealed ballot can only be opened with the vote's key (ballot_box).
    """
    session = item.session
    if session.state != SessionState.VOTING.value or item.outcome is not None:
        raise InvalidTransition(_("The vote on this item is not open."))
    refusal = ballot_refusal(item, member, today=today)
    if refusal is not None:
        raise NotAllowed(refusal)
    if is_show_of_hands(item):
        raise DomainError(_("This item is decided by a show of hands counted by the secretary."))
    if choice == Choice.ABSTAIN and not item.nomination.award_type.abstain_allowed:
        raise DomainError(_("Abstaining is not allowed for this title."))
    key = _session_key(session)
    tracker = ballot_box.new_tracker()
    sealed = ballot_box.seal(
        key, session_id=session.id, item_id=item.id, tracker=tracker, choice=choice
    )
    present = any(a.member_id == member.id and a.present for a in session.attendance)
    try:
        with db.session.begin_nested():
            db.session.add(
                Participation(item_id=item.id, member_id=member.id, in_writing=not present)
            )
            db.session.add(SealedBallot(item_id=item.id, sealed=sealed))
            db.session.flush()
    except IntegrityError as error:
        raise AlreadyVoted(
            _("You have already voted on this item; a cast vote is final.")
        ) from error
    return tracker


def _session_key(session: CouncilSession) -> bytes:
    if session.ballot_key_id is None or session.ballot_key_fingerprint is None:
        raise ballot_box.BallotKeyMissing(_("This vote was opened without a ballot key."))
    return ballot_box.load_key(session.id, session.ballot_key_id, session.ballot_key_fingerprint)


def _open_ballot_box(session: CouncilSession) -> None:
    """Publish every sealed ballot as a counted Ballot, in a random order, and drop the seals.

    Each item's sealed ballots must match its participations one for one, or nothing is
    counted (a missing or extra ballot is an error, never a silent difference).
    """
    secret_items = [item for item in session.items if not is_show_of_hands(item)]
    if not secret_items:
        return
    key = _session_key(session)
    for item in secret_items:
        sealed = list(
            db.session.scalars(select(SealedBallot).where(SealedBallot.item_id == item.id))
        )
        opened = [
            ballot_box.unseal(key, row.sealed, session_id=session.id, item_id=item.id)
            for row in sealed
        ]
        if len(opened) != votes_cast(item):
            raise DomainError(
                _(
                    "The ballots of %(name)s do not match the members who voted; the vote "
                    "cannot be counted.",
                    name=item.nomination.nominee_name,
                )
            )
        for row in sealed:
            db.session.delete(row)
        db.session.flush()
        for ballot in ballot_box.shuffled(opened):
            db.session.add(
                Ballot(item_id=item.id, tracker=ballot.tracker, choice=ballot.choice.value)
            )
        db.session.flush()
    ballot_box.destroy_after_commit(session.id, str(session.ballot_key_id))


def approve_as_chair(session: CouncilSession, *, actor: User) -> None:
    """The chair approves the session's items that reach their threshold (recorded with the
    chair and the time). Only the chair of the awarding body may; nobody else can set it."""
    if not can_approve_session(actor, session):
        raise NotAllowed(
            _(
                "Only the chair of %(body)s can give the chair's approval.",
                body=session.awarding_body.name,
            )
        )
    if session.state != SessionState.VOTING.value:
        raise InvalidTransition(_("The vote of this session is not open."))
    if not session.chair_approved:
        session.chair_approved = True
        session.chair_approved_by_id = actor.id
        session.chair_approved_at = utcnow()
    db.session.flush()


def written_votes(item: AgendaItem) -> int:
    return (
        db.session.scalar(
            select(func.count(Participation.id)).where(
                Participation.item_id == item.id, Participation.in_writing.is_(True)
            )
        )
        or 0
    )


def record_hands(item: AgendaItem, *, agree: int, disagree: int, abstain: int) -> None:
    """The secretary enters the counts of a show of hands."""
    if item.session.state != SessionState.VOTING.value or item.outcome is not None:
        raise DomainError(_("The vote on this item is not open."))
    if not is_show_of_hands(item):
        raise DomainError(_("This item is voted by ballot, not by a show of hands."))
    if abstain and not item.nomination.award_type.abstain_allowed:
        raise DomainError(_("Abstaining is not allowed for this title."))
    participants = counts_for(item).participants
    if min(agree, disagree, abstain) < 0 or agree + disagree + abstain > participants:
        raise DomainError(
            _(
                "The counts must add up to at most the %(num)d members taking part.",
                num=participants,
            )
        )
    item.hands_agree, item.hands_disagree, item.hands_abstain = agree, disagree, abstain
    db.session.flush()


def _close_comment(counts: rules.Counts, result: rules.Outcome) -> str:
    """The audit comment of a closed item, in the default language whoever closes."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _(
            "%(agree)d agree, %(disagree)d disagree, %(abstain)d abstain "
            "(%(required)d needed of %(base)d)",
            agree=counts.agree,
            disagree=counts.disagree,
            abstain=counts.abstain,
            required=result.required,
            base=result.base,
        )


def close_vote(session: CouncilSession, *, actor: User, chair_approved: bool = False) -> None:
    """Close the vote: open the ballot box, count each item, freeze its result, move its
    dossier to passed/failed. `chair_approved` is the chair's own approval, given as they
    close (anyone else asking for it is refused); an approval given earlier still counts."""
    if session.state != SessionState.VOTING.value:
        raise InvalidTransition(_("The vote of this session is not open."))
    if chair_approved:
        approve_as_chair(session, actor=actor)
    _open_ballot_box(session)
    for item in session.items:
        counts = counts_for(item)
        result = rules.outcome(
            rule_for(item.nomination.award_type), counts, chair_approved=session.chair_approved
        )
        item.outcome = "passed" if result.passed else "failed"
        item.members_count, item.participants_count = counts.members, counts.participants
        item.written_count = 0 if is_show_of_hands(item) else written_votes(item)
        item.agree_count, item.disagree_count = counts.agree, counts.disagree
        item.abstain_count, item.base_count = counts.abstain, result.base
        item.required_count, item.reason = result.required, result.reason
        apply_transition(
            item.nomination,
            Action.CLOSE_VOTE,
            actor=actor,
            outcome=NominationState.PASSED if result.passed else NominationState.FAILED,
            comment=_close_comment(counts, result),
        )
    session.state = SessionState.CLOSED.value
    session.closed_at = utcnow()
    session.closed_by_id = actor.id
    db.session.flush()
    # A key left behind by a crash after an earlier close goes now rather than at the next
    # opening (this session's own key goes after the commit).
    _destroy_spent_keys(keep=session)
