"""Logging in: the happy path, one message for every failure, and the throttle.

Failures are throttled per (user name, client address) pair after LOGIN_FREE_ATTEMPTS (5), in
the database (tests/auth/test_lockout.py proves no one is locked out from elsewhere), and per
address by Flask-Limiter with LOGIN_LIMIT_PER_IP ("20 per hour"), which the conftest resets.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext

from recognition.auth.models import User
from recognition.database import utcnow
from recognition.extensions import db
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UserFactory

pytestmark = pytest.mark.integration

FAILURE = "The user name or password is not correct."
WRONG = "Wrong-password-123"


def in_vietnamese(msgid: str, **variables: Any) -> str:
    with force_locale("vi"):
        return gettext(msgid, **variables)


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def comparable(body: str, typed_username: str) -> str:
    """The page with its CSRF tokens and the echoed user name replaced by placeholders."""
    body = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1TOKEN"', body)
    return body.replace(f'value="{typed_username}"', 'value="USERNAME"')


def dashboard_status(client: Client) -> tuple[int, str]:
    response = client.get("/dashboard")
    return response.status_code, response.headers.get("Location", "").split("?")[0]


def attempt(client: Client, username: str, password: str, **kwargs: Any) -> Any:
    """One POST /login with the client's current token (a failure keeps the session)."""
    return client.post_form("/login", {"username": username, "password": password}, **kwargs)


def fresh(app: Flask, address: str | None = None) -> Client:
    """Another browser; from `address` when given (the default peer is 127.0.0.1)."""
    client = Client(app, app.response_class)
    if address:
        client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture
def user() -> User:
    return UserFactory(full_name="Trần Thị Lành")


# Success ------------------------------------------------------------------------------------


def test_login_redirects_to_the_dashboard(client: Client, user: User) -> None:
    response = log_in(client, user.username)

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Trần Thị Lành" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_login_follows_a_safe_next(client: Client, user: User) -> None:
    response = client.post_form(
        "/login",
        {"username": user.username, "password": PASSWORD},
        query_string={"next": "/admin/units/?q=son"},
    )

    assert (response.status_code, response.headers["Location"]) == (302, "/admin/units/?q=son")


@pytest.mark.parametrize("typed", ["HOANGMAI", "HoangMai", "  hoangmai  "])
def test_user_name_is_case_insensitive(client: Client, typed: str) -> None:
    UserFactory(username="hoangmai")

    response = log_in(client, typed)

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")
    assert dashboard_status(client) == (200, "")


@pytest.mark.parametrize("typed", ["hoangmai\x00", "\u200bhoang\u200dmai", "\ufeffhoangmai\x7f"])
def test_user_name_ignores_invisible_and_control_characters(client: Client, typed: str) -> None:
    # Pasted names carry them; PostgreSQL refuses a NUL in a query (it was a 500).
    UserFactory(username="hoangmai")

    response = log_in(client, typed)

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")


def test_must_change_password_user_is_sent_to_the_password_page(client: Client) -> None:
    user = UserFactory(must_change_password=True)

    response = client.post_form(
        "/login",
        {"username": user.username, "password": PASSWORD},
        query_string={"next": "/admin/units/"},
    )

    assert (response.status_code, response.headers["Location"]) == (302, "/account/password")
    assert client.get("/account/password").status_code == 200


def test_logged_in_visitor_of_login_page_is_sent_on(client: Client, user: User) -> None:
    log_in(client, user.username)

    response = client.get("/login")

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")


# Failure ------------------------------------------------------------------------------------


def test_unknown_user_and_wrong_password_get_the_same_page(client: Client, app: Flask) -> None:
    UserFactory(username="lanhtran")
    UserFactory(username="disabled1", disabled_at=utcnow())

    wrong_password = attempt(client, "lanhtran", WRONG)
    other = fresh(app)
    unknown_user = attempt(other, "nobody", WRONG)
    third = fresh(app)
    disabled = attempt(third, "disabled1", PASSWORD)

    assert [r.status_code for r in (wrong_password, unknown_user, disabled)] == [200, 200, 200]
    expected = comparable(wrong_password.get_data(as_text=True), "lanhtran")
    assert comparable(unknown_user.get_data(as_text=True), "nobody") == expected
    assert comparable(disabled.get_data(as_text=True), "disabled1") == expected
    assert in_vietnamese(FAILURE) in text_of(wrong_password)
    assert '<html lang="vi">' in expected
    for each in (client, other, third):
        assert dashboard_status(each) == (302, "/login")


def test_disabled_user_cannot_log_in(client: Client) -> None:
    user = UserFactory(disabled_at=utcnow())

    response = log_in(client, user.username)

    assert response.status_code == 200
    assert in_vietnamese(FAILURE) in text_of(response)
    assert dashboard_status(client) == (302, "/login")


