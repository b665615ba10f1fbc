"""The dossier pages through the test client: create, read, edit, act, delete; and who may."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from recognition.campaigns.enums import CampaignAction
from recognition.campaigns.services import withdraw_offer
from recognition.campaigns.workflow import apply_campaign_action
from recognition.common.audit import AuditEvent
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment
from recognition.nominations.deadlines import add_working_days
from recognition.nominations.enums import Action
from recognition.nominations.models import Attachment, Nomination
from recognition.nominations.services import Answer, Collective, Report, update_nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.enums import UnitKind
from tests.conftest import Client
from tests.nominations import PDF, World, build_world, complete_answers, fill_in
from tests.support.factories import NominationFactory, UnitFactory
from tests.support.object_store import isolate_store, stored_keys

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Services called by the test itself link their notifications: they need a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def world(app: Flask, tmp_path, monkeypatch) -> World:  # type: ignore[no-untyped-def]
    isolate_store(app, tmp_path / "uploads", monkeypatch)
    today = local_today()
    return build_world(opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10))


def draft(world: World) -> Nomination:
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.commune_a,
    )


def submitted(world: World) -> Nomination:
    nomination = fill_in(draft(world), world, world.nominator_a)
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a)
    return nomination


def flashes(client: Client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return [tuple(item) for item in session.get("_flashes", [])]


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def options(response: Any, name: str) -> list[tuple[str, str]]:
    """(value, label) of the options of the <select name=…> on a page."""
    page = response.get_data(as_text=True)
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, f"no select {name}"
    return [
        (value, html.unescape(label))
        for value, label in re.findall(
            r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html.group(1)
        )
    ]


def field_error(response: Any, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


def fresh(nomination: Nomination) -> Nomination:
    db.session.expire_all()
    return db.session.get(Nomination, nomination.id)


def events_of(nomination: Nomination) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_kind == "nomination", AuditEvent.object_id == nomination.id)
            .order_by(AuditEvent.id)
        )
    )


# --- create --------------------------------------------------------------------------------


def test_create_form_offers_the_campaigns_awards_and_the_nominators_area(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.get(f"/nominations/new/{world.campaign.id}")

    assert response.status_code == 200
    assert options(response, "award_type_id") == [
        (str(world.team_award.id), "Tập thể tiêu biểu"),
        (str(world.person_award.id), "Lao động tiên tiến"),
    ]
    assert options(response, "nominee_unit_id") == [
        ("None", "— choose —"),
        (str(world.commune_a.id), "Xã Sơn Định"),
        (str(world.hamlet_a.id), "\u2003Ấp Phú Hữu"),
    ]


def test_create_a_collective_dossier(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.team_award.id,
            "nominee_unit_id": world.hamlet_a.id,
        },
    )

    nomination = db.session.scalars(select(Nomination)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/nominations/{nomination.id}/edit"
    assert flashes(client) == [
        (
            "success",
            (
                "The draft dossier has been created. Fill in the report and the criteria; "
                "you can save and come back at any time."
            ),
        )
    ]
    assert (
        nomination.state,
        nomination.nominee_unit_id,
        nomination.nominating_unit_id,
        nomination.created_by_id,
    ) == ("draft", world.hamlet_a.id, world.commune_a.id, world.nominator_a.id)


def _dao(world: World) -> dict[str, Any]:
    """The form of an individual's dossier: Nguyễn Thị Đào of hamlet A."""
    return {
        "award_type_id": world.person_award.id,
        "person_name": "Nguyễn Thị Đào",
        "person_position": "Chi hội trưởng",
        "person_unit_id": world.hamlet_a.id,
    }


def test_create_an_individual_dossier(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {**_dao(world), "person_birth_year": "1979", "person_gender": "female"},
    )

    nomination = db.session.scalars(select(Nomination)).one()
    assert response.status_code == 302
    assert (
        nomination.person_name,
        nomination.person_position,
        nomination.person_unit_id,
        nomination.person_birth_year,
        nomination.person_gender,
    ) == ("Nguyễn Thị Đào", "Chi hội trưởng", world.hamlet_a.id, 1979, "female")


def test_an_empty_individual_dossier_names_every_missing_field(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}", {"award_type_id": world.person_award.id}
    )

    assert response.status_code == 200
    assert (field_error(response, "person_unit_id"), field_error(response, "person_name")) == (
        "Choose the unit where the person works or lives.",
        "Enter the full name of the person.",
    )


def test_a_bad_birth_year_is_said_with_every_missing_field_at_once(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {"award_type_id": world.person_award.id, "person_birth_year": "1.985"},
    )

    assert response.status_code == 200
    assert "person_birth_year-error" in response.get_data(as_text=True)
    assert (field_error(response, "person_unit_id"), field_error(response, "person_name")) == (
        "Choose the unit where the person works or lives.",
        "Enter the full name of the person.",
    )
    assert db.session.scalars(select(Nomination)).all() == []


