"""A member's ballot, a declared conflict of interest, and the counts of a show of hands.

Nothing here writes an audit event about a member's vote: a Participation says that a member
voted, the sealed ballot says how, and nothing links the two (docs/secret-ballot.md).
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import (
    Insert,
    Integer,
    LargeBinary,
    Select,
    String,
    Table,
    and_,
    bindparam,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import lazyload

from recognition.auth.models import User
from recognition.campaigns.models import AwardType
from recognition.common.text import clean
from recognition.council import ballot_box
from recognition.council.counting import counts_for, is_show_of_hands, takes_part
from recognition.council.enums import Choice, ItemAction, ItemState, SessionState
from recognition.council.models import (
    AgendaItem,
    Attendance,
    Conflict,
    CouncilMember,
    CouncilSession,
    Participation,
    SealedBallot,
    item_state,
    serves_on,
)
from recognition.council.on_ballot import (
    DossierOnBallot,
    ItemOnBallot,
    LineOnRoll,
    SeatOnBallot,
    SessionOnBallot,
    TitleOnBallot,
    UnitOnBallot,
)
from recognition.council.workflow import record_item_event, session_key
from recognition.database import local_today
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.units.models import Unit


class AlreadyVoted(DomainError):
    status_code = 409


# A member's line on a session's roll for one item: their attendance (None: not on the roll)
# and whether they withdrew from the item (conflict of interest).
RollLine = tuple[Attendance | LineOnRoll | None, bool]
# The item and the seat as the ballot's rules read them: mapped rows, or the values read for
# one member's ballot (`voter_on`).
BallotItem = AgendaItem | ItemOnBallot
Seat = CouncilMember | SeatOnBallot


@dataclass(frozen=True)
class Voter:
    """What a member's ballot needs, read in one statement (`voter_on`)."""

    item: ItemOnBallot
    # The user's seat on the session's council, if it serves on the session's day.
    member: SeatOnBallot | None
    roll: RollLine
    voted: bool


def voter_on(user: User, session_id: int, item_id: int) -> Voter | None:
    """The item of the session (None if it has no such item) with its session and, in the same
    statement, the user's seat on the session's council, the seat's line on the roll, whether
    it withdrew from the item and whether it voted on it: a hundred members casting at once
    each send one read before their vote, not four. A user holds at most one seat per council
    and a seat one line per roll, so there is one row at most. Read as columns into plain
    values (on_ballot.py), on the session's connection: no mapped row is built or written."""
    row = (
        db.session.connection()
        .execute(
            _voter_statement(),
            {"user_id": user.id, "session_id": session_id, "item_id": item_id},
        )
        .one_or_none()
    )
    if row is None:
        return None
    session = SessionOnBallot(
        id=row.session_id,
        awarding_body_id=row.awarding_body_id,
        title=row.title,
        kind=row.kind,
        state=row.session_state,
        held_on=row.held_on,
        consultation_closes_on=row.consultation_closes_on,
        ballot_key_id=row.ballot_key_id,
        ballot_key_fingerprint=row.ballot_key_fingerprint,
    )
    title = TitleOnBallot(
        name=row.title_name,
        vote_method=row.vote_method,
        abstain_allowed=row.abstain_allowed,
        absentees_vote_in_writing=row.absentees_vote_in_writing,
    )
    item = ItemOnBallot(
        id=row.item_id,
        nomination_id=row.nomination_id,
        state=item_state(row.outcome),
        session=session,
        nomination=DossierOnBallot(
            nominee_name=row.nominee_name,
            award_type=title,
            nominating_unit=UnitOnBallot(name=row.unit_name),
        ),
    )
    if row.seat_id is None or not serves_on(row.term_start, row.term_end, session.held_on):
        return Voter(item=item, member=None, roll=(None, False), voted=False)
    line = None
    if row.line_id is not None:
        line = LineOnRoll(present=row.present, in_writing=row.in_writing)
    seat = SeatOnBallot(id=row.seat_id)
    return Voter(item=item, member=seat, roll=(line, bool(row.withdrew)), voted=bool(row.voted))


