"""A system around the application submits a dossier through the JSON API, over HTTP against
the live server, and the secretariat finds it in its inbox in the browser.

The script knows only its token and the API: it reads the open campaigns, their titles and
criteria and its units, creates a dossier for the first unit that can still be nominated,
attaches a PDF (and one per criterion that asks for evidence), and submits it."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfWriter
from sqlalchemy import select

from recognition.api.services import create_client
from recognition.extensions import db
from recognition.units.models import Unit
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import screenshot
from tests.e2e.test_login_browser import log_in, new_page  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the browser walks run in the SQLite run"),
]


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Script:
    """The other system's side: plain HTTP with its bearer token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token

    def call(
        self, method: str, path: str, body: Any = None, *, files: bytes | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        data = None
        if files is not None:
            boundary = uuid.uuid4().hex
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            data = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                    f'filename="bao-cao.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
                ).encode()
                + files
                + f"\r\n--{boundary}--\r\n".encode()
            )
        elif body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the live server's http URL
            self.base + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            assert error.headers["Content-Type"].startswith("application/problem+json")
            return error.code, json.loads(error.read())

    def every(self, path: str) -> list[Any]:
        items: list[Any] = []
        page = 1
        while True:
            separator = "&" if "?" in path else "?"
            status, body = self.call("GET", f"{path}{separator}page={page}&per_page=100")
            assert status == 200, body
            items += body["items"]
            if page >= body["pages"]:
                return items
            page += 1

    def submit_a_dossier(self) -> dict[str, Any]:
        units = self.every("/api/v1/units")
        for campaign in self.every("/api/v1/campaigns"):
            if campaign["status"] != "open":
                continue
            awards = self.every(f"/api/v1/award-types?campaign_id={campaign['id']}")
            for award in awards:
                if award["nominee_kind"] != "collective":
                    continue
                kinds = award["eligible_unit_kinds"]
                for unit in units:
                    if kinds and unit["kind"] not in kinds:
                        continue
                    done = self._try(campaign, award, unit)
                    if done is not None:
                        return done
        raise AssertionError("no unit of the client could be nominated")

    def _try(self, campaign: Any, award: Any, unit: Any) -> dict[str, Any] | None:
        report = {
            section: "Nội dung báo cáo gửi qua API."
            for section in ("summary", "general", "achievements", "criteria", "commendations")
        }
        answers = [
            {
                "criterion_id": c["id"],
                "met": True,
                "value": c["target"],
                "text": "Đạt, có minh chứng kèm theo.",
                "evidence_note": "Báo cáo kèm theo.",
            }
            for c in award["criteria"]
        ]
        status, created = self.call(
            "POST",
            "/api/v1/nominations",
            {
                "campaign_id": campaign["id"],
                "award_type_id": award["id"],
                "nominee_unit_id": unit["id"],
                "report": report,
                "answers": answers,
            },
        )
        if status != 201:
            return None
        path = f"/api/v1/nominations/{created['id']}"
        status, _ = self.call("POST", f"{path}/attachments", files=_pdf())
        assert status == 201
        for criterion in award["criteria"]:
            if criterion["evidence_required"]:
                status, _ = self.call(
                    "POST", f"{path}/attachments?criterion_id={criterion['id']}", files=_pdf()
                )
                assert status == 201
        status, submitted = self.call("POST", f"{path}/submit", {})
        if status != 200:
            return None  # a guard refused it (left as a draft): try another unit
        return submitted  # type: ignore[no-any-return]


def test_a_script_submits_and_the_secretariat_sees_it(
    live_app: Flask,
    live_server: str,
    new_page: Any,  # noqa: F811
    artifacts: Path,
) -> None:
    from playwright.sync_api import expect

    with live_app.app_context():
        unit = db.session.scalars(
            select(Unit).where(Unit.code == "28879", Unit.is_active, Unit.is_awarding_body)
        ).one()
        _client, token = create_client(
            "Cổng dịch vụ công thử",
            scopes=["read", "nominations:write"],
            unit=unit,
            actor=None,
        )
        db.session.commit()
    submitted = Script(live_server, token).submit_a_dossier()
    assert submitted["state"] == "submitted"
    assert submitted["reference"]

    page = new_page()
    log_in(page, live_server, "thuky")
    for number in range(1, 20):
        page.goto(f"{live_server}/review/?page={number}")
        if page.get_by_text(submitted["reference"]).count():
            break
    expect(page.get_by_text(submitted["reference"])).to_be_visible()
    expect(page.get_by_text(submitted["nominee_name"]).first).to_be_visible()
    screenshot(page, artifacts / "api-dossier-in-inbox-vi.png")
