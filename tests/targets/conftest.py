"""A commune awarding body with its offices and a hamlet, its staff, and an open campaign."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.factories import AwardTypeFactory, CampaignFactory, UnitFactory, user_with


@dataclass
class Movement:
    body: Unit
    units: dict[str, Unit]
    campaign: Campaign
    secretariat: User
    farmers_nominator: User
    hamlet_nominator: User
    chair: User
    outsider: User  # a nominator of another commune


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def movement() -> Movement:
    province = UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE, is_awarding_body=True)
    body = UnitFactory(
        name="Xã Phú Phụng", kind=UnitKind.COMMUNE, parent=province, is_awarding_body=True
    )
    other = UnitFactory(name="Xã Chợ Lách", kind=UnitKind.COMMUNE, parent=province)
    units = {
        "commune": body,
        "culture": UnitFactory(
            name="Phòng Văn hóa - Xã hội xã Phú Phụng", kind=UnitKind.DEPARTMENT, parent=body
        ),
        "farmers": UnitFactory(
            name="Hội Nông dân xã Phú Phụng", kind=UnitKind.ASSOCIATION, parent=body
        ),
        "youth": UnitFactory(
            name="Đoàn Thanh niên xã Phú Phụng", kind=UnitKind.ASSOCIATION, parent=body
        ),
        "hamlet": UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=body),
    }
    campaign = CampaignFactory(
        awarding_body=body,
        name="Phong trào thi đua “Đồng khởi mới” giai đoạn 2024 - 2025",
        awards=[AwardTypeFactory(awarding_body=body)],
        status=CampaignStatus.OPEN,
        opens_on=date(2024, 1, 1),
        closes_on=date(2025, 12, 31),
        period_start=date(2024, 1, 1),
        period_end=date(2025, 12, 31),
    )
    return Movement(
        body=body,
        units=units,
        campaign=campaign,
        secretariat=user_with(Role.SECRETARIAT, body, full_name="Nguyễn Thị Thu Hà"),
        farmers_nominator=user_with(Role.NOMINATOR, units["farmers"], full_name="Trương Văn Sang"),
        hamlet_nominator=user_with(Role.NOMINATOR, units["hamlet"], full_name="Lê Văn Tâm"),
        chair=user_with(Role.CHAIR, body),
        outsider=user_with(Role.NOMINATOR, other),
    )
