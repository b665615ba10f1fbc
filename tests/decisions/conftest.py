"""Fixtures shared by the decision tests: each runs inside a request (services link their
notifications and certificates' QR codes) with files stored in the test's own folder, on the
workflow tests' scene.

A module that reads its pages in another language or needs another host overrides
`request_locale` or `request_base_url`; one that opens its own requests overrides
`_in_request`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from tests.workflow.helpers import Scene, build_scene


@pytest.fixture
def request_locale() -> str:
    return "en"


@pytest.fixture
def request_base_url() -> str:
    return "http://localhost/"


@pytest.fixture(autouse=True)
def _in_request(
    request: pytest.FixtureRequest,
    app: Flask,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    locale = request.getfixturevalue("request_locale")
    base_url = request.getfixturevalue("request_base_url")
    with app.test_request_context(base_url=base_url), force_locale(locale):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()
