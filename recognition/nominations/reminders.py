"""Reminders to nominators: a campaign's submission window closes within two days and their
unit still has a draft in it."""

from datetime import date, timedelta

from flask_babel import force_locale, ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.common.links import app_path
from recognition.extensions import db
from recognition.nominations.effects import nominators_of
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.notifications.enums import NotificationKind
from recognition.notifications.reminders import Due

DAYS_AHEAD = 2


def windows_closing(today: date) -> list[Due]:
    """Once per campaign and nominator, when the window closes within two days (its last day
    included) and a dossier the nominator answers for is still a draft."""
    drafts = db.session.scalars(
        select(Nomination)
        .join(Campaign, Campaign.id == Nomination.campaign_id)
        .where(
            Campaign.status == CampaignStatus.OPEN,
            Campaign.opens_on <= today,
            Campaign.closes_on >= today,
            Campaign.closes_on <= today + timedelta(days=DAYS_AHEAD),
            Nomination.state == NominationState.DRAFT,
        )
        .options(joinedload(Nomination.campaign), joinedload(Nomination.nominating_unit))
        .order_by(Campaign.id, Nomination.id)
    )
    waiting: dict[tuple[int, int], tuple[Campaign, User, int]] = {}
    for nomination in drafts:
        for user in nominators_of(nomination):
            key = (nomination.campaign_id, user.id)
            _campaign, _user, count = waiting.get(key, (nomination.campaign, user, 0))
            waiting[key] = (nomination.campaign, user, count + 1)
    found = []
    for campaign, user, count in waiting.values():
        link = app_path("nominations.index", campaign=campaign.id, state=NominationState.DRAFT)
        with force_locale(user.locale or "vi"):
            text = ngettext(
                "The submission window of %(campaign)s closes on %(day)s: %(num)d draft "
                "dossier has not been submitted yet.",
                "The submission window of %(campaign)s closes on %(day)s: %(num)d draft "
                "dossiers have not been submitted yet.",
                count,
                campaign=campaign.name,
                day=campaign.closes_on.strftime("%d/%m/%Y"),
            )
        found.append(
            Due(NotificationKind.WINDOW_CLOSING, campaign.id, user, campaign.closes_on, text, link)
        )
    return found
