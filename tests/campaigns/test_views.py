"""The catalogue and campaign pages through the test client: the secretariat keeps them, others
are refused, unknown ids are 404, every POST needs its CSRF token."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.criteria_csv import export_criteria_csv
from recognition.campaigns.enums import CampaignStatus, MeasureKind, NomineeKind
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.extensions import db
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.conftest import Client
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CriterionFactory,
    NominationFactory,
    UnitFactory,
    user_with,
)

pytestmark = pytest.mark.integration

S = CampaignStatus


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def body() -> Unit:
    return UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, is_awarding_body=True)


@pytest.fixture
def commune(body: Unit) -> Unit:
    return UnitFactory(name="Xã Sơn Định", kind=UnitKind.COMMUNE, parent=body)


@pytest.fixture
def secretariat(body: Unit, login) -> Client:  # type: ignore[no-untyped-def]
    return login(user_with(Role.SECRETARIAT, body, locale="en"))


def flashes(client: Client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return [tuple(item) for item in session.get("_flashes", [])]


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response: Any, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


def award_form(**changes: Any) -> dict[str, Any]:
    form = {
        "code": "gk-tt",
        "name": "Giấy khen tập thể",
        "certificate_title": "Giấy khen",
        "kind": "commendation",
        "nominee_kind": "collective",
        "eligible_unit_kinds": ["commune", "hamlet"],
        "description": "",
        "vote_method": "show_of_hands",
        "vote_threshold_percent": "70",
        "vote_base": "present",
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "public_posting_days": "0",
        "cap_base_id": "None",
        "history_award_id": "None",
    }
    form.update(changes)
    return form


def count(model: type) -> int:
    return db.session.scalar(select(func.count(model.id))) or 0


def fresh(model: type, object_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, object_id)


# --- catalogue -----------------------------------------------------------------------------


def test_catalogue_lists_the_bodys_award_types(body: Unit, secretariat: Client) -> None:
    AwardTypeFactory(awarding_body=body, name="Lao động tiên tiến")
    AwardTypeFactory(awarding_body=body, name="Giấy khen")

    response = secretariat.get("/catalogue/")

    assert response.status_code == 200
    assert re.findall(r'<a href="/catalogue/\d+">([^<]+)</a>', text_of(response)) == [
        "Lao động tiên tiến",
        "Giấy khen",
    ]


def test_a_cap_out_of_range_is_refused_in_the_readers_words(body: Unit, login) -> None:  # type: ignore[no-untyped-def]
    vietnamese = login(user_with(Role.SECRETARIAT, body, locale="vi"))

    response = vietnamese.post_form(f"/catalogue/new/{body.id}", award_form(cap_percent="0"))

    assert field_error(response, "cap_percent") == "Tỷ lệ tối đa phải lớn hơn 0 và không quá 100."


def test_award_type_form_speaks_the_readers_language(body: Unit, login) -> None:  # type: ignore[no-untyped-def]
    vietnamese = login(user_with(Role.SECRETARIAT, body, locale="vi"))
    english = login(user_with(Role.SECRETARIAT, body, locale="en"))

    def kinds(client: Client) -> list[str]:
        page = text_of(client.get(f"/catalogue/new/{body.id}"))
        chosen = re.search(r'<select[^>]*name="kind"[^>]*>(.*?)</select>', page, re.S)
        assert chosen
        return re.findall(r"<option[^>]*>([^<]+)</option>", chosen.group(1))

    assert kinds(english) == ["Emulation title", "Commendation", "Model title"]
    assert kinds(vietnamese) == [
        "Danh hiệu thi đua",
        "Hình thức khen thưởng",
        "Danh hiệu điển hình",
    ]


def test_create_an_award_type(body: Unit, secretariat: Client) -> None:
    base = AwardTypeFactory(awarding_body=body, name="Lao động tiên tiến")

    response = secretariat.post_form(
        f"/catalogue/new/{body.id}",
        award_form(
            code="cstdcs",
            name="Chiến sĩ thi đua cơ sở",
            nominee_kind="individual",
            eligible_unit_kinds=[],
            cap_percent="15",
            cap_base_id=str(base.id),
        ),
    )

    award = db.session.scalars(select(AwardType).where(AwardType.code == "CSTDCS")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/catalogue/{award.id}"
    assert flashes(secretariat) == [
        ("success", "Chiến sĩ thi đua cơ sở has been added to the catalogue.")
    ]
    assert (
        award.name,
        award.certificate_title,
        award.nominee_kind,
        award.cap_percent,
        award.cap_base_id,
        award.vote_threshold_percent,
    ) == (
        "Chiến sĩ thi đua cơ sở",
        "GIẤY KHEN",
        "individual",
        Decimal("15.00"),
        base.id,
        Decimal("70.00"),
    )


def test_an_award_types_pairs_are_said_beside_its_other_errors(
    body: Unit, secretariat: Client
) -> None:
    # The quorum and the two pairs were checked by the service, once the fields were right.
    response = secretariat.post_form(
        f"/catalogue/new/{body.id}",
        award_form(
            name="",
            quorum_numerator="3",
            quorum_denominator="2",
            cap_percent="15",
            history_years="2",
        ),
    )

    assert response.status_code == 200
    assert [
        field_error(response, f)
        for f in ("name", "quorum_numerator", "cap_percent", "history_years")
    ] == [
        "This field is required.",
        "The quorum must be a fraction such as 2/3 (at most 1).",
        "A cap needs both a percentage and the title it is counted on.",
        "A history rule needs both the earlier title and the number of years.",
    ]
    assert count(AwardType) == 0


def test_an_award_types_occasion_is_chosen_and_shown(body: Unit, secretariat: Client) -> None:
    response = secretariat.post_form(
        f"/catalogue/new/{body.id}", award_form(code="gk-dx", occasion="sudden")
    )
    award = db.session.scalars(select(AwardType).where(AwardType.code == "GK-DX")).one()
    page = text_of(secretariat.get(f"/catalogue/{award.id}"))

    assert (response.status_code, award.occasion) == (302, "sudden")
    assert re.search(r"<dt>Occasion</dt><dd>Sudden achievement</dd>", page) is not None


def test_an_occasion_outside_the_list_is_refused_on_its_field(
    body: Unit, secretariat: Client
) -> None:
    response = secretariat.post_form(f"/catalogue/new/{body.id}", award_form(occasion="yearly"))

    assert response.status_code == 200
    assert field_error(response, "occasion") == "Not a valid choice."
    assert count(AwardType) == 0


def test_create_an_award_type_with_a_used_code_shows_the_error(
    body: Unit, secretariat: Client
) -> None:
    AwardTypeFactory(awarding_body=body, code="GK-TT")

    response = secretariat.post_form(f"/catalogue/new/{body.id}", award_form())

    assert response.status_code == 200
    assert field_error(response, "code") == "The code GK-TT is already used in this catalogue."
    assert count(AwardType) == 1


@pytest.mark.parametrize(
    ("field", "error"),
    [
        # The field says it read no number, alone (not "required" nor a range besides).
        ("vote_threshold_percent", "Enter a number, e.g. 1,250.5."),
        ("cap_percent", "Enter a number, e.g. 1,250.5."),
    ],
)
@pytest.mark.parametrize("typed", ["sNaN", "NaN", "Infinity"])
def test_a_decimal_that_is_not_a_number_is_refused_on_its_field(
    body: Unit, secretariat: Client, field: str, error: str, typed: str
) -> None:
    # Decimal() reads these; WTForms' NumberRange raised a ValueError on "sNaN" (a 500).
    response = secretariat.post_form(f"/catalogue/new/{body.id}", award_form(**{field: typed}))

    assert response.status_code == 200
    assert field_error(response, field) == error
    assert count(AwardType) == 0


def test_edit_an_award_type(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body, code="GK-TT")

    response = secretariat.post_form(
        f"/catalogue/{award.id}/edit",
        award_form(
            name="Giấy khen tập thể (sửa)",
            eligible_unit_kinds=["hamlet"],
            vote_threshold_percent="90",
            vote_base="all_members",
            simplified_allowed="y",
        ),
    )

    saved = fresh(AwardType, award.id)
    assert response.status_code == 302
    assert flashes(secretariat) == [("success", "The changes have been saved.")]
    assert (
        saved.name,
        saved.eligible_unit_kinds,
        saved.vote_threshold_percent,
        saved.vote_base,
        saved.simplified_allowed,
    ) == ("Giấy khen tập thể (sửa)", ["hamlet"], Decimal("90.00"), "all_members", True)


def test_a_name_printed_on_an_issued_decision_is_refused_on_its_field_with_the_form_kept(
    body: Unit, secretariat: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal itself is tested with a real decision in tests/decisions/test_verification.py;
    here the page: the error under the name, everything typed kept, nothing saved."""
    from recognition.decisions import frozen_names

    award = AwardTypeFactory(awarding_body=body, code="GK-TT", name="Giấy khen tập thể")
    monkeypatch.setattr(frozen_names, "issued_under", lambda _session, _id: "12/QĐ-UBND")

    response = secretariat.post_form(
        f"/catalogue/{award.id}/edit",
        award_form(name="Giấy khen tập thể (sửa)", vote_threshold_percent="90"),
    )

    page = response.get_data(as_text=True)
    assert (
        response.status_code,
        "decision 12/QĐ-UBND" in field_error(response, "name"),
        'value="Giấy khen tập thể (sửa)"' in page,
        'value="90"' in page,
        fresh(AwardType, award.id).name,
    ) == (200, True, True, True, "Giấy khen tập thể")


