"""A province with three communes in one cluster of 2026, its scoring table and an open
campaign offering a flag and a diploma, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import AwardKind, CampaignStatus
from recognition.campaigns.models import AwardType, Campaign
from recognition.clusters.models import Cluster, ScoringCriterion
from recognition.clusters.services import CriterionData, save_criterion
from recognition.database import local_today
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    UnitFactory,
    cluster_of,
    user_with,
)


@dataclass
class World:
    province: Unit
    communes: list[Unit]
    secretariat: User
    officers: list[User]  # the nominator of each commune
    province_nominator: User
    cluster: Cluster
    lines: dict[str, ScoringCriterion]
    campaign: Campaign
    flag: AwardType
    diploma: AwardType


def line(
    cluster: Cluster, actor: User, code: str, points: str, **kwargs: object
) -> ScoringCriterion:
    data = CriterionData(code=code, text=f"Tiêu chí {code}", max_points=Decimal(points), **kwargs)  # type: ignore[arg-type]
    return save_criterion(cluster, None, data, actor=actor)


def build() -> World:
    province = UnitFactory(name="Tỉnh Thử Cụm", kind=UnitKind.PROVINCE, is_awarding_body=True)
    communes = [
        UnitFactory(name=name, parent=province)
        for name in ("Xã Phú Phụng", "Xã Chợ Lách", "Xã Vĩnh Thành")
    ]
    secretariat = user_with(Role.SECRETARIAT, province)
    officers = [user_with(Role.NOMINATOR, commune) for commune in communes]
    province_nominator = user_with(Role.NOMINATOR, province)
    cluster = cluster_of(province, communes, actor=secretariat, year=local_today().year)
    tc1 = line(cluster, secretariat, "TC1", "0")
    lines = {
        "TC1": tc1,
        "1.1": line(cluster, secretariat, "1.1", "10", parent=tc1),
        "1.2": line(cluster, secretariat, "1.2", "5.5", parent=tc1),
        "TC2": line(cluster, secretariat, "TC2", "20"),
        "TR": line(cluster, secretariat, "TR", "5", is_deduction=True),
    }
    flag = AwardTypeFactory(awarding_body=province, code="CO-THI-DUA", kind=AwardKind.TITLE)
    diploma = AwardTypeFactory(awarding_body=province, code="BK-TT")
    today = local_today()
    campaign = CampaignFactory(
        awarding_body=province,
        awards=[flag, diploma],
        status=CampaignStatus.OPEN,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=30),
    )
    return World(
        province,
        communes,
        secretariat,
        officers,
        province_nominator,
        cluster,
        lines,
        campaign,
        flag,
        diploma,
    )
