"""SQLite, the embedded default, under concurrent writers: every write lands, none is a 500.

Several threads of one app post forms that write at the same moment, as the threads of a web
worker do. A deferred transaction that reads and then writes would get "database is locked" at
once; the app begins writing requests with BEGIN IMMEDIATE, so writers wait their turn
(busy_timeout) instead of failing.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from recognition.extensions import db, limiter
from recognition.ops.demo import DEMO_PASSWORD, seed_demo
from recognition.units.models import Unit
from tests.conftest import Client, build_app, log_in

pytestmark = [pytest.mark.integration, pytest.mark.committing, pytest.mark.sqlite_only]

THREADS = 6
UNITS_EACH = 12


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    app = build_app(
        f"sqlite:///{tmp_path / 'writers.sqlite'}",
        UPLOAD_DIR=str(tmp_path / "uploads"),
        RATELIMIT_ENABLED=False,
    )
    with app.app_context():
        seed_demo()
        db.session.commit()
    app.test_client_class = Client
    try:
        yield app
    finally:
        # Flask-Limiter keeps "enabled" on its one instance, for every app of the process:
        # the tests run after this one must meet the limits again.
        limiter.enabled = True


def test_concurrent_writers_all_land_and_none_fails(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        commune = db.session.scalar(select(Unit).where(Unit.code == "28879", Unit.is_active))
        assert commune is not None
        parent_id, before = commune.id, db.session.scalar(select(func.count(Unit.id)))
        db.session.remove()

    clients = []
    for _ in range(THREADS):
        client = sqlite_app.test_client()
        assert isinstance(client, Client)
        assert log_in(client, "admin", DEMO_PASSWORD).status_code == 302
        clients.append(client)
    statuses: Counter[int] = Counter()
    start = threading.Barrier(THREADS)
    lock = threading.Lock()

    def write(number: int, client: Client) -> None:
        start.wait()
        for index in range(UNITS_EACH):
            response = client.post_form(
                "/admin/units/new",
                {
                    "name": f"Ấp Thử {number}-{index}",
                    "kind": "hamlet",
                    "code": "",
                    "parent_id": str(parent_id),
                    "successor_id": "",
                },
            )
            with lock:
                statuses[response.status_code] += 1

    threads = [
        threading.Thread(target=write, args=(number, client))
        for number, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == Counter({302: THREADS * UNITS_EACH})
    with sqlite_app.app_context():
        after = db.session.scalar(select(func.count(Unit.id)))
        names = set(db.session.scalars(select(Unit.name).where(Unit.name.like("Ấp Thử %"))))
        db.session.remove()
        db.engine.dispose()
    assert after - before == THREADS * UNITS_EACH
    assert len(names) == THREADS * UNITS_EACH


def test_certificates_downloaded_at_the_same_moment_are_stored_once(sqlite_app: Flask) -> None:
    """The PDFs of certificates issued without them (as the demo's are) are stored on their
    first download: several people downloading the ZIP at once all get it, the same one, and
    each certificate has one stored PDF."""
    import io
    import zipfile

    from recognition.certificates.models import Certificate
    from recognition.decisions.models import Decision, DecisionLine

    with sqlite_app.app_context():
        commune = db.session.scalar(select(Unit).where(Unit.code == "28879", Unit.is_active))
        assert commune is not None
        decision_id = db.session.scalar(
            select(Decision.id)
            .join(DecisionLine, DecisionLine.decision_id == Decision.id)
            .join(Certificate, Certificate.line_id == DecisionLine.id)
            .where(Decision.awarding_body_id == commune.id, Certificate.pdf_key.is_(None))
            .limit(1)
        )
        assert decision_id is not None, "the demo has a decision whose certificates are unstored"
        db.session.remove()

    clients = []
    for username in ("thuky", "chutich", "thuky", "chutich"):
        client = sqlite_app.test_client()
        assert isinstance(client, Client)
        assert log_in(client, username, DEMO_PASSWORD).status_code == 302
        clients.append(client)
    answers: list[tuple[int, bytes]] = []
    start = threading.Barrier(len(clients))
    lock = threading.Lock()

    def download(client: Client) -> None:
        start.wait()
        response = client.get(f"/decisions/{decision_id}/certificates.zip")
        with lock:
            answers.append((response.status_code, response.data))

    threads = [threading.Thread(target=download, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert [status for status, _body in answers] == [200] * len(clients)
    contents = [
        {name: archive.read(name) for name in archive.namelist()}
        for archive in (zipfile.ZipFile(io.BytesIO(body)) for _status, body in answers)
    ]
    assert all(content == contents[0] for content in contents)
    with sqlite_app.app_context():
        keys = list(
            db.session.scalars(
                select(Certificate.pdf_key)
                .join(DecisionLine, Certificate.line_id == DecisionLine.id)
                .where(DecisionLine.decision_id == decision_id)
            )
        )
        db.session.remove()
        db.engine.dispose()
    assert None not in keys and len(keys) == len(contents[0])
    stored = list((Path(sqlite_app.config["UPLOAD_DIR"])).rglob("*"))
    stored_pdfs = [
        path for path in stored if path.is_file() and path.read_bytes() in contents[0].values()
    ]
    assert len(stored_pdfs) == len(keys)
