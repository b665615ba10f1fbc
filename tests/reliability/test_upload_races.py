"""A dossier's edit form sent twice at the same moment, each time with an evidence file (on
PostgreSQL, with real connections): one save wins, the other is told that someone else changed
the dossier, and every stored file has its row and every row its file."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

import tests.conftest
from recognition.common import storage
from recognition.extensions import db
from recognition.nominations.models import Attachment, Nomination
from tests.support.object_store import isolate_store, stored_keys
from tests.workflow.helpers import PDF, build_scene, draft, open_around_today, race_database

CHANGED = (
    "Someone else changed this dossier while you were editing it. Your text is kept below; "
    "check the current version and save again."
)
# A PDF of a little over 1 MB: storing it takes long enough for the two requests to overlap.
BIG_PDF = b"%PDF-1.4\n%" + b"0" * (1024 * 1024) + b"\n" + PDF

on_postgres = pytest.mark.skipif(
    not tests.conftest.ON_POSTGRES, reason="races need PostgreSQL (RECOGNITION_TEST_ON_POSTGRES=1)"
)


@pytest.fixture(scope="module")
def race_app() -> Iterator[Flask]:
    if not tests.conftest.ON_POSTGRES:
        pytest.skip("races need PostgreSQL")
    with race_database("uploads") as built:
        built.test_client_class = tests.conftest.Client
        yield built


@pytest.fixture
def uploads(race_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty store for the test: a folder, or on the S3 run a new bucket."""
    isolate_store(race_app, tmp_path / "uploads", monkeypatch)


def _post_together(race_app: Flask, url: str, username: str, fields: dict[str, str]) -> list[Any]:
    """The same form with a file, posted by two browsers of one user released by a barrier."""
    clients = [race_app.test_client() for _ in range(2)]
    for client in clients:
        assert tests.conftest.log_in(client, username).status_code == 302
    barrier = threading.Barrier(len(clients))
    responses: list[Any] = [None] * len(clients)

    def post(index: int) -> None:
        client = clients[index]
        token = client.csrf_token()
        barrier.wait(timeout=30)
        responses[index] = client.post(
            url,
            data={
                "csrf_token": token,
                **fields,
                "general_files": (io.BytesIO(BIG_PDF), f"Biên bản họp {index + 1}.pdf"),
            },
            content_type="multipart/form-data",
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize("summary", ["", "Tóm tắt gửi hai lần"], ids=["same-text", "new-text"])
@pytest.mark.usefixtures("uploads")
def test_a_double_submitted_edit_with_files_saves_once(race_app: Flask, summary: str) -> None:
    # With the text unchanged, the version check only meets the other save when the file's row
    # is flushed; with a new text, already when the text is.
    with race_app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene, answered=False, summary="")
        nomination_id, version, username = (
            nomination.id,
            str(nomination.version),
            scene.nominator.username,
        )
        db.session.commit()

    responses = _post_together(
        race_app,
        f"/nominations/{nomination_id}/edit",
        username,
        {"version": version, "summary": summary},
    )

    with race_app.app_context():
        keys = set(
            db.session.scalars(
                select(Attachment.storage_key).where(Attachment.nomination_id == nomination_id)
            )
        )
        saved = db.session.get(Nomination, nomination_id)
        assert saved is not None
        saved_summary = saved.summary  # its report row, read while the session is open
        stored = set(stored_keys())
        missing = [key for key in keys if not storage.exists(key)]
        db.session.remove()
    statuses = sorted(response.status_code for response in responses)

    assert (len(keys), stored - keys, missing, saved_summary) == (1, set(), [], summary)
    if statuses == [302, 302]:
        # With the text unchanged, the later save may find the first one's file already
        # attached (the same content) and leave it out, with nothing else to save: the dossier
        # still holds the file once.
        assert summary == ""
    else:
        loser = next(r for r in responses if r.status_code != 302).get_data(as_text=True)
        assert statuses == [200, 302]
        assert CHANGED in loser.replace("\n", " ")
