"""Who may keep the catalogue and campaigns, see a campaign and nominate in it: pure
predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import AwardType, Campaign
from recognition.units.queries import proposal_bodies

# The states in which a campaign shows to the nominators below its awarding body.
PUBLISHED_STATES = frozenset({CampaignStatus.OPEN, CampaignStatus.CLOSED})


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_manage_campaigns(user: Any, awarding_body: Any) -> bool:
    """The awarding body's secretariat, and administrators."""
    return _active(user) and (user.is_admin or user.holds(Role.SECRETARIAT, awarding_body))


def can_edit_award_type(user: Any, award_type: AwardType) -> bool:
    """Change an award type and its criteria: as its body's catalogue."""
    return can_manage_campaigns(user, award_type.awarding_body)


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    """Open, close, reopen, archive, extend or edit `campaign`: as its body's catalogue."""
    return can_manage_campaigns(user, campaign.awarding_body)


def can_view_campaign(user: Any, campaign: Campaign) -> bool:
    """Its body's secretariat, chair and council members (any state), administrators, and the
    nominators of units below the body once it is open (see queries.campaigns_for_user)."""
    if not _active(user):
        return False
    body = campaign.awarding_body
    if can_manage_campaigns(user, body) and body.is_active and body.is_awarding_body:
        return True
    if user.holds(Role.CHAIR, body) or user.holds(Role.COUNCIL_MEMBER, body):
        return True
    return campaign.status in PUBLISHED_STATES and can_nominate_in(user, campaign)


def can_nominate_in(user: Any, campaign: Campaign) -> bool:
    """A nominator of a unit whose dossiers go to the campaign's awarding body: the body
    itself, or a unit below it with no other awarding body in between (units.queries)."""
    if not _active(user):
        return False
    body = campaign.awarding_body_id
    return any(body in found for found in proposal_bodies(user.units_with(Role.NOMINATOR)).values())


def can_edit_catalogue(user: Any) -> bool:
    """Administrators and the secretariat of some awarding body keep award catalogues."""
    return _active(user) and (user.is_admin or bool(user.units_with(Role.SECRETARIAT)))


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_edit_catalogue=can_edit_catalogue,
        can_manage_campaigns=can_manage_campaigns,
        can_manage_campaign=can_manage_campaign,
        can_edit_award_type=can_edit_award_type,
        can_view_campaign=can_view_campaign,
        can_nominate_in=can_nominate_in,
        CampaignStatus=CampaignStatus,
    )
