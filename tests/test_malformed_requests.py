"""A NUL character in an address or a query never reaches the database: PostgreSQL refuses any
text containing one (a 500 before this guard), SQLite would store it. A NUL in a path segment
is a 404, in a query a 400, on every route, whoever asks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from recognition import IdConverter
from recognition.auth.enums import Role
from tests.support.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration

NUL_VALUES = ["%00", "a%00b", "%00" * 50]


def _string_arguments(rule: Rule) -> list[str]:
    return [
        name
        for name, converter in (rule._converters or {}).items()
        if not isinstance(converter, IdConverter)
    ]


def _url(rule: Rule, nul: str | None) -> str:
    """The rule's address with id 1 for each id and `nul` for each other part."""
    path = rule.rule
    for name, converter in (rule._converters or {}).items():
        value = "1" if isinstance(converter, IdConverter) else nul or "x"
        path = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", value, path)
    return path


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def _string_routes(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if _string_arguments(rule)]


@pytest.fixture
def admin(as_user) -> Any:  # type: ignore[no-untyped-def]
    return as_user(user_with(Role.ADMIN, UnitFactory(), locale="en"))


def _send(client: Any, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": client.csrf_token()})


@pytest.mark.no_database
def test_the_app_has_string_routes(app: Flask) -> None:
    # The verification page, the language switch and the workflow's actions at least.
    endpoints = {rule.endpoint for rule in _string_routes(app)}
    assert {"public.verify", "auth.set_language", "nominations.act", "static"} <= endpoints


@pytest.mark.parametrize("nul", NUL_VALUES, ids=["nul", "inside", "many"])
def test_a_nul_in_any_path_parameter_is_not_found(app: Flask, admin: Any, nul: str) -> None:
    found = {
        (rule.endpoint, method): _send(admin, method, _url(rule, nul)).status_code
        for rule in _string_routes(app)
        for method in _methods(rule)
    }
    assert {key: status for key, status in found.items() if status != 404} == {}


@pytest.mark.parametrize("nul", ["%00", "a%00b"], ids=["nul", "inside"])
@pytest.mark.no_database
def test_a_nul_in_the_verification_serial_is_not_found_for_anyone(client: Any, nul: str) -> None:
    response = client.get(f"/verify/{nul}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query", ["q=%00", "q=a%00b", "page=%00", "%00=1", "c=%00", "action=%00&q=x"]
)
def test_a_nul_in_the_query_of_any_page_is_refused(app: Flask, admin: Any, query: str) -> None:
    found = {
        rule.endpoint: admin.get(f"{_url(rule, None)}?{query}").status_code
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set())
    }
    assert {endpoint: status for endpoint, status in found.items() if status != 400} == {}


@pytest.mark.parametrize(
    "url",
    [
        "/verify/x?c=%00",
        "/nominations/?q=%00",
        "/admin/users/?q=a%00b",
        "/admin/audit?q=%00",
        "/admin/units/?q=%00",
        "/login?next=/%00",
    ],
)
@pytest.mark.no_database
def test_a_nul_in_a_search_is_refused_for_anyone(client: Any, url: str) -> None:
    assert client.get(url).status_code == 400