@pytest.mark.parametrize("year", ["1800", "2999"])
def test_a_birth_year_out_of_range_gets_one_message(world: World, login, year: str) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.person_award.id,
            "person_name": "Nguyễn Thị Đào",
            "person_unit_id": world.hamlet_a.id,
            "person_birth_year": year,
        },
    )

    assert response.status_code == 200
    assert field_error(response, "person_birth_year") == (
        "The birth year must be between 1900 and this year."
    )


def test_create_a_duplicate_links_to_the_existing_dossier(world: World, login) -> None:  # type: ignore[no-untyped-def]
    existing = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.team_award.id,
            "nominee_unit_id": world.commune_a.id,
        },
    )

    page = text_of(response)
    assert response.status_code == 200
    assert re.findall(r'<a href="([^"]+)">Open the existing dossier</a>', page) == [
        f"/nominations/{existing.id}"
    ]
    assert (
        "Xã Sơn Định already has a dossier for Tập thể tiêu biểu in this campaign (Draft)."
    ) in page
    assert db.session.scalar(select(func.count(Nomination.id))) == 1


def test_create_shows_a_refusal_on_its_field(world: World, login) -> None:  # type: ignore[no-untyped-def]
    team = UnitFactory(name="Tổ công nghệ số", kind=UnitKind.TEAM, parent=world.commune_a)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.team_award.id,
            "nominee_unit_id": team.id,
        },
    )

    assert response.status_code == 200
    assert field_error(response, "nominee_unit_id") == (
        "Tập thể tiêu biểu is for commune, hamlet; Tổ công nghệ số is of kind “team”."
    )
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


def test_create_for_a_unit_of_another_nominator_is_refused(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.team_award.id,
            "nominee_unit_id": world.commune_b.id,
        },
    )

    assert response.status_code == 200
    assert "You can only nominate in your own unit and the units below it." in text_of(response)
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


def test_the_form_of_a_closed_campaign_is_not_offered_to_fill_in(world: World, login) -> None:  # type: ignore[no-untyped-def]
    apply_campaign_action(world.campaign, CampaignAction.CLOSE, actor=world.secretariat)
    client = login(world.nominator_a)

    response = client.get(f"/nominations/new/{world.campaign.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{world.campaign.id}"
    ((category, message),) = flashes(client)
    assert category == "warning"
    assert message.startswith(f"“{world.campaign.name}” is not receiving dossiers (closed;")


def test_create_in_a_closed_campaign_is_refused(world: World, login) -> None:  # type: ignore[no-untyped-def]
    apply_campaign_action(world.campaign, CampaignAction.CLOSE, actor=world.secretariat)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.team_award.id,
            "nominee_unit_id": world.commune_a.id,
        },
    )

    assert response.status_code == 200
    assert "The campaign is not open for nominations." in text_of(response)
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


def test_create_for_an_award_taken_off_meanwhile_is_refused_and_keeps_what_was_typed(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)
    shown = options(client.get(f"/nominations/new/{world.campaign.id}"), "award_type_id")
    # The secretariat takes the title off while the nominator fills in the form.
    offer = next(o for o in world.campaign.offers if o.award_type_id == world.person_award.id)
    withdraw_offer(offer, actor=world.secretariat)
    db.session.commit()

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        _dao(world),
    )

    page = text_of(response)
    assert (str(world.person_award.id), "Lao động tiên tiến") in shown
    assert response.status_code == 200
    assert field_error(response, "award_type_id") == (
        "This campaign does not offer Lao động tiên tiến."
    )
    assert ('value="Nguyễn Thị Đào"' in page, 'value="Chi hội trưởng"' in page) == (True, True)
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


def test_create_needs_a_nominator_role_and_a_real_campaign(world: World, login) -> None:  # type: ignore[no-untyped-def]
    secretariat = login(world.secretariat)
    nominator = login(world.nominator_a)

    assert secretariat.get(f"/nominations/new/{world.campaign.id}").status_code == 403
    assert nominator.get("/nominations/new/999999").status_code == 404


# --- read ----------------------------------------------------------------------------------