def test_the_standard_in_the_law_is_shown_and_edited(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body, code="GK-TT")
    before = text_of(secretariat.get(f"/catalogue/{award.id}"))

    secretariat.post_form(f"/catalogue/{award.id}/edit", award_form(standard="giay_khen"))

    saved = fresh(AwardType, award.id)
    assert (
        "The body's own title" in before,
        saved.standard,
        "Certificate of merit (Giấy khen)" in text_of(secretariat.get(f"/catalogue/{award.id}")),
    ) == (True, "giay_khen", True)


def test_add_edit_and_delete_criteria(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)

    created = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/new",
        {
            "code": "TC1",
            "text": "Tỷ lệ hộ",
            "required": "y",
            "measure": "number",
            "target": "60",
            "unit_label": "%",
            "evidence_required": "y",
        },
    )
    criterion = db.session.scalars(select(Criterion)).one()
    edited = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/{criterion.id}",
        {"code": "TC1", "text": "Tỷ lệ hộ gia đình", "measure": "number", "target": "65"},
    )
    saved = fresh(Criterion, criterion.id)
    snapshot = (saved.text, saved.target, saved.required, saved.evidence_required)
    deleted = secretariat.post_form(f"/catalogue/{award.id}/criteria/{criterion.id}/delete")

    assert [r.status_code for r in (created, edited, deleted)] == [302, 302, 302]
    assert snapshot == ("Tỷ lệ hộ gia đình", Decimal("65.00"), False, False)
    assert flashes(secretariat) == [
        ("success", "The criterion has been saved."),
        ("success", "The criterion has been saved."),
        ("success", "The criterion has been deleted."),
    ]
    assert count(Criterion) == 0