@pytest.mark.no_database
def test_empty_form_is_shown_again(client: Client) -> None:
    response = attempt(client, "", "")

    assert response.status_code == 200
    assert dashboard_status(client) == (302, "/login")


# Throttling per user name and address -------------------------------------------------------


def assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    page = text_of(response)
    assert '<html lang="vi">' in page
    assert in_vietnamese("Too many attempts") in page
    assert in_vietnamese("Wait a few minutes before trying again.") in page


def test_five_failures_block_the_name_from_the_address_even_for_the_right_password(
    client: Client, user: User
) -> None:
    statuses = [attempt(client, user.username, WRONG).status_code for _ in range(5)]

    blocked = attempt(client, user.username, PASSWORD)

    assert statuses == [200] * 5
    assert_too_many(blocked)
    assert dashboard_status(client) == (302, "/login")
    assert client.get("/login").status_code == 200  # only POST is limited


def test_four_failures_do_not_block(client: Client, user: User) -> None:
    statuses = [attempt(client, user.username, WRONG).status_code for _ in range(4)]

    response = attempt(client, user.username, PASSWORD)

    assert (*statuses, response.status_code) == (200, 200, 200, 200, 302)


def test_account_limit_ignores_the_case_of_the_user_name(client: Client, user: User) -> None:
    typed = [user.username.upper(), user.username, f" {user.username.title()} "]
    for name in [*typed, *typed][:5]:
        assert attempt(client, name, WRONG).status_code == 200

    assert_too_many(attempt(client, user.username, PASSWORD))


def test_blocked_account_does_not_block_other_accounts(
    client: Client, app: Flask, user: User
) -> None:
    other_user = UserFactory()
    for _ in range(5):
        attempt(client, user.username, WRONG)

    response = log_in(fresh(app), other_user.username)

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")


def test_forwarded_for_does_not_reset_the_name_and_address_limit(
    client: Client, user: User
) -> None:
    for number in range(5):
        spoofed = {"X-Forwarded-For": f"203.0.113.{number + 1}"}
        assert attempt(client, user.username, WRONG, headers=spoofed).status_code == 200

    blocked = attempt(client, user.username, PASSWORD, headers={"X-Forwarded-For": "203.0.113.99"})

    assert_too_many(blocked)


# Throttling per address ---------------------------------------------------------------------


def fail_from_one_address(client: Client, count: int, *, spoof: bool = False) -> list[int]:
    """`count` failures spread over made-up accounts, four each (under the account limit)."""
    statuses = []
    for number in range(count):
        headers = {"X-Forwarded-For": f"203.0.113.{number + 1}"} if spoof else {}
        response = attempt(client, f"ghost{number // 4}", WRONG, headers=headers)
        statuses.append(response.status_code)
    return statuses


def test_twenty_failures_block_the_address(client: Client, app: Flask, user: User) -> None:
    before = fail_from_one_address(client, 19)
    still_open = log_in(fresh(app), user.username)
    twentieth = attempt(client, "ghost-last", WRONG)

    blocked = log_in(fresh(app), user.username)
    elsewhere = log_in(fresh(app, "192.0.2.7"), user.username)

    assert before == [200] * 19
    assert (still_open.status_code, twentieth.status_code) == (302, 200)
    assert_too_many(blocked)
    assert (elsewhere.status_code, elsewhere.headers["Location"]) == (302, "/dashboard")


def test_forwarded_for_does_not_reset_the_address_limit(
    client: Client, app: Flask, user: User
) -> None:
    statuses = fail_from_one_address(client, 20, spoof=True)
    other = fresh(app)
    other.csrf_token()

    blocked = attempt(other, user.username, PASSWORD, headers={"X-Forwarded-For": "192.0.2.99"})

    assert statuses == [200] * 20
    assert_too_many(blocked)


def test_successful_logins_do_not_count_for_the_account(app: Flask, user: User) -> None:
    responses = [log_in(fresh(app), user.username) for _ in range(7)]

    assert [r.status_code for r in responses] == [302] * 7


def test_successful_logins_do_not_count_for_the_address(app: Flask) -> None:
    users = [UserFactory() for _ in range(7)]

    responses = [log_in(fresh(app), each.username) for each in users for _ in range(3)]

    assert [r.status_code for r in responses] == [302] * 21


def test_language_chosen_on_the_login_page_is_kept(client: Client, user: User) -> None:
    client.post_form("/language/en", {"next": "/login"})

    log_in(client, user.username)

    assert '<html lang="en">' in client.get("/dashboard").get_data(as_text=True)
