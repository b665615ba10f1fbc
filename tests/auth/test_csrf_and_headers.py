"""CSRF on state-changing routes, security headers on every response, error pages' language.

The app runs with its real CSRF settings (enabled); the client adds a token only when asked to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.extensions import db
from recognition.units.models import Unit
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UnitFactory, UserFactory, user_with

pytestmark = pytest.mark.integration

CSRF_MESSAGE = (
    "The form expired or was sent from another page. Nothing of it was saved; you are still "
    "logged in: open the page again and send the form again."
)
CSRF_MESSAGE_ANONYMOUS = (
    "The form expired or was sent from another page. Nothing of it was saved: open the page "
    "again and send the form again."
)
NEW = "Another-long-passphrase-42"


def in_vietnamese(msgid: str) -> str:
    with force_locale("vi"):
        return gettext(msgid)


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def fresh(app: Flask) -> Client:
    return Client(app, app.response_class)


def dashboard_status(client: Client) -> tuple[int, str]:
    response = client.get("/dashboard")
    return response.status_code, response.headers.get("Location", "").split("?")[0]


def assert_csrf_refused(response: Any, who: str | None) -> None:
    assert response.status_code == 400
    page = text_of(response)
    assert '<html lang="vi">' in page
    assert in_vietnamese("The request could not be understood") in page
    assert in_vietnamese(CSRF_MESSAGE if who else CSRF_MESSAGE_ANONYMOUS) in page


# CSRF ---------------------------------------------------------------------------------------


class World:
    """An admin, a plain user and a unit; `state()` is what no refused POST may change."""

    def __init__(self) -> None:
        self.admin = user_with(Role.ADMIN, UnitFactory(name="UBND tỉnh Thử", code="CSRF0"))
        self.unit = UnitFactory(name="Xã Đông Sơn", code="CSRF1")
        self.user = UserFactory(username="plainuser")

    def state(self) -> tuple[Any, ...]:
        db.session.expire_all()
        user = db.session.get(User, self.user.id)
        unit = db.session.get(Unit, self.unit.id)
        assert user is not None and unit is not None
        users = db.session.scalar(select(func.count(User.id)))
        return (
            user.password_hash,
            user.session_version,
            user.disabled_at,
            user.last_login_at,
            user.notification_delivery,
            unit.is_active,
            users,
        )


@pytest.fixture
def world() -> World:
    return World()


# (who is logged in, url, form data) for each state-changing route tried.
ROUTES: dict[str, tuple[str | None, Callable[[World], str], dict[str, str]]] = {
    "login": (None, lambda w: "/login", {"username": "plainuser", "password": PASSWORD}),
    "logout": ("user", lambda w: "/logout", {}),
    "password": (
        "user",
        lambda w: "/account/password",
        {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW},
    ),
    "notification-settings": (
        "user",
        lambda w: "/account/notifications",
        {"delivery": "app_only"},
    ),
    "language": (None, lambda w: "/language/en", {"next": "/login"}),
    "disable-user": ("admin", lambda w: f"/admin/users/{w.user.id}/disable", {}),
    "reset-password": ("admin", lambda w: f"/admin/users/{w.user.id}/reset-password", {}),
    "create-user": (
        "admin",
        lambda w: "/admin/users/new",
        {"username": "newbie", "full_name": "Phạm Văn Mới", "password": NEW},
    ),
    "deactivate-unit": ("admin", lambda w: f"/admin/units/{w.unit.id}/deactivate", {}),
}


def prepared(app: Flask, world: World, who: str | None) -> Client:
    client = fresh(app)
    if who is not None:
        user = world.admin if who == "admin" else world.user
        assert log_in(client, user.username).status_code == 302
    client.csrf_token()  # the session has a token of its own: the POSTs just do not send it
    return client


@pytest.mark.parametrize("route", ROUTES)
def test_post_without_a_token_is_refused(app: Flask, world: World, route: str) -> None:
    who, url, data = ROUTES[route]
    client = prepared(app, world, who)
    before = world.state()

    response = client.post(url(world), data=data)

    assert_csrf_refused(response, who)
    assert world.state() == before
    assert dashboard_status(client) == ((302, "/login") if who is None else (200, ""))


@pytest.mark.parametrize("route", ROUTES)
def test_post_with_another_sessions_token_is_refused(app: Flask, world: World, route: str) -> None:
    who, url, data = ROUTES[route]
    client = prepared(app, world, who)
    stranger = fresh(app)
    before = world.state()

    response = client.post(url(world), data={**data, "csrf_token": stranger.csrf_token()})

    assert_csrf_refused(response, who)
    assert world.state() == before


@pytest.mark.parametrize("route", [name for name in ROUTES if name != "language"])
def test_with_its_own_token_the_same_post_takes_effect(
    app: Flask, world: World, route: str
) -> None:
    # The control for the two tests above: the refusals come from the token, not the data.
    who, url, data = ROUTES[route]
    client = prepared(app, world, who)
    before = world.state()

    response = client.post_form(url(world), data)

    assert response.status_code in (200, 302)
    assert world.state() != before


TYPED = "Ấp Sơn Qui có 95 % hộ gia đình đạt chuẩn văn hóa\nnăm 2026."


@pytest.mark.parametrize("origin", ["http://localhost", "https://elsewhere.example"])
def test_a_form_sent_after_the_login_ended_says_so_and_shows_what_was_typed(
    app: Flask, world: World, origin: str
) -> None:
    client = fresh(app)
    assert log_in(client, world.user.username).status_code == 302
    token = client.csrf_token()
    client.post_form("/logout")  # in another tab

    response = client.post(
        "/account/notifications",
        data={
            "csrf_token": token,
            "delivery": "app_only",
            "note": TYPED,
            "password": PASSWORD,
            "next": "/nominations/123/edit?tab=report",  # a hidden field: nobody typed it
        },
        headers={"Origin": origin, "Referer": f"{origin}/account/notifications"},
    )

    page = text_of(response)
    assert response.status_code == 400
    assert in_vietnamese("Please log in again") in page
    assert (
        in_vietnamese(
            "Your login has ended (you logged out, or the page stayed open too long). Nothing "
            "of this form was saved: log in again and send it again."
        )
        in page
    )
    # The text comes back to copy, from a page of this site only; a password never does.
    assert (f">{TYPED}</textarea>" in page) == (origin == "http://localhost")
    assert PASSWORD not in page
    assert "/nominations/123/edit?tab=report</textarea>" not in page
    if origin == "http://localhost":
        assert 'href="/login?next=/account/notifications"' in page


@pytest.mark.no_database
def test_a_blank_or_forged_token_is_refused(client: Client) -> None:
    client.csrf_token()
    token = client.csrf_token()
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    responses = [client.post("/language/en", data={"csrf_token": t}) for t in ("", forged)]

    assert [r.status_code for r in responses] == [400, 400]


def _token_on(client: Client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.mark.no_database
def test_a_sessions_token_is_signed_once_and_stays_valid(
    app: Flask, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    first = _token_on(client)  # the page that made the session's token
    second = _token_on(client)
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)  # a signature of another second differs
    assert _token_on(client) == second
    other = fresh(app)
    assert _token_on(other) not in ("", first, second)
    # The token drawn on the first page still takes effect.
    response = client.post("/language/en", data={"csrf_token": first, "next": "/login"})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")


@pytest.mark.no_database
def test_a_token_with_a_time_limit_is_signed_on_each_page(
    app: Flask, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    first = _token_on(client)
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert _token_on(client) != first


@pytest.mark.no_database
def test_language_refused_without_token_keeps_vietnamese(client: Client) -> None:
    client.csrf_token()

    client.post("/language/en")

    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


@pytest.mark.no_database
def test_with_its_own_token_the_language_changes(client: Client) -> None:
    response = client.post_form("/language/en", {"next": "/login"})

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


# Headers ------------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name] = values
    return directives


def assert_security_headers(response: Any) -> None:
    csp = response.headers["Content-Security-Policy"]
    directives = csp_directives(csp)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def assert_no_inline_code(response: Any) -> None:
    """The CSP forbids inline scripts, styles and handlers: a page must not rely on them."""
    page = response.get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert re.findall(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", page) == []


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = user_with(Role.ADMIN, UnitFactory(name="UBND huyện Thử", code="HDR01"))
    log_in(client, admin.username)
    return client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/login", 200),
        ("/no-such-page", 404),
        ("/static/css/app.css", 200),
        ("/static/js/app.js", 200),
        ("/", 302),
        ("/dashboard", 302),
    ],
)
@pytest.mark.no_database
def test_anonymous_responses_carry_the_headers(client: Client, path: str, status: int) -> None:
    response = client.get(path)

    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/dashboard", 200),
        ("/account/password", 200),
        ("/account/notifications", 200),
        ("/admin/users/", 200),
        ("/admin/users/999999", 404),
        ("/static/css/app.css", 200),
    ],
)
def test_logged_in_responses_carry_the_headers(
    admin_client: Client, path: str, status: int
) -> None:
    response = admin_client.get(path)

    assert response.status_code == status
    assert_security_headers(response)
    if path.startswith("/static/"):
        return
    assert response.headers["Cache-Control"] == "no-store"
    assert_no_inline_code(response)


@pytest.mark.no_database
def test_error_responses_carry_the_headers(client: Client) -> None:
    responses = [
        client.get("/logout"),  # 405
        client.post("/language/en"),  # 400, no token
    ]

    assert [r.status_code for r in responses] == [405, 400]
    for response in responses:
        assert_security_headers(response)


@pytest.mark.no_database
def test_pages_without_login_have_no_inline_code(client: Client) -> None:
    for path in ("/login", "/no-such-page"):
        assert_no_inline_code(client.get(path))


@pytest.mark.no_database
def test_hsts_only_when_configured(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    without = client.get("/login")
    monkeypatch.setitem(client.application.config, "HSTS", True)
    with_hsts = client.get("/login")

    assert "Strict-Transport-Security" not in without.headers
    assert with_hsts.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# Error pages and language -------------------------------------------------------------------


def error_page(response: Any, code: int) -> tuple[int, str]:
    assert response.status_code == code
    page = text_of(response)
    match = re.search(r'<html lang="([a-z]+)">', page)
    assert match
    return code, match.group(1)


def test_error_pages_are_vietnamese_by_default(client: Client) -> None:
    user = UserFactory()
    missing = client.get("/no-such-page")
    log_in(client, user.username)
    forbidden = client.get("/admin/users/")

    assert error_page(missing, 404) == (404, "vi")
    assert error_page(forbidden, 403) == (403, "vi")
    assert '<h1 class="h3 fw-bold">Không tìm thấy trang</h1>' in text_of(missing)
    assert '<h1 class="h3 fw-bold">Không có quyền truy cập trang này</h1>' in text_of(forbidden)
    assert in_vietnamese("The address may be mistyped, or the item was removed.") in text_of(
        missing
    )
    assert in_vietnamese("You do not have access to this page") in text_of(forbidden)


def test_error_pages_switch_to_english(client: Client) -> None:
    user = UserFactory()
    log_in(client, user.username)

    client.post_form("/language/en", {"next": "/dashboard"})
    missing = client.get("/no-such-page")
    forbidden = client.get("/admin/users/")

    assert error_page(missing, 404) == (404, "en")
    assert error_page(forbidden, 403) == (403, "en")
    assert '<h1 class="h3 fw-bold">Page not found</h1>' in text_of(missing)
    assert '<h1 class="h3 fw-bold">You do not have access to this page</h1>' in text_of(forbidden)
    assert (
        in_vietnamese("Page not found"),
        in_vietnamese("Back to the dashboard"),
    ) == ("Không tìm thấy trang", "Về trang Tổng quan")
    assert "Không tìm thấy trang" not in text_of(missing)
    assert "Về trang Tổng quan" not in text_of(forbidden)


def test_user_saved_language_applies_without_a_choice(client: Client) -> None:
    user = UserFactory(locale="en")
    log_in(client, user.username)

    assert error_page(client.get("/no-such-page"), 404) == (404, "en")


def test_a_signed_in_user_s_language_choice_is_saved_for_what_is_written_to_them(
    client: Client,
) -> None:
    # Notifications and e-mails are written in the user's saved language (user.locale).
    user = UserFactory(locale="vi")
    log_in(client, user.username)

    client.post_form("/language/en", {"next": "/"})
    db.session.expire_all()
    chosen = db.session.get(User, user.id).locale  # type: ignore[union-attr]
    client.post_form("/language/vi", {"next": "/"})
    db.session.expire_all()

    assert (chosen, db.session.get(User, user.id).locale) == ("en", "vi")  # type: ignore[union-attr]
