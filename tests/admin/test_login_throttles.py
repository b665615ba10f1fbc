"""The administrators' page of throttled log-ins: who failed, from where, until when; clearing."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.auth.test_lockout import Clock
from tests.auth.test_login import WRONG, assert_too_many, attempt, fresh
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UnitFactory, UserFactory, user_with

pytestmark = pytest.mark.integration

URL = "/admin/users/login-throttles"


class Rows(HTMLParser):
    """The text of each cell of each row of the page's tables."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"} and self.rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    return Rows(response.get_data(as_text=True)).rows[1:]  # without the heading


def flashes(client: Client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return [tuple(item) for item in session.get("_flashes", [])]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def root() -> Unit:
    return UnitFactory(name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE, code="83")


@pytest.fixture
def admin(as_user, root: Unit) -> Client:  # type: ignore[no-untyped-def]
    """An administrator who reads the pages in English."""
    return as_user(user_with(Role.ADMIN, root, username="admin", locale="en"))


@pytest.fixture
def user() -> User:
    return UserFactory(username="tran.lanh", full_name="Trần Thị Lành")


def test_the_page_lists_accounts_and_their_throttled_addresses(
    app: Flask, admin: Client, user: User, clock: Clock
) -> None:
    attacker = fresh(app, "198.51.100.66")
    for _ in range(5):
        attempt(attacker, user.username, WRONG)
    clock.advance(seconds=30)
    attempt(fresh(app, "203.0.113.9"), user.username, WRONG)
    attempt(fresh(app, "203.0.113.9"), "Không.Có", WRONG)

    shown = rows(admin.get(URL))

    assert shown == [
        ["không.có", "1 failed log-in from 1 address", "Clear failures"],
        ["203.0.113.9", "1", "02/03/2026 08:00", "Not throttled"],
        ["tran.lanh Trần Thị Lành", "6 failed log-ins from 2 addresses", "Clear failures"],
        ["203.0.113.9", "1", "02/03/2026 08:00", "Not throttled"],
        ["198.51.100.66", "5", "02/03/2026 08:00", "Throttled until 02/03/2026 08:01"],
    ]


def test_the_page_shows_an_account_under_attack(app: Flask, admin: Client, user: User) -> None:
    for number in range(1, 21):
        attempt(fresh(app, f"198.51.100.{number}"), user.username, WRONG)

    shown = rows(admin.get(URL))

    assert shown[0] == [
        "tran.lanh Trần Thị Lành Under attack",
        "20 failed log-ins from 20 addresses",
        "Clear failures",
    ]
    assert len(shown) == 21


def test_the_page_is_linked_from_the_user_list(admin: Client) -> None:
    assert f'href="{URL}"' in admin.get("/admin/users/").get_data(as_text=True)


def test_nothing_to_show(admin: Client) -> None:
    page = admin.get(URL).get_data(as_text=True)

    assert "No failed log-in in the last 24 hours." in page


def test_clearing_an_account_lets_its_addresses_in_again(
    app: Flask, admin: Client, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    attacker = fresh(app, "198.51.100.66")
    for _ in range(5):
        attempt(attacker, user.username, WRONG)
    attempt(fresh(app, "203.0.113.9"), "someone.else", WRONG)
    assert_too_many(attempt(attacker, user.username, PASSWORD))

    with caplog.at_level(logging.INFO):
        response = admin.post_form(f"{URL}/clear", {"username": user.username})

    assert (response.status_code, response.headers["Location"]) == (302, URL)
    assert flashes(admin) == [("success", "The failed log-ins of tran.lanh have been cleared.")]
    assert [row[0] for row in rows(admin.get(URL))] == ["someone.else", "203.0.113.9"]
    assert [r.getMessage() for r in caplog.records if "cleared" in r.getMessage()] == [
        "login throttle of 'tran.lanh' cleared by 'admin' (addresses: 1)"
    ]
    assert log_in(attacker, user.username).headers["Location"] == "/dashboard"


def test_clearing_needs_the_csrf_token(app: Flask, admin: Client, user: User) -> None:
    attacker = fresh(app, "198.51.100.66")
    for _ in range(5):
        attempt(attacker, user.username, WRONG)

    response = admin.post(f"{URL}/clear", data={"username": user.username})

    assert response.status_code == 400
    assert_too_many(attempt(attacker, user.username, PASSWORD))


def test_clearing_without_a_user_name_is_refused(admin: Client) -> None:
    assert admin.post_form(f"{URL}/clear", {}).status_code == 400


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.SECRETARIAT, Role.CHAIR])
def test_non_admins_get_403(as_user, root: Unit, user: User, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = as_user(user_with(role, root))
    for _ in range(5):
        attempt(fresh(client.application, "198.51.100.66"), user.username, WRONG)

    listing = client.get(URL)
    clearing = client.post_form(f"{URL}/clear", {"username": user.username})

    assert (listing.status_code, clearing.status_code) == (403, 403)
    assert_too_many(attempt(fresh(client.application, "198.51.100.66"), user.username, PASSWORD))


def page_queries(app: Flask, client: Client, count_queries, accounts: int) -> int:  # type: ignore[no-untyped-def]
    for number in range(accounts):
        name = UserFactory().username if number % 2 else f"ghost{number}"
        attempt(fresh(app, f"198.51.100.{number + 1}"), name, WRONG)
        attempt(fresh(app, f"203.0.113.{number + 1}"), name, WRONG)
    with count_queries() as count:
        shown = rows(client.get(URL))
    assert len(shown) == 3 * min(accounts, 25)
    return count()


def test_the_query_count_does_not_grow_with_the_rows(
    app: Flask, admin: Client, count_queries
) -> None:  # type: ignore[no-untyped-def]
    few = page_queries(app, admin, count_queries, 3)
    many = page_queries(app, admin, count_queries, 30)

    assert few == many
    assert few > 0


def test_clearing_a_user_name_with_a_nul_is_not_an_error(admin: Client) -> None:
    # PostgreSQL refuses a NUL in a query; the user name is normalised as the pairs were.
    response = admin.post_form("/admin/users/login-throttles/clear", {"username": "a\x00b"})

    assert response.status_code == 302
