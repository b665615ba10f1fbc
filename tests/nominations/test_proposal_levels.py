"""Each level proposes to the level right above it: a commune's dossiers go to its district,
the district's to the province; the commune reaches the province only through the district
(Luật Thi đua, khen thưởng 2022, art. 84)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.auth.enums import Role
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.permissions import can_nominate_in
from recognition.campaigns.queries import campaigns_for_user, open_campaigns_for_nominator
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import is_nominator_of
from recognition.nominations.queries import Filters, nomination_ids_for_user
from recognition.nominations.services import Nominee, create_nomination
from recognition.units.enums import UnitKind
from recognition.units.queries import (
    bodies_proposed_to,
    nearest_body_above,
    represented_units,
    represents,
)
from tests.support.factories import AwardTypeFactory, CampaignFactory, UnitFactory, user_with
from tests.workflow.helpers import Scene, build_scene, open_around_today

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def province_campaign(scene: Scene):  # type: ignore[no-untyped-def]
    award = AwardTypeFactory(awarding_body=scene.province, name="Bằng khen của Chủ tịch UBND tỉnh")
    return award, CampaignFactory(
        awarding_body=scene.province,
        awards=[award],
        status=CampaignStatus.OPEN,
        **open_around_today(),
    )


def test_a_unit_proposes_to_the_nearest_body_above_it_and_a_body_also_to_itself() -> None:
    scene = build_scene()

    assert bodies_proposed_to(scene.hamlet_a) == {
        scene.hamlet_a.id,
        scene.commune_a.id,
        scene.body.id,
    }
    assert bodies_proposed_to(scene.commune_a) == {scene.commune_a.id, scene.body.id}
    assert bodies_proposed_to(scene.body) == {scene.body.id, scene.province.id}
    assert bodies_proposed_to(scene.province) == {scene.province.id}
    assert (nearest_body_above(scene.hamlet_a), nearest_body_above(scene.body)) == (
        scene.body,
        scene.province,
    )


def test_the_province_s_campaign_is_open_to_the_district_not_to_its_communes() -> None:
    scene = build_scene()
    award, campaign = province_campaign(scene)
    district = user_with(Role.NOMINATOR, scene.body, full_name="Mai Văn Huyện")
    commune = scene.nominator  # Xã Sơn Định, below the district

    assert (can_nominate_in(district, campaign), can_nominate_in(commune, campaign)) == (
        True,
        False,
    )
    assert campaign in campaigns_for_user(district)
    assert campaign in open_campaigns_for_nominator(district)
    assert campaign not in campaigns_for_user(commune)
    assert campaign not in open_campaigns_for_nominator(commune)
    # The district's own campaign stays open to the commune.
    assert can_nominate_in(commune, scene.campaign)

    made = create_nomination(campaign, award, Nominee(unit=scene.commune_a), actor=district)
    assert made.nominating_unit == scene.body
    with pytest.raises(DomainError) as refused:
        create_nomination(campaign, award, Nominee(unit=scene.hamlet_a), actor=commune)
    assert str(refused.value) == (
        "The dossiers of Xã Sơn Định go to Huyện Chợ Lách: a proposal to Tỉnh Bến Tre is made "
        "by Huyện Chợ Lách."
    )


def test_the_refusal_says_through_which_body_the_unit_proposes(as_user) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    _award, campaign = province_campaign(scene)
    db.session.commit()
    client = as_user(scene.nominator)

    pages = [client.get(f"/nominations/new/{campaign.id}"), client.get(f"/campaigns/{campaign.id}")]

    said = (
        "The dossiers of Xã Sơn Định go to Huyện Chợ Lách: a proposal to Tỉnh Bến Tre is made "
        "by Huyện Chợ Lách."
    )
    assert [page.status_code for page in pages] == [403, 403]
    assert all(said in html.unescape(page.get_data(as_text=True)) for page in pages)


def test_a_body_s_own_nominator_does_not_nominate_over_a_body_below_it() -> None:
    scene = build_scene()
    award, campaign = province_campaign(scene)
    office = user_with(Role.NOMINATOR, scene.province, full_name="Nguyễn Văn Hải")

    district = create_nomination(campaign, award, Nominee(unit=scene.body), actor=office)
    with pytest.raises(DomainError) as refused:
        create_nomination(campaign, award, Nominee(unit=scene.hamlet_a), actor=office)

    assert district.nominating_unit == scene.province
    assert str(refused.value) == (
        "Ấp Phú Hữu lies within Huyện Chợ Lách: a proposal to Tỉnh Bến Tre for it is made by "
        "Huyện Chợ Lách."
    )


def test_a_nominator_acts_for_the_units_below_it_down_to_the_next_body() -> None:
    scene = build_scene()
    office = UnitFactory(
        name="Văn phòng UBND tỉnh", kind=UnitKind.DEPARTMENT, parent=scene.province
    )
    db.session.flush()
    units = {
        "province": scene.province,
        "office": office,
        "district": scene.body,
        "commune": scene.commune_a,
        "hamlet": scene.hamlet_a,
    }

    def reached(grant: str) -> list[str]:
        represented = set(db.session.scalars(represented_units([units[grant]])))
        by_rule = [name for name, unit in units.items() if represents(units[grant], unit)]
        assert by_rule == [name for name, unit in units.items() if unit.id in represented]
        return by_rule

    assert {grant: reached(grant) for grant in units} == {
        # The district is a body of its own: its area, and its own proposals, are its own.
        "province": ["province", "office"],
        "office": ["office"],
        "district": ["district", "commune", "hamlet"],
        "commune": ["commune", "hamlet"],
        "hamlet": ["hamlet"],
    }
    # As nominees, the district is proposed as a whole by the province: not its units.
    nominees = set(db.session.scalars(represented_units([scene.province], nominees=True)))
    assert nominees == {scene.province.id, office.id, scene.body.id}


def test_the_province_s_nominator_neither_opens_nor_lists_a_dossier_below_another_body(  # type: ignore[no-untyped-def]
    as_user,
) -> None:
    scene = build_scene()
    award, campaign = province_campaign(scene)
    office = user_with(Role.NOMINATOR, scene.province, full_name="Nguyễn Văn Hải")
    district = user_with(Role.NOMINATOR, scene.body, full_name="Mai Văn Huyện")
    hamlets = create_nomination(
        scene.campaign, scene.award, Nominee(unit=scene.hamlet_a), actor=scene.nominator
    )
    districts = create_nomination(campaign, award, Nominee(unit=scene.body), actor=district)
    department = UnitFactory(name="Sở Nông nghiệp", kind=UnitKind.DEPARTMENT, parent=scene.province)
    own = create_nomination(campaign, award, Nominee(unit=department), actor=office)
    db.session.commit()
    dossiers = {"hamlet's": hamlets, "district's": districts, "office's": own}

    def seen(user) -> dict[str, tuple[bool, bool]]:  # type: ignore[no-untyped-def]
        listed = set(db.session.scalars(nomination_ids_for_user(user, Filters())))
        return {
            name: (is_nominator_of(user, dossier), dossier.id in listed)
            for name, dossier in dossiers.items()
        }

    assert seen(office) == {
        "hamlet's": (False, False),
        "district's": (False, False),
        "office's": (True, True),
    }
    assert seen(district) == {
        "hamlet's": (True, True),
        "district's": (True, True),
        "office's": (False, False),
    }
    client = as_user(office)
    assert [
        client.get(f"/nominations/{hamlets.id}").status_code,
        client.get(f"/nominations/{hamlets.id}/edit").status_code,
        client.post_form(f"/nominations/{hamlets.id}/delete").status_code,
        client.get(f"/nominations/{own.id}").status_code,
    ] == [403, 403, 403, 200]
    assert db.session.get(Nomination, hamlets.id) is not None
    # The refusal names the body the dossier belongs to, not a missing role.
    refused = html.unescape(client.get(f"/nominations/{hamlets.id}").get_data(as_text=True))
    assert (
        "Xã Sơn Định thuộc Huyện Chợ Lách: hồ sơ của đơn vị này do cán bộ của Huyện Chợ Lách "
        "mở và chỉnh sửa." in refused
    )


def test_the_province_s_nominator_is_offered_the_units_it_acts_for(as_user) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    _award, campaign = province_campaign(scene)
    office = user_with(Role.NOMINATOR, scene.province, full_name="Nguyễn Văn Hải")
    department = UnitFactory(name="Sở Nông nghiệp", kind=UnitKind.DEPARTMENT, parent=scene.province)
    db.session.commit()
    client = as_user(office)

    def options(path: str, name: str) -> list[str]:
        page = client.get(path).get_data(as_text=True)
        box = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert box is not None, name
        labels = re.findall(r"<option[^>]*>([^<]*)</option>", box.group(1))
        return [html.unescape(label).strip("\u2003 ") for label in labels[1:]]

    dashboard = html.unescape(client.get("/dashboard").get_data(as_text=True))

    # A nominee may be the district (a body below proposed as a whole), not a unit inside it.
    assert options(f"/nominations/new/{campaign.id}", "nominee_unit_id") == [
        scene.province.name,
        scene.body.name,
        department.name,
    ]
    # The dossiers it files are the province's and its department's own.
    assert options("/nominations/", "unit") == [scene.province.name, department.name]
    assert "2 đơn vị trong phạm vi phụ trách" in dashboard
