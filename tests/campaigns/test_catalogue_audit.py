"""Edits of the catalogue, a campaign's window and its offers are audit events naming what
changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.criteria_csv import import_criteria_csv
from recognition.campaigns.enums import AwardKind, MeasureKind, NomineeKind, VoteMethod
from recognition.campaigns.services import (
    AwardTypeData,
    CriterionData,
    delete_criterion,
    extend_window,
    offer_award,
    save_award_type,
    save_criterion,
    withdraw_offer,
)
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.factories import CampaignFactory, UnitFactory, user_with

pytestmark = pytest.mark.integration

Row = tuple[str, int, str, str, str, int | None]


@pytest.fixture(autouse=True)
def _english(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def body() -> Unit:
    return UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, is_awarding_body=True)


@pytest.fixture
def secretariat(body: Unit) -> User:
    return user_with(Role.SECRETARIAT, body)


def events(kind: ObjectKind) -> list[Row]:
    found = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == kind).order_by(AuditEvent.id)
    )
    return [(e.object_kind, e.object_id, e.action, e.subject, e.comment, e.actor_id) for e in found]


def data(**changes: object) -> AwardTypeData:
    values: dict[str, object] = {
        "code": "LDTT",
        "name": "Lao động tiên tiến",
        "certificate_title": "LAO ĐỘNG TIÊN TIẾN",
        "kind": AwardKind.TITLE,
        "nominee_kind": NomineeKind.INDIVIDUAL,
    }
    values.update(changes)
    return AwardTypeData(**values)  # type: ignore[arg-type]


def test_an_award_type_created_then_changed(body: Unit, secretariat: User) -> None:
    award = save_award_type(None, data(), awarding_body=body, actor=secretariat)
    changed = {"vote_threshold_percent": Decimal("80.5"), "vote_method": VoteMethod.SHOW_OF_HANDS}
    save_award_type(
        award, data(name="Lao động xuất sắc", **changed), awarding_body=body, actor=secretariat
    )
    save_award_type(
        award, data(name="Lao động xuất sắc", **changed), awarding_body=body, actor=secretariat
    )  # nothing changed: no event

    subject = "LDTT · Lao động tiên tiến"
    assert events(ObjectKind.AWARD_TYPE) == [
        ("award_type", award.id, "created", subject, "", secretariat.id),
        (
            "award_type",
            award.id,
            "changed",
            "LDTT · Lao động xuất sắc",
            # What changed, from what, in the default language whoever acts.
            "Tên: Lao động tiên tiến → Lao động xuất sắc; "
            "Hình thức biểu quyết: Bỏ phiếu kín → Biểu quyết giơ tay; "
            "Tỷ lệ thông qua (%): 70 → 80,5",
            secretariat.id,
        ),
    ]


def test_criteria_saved_changed_and_removed(body: Unit, secretariat: User) -> None:
    award = save_award_type(None, data(), awarding_body=body, actor=secretariat)
    criterion = save_criterion(
        award, None, CriterionData(code="TC1", text="Hoàn thành tốt"), actor=secretariat
    )
    save_criterion(
        award,
        criterion,
        CriterionData(code="TC1", text="Hoàn thành xuất sắc", measure=MeasureKind.TEXT),
        actor=secretariat,
    )
    criterion_id = criterion.id
    delete_criterion(criterion, actor=secretariat)

    assert events(ObjectKind.CRITERION) == [
        ("criterion", criterion_id, "created", "LDTT · TC1", "", secretariat.id),
        ("criterion", criterion_id, "changed", "LDTT · TC1", "text, measure", secretariat.id),
        ("criterion", criterion_id, "removed", "LDTT · TC1", "", secretariat.id),
    ]


def test_a_csv_import_is_one_event_naming_the_criteria_it_changed(
    body: Unit, secretariat: User
) -> None:
    award = save_award_type(None, data(), awarding_body=body, actor=secretariat)
    save_criterion(award, None, CriterionData(code="TC1", text="Giữ nguyên"), actor=secretariat)

    count = import_criteria_csv(
        award, "code,text\nTC1,Giữ nguyên\nTC2,Mới\n".encode(), actor=secretariat
    )

    assert count == 2
    assert events(ObjectKind.AWARD_TYPE)[-1] == (
        "award_type",
        award.id,
        "imported",
        "LDTT · Lao động tiên tiến",
        "TC2",
        secretariat.id,
    )
    assert [row[2:5] for row in events(ObjectKind.CRITERION)] == [("created", "LDTT · TC1", "")]


def test_an_extension_is_an_event_of_the_campaign(body: Unit, secretariat: User) -> None:
    campaign = CampaignFactory(awarding_body=body, closes_on=date(2025, 6, 30), name="Đợt 1")

    extend_window(campaign, closes_on=date(2025, 7, 15), actor=secretariat)

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == ObjectKind.CAMPAIGN)
    ).one()
    assert (event.action, event.subject, event.from_state, event.to_state, event.comment) == (
        "extend",
        "Đợt 1",
        "draft",
        "draft",
        "30/06/2025 → 15/07/2025",
    )


def test_an_offer_its_quota_and_its_removal_are_events_of_the_campaign(
    body: Unit, secretariat: User
) -> None:
    award = save_award_type(None, data(), awarding_body=body, actor=secretariat)
    campaign = CampaignFactory(awarding_body=body, name="Đợt 1")

    offer_award(campaign, award, quota=2, actor=secretariat)
    offer_award(campaign, award, quota=1210, actor=secretariat)
    offer_award(campaign, award, quota=1210, actor=secretariat)  # nothing changed: no event
    offer_award(campaign, award, quota=None, actor=secretariat)
    withdraw_offer(campaign.offers[0], actor=secretariat)

    # The award type and its quota, in the default language whoever acts ("—": no quota).
    offer = "LDTT · Lao động tiên tiến; Số lượng tối đa mỗi đơn vị đề nghị"
    assert events(ObjectKind.CAMPAIGN) == [
        ("campaign", campaign.id, "offer", "Đợt 1", f"{offer}: 2", secretariat.id),
        ("campaign", campaign.id, "change_quota", "Đợt 1", f"{offer}: 2 → 1.210", secretariat.id),
        ("campaign", campaign.id, "change_quota", "Đợt 1", f"{offer}: 1.210 → —", secretariat.id),
        ("campaign", campaign.id, "withdraw_offer", "Đợt 1", f"{offer}: —", secretariat.id),
    ]
    assert campaign.offers == []
