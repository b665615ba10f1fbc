"""Who takes part in an item and how it is counted; reads no sealed ballot."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.campaigns.enums import VoteMethod
from recognition.campaigns.models import AwardType
from recognition.council import rules
from recognition.council.enums import Choice, SessionKind
from recognition.council.models import AgendaItem, Attendance, Ballot, Participation
from recognition.council.on_ballot import ItemOnBallot, LineOnRoll
from recognition.extensions import db


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


def votes_in_writing(item: AgendaItem | ItemOnBallot) -> bool:
    """Whether members consulted in writing vote on this item: always in a written
    consultation; at a meeting only where the title's rule lets absentees vote in writing."""
    return (
        item.session.kind == SessionKind.WRITTEN
        or item.nomination.award_type.absentees_vote_in_writing
    )


def takes_part(attendance: Attendance | LineOnRoll, item: AgendaItem | ItemOnBallot) -> bool:
    """Present at the meeting, or consulted in writing where the item allows it."""
    return attendance.present or (attendance.in_writing and votes_in_writing(item))


def participants(item: AgendaItem) -> int:
    """Eligible members taking part in an item (present or in writing); reads no ballot."""
    return sum(1 for a in eligible_members(item) if takes_part(a, item))


def is_show_of_hands(item: AgendaItem | ItemOnBallot) -> bool:
    return (
        item.nomination.award_type.vote_method == VoteMethod.SHOW_OF_HANDS
        and item.session.kind == SessionKind.MEETING
    )


def _tally(item: AgendaItem) -> tuple[int, int, int]:
    if is_show_of_hands(item):
        return item.hands_agree or 0, item.hands_disagree or 0, item.hands_abstain or 0
    counted = dict(
        db.session.execute(
            select(Ballot.choice, func.count(Ballot.id))
            .where(Ballot.item_id == item.id)
            .group_by(Ballot.choice)
        ).all()
    )
    return (
        counted.get(Choice.AGREE, 0),
        counted.get(Choice.DISAGREE, 0),
        counted.get(Choice.ABSTAIN, 0),
    )


def counts_for(item: AgendaItem) -> rules.Counts:
    """Members, participants and the tally of an item (ballots, or the hands entered).

    The ballots of a secret vote are sealed until it closes, so before the close this counts
    none of them: nothing, not even this function, knows the tally of an open vote.
    """
    eligible = eligible_members(item)
    agree, disagree, abstain = _tally(item)
    return rules.Counts(
        members=len(eligible),
        participants=sum(1 for a in eligible if takes_part(a, item)),
        agree=agree,
        disagree=disagree,
        abstain=abstain,
    )


def votes_cast(item: AgendaItem) -> int:
    """How many have voted on an item (shown live; never how)."""
    return (
        db.session.scalar(
            select(func.count(Participation.id)).where(Participation.item_id == item.id)
        )
        or 0
    )


def written_votes(item: AgendaItem) -> int:
    return (
        db.session.scalar(
            select(func.count(Participation.id)).where(
                Participation.item_id == item.id, Participation.in_writing.is_(True)
            )
        )
        or 0
    )


def quorum_shortfall(item: AgendaItem) -> str | None:
    """Why an item lacks its quorum (a phrase for the refusal), or None when it is met."""
    rule = rule_for(item.nomination.award_type)
    counts = counts_for(item)
    if rules.quorum_met(
        members=counts.members,
        participants=counts.participants,
        numerator=rule.quorum_numerator,
        denominator=rule.quorum_denominator,
    ):
        return None
    return _(
        "the vote on %(name)s needs %(num)d/%(den)d of the %(members)d members, "
        "%(present)d take part",
        name=item.nomination.nominee_name,
        num=rule.quorum_numerator,
        den=rule.quorum_denominator,
        members=counts.members,
        present=counts.participants,
    )
