"""Fixtures shared by the decision tests: each runs inside a request (services link their
notifications and certificates' QR codes) with files stored in the test's own folder, on the
workflow tests' scene. The thread a committed print job would start is recorded, not started
(it would share the test's connection from another thread); the tests run the job themselves.

A module that reads its pages in another language or needs another host overrides
`request_locale` or `request_base_url`; one that opens its own requests overrides
`_in_request`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.certificates import print_jobs
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


class _Recorded:
    def __init__(
        self, started: list[tuple[Any, ...]], target: Callable[..., Any], args: tuple[Any, ...]
    ) -> None:
        self.started, self.target, self.args = started, target, args

    def start(self) -> None:
        self.started.append(self.args)


@pytest.fixture(autouse=True)
def dispatched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The (app, job id) of every print-job thread started."""
    started: list[tuple[Any, ...]] = []

    def thread(target: Callable[..., Any], args: tuple[Any, ...] = (), **_: Any) -> _Recorded:
        return _Recorded(started, target, args)

    monkeypatch.setattr(print_jobs, "threading", SimpleNamespace(Thread=thread))
    return started
