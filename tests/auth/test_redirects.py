"""`next=` never leads off the site: after logging in, for a logged-in visitor of the login
page, and after choosing a language.

The module mixes pure tests of `safe_next_url` (marked unit) and requests (marked integration).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from flask import Flask

from recognition.common.redirects import page_to_come_back_to, safe_next_url
from tests.conftest import PASSWORD, Client, log_in
from tests.support.factories import UserFactory

unit = pytest.mark.unit
integration = pytest.mark.integration

DEFAULT = "/dashboard"

# Values of `next` as the view receives them (the test client encodes them in the URL).
HOSTILE = [
    "//evil.com",
    "///evil.com",
    "////evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "\\\\evil.com",
    "/\\/evil.com",
    "//evil.com/%2F..",
    "//%65vil.com",
    "//evil。com",
    "https://evil.com",
    "http://evil.com/",
    "HTTPS://evil.com",
    "https:/evil.com",
    "http:evil.com",
    "https:evil.com",
    "ftp://evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript://%0aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.com",
    "/\tevil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    "/dashboard\r\nLocation: https://evil.com",
    " //evil.com",
    "\t//evil.com",
    "evil.com",
    "@evil.com",
    "//localhost@evil.com",
    "http://localhost@evil.com",
    "//evil.com\\@localhost",
    "https://evil.com\\@localhost/",
]

# Raw query strings: what Werkzeug decodes them to is what the check sees.
HOSTILE_ENCODED = [
    "next=%2F%2Fevil.com",  # -> //evil.com
    "next=/%2F%2Fevil.com",  # -> ///evil.com
    "next=%2F%5Cevil.com",  # -> /\evil.com
    "next=%5C%5Cevil.com",  # -> \\evil.com
    "next=/%09/evil.com",  # -> /<tab>/evil.com
    "next=/%0d%0aSet-Cookie:%20x=1",  # header injection
    "next=https%3A%2F%2Fevil.com",
    "next=%252F%252Fevil.com",  # -> %2F%2Fevil.com: not a path
    "next=%20%2F%2Fevil.com",  # -> " //evil.com"
]

# A NUL anywhere in a query is refused before any view runs (recognition/security.py).
WITH_NUL = ["next=%00//evil.com", "next=/%00/evil.com"]

# Odd but on-site: kept as given, and a browser stays here.
ODD_BUT_LOCAL = [
    ("next=/%252F%252Fevil.com", "/%2F%2Fevil.com"),
    ("next=/evil.com", "/evil.com"),
    ("next=/%EF%BC%8Fevil.com", "/%EF%BC%8Fevil.com"),  # fullwidth solidus, a path segment
    ("next=/.//evil.com", "/.//evil.com"),
    ("next=/?next=//evil.com", "/?next=//evil.com"),
]


def leads_off_site(location: str) -> bool:
    """Whether a browser following `location` from http://localhost/ would leave the site.

    Browsers drop tabs and newlines, ignore leading spaces and control characters, and read
    "\\" as "/" in http(s) URLs; "http:evil.com" from an https page means http://evil.com.
    """
    cleaned = re.sub(r"[\t\r\n]", "", location).lstrip("".join(map(chr, range(33))))
    parts = urlsplit(cleaned.replace("\\", "/"))
    if parts.scheme not in ("", "http", "https"):
        return True
    if parts.scheme:
        return parts.netloc != "localhost"
    return parts.netloc not in ("", "localhost")


def log_in_with_next(client: Client, query_string: str | dict[str, str]) -> str:
    user = UserFactory()
    response = client.post_form(
        "/login", {"username": user.username, "password": PASSWORD}, query_string=query_string
    )
    assert response.status_code == 302
    return str(response.headers["Location"])


@integration
@pytest.mark.no_database
def test_there_are_at_least_thirty_payloads() -> None:
    assert len(HOSTILE) + len(HOSTILE_ENCODED) + len(WITH_NUL) >= 30


@integration
@pytest.mark.parametrize("target", HOSTILE)
def test_login_ignores_a_hostile_next(client: Client, target: str) -> None:
    location = log_in_with_next(client, {"next": target})

    assert location == DEFAULT
    assert not leads_off_site(location)


@integration
@pytest.mark.parametrize("raw", HOSTILE_ENCODED)
def test_login_ignores_an_encoded_hostile_next(client: Client, raw: str) -> None:
    location = log_in_with_next(client, raw)

    assert location == DEFAULT


@integration
@pytest.mark.parametrize("raw", WITH_NUL)
def test_a_next_with_a_nul_is_refused_before_logging_in(client: Client, raw: str) -> None:
    user = UserFactory()

    response = client.post_form(
        "/login", {"username": user.username, "password": PASSWORD}, query_string=raw
    )

    assert (response.status_code, response.headers.get("Location")) == (400, None)


@integration
@pytest.mark.parametrize(("raw", "expected"), ODD_BUT_LOCAL)
def test_login_keeps_an_odd_but_local_next(client: Client, raw: str, expected: str) -> None:
    location = log_in_with_next(client, raw)

    assert location == expected
    assert not leads_off_site(location)


@integration
@pytest.mark.parametrize("target", [*HOSTILE[:12], "/\\evil.com", "http:evil.com"])
def test_logged_in_visitor_of_login_page_ignores_a_hostile_next(
    client: Client, target: str
) -> None:
    log_in(client, UserFactory().username)

    response = client.get("/login", query_string={"next": target})

    assert (response.status_code, response.headers["Location"]) == (302, DEFAULT)


@integration
@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.no_database
def test_language_choice_ignores_a_hostile_next(client: Client, target: str) -> None:
    response = client.post_form("/language/en", {"next": target})

    assert (response.status_code, response.headers["Location"]) == (302, DEFAULT)


@integration
@pytest.mark.no_database
def test_language_choice_returns_to_the_page(client: Client) -> None:
    response = client.post_form("/language/en", {"next": "/login?next=/admin/units/"})

    assert response.headers["Location"] == "/login?next=/admin/units/"


@integration
@pytest.mark.no_database
def test_language_choice_never_returns_to_an_address_only_a_form_reaches(client: Client) -> None:
    # A refused form is shown at its POST address: a GET there would be a 405.
    response = client.post_form("/language/en", {"next": "/language/vi?x=1"})

    assert (response.status_code, response.headers["Location"]) == (302, DEFAULT)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("method", "referrer", "expected"),
    [
        ("GET", None, "/targets/4?tab=values"),
        ("POST", "http://localhost/targets/4?tab=values", "/targets/4?tab=values"),
        ("POST", "http://localhost/targets/4", "/targets/4"),
        # A page drawn for a form has the form's address: no page to come back to.
        ("POST", "http://localhost/language/vi", ""),
        ("POST", "http://elsewhere.example/targets/4", ""),
        ("POST", None, ""),
    ],
)
def test_the_language_switch_comes_back_to_the_page_the_form_was_sent_from(
    app: Flask, method: str, referrer: str | None, expected: str
) -> None:
    headers = {"Referer": referrer} if referrer else {}
    with app.test_request_context(
        "/targets/4?tab=values", method=method, headers=headers, base_url="http://localhost"
    ):
        assert page_to_come_back_to() == expected


@integration
def test_asked_to_log_in_then_sent_back(client: Client) -> None:
    user = UserFactory()
    asked = client.get("/admin/units/", query_string={"q": "sơn", "page": "2"})
    login_url = asked.headers["Location"]

    response = client.post_form(login_url, {"username": user.username, "password": PASSWORD})

    assert asked.status_code == 302
    assert urlsplit(login_url).path == "/login"
    assert response.headers["Location"] == "/admin/units/?q=s%C6%A1n&page=2"


@integration
@pytest.mark.no_database
def test_leads_off_site_recognises_what_it_must() -> None:
    # The checker itself: a test that cannot fail is a defect.
    assert [leads_off_site(x) for x in ["//evil.com", "/\\evil.com", "http:evil.com"]] == [
        True,
        True,
        True,
    ]
    assert [leads_off_site(x) for x in ["/dashboard", "http://localhost/x", "?a=1"]] == [
        False,
        False,
        False,
    ]


# safe_next_url ------------------------------------------------------------------------------


@unit
@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/dashboard",
        "/admin/units/?q=son",
        "/admin/units/?q=sơn",
        "/admin/units/?q=s%C6%A1n&page=2",
        "/admin/users/12",
        "/admin/users/12/edit#grants",
        "/account/password",
        "/login?next=/admin/units/",
        "/a/b/c.html",
        "/%2F%2Fevil.com",
        "/evil.com",
        "/?url=https://example.org",
    ],
)
def test_safe_next_url_keeps_a_local_path(target: str) -> None:
    assert safe_next_url(target, "/fallback") == target


@unit
@pytest.mark.parametrize("target", [*HOSTILE, None, "", "dashboard", "./dashboard", "../x"])
def test_safe_next_url_refuses_the_rest(target: str | None) -> None:
    assert safe_next_url(target, "/fallback") == "/fallback"


@unit
def test_safe_next_url_default_is_the_root() -> None:
    assert (safe_next_url(None), safe_next_url("//evil.com")) == ("/", "/")