def test_detail_shows_the_dossier_and_the_nominators_actions(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(draft(world), world, world.nominator_a)
    client = login(world.nominator_a)

    response = client.get(f"/nominations/{nomination.id}")

    page = text_of(response)
    assert response.status_code == 200
    # A draft is deleted, not withdrawn: the page offers "Delete the draft" instead.
    assert re.findall(r'formaction="/nominations/\d+/do/(\w+)"', page) == ["submit"]
    assert "Delete the draft" in page
    assert "Mô hình “Ấp thông minh”" in page


def test_detail_shows_the_share_of_women_of_a_collective(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(draft(world), world, world.nominator_a)
    nomination.women_percent = 75
    db.session.flush()
    client = login(world.nominator_a)

    response = client.get(f"/nominations/{nomination.id}")

    assert response.status_code == 200
    assert re.findall(r"Share of women \(%\)</dt><dd[^>]*>(\d+)</dd>", text_of(response)) == ["75"]


def test_the_secretariat_sees_a_dossier_only_once_submitted(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(draft(world), world, world.nominator_a)
    client = login(world.secretariat)

    before = client.get(f"/nominations/{nomination.id}").status_code
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a)
    after = client.get(f"/nominations/{nomination.id}")

    assert (before, after.status_code) == (403, 200)
    assert re.findall(r'formaction="/nominations/\d+/do/(\w+)"', text_of(after)) == ["take"]


def test_the_dossier_page_links_to_its_appraisal_once_taken(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = submitted(world)
    client = login(world.secretariat)
    appraisal = f'href="/review/{nomination.id}"'

    before = appraisal in text_of(client.get(f"/nominations/{nomination.id}"))
    apply_transition(nomination, Action.TAKE, actor=world.secretariat)
    after = appraisal in text_of(client.get(f"/nominations/{nomination.id}"))
    nominator = appraisal in text_of(login(world.nominator_a).get(f"/nominations/{nomination.id}"))

    assert (before, after, nominator) == (False, True, False)


# --- edit ----------------------------------------------------------------------------------


def test_edit_form_shows_the_saved_answers(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(draft(world), world, world.nominator_a)
    client = login(world.nominator_a)

    page = client.get(f"/nominations/{nomination.id}/edit").get_data(as_text=True)

    assert re.findall(
        rf'<input[^>]*checked[^>]*name="c{world.yes_no.id}_met"[^>]*'
        rf'value="(\w+)"',
        page,
    ) == ["yes"]
    assert re.findall(rf'name="c{world.number.id}_value"[^>]*value="([^"]*)"', page) == ["72"]
    assert re.findall(r'name="version"[^>]*value="(\d+)"', page) == [str(nomination.version)]


def test_save_a_draft(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            "summary": "Dẫn đầu phong trào “Đồng khởi mới”",
            "report_general": "Xã có 7 ấp.",
            f"c{world.yes_no.id}_met": "no",
            f"c{world.number.id}_value": "65.5",
            f"c{world.text.id}_text": "Mô hình hay",
            f"c{world.text.id}_note": "Biên bản số 3",
        },
    )

    saved = fresh(nomination)
    answers = {a.criterion_id: (a.met, a.value, a.text, a.evidence_note) for a in saved.answers}
    assert response.status_code == 302
    assert response.headers["Location"] == f"/nominations/{nomination.id}/edit"
    assert flashes(client) == [("success", "The dossier has been saved.")]
    assert (saved.summary, saved.report_general, saved.state) == (
        "Dẫn đầu phong trào “Đồng khởi mới”",
        "Xã có 7 ấp.",
        "draft",
    )
    assert answers[world.yes_no.id] == (False, None, "", "")
    assert answers[world.text.id] == (None, None, "Mô hình hay", "Biên bản số 3")
    assert str(answers[world.number.id][1]) == "65.50"


def person_dossier(world: World) -> Nomination:
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.person_award,
        actor=world.nominator_a,
        person_name="Nguyễn Thị Đào",
        person_unit=world.hamlet_a,
    )


def test_every_error_of_a_persons_dossier_is_said_at_once_with_the_text_kept(  # type: ignore[no-untyped-def]
    world: World, login
) -> None:
    # The empty name was said only once the year and the summary had been mended.
    nomination = person_dossier(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            "person_name": "",
            "person_unit_id": "",
            "person_birth_year": "2030",
            "summary": "Tóm tắt " + "x" * 3000,
        },
    )

    assert response.status_code == 200
    assert [
        field_error(response, f)
        for f in ("person_name", "person_unit_id", "person_birth_year", "summary")
    ] == [
        "Enter the full name of the person.",
        "Choose the unit where the person works or lives.",
        "The birth year must be between 1900 and this year.",
        "Field cannot be longer than 3000 characters.",
    ]
    assert re.findall(r'name="person_birth_year"[^>]*value="(\d+)"', text_of(response)) == ["2030"]
    assert fresh(nomination).person_name == "Nguyễn Thị Đào"


def marked_required(response: Any) -> list[str]:
    """The fields whose label carries the required mark."""
    return re.findall(
        r'<label[^>]*for="(\w+)">[^<]*<span class="required-mark"', response.get_data(as_text=True)
    )


def test_the_report_sections_the_award_requires_are_marked_and_a_draft_saves_without_them(  # type: ignore[no-untyped-def]
    world: World, login
) -> None:
    # "II. Achievements" had no mark, yet the submission was refused without it.
    world.team_award.required_report_sections = ["report_achievements", "report_criteria"]
    nomination = draft(world)
    client = login(world.nominator_a)

    page = client.get(f"/nominations/{nomination.id}/edit")
    saved = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {"version": nomination.version, "report_general": "Xã có 7 ấp."},
    )

    assert marked_required(page) == ["summary", "report_achievements", "report_criteria"]
    assert (saved.status_code, flashes(client)) == (
        302,
        [("success", "The dossier has been saved.")],
    )
    assert fresh(nomination).report_general == "Xã có 7 ấp."


