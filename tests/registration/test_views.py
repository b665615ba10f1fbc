"""Registration pages: the secretariat opens a year and sees who has registered by when, and
reminds the others; a unit's nominator registers through the form; the dossier pages warn
about a title the unit did not register."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.database import local_today
from recognition.extensions import db
from recognition.registration.models import Registration, RegistrationCall
from recognition.registration.services import Line, open_registration, register_unit
from recognition.units.enums import UnitKind
from tests.decisions.helpers import in_english, page_text
from tests.support.factories import UnitFactory, user_with
from tests.workflow.helpers import Scene, draft

pytestmark = pytest.mark.integration

NFC_PLEDGE = unicodedata.normalize("NFC", "Giao ước thi đua")


def _open_this_year(scene: Scene, deadline: date | None = None) -> RegistrationCall:
    """The body's call for this year, its deadline the year's last day unless given."""
    year = local_today().year
    return open_registration(
        scene.body,
        actor=scene.secretariat,
        year=year,
        deadline=deadline or date(year, 12, 31),
        pledge="Giao ước thi đua năm nay",
    )


def test_the_secretariat_opens_a_year(login: Any, scene: Scene) -> None:
    staff = in_english(login(scene.secretariat))
    assert staff.get(f"/registration/new/{scene.body.id}").status_code == 200

    response = staff.post_form(
        f"/registration/new/{scene.body.id}",
        data={
            "year": "2031",
            "deadline": "2031-01-31",
            "pledge": unicodedata.normalize("NFD", NFC_PLEDGE),
        },
    )

    call = db.session.scalar(select(RegistrationCall))
    assert call is not None
    assert response.headers["Location"] == f"/registration/calls/{call.id}"
    assert (call.year, call.deadline, call.pledge) == (2031, date(2031, 1, 31), NFC_PLEDGE)


def test_a_bad_year_keeps_what_was_typed(login: Any, scene: Scene) -> None:
    staff = in_english(login(scene.secretariat))
    response = staff.post_form(
        f"/registration/new/{scene.body.id}",
        data={"year": "2031", "deadline": "2035-01-31", "pledge": "Giao ước đã gõ"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="deadline-error"' in html
    assert "Giao ước đã gõ" in html


def test_the_overview_and_the_reminder(login: Any, scene: Scene, call: RegistrationCall) -> None:
    register_unit(
        call,
        scene.commune_a,
        actor=scene.nominator,
        lines=[Line(scene.award, "Ấp Phú Hữu")],
        sign=True,
    )
    db.session.commit()
    staff = in_english(login(scene.secretariat))

    text = page_text(staff.get(f"/registration/calls/{call.id}").get_data(as_text=True))
    assert "1 of 2 units have registered." in text
    assert "Xã Sơn Định" in text and "Tập thể tiêu biểu — Ấp Phú Hữu" in text
    assert "Xã Vĩnh Bình Not registered" in text

    reminded = staff.post_form(f"/registration/calls/{call.id}/remind")
    assert reminded.status_code == 302
    assert "Reminders sent: 1." in page_text(
        staff.get(reminded.headers["Location"]).get_data(as_text=True)
    )


def test_a_registration_changed_after_the_deadline_says_so(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    registration = register_unit(
        call,
        scene.commune_a,
        actor=scene.nominator,
        lines=[Line(scene.award, "Ấp Phú Hữu")],
        sign=True,
    )
    registration.registered_at = datetime(call.year, 1, 15, 9, 0, tzinfo=UTC)  # on time
    registration.updated_at = datetime(call.year, 11, 20, 9, 0, tzinfo=UTC)  # changed late
    db.session.commit()
    staff = in_english(login(scene.secretariat))
    nominator = in_english(login(scene.nominator))

    overview = page_text(staff.get(f"/registration/calls/{call.id}").get_data(as_text=True))
    form = page_text(
        nominator.get(f"/registration/calls/{call.id}/units/{scene.commune_a.id}").get_data(
            as_text=True
        )
    )

    assert f"changed after the deadline, on 20/11/{call.year}" in overview
    assert "a change now is shown on the call's list as made after it" in form


def test_a_nominator_registers_through_the_form(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    nominator = in_english(login(scene.nominator))
    url = f"/registration/calls/{call.id}/units/{scene.commune_a.id}"
    assert "Xã Sơn Định" in page_text(nominator.get("/registration/").get_data(as_text=True))

    unsigned = nominator.post_form(
        url, data={"award_1": str(scene.award.id), "nominee_1": "Ấp Phú Hữu"}
    )
    assert unsigned.status_code == 200
    assert "Confirm the pledge to register." in page_text(unsigned.get_data(as_text=True))
    assert 'value="Ấp Phú Hữu"' in unsigned.get_data(as_text=True)

    signed = nominator.post_form(
        url,
        data={
            "award_1": str(scene.award.id),
            "nominee_1": "Ấp Phú Hữu",
            "award_2": "999999",
            "sign": "y",
        },
    )
    assert "Choose a title for each line" in page_text(signed.get_data(as_text=True))
    signed = nominator.post_form(url, data={"award_1": str(scene.award.id), "sign": "y"})
    assert signed.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration is not None and registration.signed_by_id == scene.nominator.id


@pytest.mark.parametrize("who", ["other_nominator", "chair", "admin", "council_member"])
def test_others_may_not_register_the_unit(
    login: Any, scene: Scene, call: RegistrationCall, who: str
) -> None:
    other = login(getattr(scene, who))
    assert other.get(f"/registration/calls/{call.id}/units/{scene.commune_a.id}").status_code == 403
    expected = 200 if who == "chair" else 403
    assert other.get(f"/registration/calls/{call.id}").status_code == expected


def test_a_unit_not_below_the_body_is_not_found(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    nominator = login(scene.nominator)
    assert (
        nominator.get(f"/registration/calls/{call.id}/units/{scene.hamlet_a.id}").status_code == 404
    )


def test_the_dossier_warns_about_an_unregistered_title(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    nomination = draft(scene)
    db.session.commit()
    nominator = in_english(login(scene.nominator))

    for page in (f"/nominations/{nomination.id}", f"/nominations/{nomination.id}/edit"):
        html = nominator.get(page).get_data(as_text=True)
        assert 'id="registration-gap"' in html
        assert "did not register for “Tập thể tiêu biểu”" in page_text(html)

    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    db.session.commit()
    assert 'id="registration-gap"' not in nominator.get(f"/nominations/{nomination.id}").get_data(
        as_text=True
    )


def test_the_audit_logs_link_opens_the_form_or_the_overview(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    registration = register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    db.session.commit()
    record = f"/registration/records/{registration.id}"

    assert login(scene.nominator).get(record).headers["Location"] == (
        f"/registration/calls/{call.id}/units/{scene.commune_a.id}"
    )
    assert login(scene.secretariat).get(record).headers["Location"] == (
        f"/registration/calls/{call.id}"
    )
    assert login(scene.other_nominator).get(record).status_code == 403


def test_a_huge_name_and_a_stray_field_are_refused_on_the_form(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    nominator = login(scene.nominator)
    response = nominator.post_form(
        f"/registration/calls/{call.id}/units/{scene.commune_a.id}",
        data={"nominee_3": "a" * 100_000, "\r": ""},
    )
    assert response.status_code == 200


def test_the_new_year_form_proposes_a_year_not_open_yet(
    login: Any, scene: Scene, call: RegistrationCall
) -> None:
    staff = login(scene.secretariat)
    html = staff.get(f"/registration/new/{scene.body.id}").get_data(as_text=True)
    today = local_today().year
    proposed = today if today != call.year else call.year + 1
    field = re.search(r'<input[^>]*id="year"[^>]*>', html)
    assert field is not None and f'value="{proposed}"' in field.group(0)


def test_the_overview_reads_in_the_same_number_of_queries_whatever_its_size(
    login: Any, scene: Scene, call: RegistrationCall, count_queries: Any
) -> None:
    staff = login(scene.secretariat)

    def overview_queries() -> int:
        staff.get(f"/registration/calls/{call.id}")
        with count_queries() as count:
            assert staff.get(f"/registration/calls/{call.id}").status_code == 200
        return int(count())

    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    db.session.commit()
    small = overview_queries()
    for n in range(4):
        commune = UnitFactory(name=f"Xã Mới {n}", kind=UnitKind.COMMUNE, parent=scene.body)
        nominator = user_with(Role.NOMINATOR, commune)
        register_unit(
            call, commune, actor=nominator, lines=[Line(scene.award, f"Ấp {n}")], sign=True
        )
    db.session.commit()

    assert overview_queries() == small


def test_the_dashboards_say_who_has_not_registered_this_year(login: Any, scene: Scene) -> None:
    year = local_today().year
    this_year = _open_this_year(scene)
    db.session.commit()
    nominator = in_english(login(scene.nominator))
    text = page_text(nominator.get("/dashboard").get_data(as_text=True))
    assert f"Xã Sơn Định has not registered its emulation for {year} with" in text
    assert f"Deadline 31/12/{year}" in text
    assert f"/registration/calls/{this_year.id}/units/{scene.commune_a.id}" in (
        nominator.get("/dashboard").get_data(as_text=True)
    )
    staff = in_english(login(scene.secretariat))
    text = page_text(staff.get("/dashboard").get_data(as_text=True))
    assert f"2 of 2 units have not registered their emulation for {year} yet" in text

    register_unit(
        this_year,
        scene.commune_a,
        actor=scene.nominator,
        lines=[Line(scene.award, "Ấp Phú Hữu")],
        sign=True,
    )
    db.session.commit()
    assert "has not registered" not in page_text(nominator.get("/dashboard").get_data(as_text=True))
    text = page_text(staff.get("/dashboard").get_data(as_text=True))
    assert f"1 of 2 units has not registered its emulation for {year} yet" in text


def test_past_the_deadline_the_unit_is_told_it_passed(login: Any, scene: Scene) -> None:
    # The dashboard read "Deadline …" as if the day were still to come.
    today = local_today()
    deadline = today - timedelta(days=1)
    call = _open_this_year(scene, deadline)
    db.session.commit()
    nominator = in_english(login(scene.nominator))
    passed = (
        f"The deadline was {deadline:%d/%m/%Y}: the unit can still register, and the "
        "registration is recorded as late."
    )

    dashboard = page_text(nominator.get("/dashboard").get_data(as_text=True))
    form = page_text(
        nominator.get(f"/registration/calls/{call.id}/units/{scene.commune_a.id}").get_data(
            as_text=True
        )
    )

    assert f"Xã Sơn Định has not registered its emulation for {today.year} with" in dashboard
    assert passed in dashboard
    assert f"Deadline {deadline:%d/%m/%Y}" not in dashboard
    assert passed in form
    # The secretariat's count says the deadline was, not that it is to come.
    following = page_text(
        in_english(login(scene.secretariat)).get("/dashboard").get_data(as_text=True)
    )
    assert (
        f"have not registered their emulation for {today.year}: the deadline was "
        f"{deadline:%d/%m/%Y} (a registration now is recorded as late)"
    ) in following
    assert f"(deadline {deadline:%d/%m/%Y})" not in following


def test_the_body_s_own_office_is_asked_only_for_the_units_the_body_expects(
    login: Any, scene: Scene
) -> None:
    year = local_today().year
    _open_this_year(scene)
    # An office below the body with no nominator of its own: the body expects nothing of it.
    UnitFactory(name="Phòng Văn hóa - Xã hội", kind=UnitKind.DEPARTMENT, parent=scene.body)
    office = user_with(Role.NOMINATOR, scene.body, full_name="Lê Hoàng Nam")
    db.session.commit()

    text = page_text(in_english(login(office)).get("/dashboard").get_data(as_text=True))
    staff = page_text(in_english(login(scene.secretariat)).get("/dashboard").get_data(as_text=True))

    asked = sorted(re.findall(r"(\S+ \S+ \S+) has not registered its emulation", text))
    assert asked == ["Xã Sơn Định", "Xã Vĩnh Bình"]
    assert f"2 of 2 units have not registered their emulation for {year} yet" in staff


def test_a_body_below_registers_through_its_own_office(login: Any, scene: Scene) -> None:
    year = local_today().year
    _open_this_year(scene)
    scene.commune_a.is_awarding_body = True  # Xã Sơn Định confers its own awards
    office = user_with(Role.NOMINATOR, scene.body, full_name="Lê Hoàng Nam")
    db.session.commit()

    text = page_text(in_english(login(office)).get("/dashboard").get_data(as_text=True))
    commune = page_text(in_english(login(scene.nominator)).get("/dashboard").get_data(as_text=True))

    assert sorted(re.findall(r"(\S+ \S+ \S+) has not registered its emulation", text)) == [
        "Xã Vĩnh Bình"
    ]
    assert f"Xã Sơn Định has not registered its emulation for {year} with" in commune


def test_a_deadline_already_passed_is_said_when_the_year_is_opened(
    login: Any, scene: Scene
) -> None:
    staff = in_english(login(scene.secretariat))
    year = local_today().year
    yesterday = local_today() - timedelta(days=1)
    if yesterday.year != year:  # the first of January: no day of this year has passed
        pytest.skip("no earlier day this year")

    response = staff.post_form(
        f"/registration/new/{scene.body.id}",
        data={"year": str(year), "deadline": yesterday.isoformat(), "pledge": "Giao ước"},
        follow_redirects=True,
    )

    assert "has already passed: every unit that registers now is shown as late" in (
        response.get_data(as_text=True)
    )


def test_the_secretariat_moves_the_deadline_and_corrects_the_pledge(
    login: Any, scene: Scene
) -> None:
    call = _open_this_year(scene)
    db.session.commit()
    staff = in_english(login(scene.secretariat))
    page = staff.get(f"/registration/calls/{call.id}").get_data(as_text=True)
    assert f'href="/registration/calls/{call.id}/edit"' in page
    assert "Giao ước thi đua năm nay" in staff.get(f"/registration/calls/{call.id}/edit").get_data(
        as_text=True
    )
    moved = date(call.year, 12, 30)

    response = staff.post_form(
        f"/registration/calls/{call.id}/edit",
        data={"deadline": moved.isoformat(), "pledge": "Giao ước đã sửa"},
    )

    assert response.headers["Location"] == f"/registration/calls/{call.id}"
    db.session.refresh(call)
    assert (call.deadline, call.pledge) == (moved, "Giao ước đã sửa")


def test_a_signed_pledge_cannot_be_changed_but_the_deadline_can_move(
    login: Any, scene: Scene
) -> None:
    call = _open_this_year(scene)
    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award, "")], sign=True
    )
    db.session.commit()
    staff = in_english(login(scene.secretariat))

    refused = staff.post_form(
        f"/registration/calls/{call.id}/edit",
        data={"deadline": call.deadline.isoformat(), "pledge": "Một giao ước khác"},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "A unit has already signed this pledge" in html
    assert "Một giao ước khác" in html  # what was typed is kept
    db.session.refresh(call)
    assert call.pledge == "Giao ước thi đua năm nay"

    moved = date(call.year, 12, 30)
    staff.post_form(
        f"/registration/calls/{call.id}/edit",
        data={"deadline": moved.isoformat(), "pledge": call.pledge},
    )
    db.session.refresh(call)
    assert call.deadline == moved


def test_only_the_bodys_secretariat_changes_its_registration(login: Any, scene: Scene) -> None:
    call = _open_this_year(scene)
    db.session.commit()
    for outsider in (scene.nominator, scene.chair):
        client = login(outsider)
        assert client.get(f"/registration/calls/{call.id}/edit").status_code == 403
        page = client.get(f"/registration/calls/{call.id}")
        assert f"/registration/calls/{call.id}/edit" not in page.get_data(as_text=True)
