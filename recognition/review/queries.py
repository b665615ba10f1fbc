"""The secretariat's inbox: dossiers waiting for appraisal, oldest first, with deadlines."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination, NominationSnapshot
from recognition.review.deadlines import add_working_days, parse_holidays, processing_days_of

INBOX_STATES = (NominationState.SUBMITTED, NominationState.IN_REVIEW)


@dataclass(frozen=True)
class InboxRow:
    nomination: Nomination
    round: int
    deadline: date
    overdue: bool


def inbox_for(user: User, *, today: date) -> list[InboxRow]:
    """Submitted and in-appraisal dossiers of the bodies whose secretariat `user` is."""
    bodies = [u.id for u in user.units_with(Role.SECRETARIAT)]
    if not bodies:
        return []
    rounds = (
        select(NominationSnapshot.nomination_id, func.max(NominationSnapshot.round).label("r"))
        .group_by(NominationSnapshot.nomination_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Nomination, rounds.c.r)
        .join(Campaign, Campaign.id == Nomination.campaign_id)
        .outerjoin(rounds, rounds.c.nomination_id == Nomination.id)
        .where(Campaign.awarding_body_id.in_(bodies), Nomination.state.in_(INBOX_STATES))
        .options(
            joinedload(Nomination.award_type),
            joinedload(Nomination.nominating_unit),
            joinedload(Nomination.campaign).joinedload(Campaign.awarding_body),
            joinedload(Nomination.held_by),
        )
        .order_by(Nomination.submitted_at, Nomination.id)
    ).all()
    holidays = parse_holidays(current_app.config["HOLIDAYS"])
    days_for = processing_days_of(current_app.config["REVIEW_WORKING_DAYS"])
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    result = []
    for nomination, round_number in rows:
        # The day of receipt is the local day (a dossier sent at 06:30 in Việt Nam is 23:30 UTC
        # the day before).
        received = (
            nomination.submitted_at.astimezone(zone).date() if nomination.submitted_at else today
        )
        days = days_for(nomination.campaign.awarding_body, received)
        deadline = add_working_days(received, days, holidays)
        result.append(InboxRow(nomination, round_number or 1, deadline, today > deadline))
    return result