def test_every_attached_file_shows_its_size(world: World, login) -> None:  # type: ignore[no-untyped-def]
    # A document not tied to a criterion was listed without its size.
    nomination = draft(world)
    add_attachment(
        nomination, BytesIO(PDF), "Minh chứng.pdf", actor=world.nominator_a, criterion=world.text
    )
    add_attachment(
        nomination,
        BytesIO(PDF.replace(b"\n", b"\n%" + b"x" * 2100 + b"\n", 1)),
        "Tờ trình.pdf",
        actor=world.nominator_a,
    )
    client = login(world.nominator_a)

    page = text_of(client.get(f"/nominations/{nomination.id}/edit"))

    assert re.findall(r">([^<>]+\.pdf)</a> <span[^>]*>\(([^)]*)\)</span>", page) == [
        ("Minh chứng.pdf", "1 KB"),
        ("Tờ trình.pdf", "3 KB"),
    ]


def test_save_then_submit_goes_to_the_actions(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {"version": nomination.version, "summary": "Tóm tắt", "then": "submit"},
    )

    assert response.headers["Location"] == f"/nominations/{nomination.id}#actions"


def test_save_over_someone_elses_change_keeps_the_text_and_warns(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    stale = nomination.version
    fill_in(nomination, world, world.nominator_a)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit", {"version": stale, "summary": "Bản của tôi"}
    )

    page = text_of(response)
    assert response.status_code == 200
    assert (
        "Someone else saved this dossier while you were editing it: your changes were not "
        "saved. Your text is kept below, and what they saved is shown above it; saving again "
        "replaces theirs with yours."
    ) in page
    assert "Bản của tôi" in page
    assert fresh(nomination).summary == "Tóm tắt"
    # What they saved, beside what was typed: the summary they wrote, not the fields alike.
    card = re.search(r'id="saved-meanwhile".*?</section>', response.get_data(as_text=True), re.S)
    assert card is not None
    shown = html.unescape(card.group(0))
    assert '<dt>Summary of achievements</dt><dd class="pre-line">Tóm tắt</dd>' in shown
    assert "Bản của tôi" not in shown
    # The form now carries the saved version: saving again replaces their text, knowingly.
    version = re.findall(r'name="version"[^>]*value="(\d+)"', response.get_data(as_text=True))
    assert version == [str(fresh(nomination).version)]
    again = client.post_form(
        f"/nominations/{nomination.id}/edit", {"version": version[0], "summary": "Bản của tôi"}
    )
    assert again.status_code == 302
    assert fresh(nomination).summary == "Bản của tôi"


@pytest.fixture
def changed_while_uploading() -> Iterator[None]:
    """Another user's save commits while this request stores an evidence file: the row's
    version moves on just before the attachment's INSERT, as in a double-submitted form."""

    def bump(session: Any, flush_context: Any, instances: Any) -> None:
        for item in session.new:
            if isinstance(item, Attachment):
                session.connection().execute(
                    text("UPDATE nominations SET version = version + 1 WHERE id = :id"),
                    {"id": item.nomination_id},
                )

    event.listen(Session, "before_flush", bump)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", bump)


def test_a_file_saved_over_someone_elses_change_warns_and_leaves_no_file(  # type: ignore[no-untyped-def]
    app: Flask, world: World, login, changed_while_uploading: None
) -> None:
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            "summary": "Bản của tôi",
            "general_files": (BytesIO(PDF), "Báo cáo thành tích.pdf"),
        },
        content_type="multipart/form-data",
    )

    page = text_of(response)
    saved = fresh(nomination)
    assert response.status_code == 200
    assert (
        "Someone else changed this dossier while you were editing it. Your text is kept "
        "below; check the current version and save again."
    ) in page
    assert field_error(response, "general_files") == (
        "The file you chose was not saved: “Báo cáo thành tích.pdf”. Choose it again."
    )
    assert "Bản của tôi" in page
    assert (saved.summary, saved.attachments) == ("Tóm tắt thành tích", [])
    assert stored_keys() == []


def test_a_form_error_says_beside_each_file_box_that_its_files_must_be_chosen_again(  # type: ignore[no-untyped-def]
    world: World, login
) -> None:
    # A browser cannot fill a file box in again: the page says so where the files were chosen.
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            "summary": "Bản của tôi",
            f"c{world.number.id}_value": "NaN",
            f"c{world.text.id}_files": [
                (BytesIO(PDF), "Biên bản.pdf"),
                (BytesIO(PDF), "Tờ trình.pdf"),
            ],
        },
        content_type="multipart/form-data",
    )

    page = text_of(response)
    assert response.status_code == 200
    assert field_error(response, f"c{world.text.id}_files") == (
        "The files you chose were not saved: “Biên bản.pdf”, “Tờ trình.pdf”. Choose them again."
    )
    # A box where nothing was chosen says nothing.
    assert 'id="general_files-error"' not in page
    assert "Bản của tôi" in page
    assert fresh(nomination).attachments == []


