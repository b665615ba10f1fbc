"""The dossier list as cards on a phone, the new-dossier form's nominee sections, and a draft's
action card (delete, not withdraw; no comment box meant for the secretariat)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.enums import Action
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition, available_actions
from tests.nominations import World, build_world, fill_in
from tests.support.factories import NominationFactory

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def world(app: Flask, tmp_path, monkeypatch) -> World:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    today = local_today()
    return build_world(opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10))


def draft(world: World) -> Nomination:
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.commune_a,
    )


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def action_buttons(page: str) -> list[str]:
    return re.findall(r'formaction="[^"]*/do/(\w+)"', page)


def test_a_draft_offers_delete_and_not_withdraw_nor_the_comment_box(
    world: World, login: Any
) -> None:
    nomination = draft(world)
    # The transition table still allows withdrawing a draft; the page offers deleting it.
    assert Action.WITHDRAW in available_actions(world.nominator_a, nomination)

    page = text_of(login(world.nominator_a).get(f"/nominations/{nomination.id}"))

    assert "Delete the draft" in page
    assert action_buttons(page) == ["submit"]
    assert 'name="comment"' not in page


def test_a_submitted_dossier_still_offers_withdraw_with_its_comment(
    world: World, login: Any
) -> None:
    nomination = fill_in(draft(world), world, world.nominator_a)
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a)

    page = text_of(login(world.nominator_a).get(f"/nominations/{nomination.id}"))

    assert "withdraw" in action_buttons(page)
    assert 'name="comment"' in page
    assert "Delete the draft" not in page


def test_no_empty_action_card_for_someone_with_nothing_to_do(world: World, login: Any) -> None:
    nomination = draft(world)

    page = text_of(login(world.secretariat).get(f"/nominations/{nomination.id}"))

    assert 'id="actions"' not in page
    assert "What you can do" not in page


def test_the_dossier_list_marks_each_cell_for_the_phone_cards(world: World, login: Any) -> None:
    draft(world)

    page = text_of(login(world.nominator_a).get("/nominations/"))

    assert 'class="table table-hover align-middle mb-0 table-cards"' in page
    row = re.search(r"<tbody>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r"<td([^>]*)>", row.group(1))
    assert cells and all("data-label=" in cell for cell in cells)
    assert sum("card-title-cell" in cell for cell in cells) == 1


def test_the_new_dossier_form_names_the_collective_titles_for_its_script(
    world: World, login: Any
) -> None:
    page = text_of(login(world.nominator_a).get(f"/nominations/new/{world.campaign.id}"))

    assert f'data-collective-awards="{world.team_award.id}"' in page
    assert 'data-nominee-section="collective"' in page
    assert 'data-nominee-section="person"' in page
    assert "/static/js/nominee-section.js" in page


def test_the_server_keeps_only_the_part_the_title_is_for(world: World, login: Any) -> None:
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/new/{world.campaign.id}",
        {
            "award_type_id": world.person_award.id,
            "nominee_unit_id": world.commune_a.id,
            "person_name": "Nguyễn Văn An",
            "person_unit_id": world.hamlet_a.id,
        },
    )

    assert response.status_code == 302
    nomination = db.session.scalars(
        select(Nomination).where(Nomination.person_name == "Nguyễn Văn An")
    ).one()
    assert nomination.nominee_unit is None