def test_a_criterion_refusal_is_shown_on_its_field(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)

    response = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/new",
        {"code": "TC1", "text": "Có", "measure": "yes_no", "target": "5"},
    )

    assert response.status_code == 200
    assert field_error(response, "target") == "Only a numeric criterion has a target."
    assert count(Criterion) == 0


def test_an_answered_criterion_is_not_deleted(
    body: Unit, commune: Unit, secretariat: Client
) -> None:
    nominator = user_with(Role.NOMINATOR, commune)
    award = AwardTypeFactory(awarding_body=body)
    criterion = CriterionFactory(award_type=award, code="TC1")
    campaign = CampaignFactory(awarding_body=body, awards=[award], status=S.OPEN)
    nomination = NominationFactory(
        campaign=campaign, award_type=award, actor=nominator, nominee_unit=commune
    )
    update_nomination(nomination, Report(), {criterion.id: Answer(met=True)}, actor=nominator)
    page = f"http://localhost/catalogue/{award.id}"

    response = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/{criterion.id}/delete", headers={"Referer": page}
    )

    assert (response.status_code, response.headers["Location"]) == (302, page)
    assert flashes(secretariat) == [
        (
            "danger",
            (
                "Dossiers have already answered this criterion; it cannot be deleted. "
                "Mark it as not required instead."
            ),
        )
    ]
    assert count(Criterion) == 1


def test_a_criterion_of_another_award_type_is_not_found(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)
    other = AwardTypeFactory(awarding_body=body)
    foreign = CriterionFactory(award_type=other)

    edit = secretariat.get(f"/catalogue/{award.id}/criteria/{foreign.id}")
    delete = secretariat.post_form(f"/catalogue/{award.id}/criteria/{foreign.id}/delete")

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert count(Criterion) == 1


def test_import_criteria_from_the_page(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)
    upload = "code,text,measure,target\nTC1,Tỷ lệ hộ,number,60\nTC2,Hoàn thành,,\n"

    response = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/import",
        {"file": (io.BytesIO(upload.encode("utf-8")), "tieu-chi.csv")},
    )

    assert response.status_code == 302
    assert flashes(secretariat) == [("success", "2 criteria imported.")]
    assert [c.code for c in fresh(AwardType, award.id).criteria] == ["TC1", "TC2"]


def test_import_errors_are_listed_with_their_lines(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)
    upload = "code,text,measure,target\nTC1,Tỷ lệ hộ,number,60\nTC2,Có,yes_no,5\n"

    response = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/import",
        {"file": (io.BytesIO(upload.encode("utf-8")), "tieu-chi.csv")},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "The file has 1 error. Nothing was imported." in page
    assert re.findall(r"<li>(Line \d+: [^<]+)</li>", page) == [
        "Line 3: Only a numeric criterion has a target."
    ]
    assert count(Criterion) == 0