def test_a_form_error_without_files_chosen_says_nothing_about_files(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {"version": nomination.version, f"c{world.number.id}_value": "NaN"},
    )

    assert response.status_code == 200
    assert "_files-error" not in text_of(response)


@pytest.mark.parametrize("version", ["²", "9" * 5000, "-1"])
def test_a_version_that_is_not_a_number_is_not_checked(world: World, login, version: str) -> None:  # type: ignore[no-untyped-def]
    # "²".isdigit() is true but int("²") fails, and so does int() of 5,000 digits: no 500.
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit", {"version": version, "summary": "Tóm tắt mới"}
    )

    assert response.status_code == 302
    assert fresh(nomination).summary == "Tóm tắt mới"


@pytest.mark.parametrize("value", ["1000000000000", "sNaN", "NaN"])
def test_a_value_no_column_holds_is_refused(world: World, login, value: str) -> None:  # type: ignore[no-untyped-def]
    # Numeric(14, 2) holds twelve digits before the point; "sNaN" made WTForms raise.
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {"version": nomination.version, f"c{world.number.id}_value": value},
    )

    assert response.status_code == 200
    assert fresh(nomination).answers == []


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        ("%", "150", "Number must be between 0 and 100."),
        ("%", "-5", "Number must be between 0 and 100."),
        ("hộ", "-3", "Number must be between 0 and 999,999,999,999.99."),
    ],
)
def test_an_impossible_value_is_refused_with_what_was_typed_kept(  # type: ignore[no-untyped-def]
    world: World, login, unit: str, value: str, message: str
) -> None:
    world.number.unit_label = unit
    nomination = draft(world)
    db.session.commit()
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {"version": nomination.version, "summary": "Tóm tắt", f"c{world.number.id}_value": value},
    )

    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert re.findall(rf'name="c{world.number.id}_value"[^>]*value="([^"]*)"', page) == [value]
    assert fresh(nomination).answers == []


def test_a_share_of_100_is_kept(world: World, login) -> None:  # type: ignore[no-untyped-def]
    world.number.unit_label = "%"
    nomination = draft(world)
    db.session.commit()
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {"version": nomination.version, f"c{world.number.id}_value": "100"},
    )

    assert response.status_code == 302
    assert [a.value for a in fresh(nomination).answers if a.criterion_id == world.number.id] == [
        100
    ]


