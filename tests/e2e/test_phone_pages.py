"""Lists and the new-dossier form at phone width (390 px): each row of a list is a card, no
page scrolls sideways, and the form shows only the nominee section the chosen title needs.
Screenshots, when asked for (tests/e2e/conftest.py), go to tests/artifacts/."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import screenshot
from tests.e2e.test_login_browser import PHONE, log_in, new_page  # noqa: F401

# What the browser lays out and runs is the same whatever the database: checked once, in the
# SQLite run (the same pages are requested on PostgreSQL by the access matrix, every role).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="layout at phone width is checked in the SQLite run"),
]


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def _rows_are_cards(page: Any) -> Any:
    """The page's list drawn as cards, none wider than the phone; returns its rows."""
    rows = page.locator("table.table-cards tbody tr")
    assert rows.count() > 0
    assert rows.first.evaluate("r => getComputedStyle(r).display") == "flex"
    _no_sideways_scroll(page)
    return rows


def test_dossier_list_is_cards_on_a_phone(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page(PHONE)
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/nominations/")
    rows = page.locator("table.table-cards tbody tr")
    assert rows.count() > 0
    _no_sideways_scroll(page)
    for i in range(rows.count()):
        row = rows.nth(i)
        assert row.evaluate("r => getComputedStyle(r).display") == "flex"
        # The nominee's name leads the card, over the whole card's width.
        title = row.locator("td.card-title-cell")
        assert title.evaluate("c => getComputedStyle(c).order") == "-1"
        assert title.bounding_box()["width"] > PHONE["width"] * 0.6
        # Every badge is whole inside its card.
        box = row.bounding_box()
        for badge in row.locator(".badge").all():
            b = badge.bounding_box()
            assert b["x"] >= box["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 0.5
    # The column headings stay for screen readers but are not drawn.
    assert page.locator("table.table-cards thead").bounding_box()["height"] <= 1
    screenshot(page, artifacts / "dossiers-phone-vi.png")


def test_dossier_list_is_a_table_on_a_desktop(
    live_server: str,
    new_page: Any,  # noqa: F811
) -> None:
    page = new_page()
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/nominations/")
    row = page.locator("table.table-cards tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"


def test_new_dossier_form_shows_the_section_the_title_needs(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    from playwright.sync_api import expect

    page = new_page(PHONE)
    log_in(page, live_server, "ap.sonqui")
    page.locator("a", has_text="Lập hồ sơ mới").first.click()
    select = page.locator("select#award_type_id")
    collective = (select.get_attribute("data-collective-awards") or "").split()
    values = [o.get_attribute("value") for o in select.locator("option").all()]
    individual = [v for v in values if v and v not in collective]
    assert collective and individual, "the demo campaign offers both kinds of title"
    collective_section = page.locator("fieldset[data-nominee-section=collective]")
    person_section = page.locator("fieldset[data-nominee-section=person]")

    select.select_option(individual[0])
    expect(collective_section).to_be_hidden()
    expect(person_section).to_be_visible()
    expect(page.locator("#person_name")).to_be_enabled()
    _no_sideways_scroll(page)
    screenshot(page, artifacts / "new-dossier-individual-phone-vi.png")

    select.select_option(collective[0])
    expect(collective_section).to_be_visible()
    expect(person_section).to_be_hidden()
    screenshot(page, artifacts / "new-dossier-collective-phone-vi.png")


def test_new_dossier_form_without_script_shows_both_sections(
    live_server: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, "ap.sonqui")
        page.locator("a", has_text="Lập hồ sơ mới").first.click()
        expect(page.get_by_role("group", name="Đối với tập thể")).to_be_visible()
        expect(page.get_by_role("group", name="Đối với cá nhân hoặc hộ gia đình")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("username", "path", "shot"),
    [
        ("admin", "/catalogue/", "catalogue-phone-vi.png"),
        ("admin", "/admin/users/", "users-phone-vi.png"),
        ("admin", "/decisions/", "decisions-phone-vi.png"),
    ],
)
def test_other_lists_are_cards_on_a_phone(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
    username: str,
    path: str,
    shot: str,
) -> None:
    page = new_page(PHONE)
    log_in(page, live_server, username)
    page.goto(f"{live_server}{path}")
    _rows_are_cards(page)
    screenshot(page, artifacts / shot)


def test_the_golden_book_is_cards_on_a_phone(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page(PHONE)
    log_in(page, live_server, "thuky")
    page.goto(f"{live_server}/decisions/")
    page.goto(live_server + page.locator("a[href*='/golden-book/']").first.get_attribute("href"))
    rows = _rows_are_cards(page)
    # The recipient leads each card.
    title = rows.first.locator("td.card-title-cell")
    assert title.evaluate("c => getComputedStyle(c).order") == "-1"
    screenshot(page, artifacts / "golden-book-phone-vi.png")


NARROW_PHONE = {"width": 375, "height": 740}


def test_honour_board_fits_a_375px_phone(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    """Anonymously: the board's cards take the whole width one under the other, their photos
    keep within the card, and an entry's page reads without sideways scrolling."""
    page = new_page(NARROW_PHONE)
    page.goto(f"{live_server}/honours/")
    cards = page.locator(".honour-card")
    assert cards.count() >= 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"the board is {width}px wide"
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert all(box["width"] > NARROW_PHONE["width"] * 0.85 for box in boxes)
    assert all(a["y"] + a["height"] <= b["y"] for a, b in itertools.pairwise(boxes))
    for image in page.locator(".honour-card img").all():
        assert image.bounding_box()["width"] <= NARROW_PHONE["width"]
    screenshot(page, artifacts / "honours-phone-vi.png")

    cards.first.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"the entry is {width}px wide"
    screenshot(page, artifacts / "honour-entry-phone-vi.png")


def test_a_decision_s_reward_money_reads_on_a_phone(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    # Seven columns squeezed to a word a line, the last cut off: on a phone the table keeps the
    # number, the recipient (the computation written under it) and the amount, whole.
    page = new_page(PHONE)
    log_in(page, live_server, "thuky")
    page.goto(f"{live_server}/decisions/")
    links = page.locator("main table a[href^='/decisions/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        page.goto(f"{live_server}{href}")
        if page.locator("#money").count():
            break
    region = page.locator("#money .table-responsive")
    region.scroll_into_view_if_needed()
    scroll, client = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    rows = page.locator("#money tbody tr")
    summaries = page.locator("#money tbody [data-money-summary]")
    shown = page.locator("#money thead th").evaluate_all(
        "cells => cells.filter(c => getComputedStyle(c).display !== 'none').length"
    )
    _no_sideways_scroll(page)
    screenshot(page, artifacts / "decision-money-phone-vi.png")

    assert rows.count() > 0
    assert (scroll <= client, shown, summaries.count()) == (True, 3, rows.count())
    assert all(summaries.nth(i).is_visible() for i in range(rows.count()))