def test_import_with_cells_longer_than_their_columns_lists_them(
    body: Unit, secretariat: Client
) -> None:
    # On PostgreSQL a code of 21 characters was a 500 (the column is String(20)).
    award = AwardTypeFactory(awarding_body=body)
    upload = f"code,group,text,unit\n{'K' * 21},{'N' * 201},{'V' * 2001},{'%' * 41}\n"

    response = secretariat.post_form(
        f"/catalogue/{award.id}/criteria/import",
        {"file": (io.BytesIO(upload.encode("utf-8")), "tieu-chi.csv")},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert re.findall(r"<li>(Line \d+: [^<]+)</li>", page) == [
        f"Line 2: The code “{'K' * 21}” is longer than 20 characters.",
        f"Line 2: The group “{'N' * 30}…” is longer than 200 characters.",
        f"Line 2: The text “{'V' * 30}…” is longer than 2000 characters.",
        f"Line 2: The unit “{'%' * 30}…” is longer than 40 characters.",
    ]
    assert count(Criterion) == 0


def test_export_criteria(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)
    CriterionFactory(
        award_type=award,
        code="TC1",
        text="Tỷ lệ hộ",
        measure=MeasureKind.NUMBER,
        target=Decimal(60),
        unit_label="%",
    )

    response = secretariat.get(f"/catalogue/{award.id}/criteria.csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"] == f"attachment; filename=criteria-{award.id}.csv"
    )
    assert response.get_data(as_text=True) == export_criteria_csv(fresh(AwardType, award.id))


# --- campaigns -----------------------------------------------------------------------------


