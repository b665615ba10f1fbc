"""Knowing a user name is not enough to lock its owner out.

Failed log-ins are throttled per (user name, client address) pair with growing delays, beside
the per-address limit (LOGIN_LIMIT_PER_IP); an account failing from many addresses throttles
each failing address from its first failure, and still opens for the right password from an
address that has not failed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import pytest
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from recognition.auth.models import User
from tests.auth.test_login import WRONG, assert_too_many, attempt, fresh, in_vietnamese, text_of
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UserFactory

pytestmark = pytest.mark.integration

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Hồ Chí Minh City


class Clock:
    """The app's clock (`recognition.database.utcnow`), moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        clock = self

        class Frozen(datetime):
            @classmethod
            def now(cls, tz: tzinfo | None = None) -> Any:
                return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)

        monkeypatch.setattr("recognition.database.datetime", Frozen)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def user() -> User:
    return UserFactory(username="tran.lanh", full_name="Trần Thị Lành")


def logged_in(response: Any) -> bool:
    return (response.status_code, response.headers.get("Location")) == (302, "/dashboard")


def fail(client: Client, username: str, times: int, **kwargs: Any) -> list[int]:
    return [attempt(client, username, WRONG, **kwargs).status_code for _ in range(times)]


# The owner is never locked out ----------------------------------------------------------------


def test_fifty_failures_from_one_address_do_not_lock_out_another(app: Flask, user: User) -> None:
    attacker = fresh(app, "198.51.100.66")

    statuses = fail(attacker, user.username, 50)
    owner = log_in(fresh(app, "192.0.2.10"), user.username)

    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}  # the pair first, then the address limit
    assert logged_in(owner)
    assert_too_many(attempt(attacker, user.username, PASSWORD))


@pytest.mark.parametrize(
    "variants",
    [
        ["TRAN.LANH", "Tran.Lanh", "  tran.lanh  ", "tran.\u200blanh", "\ufefftran.lanh\u200d"],
        ["tran.lanh\x00", "\u200btran.lanh", " TRAN.\u200clanh", "tran.LANH\u2060", "tran.lanh"],
    ],
)
def test_variants_of_the_user_name_count_for_the_same_pair(
    app: Flask, user: User, variants: list[str]
) -> None:
    attacker = fresh(app, "198.51.100.66")

    statuses = [attempt(attacker, typed, WRONG).status_code for typed in variants]
    blocked = attempt(attacker, "Tran.Lanh", PASSWORD)
    owner = log_in(fresh(app, "192.0.2.10"), user.username)

    assert statuses == [200] * 5
    assert_too_many(blocked)
    assert logged_in(owner)


def test_a_throttled_pair_waits_longer_after_each_failure(
    client: Client, user: User, clock: Clock
) -> None:
    assert fail(client, user.username, 5) == [200] * 5
    assert_too_many(attempt(client, user.username, PASSWORD))

    # After each wait one more try is let through; it fails, and the next wait doubles.
    for minutes in (1, 2, 4, 8, 15, 15):
        clock.advance(minutes=minutes, seconds=-1)
        assert_too_many(attempt(client, user.username, PASSWORD))
        clock.advance(seconds=1)
        assert fail(client, user.username, 1) == [200], minutes

    clock.advance(minutes=15)
    assert logged_in(log_in(client, user.username))


def test_the_throttled_page_says_when_to_try_again(
    client: Client, user: User, clock: Clock
) -> None:
    fail(client, user.username, 5)

    blocked = attempt(client, user.username, PASSWORD)

    assert_too_many(blocked)
    # One minute after 08:00 in Hồ Chí Minh City, whatever the server's zone.
    until = in_vietnamese(
        "Too many failed log-ins for this user name from your address. "
        "You can try again from %(time)s.",
        time="08:01",
    )
    assert until in text_of(blocked)
    assert blocked.headers["Retry-After"] == "60"


def test_a_success_forgives_the_pair(client: Client, user: User) -> None:
    fail(client, user.username, 4)
    assert logged_in(log_in(client, user.username))
    client.post_form("/logout")
    client.forget_token()

    assert fail(client, user.username, 4) == [200] * 4
    assert logged_in(log_in(client, user.username))


def test_unknown_user_names_are_throttled_alike(client: Client) -> None:
    statuses = fail(client, "nobody.here", 5)

    blocked = attempt(client, "nobody.here", PASSWORD)

    assert statuses == [200] * 5
    assert_too_many(blocked)


