"""A text box's limit in a real browser, in Vietnamese (static/js/app.js): the browser cuts a
paste longer than a box's maxlength without a word, so the page says under the box that the
pasted text was cut and how much of it was left out; near the limit a counter shows how full the
box is. Screenshots, when asked for (tests/e2e/conftest.py), go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_decimal
from flask import Flask

from recognition.extensions import db
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import made_once, screenshot
from tests.e2e.test_login_browser import log_in, new_page  # noqa: F401
from tests.e2e.world import PERSON, _dossier, _unit, _user, open_campaign

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the browser walks run in the SQLite run"),
]

# The summary of achievements holds 3,000 characters (nominations/forms.py).
LIMIT = 3000
SENTENCE = (
    "Năm 2026, Tổ công nghệ số cộng đồng ấp Sơn Qui hướng dẫn 612 lượt người dân dùng dịch vụ "
    "công trực tuyến, cài đặt ứng dụng VNeID và thanh toán không dùng tiền mặt.\n"
)
PASTED = (SENTENCE * 40)[:4000]


@pytest.fixture(scope="module")
def draft_id(live_app: Flask, live_server: str) -> int:
    """A draft of Ấp Sơn Qui's nominator, its summary short."""
    return made_once(live_app, "text limits", lambda: _make_draft(live_app))["draft"]


def _make_draft(live_app: Flask) -> dict[str, Any]:
    with live_app.app_context(), live_app.test_request_context():
        campaign = open_campaign(_unit("Xã Phú Phụng", active=True))
        draft = _dossier(campaign, PERSON, "Tạ Thị Ngọc Hân", _user("ap.sonqui"))
        made = {"draft": draft.id}
        db.session.commit()
        db.session.remove()
    return made


def _vi(number: int) -> str:
    """A number as the pages write it in Vietnamese (3.000)."""
    return str(format_decimal(number, locale="vi"))


def test_a_paste_cut_at_the_limit_is_said_under_the_box(
    live_server: str,
    draft_id: int,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    from playwright.sync_api import expect

    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in(page, live_server, "ap.sonqui")
    page.goto(f"{live_server}/nominations/{draft_id}/edit")
    texts = page.locator("#length-limits")
    counted = texts.get_attribute("data-count-message")
    cut = texts.get_attribute("data-cut-message")
    assert counted and cut and "{count}" in cut and "{max}" in cut
    summary = page.locator("#summary")
    assert summary.get_attribute("maxlength") == str(LIMIT)
    described = summary.get_attribute("aria-describedby")
    assert described == "summary-help"

    # Far from the limit nothing is counted; from 80 % on, the count shows.
    summary.fill("Hướng dẫn 612 lượt người dân.")
    assert page.locator(".length-note").all_inner_texts() in ([], [""])
    summary.fill("x" * 2500)
    note = page.locator("#summary + .length-note")
    expect(note).to_have_text(counted.replace("{count}", _vi(2500)).replace("{max}", _vi(LIMIT)))

    # A paste of 4,000 characters into the emptied box: the browser keeps 3,000, the page says
    # that 1,000 were left out, and a screen reader hears it (a polite live region).
    summary.fill("")
    page.evaluate("text => navigator.clipboard.writeText(text)", PASTED)
    summary.focus()
    page.keyboard.press("Control+V")
    expect(summary).to_have_value(PASTED[:LIMIT])
    said = cut.replace("{max}", _vi(LIMIT)).replace("{count}", _vi(len(PASTED) - LIMIT))
    live = note.locator("[aria-live=polite]")
    expect(live).to_have_text(said)
    expect(note).to_contain_text(
        counted.replace("{count}", _vi(LIMIT)).replace("{max}", _vi(LIMIT))
    )
    # What already described the box is kept; the count and the message are added after it.
    names = (summary.get_attribute("aria-describedby") or "").split()
    assert names[0] == described and live.get_attribute("id") in names[1:], names
    screenshot(page, artifacts / "dossier-summary-paste-cut-vi.png")
    # Shortened by a key, the text fits again: what the paste left out is no longer said.
    summary.press("End")
    summary.press("Backspace")
    expect(live).to_have_text("")

    # A paste that fits says nothing more.
    summary.fill("")
    page.evaluate("text => navigator.clipboard.writeText(text)", SENTENCE)
    summary.focus()
    page.keyboard.press("Control+V")
    expect(summary).to_have_value(SENTENCE)
    expect(live).to_have_text("")
