"""The dossier list's filters at a province's volume: award types are offered when there are
few or once a campaign is chosen, and units only down to a few levels."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.nominations import views as nomination_views
from tests.nominations import World, build_world

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    return re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))


@pytest.fixture
def world() -> World:
    return build_world()


def test_award_types_wait_for_a_campaign_when_there_are_many(  # type: ignore[no-untyped-def]
    world: World, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user(world.secretariat)
    offered = {str(world.team_award.id), str(world.person_award.id)}

    assert offered <= set(
        _options(client.get("/nominations/").get_data(as_text=True), "award_type")
    )

    monkeypatch.setattr(nomination_views, "AWARD_CHOICES", 1)
    crowded = client.get("/nominations/").get_data(as_text=True)
    assert _options(crowded, "award_type") == ["None"]
    chosen = client.get(f"/nominations/?campaign={world.campaign.id}").get_data(as_text=True)
    assert _options(chosen, "award_type") == ["None"]  # the campaign offers two: still too many
    monkeypatch.setattr(nomination_views, "AWARD_CHOICES", 2)
    chosen = client.get(f"/nominations/?campaign={world.campaign.id}").get_data(as_text=True)
    assert offered <= set(_options(chosen, "award_type"))


def test_units_are_offered_down_to_the_set_depth(  # type: ignore[no-untyped-def]
    world: World, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user(world.nominator_a)
    deep = _options(client.get("/nominations/").get_data(as_text=True), "unit")
    assert str(world.hamlet_a.id) in deep

    monkeypatch.setattr(nomination_views, "UNIT_DEPTH", 0)
    shallow = _options(client.get("/nominations/").get_data(as_text=True), "unit")
    assert str(world.hamlet_a.id) not in shallow
    assert str(world.commune_a.id) in shallow
