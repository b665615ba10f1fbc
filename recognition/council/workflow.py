"""The lives of a council session and of its agenda items: one table each, one entry point.

A session is prepared (agenda, attendance), its vote is opened (the quorum of every item is
checked and the vote's key is written) and closed (the ballot box is opened, each item is
counted and frozen, its dossier moves on, the key's destruction is queued for the commit).
`SESSION_LIFE.apply` and `ITEM_LIFE.apply` are the only code that assign those states.

The audit log gets the state changes, and as plain events the chair's approval, attendance,
agenda and membership changes. Never a ballot, a receipt, or anything that links a member to a
choice: an item's close event carries the totals only, as the minutes do.
"""

from collections.abc import Callable
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.models import User
from recognition.common.audit import AuditEvent, ObjectKind, record, register_vocabulary
from recognition.common.lifecycle import Lifecycle, Transition
from recognition.council import ballot_box, rules
from recognition.council.counting import (
    counts_for,
    is_show_of_hands,
    participants,
    quorum_shortfall,
    rule_for,
    votes_cast,
    written_votes,
)
from recognition.council.effects import on_vote_closed, on_vote_opened
from recognition.council.enums import (
    CouncilAction,
    ItemAction,
    ItemState,
    SessionAction,
    SessionKind,
    SessionState,
)
from recognition.council.models import AgendaItem, Ballot, CouncilSession, SealedBallot
from recognition.council.on_ballot import SessionOnBallot
from recognition.council.permissions import (
    can_approve_session,
    can_close_session,
    can_run_session,
)
from recognition.database import utcnow
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.workflow import apply_transition
from recognition.units.models import Unit

S = SessionState


