"""Sessions: ended everywhere by logout, password change, disabling and reset; idle and
absolute lifetime; cookie flags.

A Flask cookie session would let a copied cookie outlive logout; the session version on the
user (checked by the user loader) is what ends every copy. These tests copy cookies to prove it.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.config import load_config
from recognition.extensions import db
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UnitFactory, UserFactory, user_with

pytestmark = pytest.mark.integration

COOKIE = "recognition_session"
START = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def fresh(app: Flask) -> Client:
    return Client(app, app.response_class)


def logged_in(app: Flask, user: User) -> Client:
    client = fresh(app)
    response = log_in(client, user.username)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def dashboard_status(client: Client) -> tuple[int, str]:
    """(200, "") for a logged-in client, (302, "/login") for an anonymous one."""
    response = client.get("/dashboard")
    return response.status_code, response.headers.get("Location", "").split("?")[0]


def copy_of(client: Client, app: Flask) -> Client:
    """A new browser carrying a copy of `client`'s session cookie (a stolen cookie)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = fresh(app)
    thief.set_cookie(COOKIE, cookie.value)
    return thief


class Clock:
    """The time `recognition.security` sees; moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr("recognition.security.utcnow", lambda: self.now)
        monkeypatch.setattr("recognition.auth.sessions.utcnow", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def user() -> User:
    return UserFactory()


@pytest.fixture
def admin() -> User:
    return user_with(Role.ADMIN, UnitFactory(name="UBND tỉnh Thử", code="ADM01"))


# Logout -------------------------------------------------------------------------------------


def test_logout_ends_every_session_of_the_user(app: Flask, user: User) -> None:
    first = logged_in(app, user)
    second = logged_in(app, user)
    stolen = copy_of(first, app)
    bystander = logged_in(app, UserFactory())
    before = [dashboard_status(c) for c in (first, second, stolen, bystander)]

    response = first.post_form("/logout")

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert before == [(200, "")] * 4
    assert [dashboard_status(c) for c in (first, second, stolen)] == [(302, "/login")] * 3
    assert dashboard_status(bystander) == (200, "")


def test_replayed_cookie_is_refused_after_logout(app: Flask, user: User) -> None:
    client = logged_in(app, user)
    old_cookie = client.get_cookie(COOKIE)
    assert old_cookie is not None

    client.post_form("/logout")
    client.set_cookie(COOKIE, old_cookie.value)

    assert dashboard_status(client) == (302, "/login")


def test_logout_needs_a_post(client: Client, user: User) -> None:
    log_in(client, user.username)

    assert client.get("/logout").status_code == 405
    assert dashboard_status(client) == (200, "")


def test_pre_login_cookie_does_not_become_a_session(client: Client, app: Flask) -> None:
    user = UserFactory()
    client.get("/login")
    planted = copy_of(client, app)  # a cookie an attacker could have handed the victim

    log_in(client, user.username)

    assert dashboard_status(client) == (200, "")
    assert dashboard_status(planted) == (302, "/login")


# Password change, disabling, reset ----------------------------------------------------------


def test_password_change_ends_other_sessions_but_keeps_this_one(app: Flask, user: User) -> None:
    this = logged_in(app, user)
    other = logged_in(app, user)
    stolen = copy_of(this, app)

    response = this.post_form(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "Another-long-passphrase-42",
            "confirm_password": "Another-long-passphrase-42",
        },
    )

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")
    assert dashboard_status(this) == (200, "")
    assert [dashboard_status(c) for c in (other, stolen)] == [(302, "/login")] * 2


def test_disabling_an_account_ends_its_sessions(app: Flask, admin: User, user: User) -> None:
    admin_client = logged_in(app, admin)
    victim = logged_in(app, user)
    stolen = copy_of(victim, app)

    response = admin_client.post_form(f"/admin/users/{user.id}/disable")

    assert response.status_code == 302
    assert [dashboard_status(c) for c in (victim, stolen)] == [(302, "/login")] * 2
    assert log_in(fresh(app), user.username).status_code == 200  # the form again, refused
    assert dashboard_status(admin_client) == (200, "")


def test_admin_password_reset_ends_its_sessions(app: Flask, admin: User, user: User) -> None:
    admin_client = logged_in(app, admin)
    victim = logged_in(app, user)
    stolen = copy_of(victim, app)

    response = admin_client.post_form(f"/admin/users/{user.id}/reset-password")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}/temporary-password"
    assert [dashboard_status(c) for c in (victim, stolen)] == [(302, "/login")] * 2
    assert log_in(fresh(app), user.username).status_code == 200  # old password refused
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is True  # type: ignore[union-attr]


# Idle timeout and absolute lifetime ---------------------------------------------------------


def test_session_ends_after_sixty_idle_minutes(app: Flask, user: User, clock: Clock) -> None:
    client = logged_in(app, user)
    statuses = []
    for minutes in (59, 59, 59):  # each request resets the idle time
        clock.advance(minutes=minutes)
        statuses.append(dashboard_status(client))

    clock.advance(minutes=61)
    ended = dashboard_status(client)
    clock.now = START  # turning the clock back does not revive it
    after = dashboard_status(client)

    assert statuses == [(200, "")] * 3
    assert (ended, after) == ((302, "/login"), (302, "/login"))


def test_idle_session_ends_at_the_boundary(app: Flask, user: User, clock: Clock) -> None:
    client = logged_in(app, user)
    clock.advance(minutes=60)
    at_limit = dashboard_status(client)
    clock.advance(minutes=60, seconds=1)

    assert (at_limit, dashboard_status(client)) == ((200, ""), (302, "/login"))


def test_active_session_ends_after_twelve_hours(app: Flask, user: User, clock: Clock) -> None:
    client = logged_in(app, user)
    statuses = []
    while clock.now + timedelta(minutes=50) < START + timedelta(hours=12):
        clock.advance(minutes=50)
        statuses.append(dashboard_status(client))
    clock.now = START + timedelta(hours=12, minutes=-1)
    last_minute = dashboard_status(client)

    clock.now = START + timedelta(hours=12, minutes=1)

    assert statuses == [(200, "")] * 14
    assert last_minute == (200, "")
    assert dashboard_status(client) == (302, "/login")


def test_ended_session_says_so_on_the_login_page(app: Flask, user: User, clock: Clock) -> None:
    client = logged_in(app, user)
    clock.advance(minutes=61)

    page = client.get("/dashboard", follow_redirects=True)

    with force_locale("vi"):
        expected = gettext("Your session ended. Please log in again.")
    assert page.request.path == "/login"
    assert expected in html.unescape(page.get_data(as_text=True))


def test_language_choice_survives_logout_and_expiry(app: Flask, user: User, clock: Clock) -> None:
    client = fresh(app)
    client.post_form("/language/en", {"next": "/login"})
    log_in(client, user.username)

    after_logout = client.post_form("/logout", follow_redirects=True)
    log_in(client, user.username)
    clock.advance(minutes=61)
    after_expiry = client.get("/dashboard", follow_redirects=True)

    assert after_logout.request.path == after_expiry.request.path == "/login"
    assert '<html lang="en">' in after_logout.get_data(as_text=True)
    assert "You have logged out." in after_logout.get_data(as_text=True)
    assert '<html lang="en">' in after_expiry.get_data(as_text=True)
    assert "Your session ended. Please log in again." in after_expiry.get_data(as_text=True)


# Cookies ------------------------------------------------------------------------------------


def set_cookies(response: Any) -> dict[str, list[str]]:
    """Each cookie the response sets, by name, with its attributes."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        cookies[name_value.split("=", 1)[0]] = sorted(a for a in attributes if a)
    return cookies


def test_session_cookie_is_httponly_and_lax_and_no_remember_me(client: Client) -> None:
    user = UserFactory()

    response = log_in(client, user.username)

    cookies = set_cookies(response)
    assert list(cookies) == [COOKIE]
    flags = [a for a in cookies[COOKIE] if not a.startswith("Expires=")]
    assert flags == ["HttpOnly", "Path=/", "SameSite=Lax"]
    assert client.get_cookie("remember_token") is None  # Flask-Login's remember-me cookie


@pytest.mark.no_database
def test_production_settings_make_cookies_secure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECOGNITION_ENV", "production")
    monkeypatch.setenv("RECOGNITION_PUBLIC_URL", "https://thiduakhenthuong.vinhlong.gov.vn")
    monkeypatch.delenv("RECOGNITION_SECURE_COOKIES", raising=False)

    config = load_config(tmp_path)

    assert (config["SESSION_COOKIE_SECURE"], config["HSTS"]) == (True, True)
    assert (config["SESSION_COOKIE_HTTPONLY"], config["SESSION_COOKIE_SAMESITE"]) == (True, "Lax")
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert config["SESSION_IDLE_MINUTES"] == 60