def test_a_submitted_dossier_is_not_editable(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = submitted(world)
    client = login(world.nominator_a)

    response = client.post_form(f"/nominations/{nomination.id}/edit", {"summary": "Sửa"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/nominations/{nomination.id}"
    assert flashes(client) == [("info", "This dossier cannot be changed while it is “Submitted”.")]
    assert fresh(nomination).summary == "Tóm tắt"


# --- act -----------------------------------------------------------------------------------


def test_submit_from_the_page(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(draft(world), world, world.nominator_a)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": nomination.version}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/nominations/{nomination.id}"
    due = add_working_days(local_today(), 10).strftime("%d/%m/%Y")
    body = nomination.campaign.awarding_body.name
    assert flashes(client) == [
        ("success", "The dossier has been submitted."),
        (
            "info",
            f"The secretariat of {body} appraises the dossier within 10 working days, "
            f"by {due}. You will be notified if it is sent back for changes.",
        ),
    ]
    assert fresh(nomination).state == "submitted"


@pytest.mark.parametrize("met", [True, False])
def test_a_required_criterion_assessed_as_not_met_is_warned_before_sending(  # type: ignore[no-untyped-def]
    world: World, login, met: bool
) -> None:
    nomination = draft(world)
    answers = {**complete_answers(world), world.yes_no.id: Answer(met=met)}
    update_nomination(nomination, Report(summary="Tóm tắt"), answers, actor=world.nominator_a)
    db.session.commit()

    page = login(world.nominator_a).get(f"/nominations/{nomination.id}").get_data(as_text=True)

    warned = re.search(r'id="unmet-criteria">([^<]*)<', page)
    submit = re.search(r'<button[^>]*/do/submit"[^>]*>', page)
    assert submit is not None and "disabled" not in submit.group(0)
    asked = _confirm_question(submit.group(0))
    body = world.campaign.awarding_body.name
    once_sent = "Once sent, it can no longer be changed unless it is sent back."
    if met:
        assert warned is None
        assert asked == f"Send this dossier to the secretariat of {body}? {once_sent}"
    else:
        assert warned is not None and f"({world.yes_no.code})" in html.unescape(warned.group(1))
        assert asked == (
            "A required criterion is assessed as not met. Send the dossier to the secretariat "
            f"of {body} anyway? {once_sent}"
        )


def _confirm_question(tag: str) -> str | None:
    """What the button's data-confirm asks before its form is sent (static/js/app.js)."""
    found = re.search(r'data-confirm="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else None


def test_sending_asks_first_naming_where_the_dossier_goes(world: World, login) -> None:  # type: ignore[no-untyped-def]
    """Sent, the dossier cannot be changed until it comes back: a click by mistake asks
    first, on the first sending and on the next one, in the page's language."""
    nomination = submitted(world)
    apply_transition(nomination, Action.TAKE, actor=world.secretariat)
    apply_transition(nomination, Action.SEND_BACK, actor=world.secretariat, comment="Bổ sung")
    db.session.commit()
    client = login(world.nominator_a)

    english = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    client.post_form("/language/vi", {"next": "/"})
    vietnamese = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)

    questions = []
    for page in (english, vietnamese):
        resubmit = re.search(r'<button[^>]*/do/resubmit"[^>]*>', page)
        assert resubmit is not None
        questions.append(_confirm_question(resubmit.group(0)))
    question = (
        "Send this dossier to the secretariat of %(body)s? "
        "Once sent, it can no longer be changed unless it is sent back."
    )
    with force_locale("vi"):
        # Inside a Vietnamese sentence the kind of the unit is written in lower case.
        in_vietnamese = gettext(question, body="huyện Chợ Lách")
    assert questions == [question % {"body": "Huyện Chợ Lách"}, in_vietnamese]


def test_submit_refusal_is_explained(world: World, login) -> None:  # type: ignore[no-untyped-def]
    """Finding 5 of issue 14: a refusal of several reasons is a heading and a list, on the
    dossier's page, not one run-on paragraph."""
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": nomination.version}
    )

    reasons = [
        "Criterion TB1 — Hoàn thành xuất sắc has no self-assessment.",
        "Criterion TB2 — Tỷ lệ hộ dùng dịch vụ công has no self-assessment.",
        "Criterion TB3 — Mô hình hay has no self-assessment.",
        "Criterion TB3 — Mô hình hay needs evidence (a file or a note).",
    ]
    assert response.headers["Location"] == f"/nominations/{nomination.id}#actions"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    alert = re.search(r'<div class="alert alert-danger[^"]*"[^>]*>(.*?)<button', page, re.S)
    assert alert
    heading = re.search(r'<p class="mb-1 fw-semibold">(.*?)</p>', alert.group(1), re.S)
    items = re.findall(r"<li>(.*?)</li>", alert.group(1), re.S)
    assert heading and html.unescape(heading.group(1)) == "The dossier cannot be submitted yet:"
    assert [html.unescape(i) for i in items] == reasons
    assert fresh(nomination).state == "draft"


def test_a_refusal_of_one_reason_is_that_reason_alone(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    update_nomination(nomination, Report(), complete_answers(world), actor=world.nominator_a)
    db.session.commit()
    client = login(world.nominator_a)

    client.post_form(f"/nominations/{nomination.id}/do/submit", {"version": nomination.version})

    assert flashes(client) == [
        ("danger", "Write the summary of achievements in the report before submitting.")
    ]


def test_a_double_clicked_submit_creates_one_submission(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(draft(world), world, world.nominator_a)
    version = nomination.version
    client = login(world.nominator_a)

    first = client.post_form(f"/nominations/{nomination.id}/do/submit", {"version": version})
    second = client.post_form(f"/nominations/{nomination.id}/do/submit", {"version": version})

    assert (first.status_code, second.status_code) == (302, 302)
    due = add_working_days(local_today(), 10).strftime("%d/%m/%Y")
    body = nomination.campaign.awarding_body.name
    assert flashes(client) == [
        ("success", "The dossier has been submitted."),
        (
            "info",
            f"The secretariat of {body} appraises the dossier within 10 working days, "
            f"by {due}. You will be notified if it is sent back for changes.",
        ),
        ("info", "This was already done: the dossier is “Submitted”."),
    ]
    assert events_of(nomination) == ["submit"]


def test_withdraw_from_the_page(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = submitted(world)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/withdraw",
        {"version": nomination.version, "comment": "Rút"},
    )

    assert response.status_code == 302
    assert fresh(nomination).state == "withdrawn"
    assert events_of(nomination) == ["submit", "withdraw"]


def test_a_comment_too_long_is_said_under_its_box_with_the_text_kept(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = submitted(world)
    client = login(world.nominator_a)
    typed = "Lý do rút hồ sơ. " * 400  # 6,800 characters

    response = client.post_form(
        f"/nominations/{nomination.id}/do/withdraw",
        {"version": nomination.version, "comment": typed},
    )

    page = text_of(response)
    assert response.status_code == 400
    assert "Field cannot be longer than 5000 characters." in page
    assert typed.strip() in page
    assert fresh(nomination).state == "submitted"


def test_an_action_of_another_role_is_refused(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = submitted(world)
    client = login(world.secretariat)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/withdraw", {"version": nomination.version}
    )

    assert response.status_code == 403
    assert "You may not do “Withdraw” on this dossier." in text_of(response)
    assert fresh(nomination).state == "submitted"


def test_an_unknown_action_is_not_found(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    client = login(world.nominator_a)

    assert client.post_form(f"/nominations/{nomination.id}/do/force").status_code == 404


def test_an_action_from_the_wrong_state_is_a_conflict(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    client = login(world.nominator_a)

    response = client.post_form(f"/nominations/{nomination.id}/do/resubmit")

    assert response.status_code == 409
    assert "“Resubmit” is not possible while the dossier is “Draft”." in text_of(response)


# --- delete --------------------------------------------------------------------------------


def test_delete_a_draft_and_its_files(app: Flask, world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = draft(world)
    attachment = add_attachment(nomination, BytesIO(PDF), "a.pdf", actor=world.nominator_a)
    from recognition.common import storage

    key = attachment.storage_key
    client = login(world.nominator_a)

    response = client.post_form(f"/nominations/{nomination.id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"] == "/nominations/"
    assert flashes(client) == [("success", "The draft has been deleted.")]
    assert db.session.scalar(select(func.count(Nomination.id))) == 0
    assert storage.exists(key) is False


def test_a_submitted_dossier_cannot_be_deleted(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = submitted(world)
    client = login(world.nominator_a)

    response = client.post_form(f"/nominations/{nomination.id}/delete")

    assert response.status_code == 403
    assert "Only a draft that was never submitted can be deleted." in text_of(response)
    assert fresh(nomination).state == "submitted"


# --- every route: another unit's nominator, unknown ids, CSRF ------------------------------


@pytest.fixture
def dossier(world: World) -> tuple[Nomination, Attachment]:
    nomination = fill_in(draft(world), world, world.nominator_a)
    attachment = add_attachment(
        nomination, BytesIO(PDF), "Tờ trình.pdf", actor=world.nominator_a, criterion=world.text
    )
    return nomination, attachment


ROUTES = [
    ("get", "/nominations/{n}"),
    ("get", "/nominations/{n}/edit"),
    ("post", "/nominations/{n}/edit"),
    ("post", "/nominations/{n}/do/submit"),
    ("post", "/nominations/{n}/do/withdraw"),
    ("post", "/nominations/{n}/delete"),
    ("get", "/nominations/{n}/files/{f}"),
    ("post", "/nominations/{n}/files/{f}/remove"),
    ("get", "/nominations/{n}/dossier.pdf"),
]


def send(client: Client, method: str, url: str) -> Any:
    return client.get(url) if method == "get" else client.post_form(url, {"summary": "Sửa"})


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_nominator_of_another_unit_is_forbidden(world, dossier, login, method, route) -> None:  # type: ignore[no-untyped-def]
    nomination, attachment = dossier
    client = login(world.nominator_b)

    response = send(client, method, route.format(n=nomination.id, f=attachment.id))

    saved = fresh(nomination)
    assert response.status_code == 403
    assert (saved.state, saved.summary, len(saved.attachments)) == ("draft", "Tóm tắt", 1)


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_unknown_dossier_is_not_found(world, dossier, login, method, route) -> None:  # type: ignore[no-untyped-def]
    _, attachment = dossier
    client = login(world.nominator_a)

    assert send(client, method, route.format(n=999_999, f=attachment.id)).status_code == 404


@pytest.mark.parametrize(("method", "route"), [r for r in ROUTES if "{f}" in r[1]])
def test_unknown_or_foreign_file_is_not_found(world, dossier, login, method, route) -> None:  # type: ignore[no-untyped-def]
    nomination, attachment = dossier
    other = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.hamlet_a,
    )
    client = login(world.nominator_a)

    unknown = send(client, method, route.format(n=nomination.id, f=999_999))
    foreign = send(client, method, route.format(n=other.id, f=attachment.id))

    assert (unknown.status_code, foreign.status_code) == (404, 404)
    assert len(fresh(nomination).attachments) == 1


@pytest.mark.parametrize("route", [r for m, r in ROUTES if m == "post"])
def test_posts_without_the_csrf_token_are_refused(world, dossier, login, route) -> None:  # type: ignore[no-untyped-def]
    nomination, attachment = dossier
    client = login(world.nominator_a)

    response = client.post(
        route.format(n=nomination.id, f=attachment.id),
        data={"summary": "Sửa", "version": nomination.version},
    )

    saved = fresh(nomination)
    assert response.status_code == 400
    assert (saved.state, saved.summary, len(saved.attachments)) == ("draft", "Tóm tắt", 1)


def test_create_without_the_csrf_token_is_refused(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.nominator_a)

    response = client.post(
        f"/nominations/new/{world.campaign.id}",
        data={"award_type_id": world.team_award.id, "nominee_unit_id": world.commune_a.id},
    )

    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


# --- a new draft from a withdrawn dossier ----------------------------------------------------


def withdrawn(world: World) -> Nomination:
    nomination = draft(world)
    update_nomination(
        nomination,
        Report(summary="Tóm tắt", general="Đặc điểm tình hình", achievements="Thành tích"),
        complete_answers(world),
        actor=world.nominator_a,
        collective=Collective(women_percent=72),
    )
    add_attachment(nomination, BytesIO(PDF), "Tờ trình.pdf", actor=world.nominator_a)
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a)
    apply_transition(nomination, Action.WITHDRAW, actor=world.nominator_a, comment="Nộp nhầm")
    db.session.commit()
    return nomination


def dossier_of(nomination: Nomination) -> dict[str, Any]:
    return {
        "state": nomination.state,
        "nominee": (nomination.nominee_unit_id, nomination.nominee_name, nomination.nominee_key),
        "award": (nomination.campaign_id, nomination.award_type_id, nomination.nominating_unit_id),
        "report": (
            nomination.summary,
            nomination.report_general,
            nomination.report_achievements,
            nomination.report_criteria,
            nomination.report_commendations,
        ),
        "women": nomination.women_percent,
        "answers": sorted(
            (a.criterion_id, a.met, a.value, a.text, a.evidence_note) for a in nomination.answers
        ),
    }


def test_a_new_draft_is_made_from_a_withdrawn_dossier_without_its_files(  # type: ignore[no-untyped-def]
    world: World, login
) -> None:
    source = withdrawn(world)
    client = login(world.nominator_a)
    page = text_of(client.get(f"/nominations/{source.id}"))

    response = client.post_form(f"/nominations/{source.id}/copy")

    copies = db.session.scalars(select(Nomination).where(Nomination.id != source.id)).all()
    assert "Make a new draft from this dossier" in page
    assert [len(copies), response.status_code] == [1, 302]
    (copy,) = copies
    assert response.headers["Location"] == f"/nominations/{copy.id}/edit"
    assert flashes(client) == [
        (
            "success",
            f"A new draft has been made from dossier {source.reference} with its report and "
            "self-assessment. Attach the evidence files again, then submit it.",
        )
    ]
    assert dossier_of(copy) == {**dossier_of(fresh(source)), "state": "draft"}
    assert (len(fresh(source).attachments), len(copy.attachments), fresh(source).state) == (
        1,
        0,
        "withdrawn",
    )
    assert copy.created_by_id == world.nominator_a.id


def test_a_second_new_draft_links_to_the_first(world: World, login) -> None:  # type: ignore[no-untyped-def]
    source = withdrawn(world)
    client = login(world.nominator_a)
    client.post_form(f"/nominations/{source.id}/copy")
    first = db.session.scalar(select(Nomination.id).where(Nomination.id != source.id))
    with client.session_transaction() as session:
        session.pop("_flashes")  # the first draft's message, read

    again = client.post_form(f"/nominations/{source.id}/copy")

    assert (again.status_code, again.headers["Location"]) == (302, f"/nominations/{first}")
    assert [category for category, _text in flashes(client)] == ["warning"]
    assert db.session.scalar(select(func.count(Nomination.id))) == 2


def test_a_new_draft_is_refused_where_it_cannot_be_made(world: World, login) -> None:  # type: ignore[no-untyped-def]
    source = withdrawn(world)
    live = submitted(world)
    db.session.commit()
    secretariat = login(world.secretariat)
    by_secretariat = secretariat.post_form(f"/nominations/{source.id}/copy")
    nominator = login(world.nominator_a)
    of_a_live_dossier = nominator.post_form(f"/nominations/{live.id}/copy")
    apply_campaign_action(world.campaign, CampaignAction.CLOSE, actor=world.secretariat)
    db.session.commit()
    page = text_of(nominator.get(f"/nominations/{source.id}"))
    after_closing = nominator.post_form(f"/nominations/{source.id}/copy")

    assert (by_secretariat.status_code, of_a_live_dossier.status_code) == (403, 409)
    assert "Only a withdrawn dossier is copied into a new draft." in text_of(of_a_live_dossier)
    # The campaign closed: no button, and a request sent anyway is told why on the page.
    assert "Make a new draft from this dossier" not in page
    assert (after_closing.status_code, after_closing.headers["Location"]) == (
        302,
        f"/nominations/{source.id}",
    )
    assert flashes(nominator) == [("danger", "The campaign is not open for nominations.")]
    assert db.session.scalar(select(func.count(Nomination.id))) == 2


def test_a_dossier_withdrawn_on_hold_is_not_copied(world: World, login) -> None:  # type: ignore[no-untyped-def]
    from recognition.nominations.enums import HoldKind
    from recognition.nominations.holds import hold_nomination

    source = submitted(world)
    hold_nomination(
        source, kind=HoldKind.COMPLAINT, reason="Đang giải quyết khiếu nại", actor=world.secretariat
    )
    apply_transition(source, Action.WITHDRAW, actor=world.nominator_a, comment="Rút")
    db.session.commit()
    client = login(world.nominator_a)

    page = text_of(client.get(f"/nominations/{source.id}"))
    response = client.post_form(f"/nominations/{source.id}/copy")

    assert "Make a new draft from this dossier" not in page
    assert response.status_code == 409
    assert "withdrawn while on hold" in text_of(response)
    assert db.session.scalar(select(func.count(Nomination.id))) == 1
