"""Host names and transport security: a request for an unknown Host is refused with 400, and a
production app sends HSTS and Secure cookies on every response."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from recognition import create_app
from recognition.config import load_config
from tests.conftest import TEST_CONFIG, Client

pytestmark = pytest.mark.integration

HOST = "thidua.cholach.gov.vn"


@pytest.mark.parametrize(
    "host",
    ["evil.example", "thidua.cholach.gov.vn.evil.example", "127.0.0.1:5000", "", "[::1]"],
)
@pytest.mark.no_database
def test_a_request_for_an_unknown_host_is_refused(
    client: Client, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    monkeypatch.setitem(client.application.config, "TRUSTED_HOSTS", [HOST])

    refused = client.get("/login", headers={"Host": host})
    served = client.get("/login", headers={"Host": HOST})

    assert refused.status_code == 400
    assert "<form" not in refused.get_data(as_text=True)
    assert served.status_code == 200


@pytest.mark.no_database
def test_an_unknown_host_cannot_post_either(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(client.application.config, "TRUSTED_HOSTS", [HOST])

    response = client.post("/login", data={"username": "x"}, headers={"Host": "evil.example"})

    assert response.status_code == 400


@pytest.mark.no_database
def test_production_trusts_only_the_public_address_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECOGNITION_ENV", "production")
    monkeypatch.setenv("RECOGNITION_PUBLIC_URL", f"https://{HOST}")
    monkeypatch.delenv("RECOGNITION_TRUSTED_HOSTS", raising=False)

    assert load_config(tmp_path)["TRUSTED_HOSTS"] == [HOST]

    monkeypatch.setenv("RECOGNITION_TRUSTED_HOSTS", f"{HOST}, intranet.cholach")
    assert load_config(tmp_path)["TRUSTED_HOSTS"] == [HOST, "intranet.cholach"]


@pytest.mark.no_database
def test_production_does_not_start_without_its_public_address(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECOGNITION_ENV", "production")
    monkeypatch.delenv("RECOGNITION_PUBLIC_URL", raising=False)

    with pytest.raises(RuntimeError, match="RECOGNITION_PUBLIC_URL must be set in production"):
        load_config(tmp_path)


@pytest.fixture
def production_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("RECOGNITION_ENV", "production")
    monkeypatch.setenv("RECOGNITION_PUBLIC_URL", f"https://{HOST}")
    monkeypatch.delenv("RECOGNITION_SECURE_COOKIES", raising=False)
    monkeypatch.delenv("RECOGNITION_TRUSTED_HOSTS", raising=False)
    production = create_app(
        {
            key: value
            for key, value in TEST_CONFIG.items()
            if key not in {"TESTING"}  # everything else as the production settings have it
        }
        | {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    production.test_client_class = Client
    return production


def test_a_production_app_sends_hsts_and_secure_cookies_everywhere(
    production_app: Flask,
) -> None:
    client = production_app.test_client()
    responses = [
        client.get("/login", base_url=f"https://{HOST}"),
        client.get("/no-such-page", base_url=f"https://{HOST}"),
        client.get("/static/css/app.css", base_url=f"https://{HOST}"),
        client.post("/login", data={}, base_url=f"https://{HOST}"),
    ]

    assert [r.headers.get("Strict-Transport-Security") for r in responses] == [
        "max-age=31536000; includeSubDomains"
    ] * 4
    cookies = [h for r in responses for h in r.headers.getlist("Set-Cookie")]
    assert cookies
    assert all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)
    assert client.get("/login", base_url="https://evil.example").status_code == 400