def test_create_a_campaign(body: Unit, secretariat: Client) -> None:
    response = secretariat.post_form(
        f"/campaigns/new/{body.id}",
        {
            "name": "Cao điểm “Đồng khởi mới”",
            "directive_reference": "Chỉ thị 01-CT/TU",
            "opens_on": "2025-03-04",
            "closes_on": "2025-12-31",
            "period_start": "2024-01-01",
            "period_end": "2025-12-31",
        },
    )

    campaign = db.session.scalars(select(Campaign)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{campaign.id}"
    assert (campaign.name, campaign.status, campaign.opens_on, campaign.closes_on) == (
        "Cao điểm “Đồng khởi mới”",
        "draft",
        date(2025, 3, 4),
        date(2025, 12, 31),
    )


def test_a_campaign_window_that_closes_before_it_opens_is_refused(
    body: Unit, secretariat: Client
) -> None:
    response = secretariat.post_form(
        f"/campaigns/new/{body.id}",
        {"name": "Đợt 1", "opens_on": "2025-03-04", "closes_on": "2025-03-03"},
    )

    assert response.status_code == 200
    assert field_error(response, "closes_on") == (
        "The window must close on or after the day it opens."
    )
    assert count(Campaign) == 0


def field_value(response: Any, field: str) -> str:
    match = re.search(rf'<input[^>]*name="{field}"[^>]*value="([^"]*)"', text_of(response))
    assert match, f"no value in {field}"
    return match.group(1)


def test_every_error_of_a_new_campaign_is_said_at_once_with_the_text_kept(
    body: Unit, secretariat: Client
) -> None:
    # The window's order was said only on the save after the name had been given.
    response = secretariat.post_form(
        f"/campaigns/new/{body.id}",
        {
            "name": "",
            "opens_on": "2025-03-04",
            "closes_on": "2025-03-03",
            "period_start": "2025-06-01",
            "period_end": "2025-01-01",
        },
    )

    assert response.status_code == 200
    assert [field_error(response, f) for f in ("name", "closes_on", "period_end")] == [
        "This field is required.",
        "The window must close on or after the day it opens.",
        "The period must end after it starts.",
    ]
    assert [field_value(response, f) for f in ("closes_on", "period_end")] == [
        "2025-03-03",
        "2025-01-01",
    ]
    assert count(Campaign) == 0


def test_a_period_that_ends_before_it_starts_is_said_on_edit_beside_the_other_errors(
    body: Unit, secretariat: Client
) -> None:
    campaign = CampaignFactory(awarding_body=body, name="Đợt 1")

    response = secretariat.post_form(
        f"/campaigns/{campaign.id}/edit",
        {
            "name": " ",
            "opens_on": "2025-06-01",
            "closes_on": "2025-07-31",
            "period_start": "2025-12-31",
            "period_end": "2025-01-01",
        },
    )

    assert response.status_code == 200
    assert (field_error(response, "name"), field_error(response, "period_end")) == (
        "This field is required.",
        "The period must end after it starts.",
    )
    assert fresh(Campaign, campaign.id).name == "Đợt 1"


def test_edit_a_campaign(body: Unit, secretariat: Client) -> None:
    campaign = CampaignFactory(awarding_body=body)

    response = secretariat.post_form(
        f"/campaigns/{campaign.id}/edit",
        {"name": "Đợt đã sửa", "opens_on": "2025-06-01", "closes_on": "2025-07-31"},
    )

    saved = fresh(Campaign, campaign.id)
    assert response.status_code == 302
    assert (saved.name, saved.closes_on) == ("Đợt đã sửa", date(2025, 7, 31))


def test_open_close_and_archive(body: Unit, secretariat: Client) -> None:
    campaign = CampaignFactory(awarding_body=body, awards=[AwardTypeFactory(awarding_body=body)])

    codes = [
        secretariat.post_form(f"/campaigns/{campaign.id}/status/{status}").status_code
        for status in ("open", "closed", "archived")
    ]

    assert codes == [302, 302, 302]
    assert flashes(secretariat) == [
        ("success", "The campaign is now open."),
        ("success", "The campaign is now closed."),
        ("success", "The campaign is now archived."),
    ]
    assert fresh(Campaign, campaign.id).status == "archived"


def test_opening_without_anything_on_offer_is_explained(body: Unit, secretariat: Client) -> None:
    campaign = CampaignFactory(awarding_body=body)
    page = f"http://localhost/campaigns/{campaign.id}"

    response = secretariat.post_form(
        f"/campaigns/{campaign.id}/status/open", headers={"Referer": page}
    )

    assert (response.status_code, response.headers["Location"]) == (302, page)
    assert flashes(secretariat) == [
        ("danger", "Add at least one award type before opening the campaign.")
    ]
    assert fresh(Campaign, campaign.id).status == "draft"


def test_an_unknown_status_is_a_bad_request(body: Unit, secretariat: Client) -> None:
    campaign = CampaignFactory(awarding_body=body)

    assert secretariat.post_form(f"/campaigns/{campaign.id}/status/deleted").status_code == 400


def test_extend_the_window_from_the_page(body: Unit, secretariat: Client) -> None:
    campaign = CampaignFactory(awarding_body=body, closes_on=date(2025, 6, 30))

    response = secretariat.post_form(
        f"/campaigns/{campaign.id}/extend", {"closes_on": "2025-07-15"}
    )

    assert response.status_code == 302
    assert flashes(secretariat) == [("success", "Submissions are now open until 15/07/2025.")]
    assert fresh(Campaign, campaign.id).closes_on == date(2025, 7, 15)


def test_an_extension_to_an_earlier_day_is_refused(body: Unit, secretariat: Client) -> None:
    campaign = CampaignFactory(awarding_body=body, closes_on=date(2025, 6, 30))
    page = f"http://localhost/campaigns/{campaign.id}"

    response = secretariat.post_form(
        f"/campaigns/{campaign.id}/extend", {"closes_on": "2025-06-01"}, headers={"Referer": page}
    )

    assert response.status_code == 302
    assert flashes(secretariat) == [("danger", "The new closing day must be after 30/06/2025.")]
    assert fresh(Campaign, campaign.id).closes_on == date(2025, 6, 30)


def test_offer_an_award_with_a_quota_and_take_it_off(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body)

    added = secretariat.post_form(
        f"/campaigns/{campaign.id}/offers", {"award_type_id": award.id, "quota": "2"}
    )
    offer = db.session.scalars(select(CampaignAward)).one()
    quota = offer.quota
    removed = secretariat.post_form(f"/campaigns/{campaign.id}/offers/{offer.id}/remove")

    assert (added.status_code, quota, removed.status_code) == (302, 2, 302)
    assert flashes(secretariat) == [
        ("success", "The award type is on offer in this campaign."),
        ("success", "The award type is no longer on offer."),
    ]
    assert count(CampaignAward) == 0


def test_offers_are_audited_with_who_and_what_and_the_log_names_them(body: Unit, login) -> None:  # type: ignore[no-untyped-def]
    user = user_with(Role.SECRETARIAT, body, locale="en")
    secretariat = login(user)
    admin = login(user_with(Role.ADMIN, body, locale="en"))
    award = AwardTypeFactory(awarding_body=body, code="TTTB", name="Tập thể tiêu biểu")
    campaign = CampaignFactory(awarding_body=body, name="Đợt 2025")
    offers = f"/campaigns/{campaign.id}/offers"

    secretariat.post_form(offers, {"award_type_id": award.id, "quota": "2"})
    secretariat.post_form(offers, {"award_type_id": award.id, "quota": "3"})
    offer = db.session.scalars(select(CampaignAward)).one()
    page = text_of(secretariat.get(f"/campaigns/{campaign.id}"))
    secretariat.post_form(f"{offers}/{offer.id}/remove")
    log = text_of(admin.get("/admin/audit?kind=campaign"))

    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.CAMPAIGN, AuditEvent.object_id == campaign.id)
        .order_by(AuditEvent.id)
    ).all()
    said = "TTTB · Tập thể tiêu biểu; Số lượng tối đa mỗi đơn vị đề nghị"
    assert [(e.action, e.subject, e.actor_id, e.comment) for e in events] == [
        ("offer", "Đợt 2025", user.id, f"{said}: 2"),
        ("change_quota", "Đợt 2025", user.id, f"{said}: 2 → 3"),
        ("withdraw_offer", "Đợt 2025", user.id, f"{said}: 3"),
    ]
    labels = [
        "Put an award type on offer",
        "Change the quota of an award type on offer",
        "Take an award type off offer",
    ]
    # Named in the log; never a button of the campaign's page (not transitions).
    assert [(label in log, label in page) for label in labels] == [(True, False)] * 3