@cache
def _voter_statement() -> Select[*tuple[Any, ...]]:
    """`voter_on`'s statement, built once per process."""
    seat_matches = and_(
        CouncilMember.awarding_body_id == CouncilSession.awarding_body_id,
        CouncilMember.user_id == bindparam("user_id"),
    )
    line_matches = and_(
        Attendance.session_id == CouncilSession.id, Attendance.member_id == CouncilMember.id
    )
    withdrawn = (
        select(Conflict.id)
        .where(Conflict.item_id == AgendaItem.id, Conflict.member_id == CouncilMember.id)
        .exists()
    )
    voted = (
        select(Participation.id)
        .where(Participation.item_id == AgendaItem.id, Participation.member_id == CouncilMember.id)
        .exists()
    )
    return (
        select(
            AgendaItem.id.label("item_id"),
            AgendaItem.nomination_id,
            AgendaItem.outcome,
            CouncilSession.id.label("session_id"),
            CouncilSession.awarding_body_id,
            CouncilSession.title,
            CouncilSession.kind,
            CouncilSession.state.label("session_state"),
            CouncilSession.held_on,
            CouncilSession.consultation_closes_on,
            CouncilSession.ballot_key_id,
            CouncilSession.ballot_key_fingerprint,
            # What the ballot shows of the dossier (its nominee, title and nominating unit)
            # and the title's rule that decides how it is voted on.
            Nomination.nominee_name,
            AwardType.name.label("title_name"),
            AwardType.vote_method,
            AwardType.abstain_allowed,
            AwardType.absentees_vote_in_writing,
            Unit.name.label("unit_name"),
            CouncilMember.id.label("seat_id"),
            CouncilMember.term_start,
            CouncilMember.term_end,
            Attendance.id.label("line_id"),
            Attendance.present,
            Attendance.in_writing,
            withdrawn.label("withdrew"),
            voted.label("voted"),
        )
        .select_from(AgendaItem)
        .join(CouncilSession, AgendaItem.session_id == CouncilSession.id)
        .join(Nomination, AgendaItem.nomination_id == Nomination.id)
        .join(AwardType, Nomination.award_type_id == AwardType.id)
        .join(Unit, Nomination.nominating_unit_id == Unit.id)
        .outerjoin(CouncilMember, seat_matches)
        .outerjoin(Attendance, line_matches)
        .where(
            AgendaItem.id == bindparam("item_id"), AgendaItem.session_id == bindparam("session_id")
        )
    )


def is_open_for_votes(item: BallotItem) -> bool:
    return item.session.state == SessionState.VOTING and item.state == ItemState.PENDING


def attendance_of(session: CouncilSession, member: CouncilMember) -> Attendance | None:
    """The member's line on the session's roll: taken from the roll when it is loaded (a page
    about every member), read alone otherwise (one member's ballot, cast by a hundred members
    at once, need not load the whole roll a hundred times)."""
    if "attendance" not in inspect(session).unloaded:
        return next((a for a in session.attendance if a.member_id == member.id), None)
    return db.session.scalar(
        select(Attendance)
        .where(Attendance.session_id == session.id, Attendance.member_id == member.id)
        .options(lazyload(Attendance.member))
    )


def _roll_line(
    session: CouncilSession, item: AgendaItem, member: CouncilMember
) -> tuple[Attendance | None, bool]:
    """The member's line on the roll and whether they withdrew from the item, in one read
    (from the collections when both are loaded). Without a line, the withdrawal is not read:
    nobody off the roll is offered a ballot anyway."""
    state = inspect(session).unloaded, inspect(item).unloaded
    if "attendance" not in state[0] and "conflicts" not in state[1]:
        return attendance_of(session, member), has_conflict(item, member)
    withdrawn = (
        select(Conflict.id)
        .where(Conflict.item_id == item.id, Conflict.member_id == member.id)
        .exists()
    )
    row = db.session.execute(
        select(Attendance, withdrawn)
        .where(Attendance.session_id == session.id, Attendance.member_id == member.id)
        .options(lazyload(Attendance.member))
    ).one_or_none()
    return (row[0], bool(row[1])) if row is not None else (None, False)


