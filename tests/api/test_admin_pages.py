"""The administrator's API client pages: the token is shown once and never again, the list
shows only its first characters, revoking stops it; the command line registers a client."""

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from recognition.api.models import ApiClient
from recognition.api.services import token_digest
from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.extensions import db
from tests.api.world import ApiWorld, build_world
from tests.conftest import Client
from tests.support.factories import user_with

pytestmark = pytest.mark.integration


@pytest.fixture
def world(app: Flask) -> ApiWorld:
    return build_world()


def test_register_list_and_revoke(world: ApiWorld, login, app: Flask) -> None:  # type: ignore[no-untyped-def]
    admin = login(user_with(Role.ADMIN, world.body))
    page = admin.post_form(
        "/admin/api-clients/new",
        {"name": "Cổng tỉnh", "scopes": ["read", "history:read"], "unit_id": world.unit_b.id},
    )
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    token = re.search(r'id="api-token"[^>]*>(rk_[^<]+)<', page.get_data(as_text=True))
    assert token is not None
    client = db.session.scalars(select(ApiClient).where(ApiClient.name == "Cổng tỉnh")).one()
    assert client.token_hash == token_digest(token.group(1))
    assert client.scopes == ["read", "history:read"]
    listing = admin.get("/admin/api-clients/").get_data(as_text=True)
    assert "Cổng tỉnh" in listing and client.token_hint in listing
    assert token.group(1) not in listing

    app.test_client_class = Client
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert api.get("/api/v1/units", headers=headers).status_code == 200
    revoked = admin.post_form(f"/admin/api-clients/{client.id}/revoke")
    assert revoked.status_code == 302
    assert api.get("/api/v1/units", headers=headers).status_code == 401


def test_a_form_error_keeps_what_was_typed(world: ApiWorld, login) -> None:  # type: ignore[no-untyped-def]
    admin = login(user_with(Role.ADMIN, world.body))
    page = admin.post_form(
        "/admin/api-clients/new", {"name": "Cổng A", "scopes": ["read"], "unit_id": world.unit_a.id}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đã có ứng dụng khách tên Cổng A." in html
    assert 'value="Cổng A"' in html


def test_only_administrators(world: ApiWorld, login) -> None:  # type: ignore[no-untyped-def]
    nominator = login(user_with(Role.NOMINATOR, world.unit_a))
    assert nominator.get("/admin/api-clients/").status_code == 403


def test_the_command_prints_the_token_once(world: ApiWorld, app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-api-client", "Cổng dòng lệnh", "--unit-code", world.unit_a.code]
    )
    assert result.exit_code == 0, result.output
    token = re.search(r"(rk_\S+)", result.output)
    assert token is not None
    client = db.session.scalars(select(ApiClient).where(ApiClient.name == "Cổng dòng lệnh")).one()
    assert client.token_hash == token_digest(token.group(1))
    assert client.scopes == ["read", "nominations:write"]


def test_a_client_s_account_is_no_person_s_account(world: ApiWorld, login, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """Left out of the people's accounts: not listed, no page, no password given, no role
    added, no log-in even with its password known, not counted on the dashboard."""
    from recognition.api.services import create_client
    from recognition.auth.passwords import hash_password
    from recognition.auth.services import authenticate

    client, _token = create_client("Cổng tỉnh", scopes=["read"], unit=world.unit_a, actor=None)
    account = client.user
    account.password_hash = hash_password("Mot-mat-khau-da-biet-1")
    db.session.commit()
    admin = login(user_with(Role.ADMIN, world.body))

    listing = admin.get("/admin/users/?q=").get_data(as_text=True)
    searched = admin.get(f"/admin/users/?q={account.username}").get_data(as_text=True)
    answers = [
        admin.get(f"/admin/users/{account.id}").status_code,
        admin.get(f"/admin/users/{account.id}/edit").status_code,
        admin.post_form(f"/admin/users/{account.id}/reset-password").status_code,
        admin.post_form(
            f"/admin/users/{account.id}/grants", {"role": "admin", "unit_id": world.body.id}
        ).status_code,
        admin.post_form(f"/admin/users/{account.id}/disable").status_code,
    ]
    dashboard = admin.get("/dashboard").get_data(as_text=True)

    link = f'href="/admin/users/{account.id}"'
    assert link not in listing and link not in searched
    assert answers == [404] * 5
    assert {g.role for g in account.grants} == {Role.NOMINATOR}
    assert authenticate(username=account.username, password="Mot-mat-khau-da-biet-1") is None
    people = db.session.scalar(
        select(func.count(User.id)).where(User.disabled_at.is_(None), ~User.is_api_account)
    )
    assert f">{people}<" in dashboard.replace(" ", "")


def test_the_audit_log_opens_a_client_s_account_on_the_clients_page(world: ApiWorld, login) -> None:  # type: ignore[no-untyped-def]
    from recognition.api.services import create_client

    client, _token = create_client("Cổng xã", scopes=["read"], unit=world.unit_a, actor=None)
    db.session.commit()
    admin = login(user_with(Role.ADMIN, world.body))

    page = admin.get("/admin/audit").get_data(as_text=True)

    assert f'href="/admin/users/{client.user_id}"' not in page
    assert re.search(r'<a href="/admin/api-clients/">[^<]*\(api-[0-9a-f]+\)', page)
