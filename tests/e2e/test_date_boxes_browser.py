"""A date box in a real browser (static/js/app.js): the browser draws it in the order of its
own language (month first in an English browser), so the page writes the date chosen under
it as Vietnamese documents do, dd/mm/yyyy, with its weekday."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ON_POSTGRES
from tests.e2e.test_login_browser import log_in, new_page  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the browser walks run in the SQLite run"),
]


def test_the_date_chosen_is_written_under_its_box(live_server: str, new_page: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/audit?since=2026-12-07")
    since, until = page.locator("#since"), page.locator("#until")

    # A date given with the page is written at once; an empty box has nothing under it.
    expect(page.locator("#since-chosen")).to_have_text("Ngày đã chọn: Thứ Hai, 07/12/2026")
    assert page.locator("#until-chosen").count() == 0
    until.fill("2027-01-31")
    expect(page.locator("#until-chosen")).to_have_text("Ngày đã chọn: Chủ Nhật, 31/01/2027")
    assert "until-chosen" in (until.get_attribute("aria-describedby") or "").split()
    # Emptied, the note says nothing (a description the box names is read even when hidden).
    since.fill("")
    expect(page.locator("#since-chosen")).to_have_text("")