# A whole council ------------------------------------------------------------------------------


def test_a_council_attacked_from_three_addresses_still_logs_in(app: Flask) -> None:
    members = [UserFactory(username=f"hdtd.tv{number}") for number in range(1, 10)]
    attackers = [fresh(app, f"203.0.113.{number}") for number in (1, 2, 3)]

    statuses = [
        attempt(attacker, member.username, WRONG).status_code
        for attacker in attackers
        for _ in range(3)
        for member in members
    ]
    owners = [
        log_in(fresh(app, f"192.0.2.{number}"), member.username)
        for number, member in enumerate(members, start=1)
    ]

    assert statuses.count(200) == 3 * 20  # each address until its own limit
    assert [logged_in(response) for response in owners] == [True] * 9


def test_an_account_failing_from_many_addresses_throttles_each_from_its_first_failure(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    def attack_events() -> list[str]:
        events = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        caplog.clear()
        return [event for event in events if event.startswith("login attack on 'tran.lanh'")]

    spread = [fail(fresh(app, f"198.51.100.{n}"), user.username, 2) for n in range(1, 11)]
    at_twenty = attack_events()
    newcomer = fresh(app, "203.0.113.50")
    first = fail(newcomer, user.username, 1)
    blocked = attempt(newcomer, user.username, PASSWORD)
    owner = log_in(fresh(app, "192.0.2.10"), user.username)

    assert spread == [[200, 200]] * 10
    assert first == [200]
    assert_too_many(blocked)
    assert logged_in(owner)
    assert len(at_twenty) == 1
    assert "20 failed log-ins" in at_twenty[0]
    assert "198.51.100.10 refused" in at_twenty[0]
    (newcomer_event,) = attack_events()
    assert "21 failed log-ins" in newcomer_event
    assert "203.0.113.50 refused" in newcomer_event


# Client addresses -----------------------------------------------------------------------------


def test_a_spoofed_forwarded_for_does_not_help(app: Flask, user: User) -> None:
    attacker = fresh(app, "198.51.100.66")

    statuses = [
        attempt(
            attacker, user.username, WRONG, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(1, 6)
    ]
    blocked = attempt(attacker, user.username, PASSWORD, headers={"X-Forwarded-For": "192.0.2.10"})
    owner = log_in(fresh(app, "192.0.2.10"), user.username)

    assert statuses == [200] * 5
    assert_too_many(blocked)
    assert logged_in(owner)


def test_behind_a_trusted_proxy_only_the_address_it_saw_counts(
    app: Flask, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What create_app installs for RECOGNITION_PROXY_COUNT=1.
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1))
    attacker = fresh(app, "10.0.0.2")  # every request arrives from the proxy
    owner = fresh(app, "10.0.0.2")

    statuses = [
        attempt(
            attacker,
            user.username,
            WRONG,
            headers={"X-Forwarded-For": f"192.0.2.{n}, 198.51.100.66"},
        ).status_code
        for n in range(1, 6)
    ]
    blocked = attempt(
        attacker, user.username, PASSWORD, headers={"X-Forwarded-For": "198.51.100.66"}
    )
    owner.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.10"
    welcome = log_in(owner, user.username)

    assert statuses == [200] * 5
    assert_too_many(blocked)
    assert logged_in(welcome)


def test_addresses_of_one_ipv6_network_count_as_one(app: Flask, user: User) -> None:
    statuses = [
        attempt(fresh(app, f"2001:db8:5:7::{n:x}"), user.username, WRONG).status_code
        for n in range(1, 6)
    ]

    blocked = attempt(fresh(app, "2001:db8:5:7:abcd::1"), user.username, PASSWORD)
    neighbour = log_in(fresh(app, "2001:db8:5:8::1"), user.username)

    assert statuses == [200] * 5
    assert_too_many(blocked)
    assert logged_in(neighbour)


def test_ipv4_clients_seen_through_a_dual_stack_socket_stay_apart(app: Flask, user: User) -> None:
    attacker = fresh(app, "::ffff:198.51.100.66")

    statuses = fail(attacker, user.username, 5)
    blocked = attempt(fresh(app, "198.51.100.66"), user.username, PASSWORD)
    owner = log_in(fresh(app, "::ffff:192.0.2.10"), user.username)

    assert statuses == [200] * 5
    assert_too_many(blocked)
    assert logged_in(owner)
