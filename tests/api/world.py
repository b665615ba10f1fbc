"""The API tests' world: a district (an awarding body) with an open campaign offering a
collective award with one criterion; communes A and B under it, a hamlet in A; a client for A
with every scope, a read-only client for A and a client for B."""

from dataclasses import dataclass
from datetime import timedelta

from recognition.api.enums import Scope
from recognition.api.models import ApiClient
from recognition.api.services import create_client
from recognition.auth.enums import Role
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import AwardType, Campaign
from recognition.database import local_today
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.factories import (
    AwardingBodyFactory,
    AwardTypeFactory,
    CampaignFactory,
    CriterionFactory,
    UnitFactory,
    user_with,
)

ALL_SCOPES = [scope.value for scope in Scope]


@dataclass
class ApiWorld:
    body: Unit
    unit_a: Unit
    unit_b: Unit
    hamlet_a: Unit
    hamlet_b: Unit
    award: AwardType
    campaign: Campaign
    client_a: ApiClient
    token_a: str
    reader_a: ApiClient
    token_reader_a: str
    client_b: ApiClient
    token_b: str

    def headers(self, token: str, **more: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", **more}


def build_world() -> ApiWorld:
    body = AwardingBodyFactory()
    admin = user_with(Role.ADMIN, body)
    unit_a = UnitFactory(kind=UnitKind.COMMUNE, parent=body)
    unit_b = UnitFactory(kind=UnitKind.COMMUNE, parent=body)
    hamlet_a = UnitFactory(kind=UnitKind.HAMLET, parent=unit_a)
    hamlet_b = UnitFactory(kind=UnitKind.HAMLET, parent=unit_b)
    award = AwardTypeFactory(awarding_body=body)
    CriterionFactory(award_type=award)
    campaign = CampaignFactory(
        awarding_body=body,
        awards=[award],
        status=CampaignStatus.OPEN,
        opens_on=local_today() - timedelta(days=5),
        closes_on=local_today() + timedelta(days=30),
        actor=admin,
    )
    client_a, token_a = create_client("Cổng A", scopes=ALL_SCOPES, unit=unit_a, actor=admin)
    reader_a, token_reader_a = create_client(
        "Đọc A", scopes=[Scope.READ.value], unit=unit_a, actor=admin
    )
    client_b, token_b = create_client("Cổng B", scopes=ALL_SCOPES, unit=unit_b, actor=admin)
    db.session.flush()
    return ApiWorld(
        body=body,
        unit_a=unit_a,
        unit_b=unit_b,
        hamlet_a=hamlet_a,
        hamlet_b=hamlet_b,
        award=award,
        campaign=campaign,
        client_a=client_a,
        token_a=token_a,
        reader_a=reader_a,
        token_reader_a=token_reader_a,
        client_b=client_b,
        token_b=token_b,
    )
