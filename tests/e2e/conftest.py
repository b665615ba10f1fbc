"""Browser tests: a live server on its own database with the demo data, and headless Chromium.

The server runs the app in a thread of this process on a free port; its database is a fresh
SQLite file, or on PostgreSQL its own database `<test database>_e2e` (created here, dropped
after).
Playwright drives the system Chromium (it cannot download its own browsers here).

Screenshots are taken only when RECOGNITION_SCREENSHOTS is set (`make screenshots`): a
full-page shot waits for the network to go quiet and costs about half a second a page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import make_url

from recognition.extensions import db
from recognition.ops.demo import seed_demo
from tests.conftest import ARTIFACTS, ON_POSTGRES, WORKER, build_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# On PostgreSQL: a database named after the run's test database, on its server.
TEST_DATABASE = make_url(
    os.environ.get("RECOGNITION_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
)
E2E_DATABASE = f"{TEST_DATABASE.database}_e2e{'_' + WORKER if WORKER else ''}"
POSTGRES_SERVER = TEST_DATABASE.set(drivername="postgresql", database="postgres").render_as_string(
    hide_password=False
)
POSTGRES_E2E_URL = TEST_DATABASE.set(
    drivername="postgresql+psycopg", database=E2E_DATABASE
).render_as_string(hide_password=False)


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app behind `live_server`, on its own database with the demo data; a test may add
    objects through the services inside `live_app.app_context()` (and commit them)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install the Debian package chromium")
    tmp_dir = tmp_path_factory.mktemp("e2e")
    if ON_POSTGRES:
        _postgres(f"DROP DATABASE IF EXISTS {E2E_DATABASE} WITH (FORCE)")
        _postgres(f"CREATE DATABASE {E2E_DATABASE}")
        url = POSTGRES_E2E_URL
    else:
        url = f"sqlite:///{tmp_dir / 'e2e.sqlite'}"
    app = build_app(url, UPLOAD_DIR=str(tmp_dir / "uploads"))
    with app.app_context():
        seed_demo()
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if ON_POSTGRES:
            _postgres(f"DROP DATABASE IF EXISTS {E2E_DATABASE} WITH (FORCE)")


def made_once(live_app: Flask, name: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `make` built in the live database, built the first time only.

    A module fixture is set up again when the workers (`--dist worksteal`) interleave its
    module with others, but the live database is the session's and still holds what the first
    set-up committed: building it twice would nominate the same people twice."""
    made: dict[str, dict[str, Any]] = live_app.extensions.setdefault("e2e_made", {})
    if name not in made:
        made[name] = make()
    return made[name]


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL of a running server with the demo data."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # Links that leave the request (QR codes, mail) are built from PUBLIC_URL.
    live_app.config["PUBLIC_URL"] = base
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Headless Chromium, one for the session."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install the Debian package chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser(live_server: str, chromium: Any) -> Any:
    """Headless Chromium, for pages of the live server."""
    return chromium


SCREENSHOTS = bool(os.environ.get("RECOGNITION_SCREENSHOTS"))


def screenshot(page: Any, path: Path) -> None:
    """A full-page screenshot once the page is quiet and its fonts (text and icons) are in
    (taken earlier, it shows fallback fonts and missing icons); only when SCREENSHOTS is set.
    The fonts are checked either way."""
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.status)") == "loaded"
    if SCREENSHOTS:
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (tests/artifacts, kept out of git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
