"""Static files are linked with their digest and kept by browsers (common/static_files.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask

from recognition.common.static_files import (
    UNVERSIONED_SECONDS,
    VERSIONED_SECONDS,
    StaticDigests,
)
from tests.conftest import Client
from tests.workflow.helpers import build_scene

LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _static_links(page: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in LINK.findall(page)]


def _max_age(response: Any) -> int | None:
    found = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
    return int(found.group(1)) if found else None


def test_every_static_link_of_a_page_carries_the_files_digest(client: Client) -> None:
    links = _static_links(client.get("/login").get_data(as_text=True))
    assert len(links) >= 4
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{16}$", link), link


def test_a_linked_static_file_is_kept_for_a_year_even_for_a_signed_in_user(
    app: Flask, as_user: Any
) -> None:
    client = as_user(build_scene().nominator)
    links = _static_links(client.get("/", follow_redirects=True).get_data(as_text=True))
    assert links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert _max_age(response) == VERSIONED_SECONDS, (link, response.headers)
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_file_without_its_digest_or_with_another_is_kept_an_hour(client: Client) -> None:
    for path in ("/static/css/app.css", "/static/css/app.css?v=0123456789abcdef"):
        response = client.get(path)
        assert response.status_code == 200
        assert _max_age(response) == UNVERSIONED_SECONDS, path


def test_a_changed_file_gets_another_digest_when_files_are_being_edited(tmp_path: Path) -> None:
    (tmp_path / "app.css").write_text("body { color: black; }")
    editing = StaticDigests(str(tmp_path), remember=False)
    kept = StaticDigests(str(tmp_path), remember=True)
    before, kept_before = editing.digest("app.css"), kept.digest("app.css")
    (tmp_path / "app.css").write_text("body { color: navy; }")
    assert before is not None and editing.digest("app.css") not in (None, before)
    assert kept.digest("app.css") == kept_before
    assert editing.digest("../outside.css") is None
    assert editing.digest("missing.css") is None
