"""What the decision pages list: the user's awarding bodies, their decisions, and the passed
dossiers waiting for one."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.campaigns.models import Campaign
from recognition.decisions.enums import HOLDING_STATES
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.units.models import Unit


def bodies_for_user(user: Any) -> list[Unit]:
    """The awarding bodies the user is secretariat or chair of."""
    found = {u.id: u for role in (Role.SECRETARIAT, Role.CHAIR) for u in user.units_with(role)}
    return list(found.values())


def decisions_for_user(user: Any, bodies: list[Unit]) -> list[Decision]:
    """The decisions of the user's bodies (every decision for an administrator), newest first."""
    query = select(Decision).order_by(Decision.created_at.desc(), Decision.id.desc())
    if not user.is_admin:
        query = query.where(Decision.awarding_body_id.in_([b.id for b in bodies]))
    return list(db.session.scalars(query.options(selectinload(Decision.lines))))


def passed_nominations_for_body(body: Unit) -> list[Nomination]:
    """Dossiers of the body that the council passed and that no live decision holds yet."""
    in_decision = (
        select(DecisionLine.nomination_id).join(Decision).where(Decision.state.in_(HOLDING_STATES))
    )
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(
                Campaign.awarding_body_id == body.id,
                Nomination.state == NominationState.PASSED,
                Nomination.id.not_in(in_decision),
            )
            .options(selectinload(Nomination.award_type), selectinload(Nomination.held_by))
            .order_by(Nomination.award_type_id, Nomination.nominee_sort)
        )
    )
