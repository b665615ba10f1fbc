"""Choosing how one is told: by e-mail and in the application, or in the application only."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from recognition.auth.enums import NotificationDelivery
from recognition.auth.models import User
from recognition.common.audit import AuditEvent
from recognition.extensions import db
from tests.conftest import Client, log_in
from tests.support.factories import UserFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def user(client: Client) -> User:
    user = UserFactory(username="hoangmai", full_name="Lê Hoàng Mai", email="mai@example.vn")
    log_in(client, user.username)
    return user


def chosen(page: str) -> list[str]:
    """The values of the checked delivery radio buttons."""
    inputs = re.findall(r"<input[^>]*name=\"delivery\"[^>]*>", page)
    return [re.findall(r'value="(\w+)"', tag)[0] for tag in inputs if "checked" in tag]


def account_events(user: User) -> list[tuple[str, str, int | None]]:
    return [
        (e.action, e.comment, e.actor_id)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == "account", AuditEvent.object_id == user.id)
            .order_by(AuditEvent.id)
        )
    ]


def test_the_page_shows_the_default_and_the_menu_links_to_it(client: Client, user: User) -> None:
    page = client.get("/account/notifications").get_data(as_text=True)
    dashboard = client.get("/dashboard").get_data(as_text=True)

    assert chosen(page) == ["email_and_app"]
    assert "Qua thư điện tử và trong ứng dụng" in page
    assert 'href="/account/notifications"' in dashboard


def test_choosing_in_app_only_is_saved_and_audited_once(client: Client, user: User) -> None:
    response = client.post_form("/account/notifications", {"delivery": "app_only"})
    page = html.unescape(client.get("/account/notifications").get_data(as_text=True))
    again = client.post_form("/account/notifications", {"delivery": "app_only"})

    db.session.expire_all()
    assert (response.status_code, response.headers["Location"]) == (302, "/account/notifications")
    assert again.status_code == 302
    assert user.notification_delivery == NotificationDelivery.APP_ONLY
    assert (chosen(page), "Đã lưu cài đặt thông báo." in page) == (["app_only"], True)
    assert account_events(user) == [("change_notifications", "app_only", user.id)]


def test_an_unknown_choice_is_refused_and_changes_nothing(client: Client, user: User) -> None:
    response = client.post_form("/account/notifications", {"delivery": "sms"})

    db.session.expire_all()
    assert (response.status_code, chosen(response.get_data(as_text=True))) == (200, [])
    assert user.notification_delivery == NotificationDelivery.EMAIL_AND_APP
    assert account_events(user) == []


@pytest.mark.no_database
def test_anonymous_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get("/account/notifications")

    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/login?next=/account/notifications",
    )
