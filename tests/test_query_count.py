"""The statements-per-request header the page benchmark reads: present only when switched on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_app

pytestmark = pytest.mark.sqlite_only


def test_the_header_counts_statements_only_when_switched_on(tmp_path: Path) -> None:
    on = build_app(f"sqlite:///{tmp_path / 'on.sqlite'}", QUERY_COUNT_HEADER=True)
    off = build_app(f"sqlite:///{tmp_path / 'off.sqlite'}")

    counted = on.test_client().get("/login")
    assert counted.status_code == 200
    assert int(counted.headers["X-Query-Count"]) >= 0
    # A page that reads the database counts its statements.
    assert int(on.test_client().get("/verify/none").headers["X-Query-Count"]) >= 1

    assert "X-Query-Count" not in off.test_client().get("/login").headers
