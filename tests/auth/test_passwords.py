"""Changing one's own password (the form) and the strength rules behind it.

`password_problems` reads the minimum length from the app and translates its messages, so its
table tests run in the app context, in English.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import current_app
from flask_babel import force_locale, gettext

from recognition.auth.models import User
from recognition.auth.passwords import password_problems
from recognition.extensions import db
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UserFactory

pytestmark = pytest.mark.integration

NEW = "Another-long-passphrase-42"
TOO_SHORT = "Use at least 10 characters."
TOO_LONG = "Use at most 128 characters."
COMMON = "This password is too common; choose another."
FEW_CHARACTERS = "Use more different characters."
DIGITS = "Do not use digits only."
NAME = "Do not use your name or user name in the password."


def in_vietnamese(msgid: str, **variables: Any) -> str:
    with force_locale("vi"):
        return gettext(msgid, **variables)


@pytest.fixture
def user(client: Client) -> User:
    user = UserFactory(username="hoangmai", full_name="Lê Hoàng Mai")
    log_in(client, user.username)
    return user


def change(client: Client, current: str, new: str, confirm: str | None = None) -> Any:
    return client.post_form(
        "/account/password",
        {
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        },
    )


def stored(user: User) -> tuple[str, int, bool]:
    """What a refused change must leave alone: hash, session version, must-change flag."""
    db.session.expire_all()
    fresh = db.session.get(User, user.id)
    assert fresh is not None
    return fresh.password_hash, fresh.session_version, fresh.must_change_password


def assert_refused(response: Any, user: User, before: tuple[str, int, bool], message: str) -> None:
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert 'class="invalid-feedback d-block"' in page  # the error sits on a field
    assert stored(user) == before


# The form -----------------------------------------------------------------------------------


def test_password_change_succeeds(client: Client, user: User) -> None:
    before = stored(user)

    response = change(client, PASSWORD, NEW)

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert changed is not None
    assert changed.password_hash != before[0]
    assert changed.session_version == before[1] + 1
    assert changed.password_changed_at is not None
    other = Client(client.application, client.application.response_class)
    assert log_in(other, "hoangmai", PASSWORD).status_code == 200
    assert log_in(other, "hoangmai", NEW).status_code == 302


def test_wrong_current_password_is_refused(client: Client, user: User) -> None:
    before = stored(user)

    response = change(client, "Not-my-password-9", NEW)

    assert_refused(response, user, before, in_vietnamese("The current password is not correct."))
    assert 'id="current_password-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("new", "message", "variables"),
    [
        ("Short-1a", "Use at least %(count)d characters.", {"count": 10}),
        ("password1234", COMMON, {}),
        ("MatKhau1234", COMMON, {}),
        ("hoangmai-river-77", NAME, {}),
        ("Mùa-lúa-Hoàng-7", NAME, {}),
        ("98765432109876", DIGITS, {}),
        ("ababababababab", FEW_CHARACTERS, {}),
    ],
    ids=["too-short", "common", "common-mixed-case", "user-name", "full-name", "digits", "few"],
)
def test_weak_new_password_is_refused(
    client: Client, user: User, new: str, message: str, variables: dict[str, int]
) -> None:
    before = stored(user)

    response = change(client, PASSWORD, new)

    assert_refused(response, user, before, in_vietnamese(message, **variables))
    assert 'id="new_password-error"' in response.get_data(as_text=True)


def test_new_password_must_differ(client: Client, user: User) -> None:
    before = stored(user)

    response = change(client, PASSWORD, PASSWORD)

    message = in_vietnamese("The new password must differ from the current one.")
    assert_refused(response, user, before, message)


def test_confirmation_must_match(client: Client, user: User) -> None:
    before = stored(user)

    response = change(client, PASSWORD, NEW, confirm=NEW + "x")

    assert_refused(response, user, before, in_vietnamese("The two passwords differ."))
    page = html.unescape(response.get_data(as_text=True))
    assert 'id="confirm_password-error"' in page
    # The passwords are not drawn back into the form: the banner does not say they were kept.
    assert (
        in_vietnamese(
            "Please correct the fields marked below. What you typed has been kept, except the "
            "passwords: type them again."
        )
        in page
    )
    assert 'value="' + NEW not in page


def test_current_password_is_required(client: Client, user: User) -> None:
    before = stored(user)

    response = change(client, "", NEW)

    assert response.status_code == 200
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    assert stored(user) == before


def test_temporary_password_flag_is_cleared(client: Client) -> None:
    user = UserFactory(must_change_password=True)
    log_in(client, user.username)

    change(client, PASSWORD, NEW)

    assert stored(user)[2] is False


@pytest.mark.no_database
def test_anonymous_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get("/account/password")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account/password"


# The rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Correct-horse-battery-7", []),
        ("Ngựa-đúng-pin-bảy-7", []),
        ("a short sentence is easy", []),
        ("x" * 9 + "yzw", []),
        ("Short-1a", [TOO_SHORT]),
        ("", [TOO_SHORT, FEW_CHARACTERS]),
        ("abc", [TOO_SHORT, FEW_CHARACTERS]),
        ("Aa1-" * 32 + "x", [TOO_LONG]),
        ("Aa1-" * 32, []),
        ("1234567890", [COMMON, DIGITS]),
        ("98765432109876", [DIGITS]),
        ("PASSWORD123", [COMMON]),
        ("Mật khẩu 123", [COMMON]),
        ("aaaaaaaaaaaaaa", [FEW_CHARACTERS]),
        ("1111111111", [COMMON, FEW_CHARACTERS, DIGITS]),
        ("xx-hoangmai-xx", [NAME]),
        ("XX-HOANGMAI-XX", [NAME]),
        ("river-Hoàng-77", [NAME]),
        ("le-river-7788", []),  # name parts shorter than 3 letters are allowed
    ],
)
@pytest.mark.no_database
def test_password_problems(password: str, problems: list[str]) -> None:
    with force_locale("en"):
        found = password_problems(password, username="hoangmai", full_name="Lê Hoàng Mai")

    assert found == problems


@pytest.mark.parametrize(
    ("password", "full_name", "problems"),
    [
        # A word that only holds a part of the name is no name: most names hold "Văn" or "Thị".
        ("Lua vang dong 99", "Nguyễn Văn Thành", []),
        ("Vinh Thanh 2026", "Trương Thị Hạnh", []),
        ("Thanh-Nguyen-2026", "Nguyễn Văn Thành", [NAME]),
        ("hanh1990-song-dai", "Trương Thị Hạnh", [NAME]),
        ("TruongThiHanh-77", "Trương Thị Hạnh", [NAME]),
        # A middle name is no distinctive part of a name ("vẫn", "thi" written without marks).
        ("Toi van yeu que huong", "Trương Văn Sang", []),
        ("Di thi dai hoc nam 2026", "Nguyễn Thị Mai", []),
        ("Truong-ngay-mua-2026", "Trương Văn Sang", [NAME]),
    ],
)
@pytest.mark.no_database
def test_a_name_counts_only_as_whole_words(
    password: str, full_name: str, problems: list[str]
) -> None:
    with force_locale("en"):
        assert password_problems(password, username="cb.xa", full_name=full_name) == problems


@pytest.mark.no_database
def test_password_problems_without_a_name() -> None:
    with force_locale("en"):
        assert password_problems("hoangmai-river-77") == []


@pytest.mark.no_database
def test_minimum_length_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(current_app.config, "PASSWORD_MIN_LENGTH", 16)

    with force_locale("en"):
        found = password_problems("Fifteen-chars-1")

    assert found == ["Use at least 16 characters."]


def test_temporary_password_must_be_changed_before_other_pages(client, db_session) -> None:
    """A user flagged must_change_password is held on the password page until they change it."""
    from tests.conftest import log_in
    from tests.support.factories import UserFactory

    user = UserFactory(must_change_password=True)
    db_session.commit()
    log_in(client, user.username)
    for url in ("/dashboard", "/nominations/", "/campaigns/"):
        response = client.get(url)
        assert (response.status_code, response.headers["Location"]) == (302, "/account/password")
    assert client.get("/account/password").status_code == 200