@pytest.mark.parametrize(
    ("typed", "quota", "said"),
    [
        ("1,210", 1210, ("success", "The award type is on offer in this campaign.")),
        ("ba", None, ("danger", "Quota per nominating unit: Enter a whole number, e.g. 40.")),
        ("2.5", None, ("danger", "Quota per nominating unit: Enter a whole number, e.g. 40.")),
    ],
)
def test_an_offer_s_quota_is_read_as_the_language_writes_it_and_a_refusal_names_it(
    body: Unit, secretariat: Client, typed: str, quota: int | None, said: tuple[str, str]
) -> None:
    # "1.210" in Vietnamese was refused with "Choose an award type…", the award chosen.
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body)

    secretariat.post_form(
        f"/campaigns/{campaign.id}/offers", {"award_type_id": award.id, "quota": typed}
    )

    offers = db.session.scalars(select(CampaignAward.quota)).all()
    assert (offers, flashes(secretariat)) == ([quota] if quota else [], [said])


def test_an_offer_with_dossiers_is_kept_and_the_refusal_says_how_many(
    body: Unit, commune: Unit, secretariat: Client
) -> None:
    award = AwardTypeFactory(awarding_body=body, name="Tập thể tiêu biểu")
    campaign = CampaignFactory(awarding_body=body, awards=[award], status=S.OPEN)
    nominator = user_with(Role.NOMINATOR, commune)
    for unit in (commune, UnitFactory(parent=commune, kind=UnitKind.HAMLET)):
        NominationFactory(campaign=campaign, award_type=award, actor=nominator, nominee_unit=unit)
    offer = campaign.offers[0]

    page = text_of(secretariat.get(f"/campaigns/{campaign.id}"))
    response = secretariat.post_form(f"/campaigns/{campaign.id}/offers/{offer.id}/remove")

    assert re.findall(
        r"<button [^>]*disabled[^>]*>.*?</button>\s*<div[^>]*>([^<]*)</div>", page
    ) == ["2 dossiers already propose it."]
    assert response.headers["Location"] == f"/campaigns/{campaign.id}"
    assert flashes(secretariat) == [
        (
            "danger",
            "Tập thể tiêu biểu cannot be removed from the campaign: 2 dossiers already propose it.",
        )
    ]
    assert count(CampaignAward) == 1
    # The refusal is not an event: the log has the offer and the opening only.
    assert db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_kind == ObjectKind.CAMPAIGN, AuditEvent.object_id == campaign.id)
        .order_by(AuditEvent.id)
    ).all() == ["offer", "open"]


@pytest.mark.parametrize(
    ("status", "confirm"),
    [
        (S.DRAFT, []),
        (
            S.OPEN,
            [
                "Remove Giấy khen from this campaign? It is open: nominating units will no "
                "longer be able to propose it."
            ],
        ),
    ],
)
def test_removing_an_offer_from_an_open_campaign_is_confirmed_first(
    body: Unit, secretariat: Client, status: str, confirm: list[str]
) -> None:
    award = AwardTypeFactory(awarding_body=body, name="Giấy khen")
    campaign = CampaignFactory(awarding_body=body, awards=[award], status=status)
    remove = f"/campaigns/{campaign.id}/offers/{campaign.offers[0].id}/remove"

    page = secretariat.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    button = re.search(rf'action="{remove}"[^>]*>.*?</form>', page, re.S)

    assert button, "no button to remove the offer"
    assert [html.unescape(m) for m in re.findall(r'data-confirm="([^"]*)"', button.group(0))] == (
        confirm
    )


