"""A level's default catalogue: the codes and standards of a commune's and a province's, the
law's vote rules, the criteria of the period, no cap, and nothing created twice."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.campaigns.defaults import seed_level_catalogue
from recognition.campaigns.models import AwardType, Criterion
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.enums import AwardStandard, VoteBase
from recognition.units.enums import UnitKind
from tests.conftest import Client
from tests.support.factories import AwardingBodyFactory, user_with

pytestmark = pytest.mark.integration

A = AwardStandard
ON = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


def _summary(awards: dict[str, AwardType]) -> dict[str, tuple[object, ...]]:
    return {
        code: (
            award.standard,
            award.vote_threshold_percent,
            award.vote_base,
            award.cap_percent,
        )
        for code, award in awards.items()
    }


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_communes_catalogue(app: Flask) -> None:
    commune = AwardingBodyFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE)

    awards = seed_level_catalogue(commune, on=ON)

    majority = (Decimal("50.01"), VoteBase.PRESENT, None)
    assert _summary(awards) == {
        "GK-TT": (A.GIAY_KHEN, *majority),
        "GK-CN": (A.GIAY_KHEN, *majority),
        "LDTT": (A.LAO_DONG_TIEN_TIEN, *majority),
        "CSTDCS": (A.CSTD_CO_SO, Decimal(80), VoteBase.ALL_MEMBERS, None),
        "TTLDTT": (A.TAP_THE_LDTT, *majority),
        "GDVH": (A.GIA_DINH_VAN_HOA, *majority),
        "APVH": (A.THON_AP_VAN_HOA, *majority),
        "XA-NTM-KM": (A.OWN_TITLE, *majority),
        "XA-NTM-TM": (A.OWN_TITLE, *majority),
        "AP-NTM-TM": (A.OWN_TITLE, *majority),
        "DP-TCNSCD": (A.OWN_TITLE, *majority),
    }
    cstdcs = awards["CSTDCS"]
    assert (
        cstdcs.certificate_title,
        awards["GK-CN"].certificate_title,
        cstdcs.absentees_vote_in_writing,
        (cstdcs.quorum_numerator, cstdcs.quorum_denominator),
        [(c.code, c.group, c.required) for c in cstdcs.criteria],
        [c.code for c in awards["XA-NTM-KM"].criteria][:2],
        awards["XA-NTM-KM"].description,
    ) == (
        "CHIẾN SĨ THI ĐUA CƠ SỞ",
        "GIẤY KHEN",
        True,
        (2, 3),
        [
            ("CS1", "", True),
            ("CS2", "Đạt ít nhất một trong các tiêu chuẩn sau", False),
            ("CS3", "Đạt ít nhất một trong các tiêu chuẩn sau", False),
            ("CS4", "Đạt ít nhất một trong các tiêu chuẩn sau", False),
        ],
        ["HD1", "HD2"],
        "Tiêu chí theo QĐ 51/2025/QĐ-TTg, giai đoạn 2026 - 2030.",
    )


def test_the_model_criteria_follow_the_period(app: Flask) -> None:
    commune = AwardingBodyFactory(name="Xã Chợ Lách", kind=UnitKind.COMMUNE)

    awards = seed_level_catalogue(commune, on=date(2025, 9, 1))

    assert (
        [c.code for c in awards["XA-NTM-KM"].criteria],
        awards["XA-NTM-KM"].description,
    ) == (
        ["KM1", "KM2", "KM3", "KM4", "KM5"],
        "Tiêu chí theo QĐ 319/QĐ-TTg (2022), giai đoạn 2021 - 2025.",
    )


def test_a_provinces_catalogue(app: Flask) -> None:
    province = AwardingBodyFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE)

    awards = seed_level_catalogue(province, on=ON)

    majority = (Decimal("50.01"), VoteBase.PRESENT, None)
    assert _summary(awards) == {
        "BK-TT": (A.BANG_KHEN_TINH, *majority),
        "BK-CN": (A.BANG_KHEN_TINH, *majority),
        "CSTD-TINH": (A.CSTD_TINH, Decimal(90), VoteBase.ALL_MEMBERS, None),
        "TTLDXS": (A.TAP_THE_LDXS, *majority),
        "CO-THI-DUA": (A.CO_THI_DUA_TINH, Decimal(80), VoteBase.ALL_MEMBERS, None),
    }
    assert awards["CSTD-TINH"].certificate_title == "CHIẾN SĨ THI ĐUA CẤP TỈNH"


def test_seeding_twice_creates_only_what_is_missing(app: Flask) -> None:
    commune = AwardingBodyFactory(name="Xã Vĩnh Thành", kind=UnitKind.COMMUNE)
    first = seed_level_catalogue(commune, on=ON)
    db.session.delete(first["APVH"])
    db.session.flush()
    counts = (_count(AwardType), _count(Criterion))

    second = seed_level_catalogue(commune, on=ON)

    assert (
        {code: award.id for code, award in second.items() if code != "APVH"},
        (_count(AwardType), _count(Criterion)),
    ) == (
        {code: award.id for code, award in first.items() if code != "APVH"},
        (counts[0] + 1, counts[1] + 5),
    )


def test_a_district_has_no_default_catalogue(app: Flask) -> None:
    district = AwardingBodyFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT)

    with pytest.raises(DomainError) as refused:
        seed_level_catalogue(district, on=ON)

    assert refused.value.message == (
        "Default catalogues exist for communes, wards, townships and provinces."
    )


def test_a_day_before_the_law_of_2022_has_no_vote_rule(app: Flask) -> None:
    commune = AwardingBodyFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE)

    with pytest.raises(DomainError) as refused:
        seed_level_catalogue(commune, on=date(2023, 12, 31))

    assert (refused.value.message, _count(AwardType)) == (
        "No vote rule of the law is known on 31/12/2023.",
        0,
    )


def test_the_catalogue_button_seeds_and_audits(app: Flask, as_user) -> None:  # type: ignore[no-untyped-def]
    commune = AwardingBodyFactory(name="Xã Hưng Khánh Trung", kind=UnitKind.COMMUNE)
    client: Client = as_user(user_with(Role.SECRETARIAT, commune, locale="en"))
    page = client.get("/catalogue/").get_data(as_text=True)

    response = client.post_form(f"/catalogue/defaults/{commune.id}")
    again = client.post_form(f"/catalogue/defaults/{commune.id}", follow_redirects=True)

    created = db.session.scalars(
        select(AuditEvent.subject).where(
            AuditEvent.object_kind == ObjectKind.AWARD_TYPE, AuditEvent.action == "created"
        )
    ).all()
    # Once the catalogue holds them all, the button is no longer offered.
    assert (
        f'action="/catalogue/defaults/{commune.id}"' in page,
        response.status_code,
        len(created),
        "0 award types have been added to the catalogue." in again.get_data(as_text=True),
        f'action="/catalogue/defaults/{commune.id}"' in again.get_data(as_text=True),
    ) == (True, 302, 11, True, False)


def test_others_may_not_seed_a_bodys_catalogue(app: Flask, as_user) -> None:  # type: ignore[no-untyped-def]
    commune = AwardingBodyFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE)
    other = AwardingBodyFactory(name="Xã Chợ Lách", kind=UnitKind.COMMUNE)
    client: Client = as_user(user_with(Role.SECRETARIAT, other, locale="en"))

    assert (
        client.post_form(f"/catalogue/defaults/{commune.id}").status_code,
        _count(AwardType),
    ) == (403, 0)
