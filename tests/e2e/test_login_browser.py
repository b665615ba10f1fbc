"""Log in, look around and log out in a real browser; screenshots, when asked for
(tests/e2e/conftest.py), go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recognition.ops.demo import DEMO_PASSWORD
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import screenshot

# What the browser lays out and runs is the same whatever the database: checked once, in the
# SQLite run (the same pages are requested on PostgreSQL by the access matrix, every role).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        ON_POSTGRES, reason="logging in with a browser is checked in the SQLite run"
    ),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """`new_page(viewport)`: a page in a fresh browser context (its own cookies). After the
    test, no request may have failed or answered an error, and no script may have logged one."""
    contexts = []
    problems: list[str] = []

    def watch_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def watch_console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def watch_failure(request: Any) -> None:
        # A navigation cancels what the previous page was still loading: not a fault.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"{request.failure} {request.url}")

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("response", watch_response)
        page.on("console", watch_console)
        page.on("requestfailed", watch_failure)
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == []


def log_in(page: Any, base: str, username: str) -> None:
    """Log in from the Vietnamese login page."""
    from playwright.sync_api import expect

    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{base}/dashboard")


def test_admin_logs_in_browses_switches_language_and_logs_out(
    live_server: str, new_page: Any, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    page = new_page()
    page.goto(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    screenshot(page, artifacts / "login-vi.png")

    log_in(page, live_server, "admin")
    admin_card = page.get_by_role("region", name="Quản trị")
    expect(admin_card).to_be_visible()
    expect(admin_card.get_by_role("link", name="Cây đơn vị")).to_be_visible()
    screenshot(page, artifacts / "dashboard-vi.png")

    page.goto(f"{live_server}/admin/units/")
    expect(page.get_by_role("heading", name="Cây đơn vị")).to_be_visible()
    expect(page.get_by_role("link", name="Tỉnh Vĩnh Long", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Xã Phú Phụng", exact=True)).to_be_visible()
    screenshot(page, artifacts / "units-vi.png")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Unit tree")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == f"{live_server}/admin/units/"
    screenshot(page, artifacts / "units-en.png")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Dashboard"
    ).click()
    expect(page.get_by_role("region", name="Administration")).to_be_visible()
    screenshot(page, artifacts / "dashboard-en.png")

    page.get_by_role("button", name="Lê Quốc Khánh").click()  # the user menu
    page.get_by_role("button", name=re.compile("^(Log out|Đăng xuất)$")).click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_label(re.compile("^(User name|Tên đăng nhập)"))).to_be_visible()

    page.goto(f"{live_server}/dashboard")  # the session is over
    expect(page).to_have_url(re.compile(r"/login\?next="))

    # The choice is the account's: from another browser, the admin's pages are in English.
    other = new_page()
    other.goto(f"{live_server}/login")
    assert other.locator("html").get_attribute("lang") == "vi"
    log_in(other, live_server, "admin")
    expect(other.get_by_role("region", name="Administration")).to_be_visible()
    other.get_by_role("button", name="Tiếng Việt").click()  # back to the demo's language
    expect(other.get_by_role("region", name="Quản trị")).to_be_visible()


def test_nominator_dashboard(live_server: str, new_page: Any, artifacts: Path) -> None:
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, live_server, "ap.sonqui")
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.get_by_role("heading", name=re.compile("Lê Văn Tâm"))).to_be_visible()
    expect(page.get_by_role("region", name="Quản trị")).to_have_count(0)
    expect(page.get_by_text("Ấp Sơn Qui").first).to_be_visible()
    screenshot(page, artifacts / "dashboard-nominator-vi.png")


def test_phone_dashboard(live_server: str, new_page: Any, artifacts: Path) -> None:
    from playwright.sync_api import expect

    page = new_page(PHONE)
    log_in(page, live_server, "admin")
    expect(page.get_by_role("region", name="Quản trị")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the dashboard scrolls sideways on a phone"
    screenshot(page, artifacts / "dashboard-phone-vi.png")