def test_an_offer_of_another_campaign_is_not_found(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body)
    other = CampaignFactory(awarding_body=body, awards=[award])

    response = secretariat.post_form(f"/campaigns/{campaign.id}/offers/{other.offers[0].id}/remove")

    assert response.status_code == 404
    assert count(CampaignAward) == 1


def test_nominators_see_open_campaigns_and_may_start_a_dossier(
    body: Unit, commune: Unit, login
) -> None:  # type: ignore[no-untyped-def]
    award = AwardTypeFactory(awarding_body=body, nominee_kind=NomineeKind.COLLECTIVE)
    draft = CampaignFactory(awarding_body=body, awards=[award])
    open_one = CampaignFactory(awarding_body=body, awards=[award], status=S.OPEN)
    client = login(user_with(Role.NOMINATOR, commune, locale="en"))

    hidden = client.get(f"/campaigns/{draft.id}")
    shown = client.get(f"/campaigns/{open_one.id}")

    assert (hidden.status_code, shown.status_code) == (403, 200)
    assert f'href="/nominations/new/{open_one.id}"' in shown.get_data(as_text=True)
    assert f'action="/campaigns/{open_one.id}/extend"' not in shown.get_data(as_text=True)


# --- who may, unknown ids, CSRF ------------------------------------------------------------


@pytest.fixture
def things(body: Unit) -> dict[str, int]:
    award = AwardTypeFactory(awarding_body=body)
    criterion = CriterionFactory(award_type=award)
    campaign = CampaignFactory(awarding_body=body, awards=[award])
    return {
        "body": body.id,
        "award": award.id,
        "criterion": criterion.id,
        "campaign": campaign.id,
        "offer": campaign.offers[0].id,
    }


MANAGER_ROUTES = [
    ("get", "/catalogue/new/{body}"),
    ("post", "/catalogue/new/{body}"),
    ("get", "/catalogue/{award}"),
    ("get", "/catalogue/{award}/edit"),
    ("post", "/catalogue/{award}/edit"),
    ("get", "/catalogue/{award}/criteria/new"),
    ("post", "/catalogue/{award}/criteria/new"),
    ("get", "/catalogue/{award}/criteria/{criterion}"),
    ("post", "/catalogue/{award}/criteria/{criterion}"),
    ("post", "/catalogue/{award}/criteria/{criterion}/delete"),
    ("post", "/catalogue/{award}/criteria/import"),
    ("get", "/catalogue/{award}/criteria.csv"),
    ("get", "/campaigns/new/{body}"),
    ("post", "/campaigns/new/{body}"),
    ("get", "/campaigns/{campaign}/edit"),
    ("post", "/campaigns/{campaign}/edit"),
    ("post", "/campaigns/{campaign}/status/open"),
    ("post", "/campaigns/{campaign}/extend"),
    ("post", "/campaigns/{campaign}/offers"),
    ("post", "/campaigns/{campaign}/offers/{offer}/remove"),
]


def send(client: Client, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return client.post_form(
        url,
        {
            "name": "Đổi tên",
            "code": "X",
            "text": "X",
            "closes_on": "2030-01-01",
            "opens_on": "2029-01-01",
        },
    )


def unchanged(things: dict[str, int]) -> tuple[object, ...]:
    db.session.expire_all()
    campaign = db.session.get(Campaign, things["campaign"])
    award = db.session.get(AwardType, things["award"])
    return (
        campaign.name,
        campaign.status,
        campaign.closes_on,
        len(campaign.offers),
        award.name,
        len(award.criteria),
        count(AwardType),
        count(Campaign),
    )


@pytest.mark.parametrize("who", ["nominator", "other_secretariat", "council"])
@pytest.mark.parametrize(("method", "route"), MANAGER_ROUTES)
def test_only_the_bodys_secretariat_manages(
    body: Unit,
    commune: Unit,
    things,
    login,  # type: ignore[no-untyped-def]
    who: str,
    method: str,
    route: str,
) -> None:
    other = UnitFactory(name="Huyện Khác", kind=UnitKind.DISTRICT, is_awarding_body=True)
    user = {
        "nominator": lambda: user_with(Role.NOMINATOR, commune),
        "other_secretariat": lambda: user_with(Role.SECRETARIAT, other),
        "council": lambda: user_with(Role.COUNCIL_MEMBER, body),
    }[who]()
    before = unchanged(things)
    client = login(user)

    response = send(client, method, route.format(**things))

    assert response.status_code == 403
    assert unchanged(things) == before


@pytest.mark.parametrize(("method", "route"), MANAGER_ROUTES)
def test_unknown_ids_are_not_found(things, secretariat: Client, method: str, route: str) -> None:  # type: ignore[no-untyped-def]
    missing = {key: 999_999 for key in things}

    assert send(secretariat, method, route.format(**missing)).status_code == 404


@pytest.mark.parametrize("route", [r for m, r in MANAGER_ROUTES if m == "post"])
def test_posts_without_the_csrf_token_are_refused(things, secretariat: Client, route: str) -> None:  # type: ignore[no-untyped-def]
    before = unchanged(things)

    response = secretariat.post(route.format(**things), data={"name": "Đổi tên", "code": "X"})

    assert response.status_code == 400
    assert unchanged(things) == before


def test_the_catalogue_needs_a_secretariat_role(commune: Unit, login) -> None:  # type: ignore[no-untyped-def]
    client = login(user_with(Role.NOMINATOR, commune))

    assert client.get("/catalogue/").status_code == 403


def test_the_page_moves_and_audits_through_the_campaigns_life(
    body: Unit, secretariat: Client
) -> None:
    campaign = CampaignFactory(awarding_body=body, awards=[AwardTypeFactory(awarding_body=body)])

    page = text_of(secretariat.get(f"/campaigns/{campaign.id}"))
    secretariat.post_form(f"/campaigns/{campaign.id}/status/open")
    again = text_of(secretariat.get(f"/campaigns/{campaign.id}"))
    refused = secretariat.post_form(f"/campaigns/{campaign.id}/status/archived")

    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_kind == ObjectKind.CAMPAIGN, AuditEvent.object_id == campaign.id
        )
    ).all()
    assert ("Open for dossiers" in page, "Close the campaign" in page) == (True, False)
    assert ("Open for dossiers" in again, "Close the campaign" in again) == (False, True)
    assert refused.status_code == 409
    assert "A campaign that is open cannot become archived." in text_of(refused)
    # The award type the factory put on offer, then the opening; the refusal is not an event.
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("offer", "draft", "draft"),
        ("open", "draft", "open"),
    ]


