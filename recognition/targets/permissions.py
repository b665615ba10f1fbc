"""Who may read a movement's targets, keep them, report values and confirm them: pure
predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.campaigns.permissions import (
    can_manage_campaign,
    can_manage_campaigns,
    can_view_campaign,
)
from recognition.targets.enums import ValueState
from recognition.targets.models import Target, TargetValue
from recognition.units.queries import represents


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_view_targets(user: Any, campaign: Campaign) -> bool:
    """Whoever sees the campaign sees its targets and their progress."""
    return can_view_campaign(user, campaign)


def can_manage_targets(user: Any, campaign: Campaign) -> bool:
    """Add and change a campaign's targets: its body's secretariat, and administrators."""
    return can_manage_campaign(user, campaign)


def can_edit_bands(user: Any, body: Any) -> bool:
    """Change an awarding body's classes of progress: its secretariat, and administrators."""
    return bool(getattr(body, "is_awarding_body", False)) and can_manage_campaigns(user, body)


def can_view_target(user: Any, target: Target) -> bool:
    return can_view_targets(user, target.campaign)


def can_report_value(user: Any, target: Target) -> bool:
    """Report a value: the nominators of the responsible unit (or of a unit above it, below the
    body, with no other body in between), and the body's secretariat and administrators; not
    once the campaign is archived."""
    if not _active(user) or target.campaign.status == CampaignStatus.ARCHIVED:
        return False
    if can_manage_targets(user, target.campaign):
        return True
    body = target.campaign.awarding_body
    responsible = target.responsible_unit
    return any(
        represents(unit, responsible) and unit.is_within(body)
        for unit in user.units_with(Role.NOMINATOR)
    )


def can_withdraw_value(user: Any, value: TargetValue) -> bool:
    """Take back a value still waiting for the secretariat (a figure typed wrong): whoever may
    report the target's values."""
    return value.state == ValueState.REPORTED and can_report_value(user, value.target)


def can_decide_value(user: Any, value: TargetValue) -> bool:
    """Confirm or reject a reported value: the body's secretariat, and administrators."""
    return can_manage_targets(user, value.target.campaign)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_targets=can_view_targets,
        can_manage_targets=can_manage_targets,
        can_report_value=can_report_value,
        can_decide_value=can_decide_value,
        can_withdraw_value=can_withdraw_value,
        can_edit_bands=can_edit_bands,
    )
