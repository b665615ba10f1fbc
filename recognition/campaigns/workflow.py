"""A campaign's life: one transition table and the one function that changes its status.

A campaign is drafted, opened for dossiers, closed, possibly reopened (an extension after the
closing day), and archived once its dossiers are decided. Only `apply_campaign_action` assigns
`Campaign.status`; each move is an audit event of the campaign.
"""

from datetime import date

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction, CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.campaigns.permissions import can_manage_campaign
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.lifecycle import Lifecycle, Transition

S = CampaignStatus
A = CampaignAction


def has_offers(campaign: Campaign, today: date) -> str | None:
    """A campaign opens only with at least one award type on offer."""
    if not campaign.offers:
        return _("Add at least one award type before opening the campaign.")
    return None


_TABLE: list[Transition[CampaignStatus, CampaignAction]] = [
    Transition(A.OPEN, frozenset({S.DRAFT}), S.OPEN, can_manage_campaign, has_offers),
    Transition(A.CLOSE, frozenset({S.OPEN}), S.CLOSED, can_manage_campaign),
    Transition(A.REOPEN, frozenset({S.CLOSED}), S.OPEN, can_manage_campaign, has_offers),
    Transition(A.ARCHIVE, frozenset({S.CLOSED}), S.ARCHIVED, can_manage_campaign),
]

# The actions a campaign's page offers, in the order of its buttons.
PAGE_ACTIONS = (A.OPEN, A.CLOSE, A.REOPEN, A.ARCHIVE)


def describe(campaign: Campaign) -> str:
    """How the audit log names a campaign: its name."""
    return campaign.name


LIFECYCLE: Lifecycle[CampaignStatus, CampaignAction] = Lifecycle(
    kind=ObjectKind.CAMPAIGN,
    states=CampaignStatus,
    actions=CampaignAction,
    transitions=_TABLE,
    describe=describe,
    state_attribute="status",
    not_possible=lambda action, state: _(
        "“%(action)s” is not possible while the campaign is “%(state)s”.",
        action=action.label,
        state=state.label,
    ),
    not_allowed=lambda action: _(
        "You may not do “%(action)s” on this campaign.", action=action.label
    ),
)

TRANSITIONS = LIFECYCLE.table


def available_actions(user: User, campaign: Campaign) -> list[CampaignAction]:
    """The actions this user may take on this campaign now (status and role)."""
    return LIFECYCLE.available(user, campaign, PAGE_ACTIONS)


def action_towards(campaign: Campaign, status: CampaignStatus) -> CampaignAction | None:
    """The action that moves `campaign` from its status to `status`, if there is one."""
    return next(
        (t.action for t in _TABLE if t.target == status and campaign.status in t.sources),
        None,
    )


def apply_campaign_action(
    campaign: Campaign, action: CampaignAction, *, actor: User, comment: str = ""
) -> AuditEvent:
    """Move `campaign` by `action`; the only code that assigns a campaign's status.

    Raises InvalidTransition (wrong status), NotAllowed (not its body's secretariat or an
    administrator) and DomainError (nothing on offer). Flushes; never commits.
    """
    return LIFECYCLE.apply(campaign, action, actor=actor, comment=comment)