def test_a_criterion_saved_from_the_page_names_its_author(body: Unit, secretariat: Client) -> None:
    award = AwardTypeFactory(awarding_body=body, code="LDTT")

    secretariat.post_form(
        f"/catalogue/{award.id}/criteria/new",
        {"code": "TC1", "text": "Hoàn thành tốt", "measure": "yes_no", "required": "y"},
    )

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == ObjectKind.CRITERION)
    ).one()
    author = db.session.get(User, event.actor_id)
    assert (event.action, event.subject, author.holds(Role.SECRETARIAT, body)) == (
        "created",
        "LDTT · TC1",
        True,
    )


def test_an_award_types_required_report_sections_are_ticked_and_shown(
    body: Unit, secretariat: Client
) -> None:
    """Finding 8 of issue 14: which report sections a dossier needs is the award type's."""
    new = text_of(secretariat.get(f"/catalogue/new/{body.id}"))
    boxes = re.findall(r'<input[^>]*name="required_report_sections"[^>]*>', new)
    ticked = [re.findall(r'value="([^"]+)"', tag) for tag in boxes if " checked" in tag]

    response = secretariat.post_form(
        f"/catalogue/new/{body.id}",
        award_form(
            code="bk",
            required_report_sections=["report_commendations", "report_general"],
        ),
    )
    award = db.session.scalars(select(AwardType).where(AwardType.code == "BK")).one()
    page = text_of(secretariat.get(f"/catalogue/{award.id}"))

    assert (len(boxes), ticked) == (4, [["report_achievements"]])
    assert response.status_code == 302
    assert award.required_report_sections == ["report_general", "report_commendations"]
    assert re.search(
        r"<dt>Report sections required to submit</dt><dd>I\. General information; "
        r"IV\. Titles and commendations already received</dd>",
        page,
    )


def test_a_commune_does_not_put_a_provincial_title_in_its_catalogue(login) -> None:  # type: ignore[no-untyped-def]
    commune = UnitFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, is_awarding_body=True)
    client = login(user_with(Role.SECRETARIAT, commune, locale="en"))

    refused = client.post_form(
        f"/catalogue/new/{commune.id}",
        award_form(code="co-tinh", name="Cờ thi đua", standard="co_thi_dua_tinh"),
    )
    allowed = client.post_form(
        f"/catalogue/new/{commune.id}", award_form(code="gk", standard="giay_khen")
    )

    assert refused.status_code == 200, refused.status_code
    assert re.findall(r'id="(\w+)-error"', refused.get_data(as_text=True)) == ["standard"]
    assert field_error(refused, "standard") == (
        "Under the law in force, the chairman of Xã Phú Phụng does not confer “Provincial "
        "emulation flag (Cờ thi đua)”: choose a title of this level, or “The body's own title”."
    )
    assert allowed.status_code == 302
    assert [a.code for a in db.session.scalars(select(AwardType))] == ["GK"]
