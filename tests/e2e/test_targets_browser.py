"""A movement's targets in a real browser, in Vietnamese: the farmers' association's nominator
finds the targets through the "Công tác thi đua" menu, reports a value of its target, and the
secretariat confirms it; the summary of the movement counts it at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import screenshot
from tests.e2e.test_login_browser import log_in, new_page  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the browser walks run in the SQLite run"),
]

TARGET = "Giá trị sản xuất cây giống, hoa kiểng đạt 1.250 tỷ đồng"


def test_the_unit_reports_and_the_secretariat_confirms(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, live_server, "hnd.phuphung")
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    navigation.get_by_role("button", name="Công tác thi đua").or_(
        navigation.get_by_role("link", name="Công tác thi đua", exact=True)
    ).click()
    navigation.get_by_role("link", name="Chỉ tiêu").click()
    expect(page.get_by_role("heading", name="Chỉ tiêu các phong trào thi đua")).to_be_visible()
    page.get_by_role("link", name=re.compile("Vĩnh Long chung sức")).click()
    summary = page.locator("#summary-sentence")
    expect(summary).to_contain_text("3/27 chỉ tiêu đạt và vượt, 3/27 chỉ tiêu xấp xỉ đạt")
    page.get_by_role("link", name=TARGET).click()

    # A file over the limit is refused in the page, before the form is sent (sent, the whole
    # request would be refused and what was typed lost with it).
    too_large = tmp_path / "bao-cao-qua-lon.pdf"
    too_large.write_bytes(b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    page.get_by_label("Ghi chú").fill("Số liệu của Hội Nông dân xã, quý IV")
    page.get_by_label("Tệp minh chứng").set_input_files(too_large)
    expect(page.locator(".upload-problem")).to_have_text(
        "Tệp bao-cao-qua-lon.pdf có dung lượng lớn hơn 10 MB."
    )
    assert page.get_by_label("Tệp minh chứng").evaluate("input => input.files.length") == 0
    # Typed as Vietnamese write it: one thousand two hundred and sixty and a half.
    page.get_by_label("Giá trị").fill("1.260,5")
    page.get_by_role("button", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã báo cáo số liệu")
    expect(page.get_by_text("Chờ xác nhận")).to_be_visible()
    screenshot(page, artifacts / "target-reported-vi.png")

    secretariat = new_page()
    log_in(secretariat, live_server, "thuky")
    secretariat.goto(page.url)
    secretariat.get_by_role("button", name="Xác nhận").first.click()
    expect(secretariat.get_by_role("status")).to_contain_text("Đã xác nhận số liệu")
    expect(secretariat.locator(".target-class").first).to_have_text("đạt và vượt · 100,8 %")
    secretariat.get_by_role("link", name="Chỉ tiêu", exact=True).last.click()
    expect(secretariat.locator("#summary-sentence")).to_contain_text(
        "4/27 chỉ tiêu đạt và vượt, 2/27 chỉ tiêu xấp xỉ đạt"
    )
    screenshot(secretariat, artifacts / "targets-after-confirm-vi.png")
