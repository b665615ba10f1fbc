"""The secretariat's inbox: dossiers waiting for appraisal, oldest first, with deadlines."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import joinedload

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.common.pagination import paginate
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination, NominationSnapshot
from recognition.review.deadlines import add_working_days, parse_holidays, processing_days_of
from recognition.units.models import Unit

INBOX_STATES = (NominationState.SUBMITTED, NominationState.IN_REVIEW)


@dataclass(frozen=True)
class InboxRow:
    nomination: Nomination
    round: int
    deadline: date
    overdue: bool


def inbox_query(user: User) -> Select[int] | None:
    """The ids of the submitted and in-appraisal dossiers of the bodies whose secretariat
    `user` is, oldest first (the order of their deadlines); None when `user` keeps no body.
    Only ids: the planner then walks the inbox's partial index in order and stops at the page's
    end, which it does not do once the page's joins are in the same statement."""
    bodies = [u.id for u in user.units_with(Role.SECRETARIAT)]
    if not bodies:
        return None
    return (
        select(Nomination.id)
        .join(Campaign, Campaign.id == Nomination.campaign_id)
        .where(Campaign.awarding_body_id.in_(bodies), Nomination.state.in_(INBOX_STATES))
        .order_by(Nomination.submitted_at, Nomination.id)
    )


def dossiers_in_order(ids: list[int]) -> list[Nomination]:
    """These dossiers, in this order, with what the inbox shows (one query)."""
    if not ids:
        return []
    found = {
        n.id: n
        for n in db.session.scalars(
            select(Nomination)
            .where(Nomination.id.in_(ids))
            .options(
                joinedload(Nomination.award_type),
                joinedload(Nomination.nominating_unit),
                joinedload(Nomination.campaign).joinedload(Campaign.awarding_body),
                joinedload(Nomination.held_by),
            )
        ).unique()
    }
    return [found[i] for i in ids if i in found]


def _deadlines() -> tuple[frozenset[date], Callable[[Unit, date], int], ZoneInfo]:
    return (
        parse_holidays(current_app.config["HOLIDAYS"]),
        processing_days_of(current_app.config["REVIEW_WORKING_DAYS"]),
        ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")),
    )


def inbox_rows(nominations: list[Nomination], *, today: date) -> list[InboxRow]:
    """The rows of these dossiers: their round (one query) and deadline."""
    if not nominations:
        return []
    rounds = dict(
        db.session.execute(
            select(NominationSnapshot.nomination_id, func.max(NominationSnapshot.round))
            .where(NominationSnapshot.nomination_id.in_([n.id for n in nominations]))
            .group_by(NominationSnapshot.nomination_id)
        ).all()
    )
    deadline_of = appraisal_deadlines()
    result = []
    for nomination in nominations:
        deadline = deadline_of(nomination, today)
        result.append(
            InboxRow(nomination, rounds.get(nomination.id) or 1, deadline, today > deadline)
        )
    return result


def appraisal_deadlines() -> Callable[[Nomination, date], date]:
    """The day by which a submitted dossier is to be appraised (its campaign's body, the law
    on its day of receipt, the configured holidays); `today` stands for the day of receipt of
    a dossier not yet received. Reads the settings and the law once."""
    holidays, days_for, zone = _deadlines()

    def deadline_of(nomination: Nomination, today: date) -> date:
        # The day of receipt is the local day (a dossier sent at 06:30 in Việt Nam is 23:30
        # UTC the day before).
        received = (
            nomination.submitted_at.astimezone(zone).date() if nomination.submitted_at else today
        )
        days = days_for(nomination.campaign.awarding_body, received)
        return add_working_days(received, days, holidays)

    return deadline_of


def inbox_for(user: User, *, today: date, limit: int | None = None) -> list[InboxRow]:
    """The inbox of `user`, oldest first; its first `limit` rows when given."""
    query = inbox_query(user)
    if query is None:
        return []
    if limit is not None:
        query = query.limit(limit)
    return inbox_rows(dossiers_in_order(list(db.session.scalars(query))), today=today)


def inbox_page(
    user: User, *, today: date, per_page: int
) -> tuple[Pagination | None, list[InboxRow]]:
    """The page of the inbox that ?page= asks for, with its rows."""
    query = inbox_query(user)
    if query is None:
        return None, []
    page = paginate(query, per_page=per_page)
    return page, inbox_rows(dossiers_in_order(list(page.items)), today=today)


def _last_day_overdue(
    body: Unit, today: date, holidays: frozenset[date], days_for: Callable[[Unit, date], int]
) -> date | None:
    """The latest day of receipt whose deadline is before `today` for `body` (deadlines grow
    with the day of receipt), or None when the law gives no such day within a year."""
    day = today - timedelta(days=1)
    for _ in range(366):
        if add_working_days(day, days_for(body, day), holidays) < today:
            return day
        day -= timedelta(days=1)
    return None


@dataclass(frozen=True)
class InboxSummary:
    submitted: int
    in_review: int
    overdue: int

    @property
    def total(self) -> int:
        return self.submitted + self.in_review


def inbox_summary(user: User, *, today: date) -> InboxSummary:
    """How many dossiers the inbox of `user` holds, by state, and how many are overdue (one
    count per body kept, read from the inbox's index whatever the inbox's size)."""
    holidays, days_for, zone = _deadlines()  # the law is read once, for every body
    counts = {NominationState.SUBMITTED.value: 0, NominationState.IN_REVIEW.value: 0}
    overdue = 0
    for body in user.units_with(Role.SECRETARIAT):
        cutoff = _last_day_overdue(body, today, holidays, days_for)
        late = (
            func.count().filter(
                Nomination.submitted_at
                < datetime.combine(cutoff + timedelta(days=1), time(), tzinfo=zone)
            )
            if cutoff is not None
            else literal(0)
        )
        rows = db.session.execute(
            select(Nomination.state, func.count(), late)
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(Campaign.awarding_body_id == body.id, Nomination.state.in_(INBOX_STATES))
            .group_by(Nomination.state)
        )
        for state, count, late_count in rows:
            counts[str(state)] += count
            overdue += late_count
    return InboxSummary(
        counts[NominationState.SUBMITTED.value], counts[NominationState.IN_REVIEW.value], overdue
    )
