"""Bounds on the dossier PDF: a dossier too long to print is refused at once with what to
shorten (not rendered for a minute, nor a 503), the report fields hold a bounded number of
lines, and a nominator has one PDF in production at a time."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from recognition.common.pdf import TooManyPages, html_to_pdf, render_queue, run_bounded
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from tests.nominations import World, build_world
from tests.render_stand_ins import InThread, gate, held_until_released, wait_until
from tests.support.factories import NominationFactory
from tests.workflow.helpers import error_page

pytestmark = pytest.mark.integration

TOO_LONG = "The document is too long to print"
WORDS = "Xã tổ chức phong trào thi đua “Đồng khởi mới” với nhiều mô hình hay, đạt kết quả tốt. "


@pytest.fixture(autouse=True)
def _request_context(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "LEASE_DIR", str(tmp_path / "leases"))
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    with app.test_request_context():
        yield


@pytest.fixture
def world() -> World:
    today = local_today()
    return build_world(opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10))


def dossier(world: World, report: Report | None = None, *, hamlet: bool = False) -> Nomination:
    nomination = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.hamlet_a if hamlet else world.commune_a,
    )
    update_nomination(nomination, report or Report(summary="Tóm tắt"), {}, actor=world.nominator_a)
    db.session.commit()
    return nomination


def shown_error(response: Any) -> tuple[int, str, str]:
    """The status, title and message of an error page (a PDF has neither)."""
    if response.mimetype == "application/pdf":
        return (response.status_code, "", "")
    return (response.status_code, *error_page(response.get_data(as_text=True)))


# --- too long to print ----------------------------------------------------------------------------


def test_a_dossier_too_long_to_print_is_refused_at_once_saying_what_to_shorten(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    # Saved before the fields' line limits, or past them: one short line after another.
    nomination = dossier(
        world,
        Report(
            summary="Tóm tắt",
            achievements="\n".join(["x"] * 12000),
            commendations="\n".join(["Giấy khen"] * 600),
        ),
    )

    response = login(world.nominator_a).get(f"/nominations/{nomination.id}/dossier.pdf")

    # 12,601 lines at no more than 45 a page: at least 280 pages.
    assert shown_error(response) == (
        422,
        TOO_LONG,
        "This dossier is too long to print: it would take at least 280 pages, and at most 200 "
        "can be printed at once. Shorten “II. Achievements” (for example, join short lines "
        "into paragraphs), then print it again.",
    )


def test_a_dossier_past_the_page_bound_once_laid_out_is_refused_and_the_next_prints(
    app: Flask, world: World, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "PDF_MAX_PAGES", 2)
    monkeypatch.setitem(app.config, "PDF_RENDERS_PER_USER", 1)
    # One long paragraph: nothing to count before the layout, five pages after it.
    long = dossier(world, Report(summary="Tóm tắt", general=(WORDS * 200).strip()))
    short = dossier(world, hamlet=True)
    client = login(world.nominator_a)

    refused = client.get(f"/nominations/{long.id}/dossier.pdf")
    printed = client.get(f"/nominations/{short.id}/dossier.pdf")

    assert shown_error(refused) == (
        422,
        TOO_LONG,
        "This dossier is too long to print: it has more than 2 pages, the most that can be "
        "printed at once. Shorten the longest parts of the report, or the self-assessments and "
        "evidence notes of the criteria, then print it again.",
    )
    assert (printed.status_code, printed.mimetype) == (200, "application/pdf")


# --- the fields' line limits ----------------------------------------------------------------------


def field_error(response: Any, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    return html.unescape(match.group(1)) if match else ""


def test_a_report_field_holds_a_bounded_number_of_lines(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = dossier(world)
    client = login(world.nominator_a)
    url = f"/nominations/{nomination.id}/edit"

    refused = client.post_form(
        url,
        {"version": nomination.version, "report_commendations": "\r\n".join(["Giấy khen"] * 301)},
    )
    db.session.expire_all()
    after_refusal = db.session.get(Nomination, nomination.id).report_commendations  # type: ignore[union-attr]
    saved = client.post_form(
        url,
        {"version": nomination.version, "report_commendations": "\r\n".join(["Giấy khen"] * 300)},
    )
    db.session.expire_all()
    stored = db.session.get(Nomination, nomination.id).report_commendations  # type: ignore[union-attr]

    assert (refused.status_code, field_error(refused, "report_commendations"), after_refusal) == (
        200,
        "At most 300 lines (this text has 301). Join short lines into paragraphs.",
        "",
    )
    assert (saved.status_code, stored.count("\n")) == (302, 299)


# --- one PDF in production per nominator ----------------------------------------------------------


def test_a_second_dossier_pdf_while_the_first_is_produced_gets_a_page_saying_wait(
    app: Flask, world: World, login, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 1)
    monkeypatch.setitem(app.config, "PDF_RENDERS_PER_USER", 1)
    assert run_bounded(abs, -1) == 1  # the worker is up
    url = f"/nominations/{dossier(world).id}/dossier.pdf"
    first_tab, second_tab = login(world.nominator_a), login(world.nominator_a)

    with gate(tmp_path) as path:
        # The only worker is busy, so the first request waits for it, holding its user's slot.
        InThread(app, run_bounded, held_until_released, path)
        wait_until(lambda: render_queue()["official_running"] == 1)
        first = InThread(app, first_tab.get, url)
        wait_until(lambda: render_queue()["shared_waiting"] == 1)
        second = second_tab.get(url)

    assert shown_error(second) == (
        429,
        "Your PDF is still being produced",
        "You already have a PDF being produced. Please wait until it is ready, then try again.",
    )
    assert first.result().status_code == 200
    assert second_tab.get(url).status_code == 200  # the slot is back once the first is done


@pytest.mark.no_database
def test_the_layout_stops_at_the_first_page_past_the_bound() -> None:
    """Counting the pages afterwards would first lay out all of them."""
    started: list[object] = []

    class Pages(logging.Filter):  # ahead of the bound's own filter: sees every page started
        def filter(self, record: logging.LogRecord) -> bool:
            if str(record.msg).startswith("Step 5 - Creating layout - Page %d"):
                started.append(record.args[0] if isinstance(record.args, tuple) else None)
            return True

    progress = logging.getLogger("weasyprint.progress")
    watch = Pages()
    progress.addFilter(watch)
    try:
        with pytest.raises(TooManyPages):
            html_to_pdf("<p>x</p>" * 5000, 3)  # about a hundred pages
    finally:
        progress.removeFilter(watch)

    assert started == [1, 2, 3, 4]
