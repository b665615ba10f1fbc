"""The decision pages at a province's volume: the decisions list and the golden book are paged,
the decisions page offers the first passed dossiers and leads to a page listing them all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.certificates import views as certificate_views
from recognition.decisions import services as decisions
from recognition.decisions import views as decision_views
from recognition.extensions import db
from tests.council.helpers import client_for
from tests.decisions.helpers import ISSUE_DAY, drafted, passed
from tests.workflow.helpers import build_scene

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def test_the_decisions_list_is_paged_newest_first(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    scene = build_scene()
    made = [drafted(scene, [passed(scene, name=f"Ấp Trang {i}")]) for i in range(3)]
    db.session.commit()
    client = client_for(app, scene.secretariat)

    first = client.get("/decisions/").get_data(as_text=True)
    second = client.get("/decisions/?page=2").get_data(as_text=True)

    newest, middle, oldest = (f'href="/decisions/{d.id}"' for d in reversed(made))
    assert newest in first and middle in first and oldest not in first
    assert oldest in second and newest not in second
    assert "3 decisions" in first


def test_the_decisions_list_puts_drafts_first_then_the_latest_issue(app: Flask) -> None:
    # The order people read a register in: by the day of issue (then the number), not by
    # when a record happened to be made (the demo's year-end decision was recorded last).
    scene = build_scene()
    december, year_end, draft = (
        drafted(scene, [passed(scene, name=f"Ấp Thứ Tự {i}")]) for i in range(3)
    )
    for decision, issued_on, number in (
        (december, date(2026, 12, 1), 1187),
        (year_end, date(2025, 12, 26), 1),
    ):
        decision.issued_on, decision.year, decision.number = issued_on, issued_on.year, number
    db.session.commit()

    page = client_for(app, scene.secretariat).get("/decisions/").get_data(as_text=True)

    links = [page.index(f'href="/decisions/{d.id}"') for d in (draft, december, year_end)]
    assert links == sorted(links)


def test_the_decisions_page_offers_the_first_passed_dossiers_and_links_to_all(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decision_views, "PASSED_SHOWN", 2)
    scene = build_scene()
    dossiers = [passed(scene, name=f"Ấp Chờ {i}") for i in range(3)]
    db.session.commit()
    client = client_for(app, scene.secretariat)

    page = client.get("/decisions/").get_data(as_text=True)
    assert page.count('name="nomination_id"') == 2
    assert "The first 2 of 3 are shown" in page
    assert f'href="/decisions/new/{scene.body.id}"' in page

    everything = client.get(f"/decisions/new/{scene.body.id}").get_data(as_text=True)
    assert everything.count('name="nomination_id"') == 3
    for dossier in dossiers:
        assert f'value="{dossier.id}"' in everything
    assert client_for(app, scene.chair).get(f"/decisions/new/{scene.body.id}").status_code == 403


def test_the_golden_book_is_paged(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate_views, "GOLDEN_BOOK_PAGE", 2)
    scene = build_scene()
    decision = drafted(scene, [passed(scene, name=f"Ấp Sổ {i}") for i in range(3)])
    decisions.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    db.session.commit()
    serials = sorted(line.certificate.public_serial for line in decision.lines if line.certificate)
    assert len(serials) == 3
    client = client_for(app, scene.secretariat)

    first = client.get(f"/decisions/golden-book/{scene.body.id}").get_data(as_text=True)
    second = client.get(f"/decisions/golden-book/{scene.body.id}?page=2").get_data(as_text=True)

    assert serials[0] in first and serials[1] in first and serials[2] not in first
    assert serials[2] in second and serials[0] not in second
    assert "3 certificates" in first
    # The page links keep the body of the address, whatever the query string says.
    forged = client.get(f"/decisions/golden-book/{scene.body.id}?body_id=abc")
    assert forged.status_code == 200
    assert f"/decisions/golden-book/{scene.body.id}?page=2" in forged.get_data(as_text=True)