def in_default_locale(message: Callable[[], str]) -> str:
    """An audit comment, in the default language whoever acts."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return message()


# The session ------------------------------------------------------------------------------


def ready_to_open(session: CouncilSession, today: date) -> str | None:
    """Why the vote cannot open: an empty agenda, or an item without its quorum."""
    if not session.items:
        return _("Put at least one dossier on the agenda first.")
    short = [reason for item in session.items if (reason := quorum_shortfall(item))]
    if short and session.kind == SessionKind.WRITTEN:
        return _(
            "The quorum is not met: %(list)s. Record the attendance (members consulted in "
            "writing) and try again.",
            list="; ".join(short),
        )
    if short:
        return _(
            "The quorum is not met: %(list)s. Record the attendance and try again: members "
            "present count, and members giving their vote in writing count only where the "
            "title's rule lets absent members vote in writing.",
            list="; ".join(short),
        )
    return None


def ready_to_close(session: CouncilSession, today: date) -> str | None:
    """Why the vote cannot close yet: an item counted by a show of hands whose counts are not
    entered (closing would count it as no hand raised and fail its dossier for good). Ballots
    cast in secret on such an item are refused at the count instead (`_open_ballot_box`)."""
    waiting = [
        item.nomination.nominee_name
        for item in session.items
        if is_show_of_hands(item)
        and item.hands_agree is None
        and participants(item)
        and not votes_cast(item)
    ]
    if waiting:
        return _(
            "Enter the counts of the show of hands first: %(list)s. An item without its "
            "counts would be closed as if no hand had been raised.",
            list="; ".join(waiting),
        )
    return None


def _session_entered(
    session: CouncilSession, source: SessionState, target: SessionState, now: datetime
) -> None:
    if target == S.VOTING:
        session.opened_at = now
    elif target == S.CLOSED:
        session.closed_at = now


def _session_not_possible(action: SessionAction, state: SessionState) -> str:
    if action == SessionAction.OPEN:
        return _("The agenda and attendance can only change before the vote opens.")
    return _("The vote of this session is not open.")


SESSION_TABLE: list[Transition[SessionState, SessionAction]] = [
    Transition(
        SessionAction.OPEN, frozenset({S.PLANNED}), S.VOTING, can_run_session, ready_to_open
    ),
    Transition(
        SessionAction.CLOSE, frozenset({S.VOTING}), S.CLOSED, can_close_session, ready_to_close
    ),
]

SESSION_LIFE: Lifecycle[SessionState, SessionAction] = Lifecycle(
    kind=ObjectKind.COUNCIL_SESSION,
    states=SessionState,
    actions=SessionAction,
    transitions=SESSION_TABLE,
    describe=lambda session: session.title,
    on_enter=_session_entered,
    not_possible=_session_not_possible,
)


def record_session_event(
    session: CouncilSession, action: SessionAction, *, actor: User | None, comment: str = ""
) -> AuditEvent:
    """An event of the session that does not change its state (created, approval, attendance)."""
    return record(
        ObjectKind.COUNCIL_SESSION,
        session.id,
        action.value,
        actor=actor,
        subject=session.title,
        to_state=SessionState(session.state).value,
        comment=comment,
    )


# The agenda item --------------------------------------------------------------------------


def describe_item(item: AgendaItem) -> str:
    """How the audit log names an item: the nominee and the title, on which session."""
    nomination = item.nomination
    return f"{nomination.nominee_name} — {nomination.award_type.name} ({item.session.title})"


def _item_may_close(user: User, item: AgendaItem) -> bool:
    return can_close_session(user, item.session)


ITEM_TABLE: list[Transition[ItemState, ItemAction]] = [
    Transition(
        ItemAction.CLOSE,
        frozenset({ItemState.PENDING}),
        None,
        _item_may_close,
        targets=frozenset({ItemState.PASSED, ItemState.FAILED}),
    ),
]

ITEM_LIFE: Lifecycle[ItemState, ItemAction] = Lifecycle(
    kind=ObjectKind.AGENDA_ITEM,
    states=ItemState,
    actions=ItemAction,
    transitions=ITEM_TABLE,
    describe=describe_item,
    not_possible=lambda action, state: _("The vote on this item is closed."),
)


def record_item_event(
    item: AgendaItem, action: ItemAction, *, actor: User | None, comment: str = ""
) -> AuditEvent:
    """An event of an agenda item that does not change its state (added, moved, counts)."""
    return record(
        ObjectKind.AGENDA_ITEM,
        item.id,
        action.value,
        actor=actor,
        subject=describe_item(item),
        to_state=item.state.value,
        comment=comment,
    )


# The council's membership -----------------------------------------------------------------

register_vocabulary(ObjectKind.COUNCIL, CouncilAction)


def record_council_event(
    body: Unit, action: CouncilAction, *, actor: User | None, comment: str
) -> AuditEvent:
    """A change to the council of `body` (its id and name are the event's object)."""
    return record(
        ObjectKind.COUNCIL, body.id, action.value, actor=actor, subject=body.name, comment=comment
    )


# Opening, approving, closing --------------------------------------------------------------


def open_vote(session: CouncilSession, *, actor: User) -> None:
    """Start the vote, after checking the quorum of every item; write the vote's key."""
    SESSION_LIFE.apply(session, SessionAction.OPEN, actor=actor)
    session.ballot_key_id, session.ballot_key_fingerprint = ballot_box.create_key(session.id)
    db.session.flush()
    destroy_spent_keys()
    on_vote_opened(session, actor=actor)


def destroy_spent_keys(*, keep: CouncilSession | None = None) -> None:
    """Remove the key files of votes that are not open; `keep`'s stays until its commit."""
    voting = db.session.execute(
        select(CouncilSession.id, CouncilSession.ballot_key_id).where(
            CouncilSession.state == S.VOTING,
            CouncilSession.ballot_key_id.is_not(None),
        )
    ).all()
    kept = {(row[0], str(row[1])) for row in voting}
    if keep is not None and keep.ballot_key_id is not None:
        kept.add((keep.id, keep.ballot_key_id))
    ballot_box.destroy_spent_keys(kept)


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
    if session.state != S.VOTING:
        raise InvalidTransition(_("The vote of this session is not open."))
    if not session.chair_approved:
        session.chair_approved = True
        session.chair_approved_by_id = actor.id
        session.chair_approved_at = utcnow()
        db.session.flush()
        record_session_event(session, SessionAction.APPROVE, actor=actor)


def session_key(session: CouncilSession | SessionOnBallot, *, for_casting: bool = False) -> bytes:
    """The vote's key (for a cast, as this process kept it a few seconds: ballot_box.py)."""
    if session.ballot_key_id is None or session.ballot_key_fingerprint is None:
        raise ballot_box.BallotKeyMissing(_("This vote was opened without a ballot key."))
    return ballot_box.load_key(
        session.id,
        session.ballot_key_id,
        session.ballot_key_fingerprint,
        for_casting=for_casting,
    )


def _open_ballot_box(session: CouncilSession) -> None:
    """Publish every sealed ballot as a counted Ballot, in a random order, and drop the seals.

    Each item's sealed ballots must match its participations one for one, or nothing is
    counted (a missing or extra ballot is an error, never a silent difference).
    """
    for item in session.items:
        if is_show_of_hands(item) and votes_cast(item):
            # Ballots cast in secret are counted as ballots, or the vote is not counted at all.
            raise DomainError(
                _(
                    "Members have voted by secret ballot on %(name)s, which is now counted by "
                    "a show of hands; the vote cannot be counted.",
                    name=item.nomination.nominee_name,
                )
            )
    secret_items = [item for item in session.items if not is_show_of_hands(item)]
    key = session_key(session) if secret_items else b""
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
            db.session.add(Ballot(item_id=item.id, tracker=ballot.tracker, choice=ballot.choice))
        db.session.flush()
    # The key goes once the vote is counted, whatever was on the agenda.
    if session.ballot_key_id is not None:
        ballot_box.destroy_after_commit(session.id, str(session.ballot_key_id))


def _close_comment(counts: rules.Counts, result: rules.Outcome) -> str:
    """The audit comment of a closed item: the totals only, as the minutes print them."""
    return in_default_locale(
        lambda: _(
            "%(agree)d agree, %(disagree)d disagree, %(abstain)d abstain "
            "(%(required)d needed of %(base)d)",
            agree=counts.agree,
            disagree=counts.disagree,
            abstain=counts.abstain,
            required=result.required,
            base=result.base,
        )
    )


def _close_item(item: AgendaItem, *, actor: User, chair_approved: bool) -> None:
    """Count an item, freeze its result and move its dossier to passed or failed."""
    counts = counts_for(item)
    result = rules.outcome(
        rule_for(item.nomination.award_type), counts, chair_approved=chair_approved
    )
    item.members_count, item.participants_count = counts.members, counts.participants
    item.written_count = 0 if is_show_of_hands(item) else written_votes(item)
    item.agree_count, item.disagree_count = counts.agree, counts.disagree
    item.abstain_count, item.base_count = counts.abstain, result.base
    item.required_count, item.reason = result.required, result.reason
    comment = _close_comment(counts, result)
    ITEM_LIFE.apply(
        item,
        ItemAction.CLOSE,
        actor=actor,
        outcome=ItemState.PASSED if result.passed else ItemState.FAILED,
        comment=comment,
    )
    apply_transition(
        item.nomination,
        Action.CLOSE_VOTE,
        actor=actor,
        outcome=NominationState.PASSED if result.passed else NominationState.FAILED,
        comment=comment,
    )


def close_vote(session: CouncilSession, *, actor: User, chair_approved: bool = False) -> None:
    """Close the vote: open the ballot box, count each item, freeze its result, move its
    dossier to passed/failed. `chair_approved` is the chair's own approval, given as they
    close (anyone else asking for it is refused); an approval given earlier still counts."""

    def approve_first() -> None:
        # After the state check (a closed session says so), before the closing permission.
        if chair_approved:
            approve_as_chair(session, actor=actor)

    SESSION_LIFE.apply(session, SessionAction.CLOSE, actor=actor, precheck=approve_first)
    session.closed_by_id = actor.id
    _open_ballot_box(session)
    for item in session.items:
        _close_item(item, actor=actor, chair_approved=session.chair_approved)
    db.session.flush()
    # A key left behind by a crash after an earlier close goes now rather than at the next
    # opening (this session's own key goes after the commit).
    destroy_spent_keys(keep=session)
    on_vote_closed(session, actor=actor)