def has_conflict(item: AgendaItem, member: CouncilMember) -> bool:
    """Whether the member does not vote on the item (conflict of interest); like
    `attendance_of`, reads one row unless the item's conflicts are loaded."""
    if "conflicts" not in inspect(item).unloaded:
        return any(c.member_id == member.id for c in item.conflicts)
    found = db.session.scalar(
        select(Conflict.id).where(Conflict.item_id == item.id, Conflict.member_id == member.id)
    )
    return found is not None


def ballot_refusal(
    item: BallotItem,
    member: Seat,
    *,
    today: date | None = None,
    roll: RollLine | None = None,
) -> str | None:
    """Why `member` is not offered a ballot on `item` (None: they may vote). Reads no ballot;
    reads the roll unless given the member's `roll` line (`voter_on`)."""
    attendance, withdrawn = _given_or_read(item, member, roll)
    return _refusal(item, attendance, withdrawn, today)


def _given_or_read(item: BallotItem, member: Seat, roll: RollLine | None) -> RollLine:
    """The member's roll line as given, or read from the roll for mapped rows."""
    if roll is not None:
        return roll
    if not isinstance(item, AgendaItem) or not isinstance(member, CouncilMember):
        raise TypeError("a ballot read as values (voter_on) carries its roll line")
    return _roll_line(item.session, item, member)


def _refusal(
    item: BallotItem,
    attendance: Attendance | LineOnRoll | None,
    withdrawn: bool,
    today: date | None,
) -> str | None:
    session = item.session
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
    if withdrawn:
        return _("You do not vote on this item (conflict of interest).")
    return None


def _check_ballot(
    item: BallotItem,
    attendance: Attendance | LineOnRoll | None,
    withdrawn: bool,
    choice: Choice,
    today: date | None,
) -> None:
    if not is_open_for_votes(item):
        raise InvalidTransition(_("The vote on this item is not open."))
    refusal = _refusal(item, attendance, withdrawn, today)
    if refusal is not None:
        raise NotAllowed(refusal)
    if is_show_of_hands(item):
        raise DomainError(_("This item is decided by a show of hands counted by the secretary."))
    if choice == Choice.ABSTAIN and not item.nomination.award_type.abstain_allowed:
        raise DomainError(_("Abstaining is not allowed for this title."))


def cast_vote(
    item: BallotItem,
    member: Seat,
    choice: Choice,
    *,
    today: date | None = None,
    roll: RollLine | None = None,
) -> str:
    """Record that `member` voted and seal the ballot — once; return the ballot's tracker.

    The UNIQUE(item, member) participation is inserted in the same transaction as the sealed
    ballot; a second vote is stopped by the constraint (its insert does nothing, and no
    ballot is sealed), whatever the timing: no Python check is trusted. The sealed ballot can
    only be opened with the vote's key (ballot_box). The roll is read unless the member's
    `roll` line is given (read with the item by `voter_on`, in the same transaction).
    """
    session = item.session
    attendance, withdrawn = _given_or_read(item, member, roll)
    _check_ballot(item, attendance, withdrawn, choice, today)
    tracker = ballot_box.new_tracker()
    sealed = ballot_box.seal(
        session_key(session, for_casting=True),
        session_id=session.id,
        item_id=item.id,
        tracker=tracker,
        choice=choice,
    )
    present = attendance is not None and attendance.present
    if not _seal_once(item, member, in_writing=not present, sealed=sealed):
        raise AlreadyVoted(_("You have already voted on this item; a cast vote is final."))
    return tracker


def _seal_once(item: BallotItem, member: Seat, *, in_writing: bool, sealed: bytes) -> bool:
    """Insert the member's participation and, only if it was new, the sealed ballot; whether
    they were inserted.

    A second participation inserts nothing (ON CONFLICT DO NOTHING): the constraint decides,
    and the transaction stays usable without a savepoint around the insert. On PostgreSQL both
    rows are written by one statement (the participation's insert in a WITH, the ballot
    inserted for each row it returns: none when it conflicted); SQLite cannot put an INSERT in
    a WITH, and sends the two in turn.
    """
    values = {
        "item_id": item.id,
        "member_id": member.id,
        "in_writing": in_writing,
        "ballot_id": SealedBallot.new_id(),
        "sealed": sealed,
    }
    connection = db.session.connection()  # the rows are written as they are, not as mapped objects
    if connection.dialect.name == "postgresql":
        return connection.execute(_both_statement(), values).first() is not None
    if connection.execute(_participation_statement("sqlite"), values).first() is None:
        return False
    connection.execute(_ballot_statement(), values)
    return True


