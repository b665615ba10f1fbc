"""The whole story in a real browser against one live server (the walk is tests/e2e/cycle.py). A
screenshot of every step goes to tests/artifacts/cycle-*.png when asked for
(RECOGNITION_SCREENSHOTS, tests/e2e/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from recognition.extensions import db
from tests.conftest import ON_POSTGRES
from tests.e2e.cycle import page_opener, prepare_story, walk_the_cycle

# The story through the pages, once, in the SQLite run (the longest test of the suite): the
# PostgreSQL run walks it through nginx in front of two app servers
# (tests/e2e/test_two_servers.py).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the whole cycle in a browser runs in the SQLite run"),
]


@pytest.fixture
def demo(live_app: Flask) -> dict[str, int]:
    with live_app.app_context():
        ids = prepare_story()
        db.session.remove()
    return ids


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    with page_opener(browser) as make:
        yield make


def test_the_whole_cycle(
    live_server: str, demo: dict[str, int], open_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    walk_the_cycle(live_server, open_page, artifacts, tmp_path, demo)
