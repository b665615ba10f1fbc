"""Each role in a real browser, in Vietnamese: log in, find what waits on the dashboard (its
count equal to its list), follow the link and act. The nominator resubmits a returned dossier,
the secretariat takes a submitted one, a council member votes, the chair closes a vote and
opens the decision to sign. Every dashboard is also seen at phone width, without sideways
scrolling. Screenshots, when asked for (tests/e2e/conftest.py), go to tests/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from recognition.council import services as council
from recognition.council.enums import SessionKind
from recognition.database import local_today
from recognition.decisions import services as decisions
from recognition.extensions import db
from recognition.nominations.enums import Action
from recognition.nominations.workflow import apply_transition
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import made_once, screenshot
from tests.e2e.test_login_browser import DESKTOP, PHONE, log_in, new_page  # noqa: F401
from tests.e2e.world import (
    PERSON,
    _accept,
    _dossier,
    _session,
    _set_rules,
    _unit,
    _user,
    open_campaign,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the browser walks run in the SQLite run"),
]

RETURNED_BECAUSE = "Đề nghị bổ sung bảng tổng hợp số liệu theo từng quý."
SUMMARY = "Hướng dẫn 640 lượt người dân (quý I: 150, quý II: 160, quý III: 330)."


@pytest.fixture(scope="module")
def waiting(live_app: Flask, live_server: str) -> dict[str, Any]:
    """Something waiting for each role, made through the services: a returned and a submitted
    dossier, two open votes (one to vote on, one to close) and a drafted decision."""
    return made_once(live_app, "role dashboards", lambda: _make_waiting(live_app))


def _make_waiting(live_app: Flask) -> dict[str, Any]:
    with live_app.app_context(), live_app.test_request_context():
        body = _unit("Xã Phú Phụng", active=True)
        campaign = open_campaign(body)
        _set_rules(campaign)
        nominator, secretariat, chair = _user("ap.sonqui"), _user("thuky"), _user("chutich")

        returned = _dossier(campaign, PERSON, "Đặng Thị Hoa", nominator)
        apply_transition(returned, Action.SUBMIT, actor=nominator)
        apply_transition(returned, Action.TAKE, actor=secretariat)
        apply_transition(returned, Action.SEND_BACK, actor=secretariat, comment=RETURNED_BECAUSE)

        submitted = _dossier(campaign, PERSON, "Bùi Văn Khoa", nominator)
        apply_transition(submitted, Action.SUBMIT, actor=nominator)

        to_vote = _dossier(campaign, PERSON, "Lý Thị Mai", nominator)
        _accept(to_vote, nominator, secretariat)
        vote_session = _session(body, [to_vote], secretariat, "Phiên họp tháng Mười hai")

        # A meeting being prepared: its agenda empty, its attendance not yet marked.
        to_prepare = _dossier(campaign, PERSON, "Phan Văn Tới", nominator)
        _accept(to_prepare, nominator, secretariat)
        preparing = council.create_session(
            body,
            council.SessionData(
                title="Phiên họp chuẩn bị", kind=SessionKind.MEETING, held_on=local_today()
            ),
        )

        to_close = _dossier(campaign, PERSON, "Huỳnh Văn Lộc", nominator)
        _accept(to_close, nominator, secretariat)
        close_session = _session(body, [to_close], secretariat, "Phiên họp bổ sung")

        simplified = _dossier(campaign, PERSON, "Trương Văn Nam", nominator)
        _accept(simplified, nominator, secretariat)
        apply_transition(simplified, Action.PASS_SIMPLIFIED, actor=chair)
        decision = decisions.draft_decision(body, [simplified], actor=secretariat)
        ids = {
            "returned": returned.id,
            "submitted": submitted.id,
            "vote_session": vote_session.id,
            "preparing": preparing.id,
            "close_session": close_session.id,
            "decision": decision.id,
        }
        db.session.commit()
        db.session.remove()
    return ids


def panel(page: Any, name: str) -> list[tuple[str, str]]:
    """The items of the dashboard list `name` as (link, text); its shown count must match.
    An empty list is not shown at all."""
    if page.locator(f'[data-count="{name}"]').count() == 0:
        assert page.locator(f'[data-list="{name}"]').count() == 0
        return []
    count = int(page.locator(f'[data-count="{name}"]').inner_text())
    links = page.locator(f'[data-list="{name}"] > li a')
    items = [
        (links.nth(i).get_attribute("href"), links.nth(i).inner_text().strip())
        for i in range(links.count())
    ]
    assert count == len(items), f"{name}: the badge says {count}, the list has {len(items)}"
    return items


def follow(page: Any, name: str, href: str) -> None:
    with page.expect_navigation():
        page.locator(f'[data-list="{name}"] > li a[href="{href}"]').click()


def look_at_dashboard(browser_page: Any, base: str, username: str, artifacts: Path) -> None:
    """The dashboard at phone width: nothing scrolls sideways; screenshots of both widths."""
    phone = browser_page(PHONE)
    log_in(phone, base, username)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard is {width}px wide on a phone"
    screenshot(phone, artifacts / f"dashboard-{username}-phone-vi.png")


def test_the_nominator_finds_the_returned_dossier_and_resubmits_it(
    live_server: str,
    waiting: dict[str, Any],
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page()
    log_in(page, live_server, "ap.sonqui")
    screenshot(page, artifacts / "dashboard-ap.sonqui-desktop-vi.png")
    dossier = f"/nominations/{waiting['returned']}"
    href = f"{dossier}/edit"
    items = panel(page, "returned")
    assert any(link == href and "Đặng Thị Hoa" in text for link, text in items), items
    assert RETURNED_BECAUSE in page.locator('[data-list="returned"]').inner_text()

    follow(page, "returned", href)
    assert RETURNED_BECAUSE in page.content()
    page.fill("#summary", SUMMARY)
    # Switching the language sends a form of the top bar: the browser asks before the typing is
    # lost, and staying keeps it; sending the dossier's own form asks nothing.
    question = page.locator("form[data-unsaved]").get_attribute("data-unsaved")
    asked: list[tuple[str, str]] = []

    def stay(dialog: Any) -> None:
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("button", name="English").click()
    page.wait_for_timeout(300)
    kept = (page.url, page.locator("html").get_attribute("lang"), page.input_value("#summary"))
    with page.expect_navigation():
        page.click("#save-draft")
    page.remove_listener("dialog", stay)
    assert (asked, kept) == ([("confirm", question)], (f"{live_server}{href}", "vi", SUMMARY))
    page.goto(f"{live_server}{dossier}")
    assert RETURNED_BECAUSE in page.content()
    # Sending again asks first, naming where the dossier goes: refused, nothing is sent.
    button = "button[formaction$='/do/resubmit']"
    sending: list[str] = []

    def refuse(dialog: Any) -> None:
        sending.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.click(button)
    page.wait_for_timeout(300)
    assert page.url == f"{live_server}{dossier}" and page.locator(button).is_enabled()
    assert len(sending) == 1 and "xã Phú Phụng" in sending[0], sending
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(button)
    # What happens next, with the appraisal's deadline.
    message = " ".join(page.locator(".alert").all_inner_texts())
    assert re.search(r"\d{2}/\d{2}/\d{4}", message), message

    page.goto(f"{live_server}/dashboard")
    assert all(link != href for link, _ in panel(page, "returned"))
    look_at_dashboard(new_page, live_server, "ap.sonqui", artifacts)


def test_the_secretariat_finds_the_submitted_dossier_and_takes_it(
    live_server: str,
    waiting: dict[str, Any],
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page()
    log_in(page, live_server, "thuky")
    screenshot(page, artifacts / "dashboard-thuky-desktop-vi.png")
    href = f"/review/{waiting['submitted']}"
    items = panel(page, "inbox")
    assert any(link == href and "Bùi Văn Khoa" in text for link, text in items), items
    # The dashboard counts what the inbox lists.
    page.goto(f"{live_server}/review/")
    inbox_links = {
        page.locator("main table tbody tr a[href^='/review/']").nth(i).get_attribute("href")
        for i in range(page.locator("main table tbody tr a[href^='/review/']").count())
    }
    assert inbox_links == {link for link, _ in items}
    page.goto(f"{live_server}/dashboard")
    new = int(page.locator('[data-count="submitted"]').inner_text())
    taken = int(page.locator('[data-count="in-review"]').inner_text())
    assert new + taken == len(items)

    follow(page, "inbox", href)
    with page.expect_navigation():
        page.click("form[action$='/do/take'] button[type=submit]")
    assert page.locator("input[type=radio][value=agree]").count() > 0
    page.goto(f"{live_server}/dashboard")
    assert int(page.locator('[data-count="submitted"]').inner_text()) == new - 1
    assert int(page.locator('[data-count="in-review"]').inner_text()) == taken + 1
    look_at_dashboard(new_page, live_server, "thuky", artifacts)


def test_a_council_member_finds_the_open_vote_and_votes(
    live_server: str,
    waiting: dict[str, Any],
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page(PHONE)
    log_in(page, live_server, "hoidong1")
    href = f"/council/sessions/{waiting['vote_session']}"
    items = panel(page, "ballots")
    assert (href, "Phiên họp tháng Mười hai") in items, items

    follow(page, "ballots", href)
    with page.expect_navigation():
        page.click("a[href$='/vote']")
    page.click("label[for=choice-agree]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with page.expect_navigation():
        page.click("input[name=step][value=cast] ~ div button[type=submit]")
    assert page.locator("#receipt").count() == 1

    # Voted on every item: the session no longer waits for this member.
    page.goto(f"{live_server}/dashboard")
    assert all(link != href for link, _ in panel(page, "ballots"))
    screenshot(page, artifacts / "dashboard-hoidong1-phone-vi.png")
    desktop = new_page(DESKTOP)
    log_in(desktop, live_server, "hoidong1")
    screenshot(desktop, artifacts / "dashboard-hoidong1-desktop-vi.png")


def test_the_chair_closes_a_vote_and_opens_the_decision_to_sign(
    live_server: str,
    waiting: dict[str, Any],
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page()
    log_in(page, live_server, "chutich")
    screenshot(page, artifacts / "dashboard-chutich-desktop-vi.png")
    session_href = f"/council/sessions/{waiting['close_session']}"
    decision_href = f"/decisions/{waiting['decision']}"
    assert session_href in [link for link, _ in panel(page, "to-close")]
    line = page.locator(f'[data-list="to-close"] > li:has(a[href="{session_href}"])')
    assert "0/9 thành viên tham gia đã biểu quyết xong" in line.inner_text()
    assert decision_href in [link for link, _ in panel(page, "to-sign")]

    follow(page, "to-close", session_href)
    page.once("dialog", lambda dialog: dialog.accept())  # "Close the vote now?"
    with page.expect_navigation():
        page.click("form[action$='/close'] button[type=submit]")
    page.goto(f"{live_server}/dashboard")
    assert session_href not in [link for link, _ in panel(page, "to-close")]

    follow(page, "to-sign", decision_href)
    assert page.locator("form[action$='/issue'] button[type=submit]").count() == 1
    look_at_dashboard(new_page, live_server, "chutich", artifacts)


def test_the_secretariat_is_asked_before_another_form_drops_the_attendance_marked(
    live_server: str,
    waiting: dict[str, Any],
    new_page: Any,  # noqa: F811
) -> None:
    page = new_page()
    log_in(page, live_server, "thuky")
    page.goto(f"{live_server}/council/sessions/{waiting['preparing']}")
    attendance = page.locator("#attendance form")
    attendance.locator("input[type=radio][value=present]").first.check()
    asked: list[str] = []

    def refuse(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.locator(
        f"form[action$='/sessions/{waiting['preparing']}/agenda'] button[type=submit]"
    ).click()
    page.wait_for_timeout(300)
    # Leaving by a link of the menu: the browser asks too (its own words), and staying keeps
    # the marks.
    left: list[str] = []

    def stay(dialog: Any) -> None:
        left.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator("header a[href='/nominations/']").first.click()
    page.wait_for_timeout(500)
    still_here = f"/council/sessions/{waiting['preparing']}" in page.url
    still_marked = attendance.locator("input[type=radio][value=present]").first.is_checked()
    with page.expect_navigation():
        attendance.locator("button[type=submit]").click()  # saved: nothing asked
    page.locator("header a[href='/nominations/']").first.click()  # nothing left unsaved
    page.wait_for_url("**/nominations/")

    assert (asked, left, still_here, still_marked) == (
        ["Thành phần tham dự vừa đánh dấu chưa được lưu và sẽ bị mất. Tiếp tục mà không lưu?"],
        ["beforeunload"],
        True,
        True,
    )


def test_the_administrator_sees_the_figures_of_the_installation(
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    page = new_page()
    log_in(page, live_server, "admin")
    screenshot(page, artifacts / "dashboard-admin-desktop-vi.png")
    figures = page.locator("#admin-title").locator("xpath=..")
    assert figures.locator("a[href='/admin/units/']").count() >= 1
    assert figures.locator("a[href='/admin/users/']").count() >= 1
    look_at_dashboard(new_page, live_server, "admin", artifacts)


@pytest.mark.parametrize("username", ["thuky", "admin"])
def test_the_menu_keeps_to_one_line_on_a_laptop(
    live_server: str,
    waiting: dict[str, Any],
    new_page: Any,  # noqa: F811
    username: str,
) -> None:
    # The widest menus (the secretariat's, the administrator's, in Vietnamese) at 1366px.
    page = new_page(DESKTOP)
    log_in(page, live_server, username)
    bar = page.locator(".rc-navbar").bounding_box()
    brand = page.locator(".rc-navbar .navbar-brand").bounding_box()
    account = page.locator(".rc-navbar .dropdown-toggle[title]").bounding_box()
    assert bar and brand and account
    # One line: the account menu sits level with the brand, inside a bar of one line's height.
    one_line = (bar["height"] < 70, abs(account["y"] - brand["y"]) < 20)
    assert one_line == (True, True), (bar, brand, account)
