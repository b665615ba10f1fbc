"""A campaign's life: every status × action × role, through the one entry point."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction, CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.campaigns.workflow import (
    TRANSITIONS,
    action_towards,
    apply_campaign_action,
    available_actions,
)
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.factories import AwardTypeFactory, CampaignFactory, UnitFactory, user_with

pytestmark = pytest.mark.integration

S = CampaignStatus
A = CampaignAction

# Where each action leads from each status (absent: not possible there).
MOVES: dict[tuple[CampaignStatus, CampaignAction], CampaignStatus] = {
    (S.DRAFT, A.OPEN): S.OPEN,
    (S.OPEN, A.CLOSE): S.CLOSED,
    (S.CLOSED, A.REOPEN): S.OPEN,
    (S.CLOSED, A.ARCHIVE): S.ARCHIVED,
}
ACTIONS = [A.OPEN, A.CLOSE, A.REOPEN, A.ARCHIVE]
# Who may move a campaign: its body's secretariat and administrators.
ROLES: dict[str, bool] = {
    "secretariat": True,
    "admin": True,
    "chair": False,
    "council_member": False,
    "nominator": False,
    "other_secretariat": False,
}


@pytest.fixture(autouse=True)
def _english(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def body() -> Unit:
    return UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, is_awarding_body=True)


def _people(body: Unit) -> dict[str, Callable[[], User]]:
    other = UnitFactory(name="Huyện Mỏ Cày", kind=UnitKind.DISTRICT, is_awarding_body=True)
    commune = UnitFactory(name="Xã Sơn Định", parent=body)
    return {
        "secretariat": lambda: user_with(Role.SECRETARIAT, body),
        "admin": lambda: user_with(Role.ADMIN, body),
        "chair": lambda: user_with(Role.CHAIR, body),
        "council_member": lambda: user_with(Role.COUNCIL_MEMBER, body),
        "nominator": lambda: user_with(Role.NOMINATOR, commune),
        "other_secretariat": lambda: user_with(Role.SECRETARIAT, other),
    }


def _campaign(body: Unit, status: CampaignStatus) -> Campaign:
    award = AwardTypeFactory(awarding_body=body)
    return CampaignFactory(awarding_body=body, awards=[award], status=status, name="Đợt 2025")


def _events(campaign: Campaign) -> list[tuple[str, str, str, int | None]]:
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.CAMPAIGN, AuditEvent.object_id == campaign.id)
        .order_by(AuditEvent.id)
    )
    return [(e.action, e.from_state, e.to_state, e.actor_id) for e in events]


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", list(S))
def test_every_status_action_and_role(
    body: Unit, status: CampaignStatus, action: CampaignAction, role: str
) -> None:
    campaign = _campaign(body, status)
    actor = _people(body)[role]()
    before = _events(campaign)
    target = MOVES.get((status, action))

    if target is None:
        with pytest.raises(InvalidTransition) as refused:
            apply_campaign_action(campaign, action, actor=actor)
        assert (refused.value.status_code, refused.value.message) == (
            409,
            f"“{action.label}” is not possible while the campaign is “{status.label}”.",
        )
        assert (campaign.status, _events(campaign)) == (status, before)
    elif not ROLES[role]:
        with pytest.raises(NotAllowed) as refused:
            apply_campaign_action(campaign, action, actor=actor)
        assert (refused.value.status_code, refused.value.message) == (
            403,
            f"You may not do “{action.label}” on this campaign.",
        )
        assert (campaign.status, _events(campaign)) == (status, before)
    else:
        apply_campaign_action(campaign, action, actor=actor)
        db.session.expire_all()
        assert db.session.get(Campaign, campaign.id).status == target
        assert _events(campaign) == [*before, (action.value, status.value, target.value, actor.id)]


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("role", list(ROLES))
def test_the_page_offers_exactly_the_possible_and_permitted_actions(
    body: Unit, status: CampaignStatus, role: str
) -> None:
    campaign = _campaign(body, status)
    actor = _people(body)[role]()

    expected = [a for a in ACTIONS if (status, a) in MOVES and ROLES[role]]
    assert available_actions(actor, campaign) == expected


@pytest.mark.parametrize("action", [A.OPEN, A.REOPEN])
def test_a_campaign_opens_only_with_something_on_offer(body: Unit, action: CampaignAction) -> None:
    secretariat = user_with(Role.SECRETARIAT, body)
    source = next(iter(TRANSITIONS[action].sources))
    campaign = _campaign(body, source)
    campaign.offers.clear()
    db.session.flush()
    before = _events(campaign)

    with pytest.raises(DomainError) as refused:
        apply_campaign_action(campaign, action, actor=secretariat)

    assert refused.value.message == "Add at least one award type before opening the campaign."
    assert (campaign.status, _events(campaign)) == (source, before)


def test_each_target_status_has_one_action_from_each_status(body: Unit) -> None:
    campaign = _campaign(body, S.CLOSED)

    assert [action_towards(campaign, status) for status in S] == [
        None,
        A.REOPEN,
        None,
        A.ARCHIVE,
    ]


def test_the_status_column_holds_the_enum(body: Unit) -> None:
    campaign = _campaign(body, S.OPEN)
    db.session.expire_all()

    stored = db.session.get(Campaign, campaign.id)
    assert (type(stored.status), stored.status) == (CampaignStatus, S.OPEN)