@cache
def _participation_statement(dialect: str) -> Insert:
    """The participation's insert, which inserts nothing when the member already voted; built
    once per process, its values bound at each vote (on the tables: the ORM would read the
    bound values as rows to insert in bulk)."""
    table = cast(Table, Participation.__table__)
    return (
        (postgresql if dialect == "postgresql" else sqlite)
        .insert(table)
        .values(
            item_id=bindparam("item_id", type_=Integer),
            member_id=bindparam("member_id", type_=Integer),
            in_writing=bindparam("in_writing"),
        )
        .on_conflict_do_nothing(index_elements=["item_id", "member_id"])
        .returning(table.c.id)
    )


@cache
def _ballot_statement() -> Insert:
    return insert(cast(Table, SealedBallot.__table__)).values(
        id=bindparam("ballot_id", type_=String),
        item_id=bindparam("item_id", type_=Integer),
        sealed=bindparam("sealed", type_=LargeBinary),
    )


@cache
def _both_statement() -> Insert:
    """PostgreSQL's one statement: the participation's insert in a WITH, the ballot inserted
    for each row it returns (none when it conflicted)."""
    written = _participation_statement("postgresql").cte("participation")
    table = cast(Table, SealedBallot.__table__)
    return (
        insert(table)
        .from_select(
            ["id", "item_id", "sealed"],
            select(
                bindparam("ballot_id", type_=String),
                bindparam("item_id", type_=Integer),
                bindparam("sealed", type_=LargeBinary),
            ).select_from(written),
        )
        .add_cte(written)
        .returning(table.c.id)
    )


def has_voted(item: AgendaItem, member: CouncilMember) -> bool:
    return (
        db.session.scalar(
            select(Participation.id).where(
                Participation.item_id == item.id, Participation.member_id == member.id
            )
        )
        is not None
    )


def declare_conflict(item: AgendaItem, member: CouncilMember, *, reason: str) -> Conflict:
    """A member withdraws from voting on an item (before voting on it), saying why; audited."""
    if item.state != ItemState.PENDING:
        raise DomainError(_("The vote on this item is closed."))
    # Counted hands include every member present: withdrawing one afterwards would leave
    # more votes than participants.
    if has_voted(item, member) or (is_show_of_hands(item) and item.hands_agree is not None):
        raise DomainError(_("You have already voted on this item."))
    if any(c.member_id == member.id for c in item.conflicts):
        raise DomainError(_("Your conflict of interest is already recorded."))
    reason = clean(reason)[:300]
    if not reason:
        raise DomainError(
            _("Say why you have a conflict of interest on this dossier."), field="reason"
        )
    conflict = Conflict(member=member, reason=reason, declared=True)
    item.conflicts.append(conflict)
    db.session.flush()
    # Who withdrew and why is on the minutes; the log keeps it with the time it was declared.
    record_item_event(
        item, ItemAction.CONFLICT, actor=member.user, comment=f"{member.user.full_name}: {reason}"
    )
    return conflict


def record_hands(
    item: AgendaItem, *, agree: int, disagree: int, abstain: int, actor: User | None = None
) -> None:
    """The secretary enters the counts of a show of hands (audited; the counts are not)."""
    if not is_open_for_votes(item):
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
    if participants and agree + disagree + abstain == 0:
        # No hand counted among the members present: a slip, not a result.
        raise DomainError(_("No hand is counted: enter how many members voted each way."))
    item.hands_agree, item.hands_disagree, item.hands_abstain = agree, disagree, abstain
    db.session.flush()
    record_item_event(item, ItemAction.COUNT, actor=actor)
