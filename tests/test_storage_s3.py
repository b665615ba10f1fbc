"""The S3 storage backend against a local S3-protocol server (moto): objects in the bucket,
rolled-back files gone from it, orphans swept by age and prefix, and two app servers with
folders of their own sharing one database and one bucket."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition import create_app
from recognition.common import storage
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.models import Attachment
from tests.conftest import (
    ON_POSTGRES,
    TEST_CONFIG,
    Client,
    build_app,
    log_in,
    throwaway_postgres,
)
from tests.nominations import PDF, build_world, png
from tests.support.factories import NominationFactory
from tests.support.object_store import client as s3_client
from tests.support.object_store import new_bucket, s3_settings

pytestmark = pytest.mark.integration


def objects_in(bucket: str, prefix: str = "") -> dict[str, bytes]:
    """What the bucket holds under `prefix`, read with a client of its own."""
    s3 = s3_client()
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


@pytest.fixture
def bucket(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session app, storing in a new bucket (and a folder that must stay empty)."""
    settings = s3_settings()
    for name, value in {**settings, "UPLOAD_DIR": str(tmp_path / "unused")}.items():
        monkeypatch.setitem(app.config, name, value)
    return str(settings["S3_BUCKET"])


@pytest.mark.no_database
def test_a_stored_file_is_an_object_in_the_bucket_and_nothing_on_disk(
    bucket: str, tmp_path: Path
) -> None:
    stored = storage.store_bytes(PDF, "application/pdf")

    key = stored.storage_key
    assert objects_in(bucket) == {f"{key[:2]}/{key}": PDF}
    assert (storage.read_bytes(key), storage.stat(key).size, storage.exists(key)) == (
        PDF,
        len(PDF),
        True,
    )
    assert not (tmp_path / "unused").exists()
    with pytest.raises(RuntimeError):
        storage.path_for(key)


def test_a_file_stored_in_a_rolled_back_transaction_is_gone_from_the_bucket(bucket: str) -> None:
    db.session.connection()
    kept = storage.store_bytes(PDF, "application/pdf").storage_key
    db.session.commit()
    db.session.connection()
    dropped = storage.store_bytes(png(), "image/png").storage_key
    assert set(objects_in(bucket)) == {f"{kept[:2]}/{kept}", f"{dropped[:2]}/{dropped}"}

    db.session.rollback()

    assert objects_in(bucket) == {f"{kept[:2]}/{kept}": PDF}


@pytest.mark.no_database
def test_a_file_deleted_after_commit_leaves_the_bucket_only_then(bucket: str) -> None:
    key = storage.store_bytes(PDF, "application/pdf").storage_key
    db.session.commit()

    storage.discard_after_commit(key)
    still_there = set(objects_in(bucket))
    db.session.commit()

    assert (still_there, objects_in(bucket)) == ({f"{key[:2]}/{key}"}, {})


@pytest.mark.no_database
def test_sweep_removes_old_orphans_under_its_prefix_only(
    bucket: str, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    monkeypatch.setitem(app.config, "S3_PREFIX", "province/")
    s3_client().put_object(Bucket=bucket, Key="elsewhere/ab/" + "ab" * 16, Body=b"not ours")
    known = storage.store_bytes(PDF, "application/pdf").storage_key
    orphan = storage.store_bytes(PDF, "application/pdf").storage_key

    young = storage.sweep_orphans({known})  # everything is younger than an hour
    removed = storage.sweep_orphans({known}, older_than_seconds=-60)

    assert (young, removed) == (0, 1)
    assert set(objects_in(bucket)) == {f"province/{known[:2]}/{known}", "elsewhere/ab/" + "ab" * 16}
    assert storage.exists(orphan) is False


@pytest.mark.no_database
def test_a_missing_object_is_not_found(bucket: str) -> None:
    with pytest.raises(FileNotFoundError):
        storage.read_bytes("0" * 32)
    storage.discard("0" * 32)  # deleting what is not there is no error, as in the folder


# --- two app servers ---------------------------------------------------------------------------


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on one new database and one bucket, each with an empty folder of its own."""
    bucket = new_bucket()
    with _fresh_database(tmp_path) as url:
        first = build_app(
            url, copied=ON_POSTGRES, UPLOAD_DIR=str(tmp_path / "one"), **s3_settings(bucket)
        )
        second = create_app(
            {
                **TEST_CONFIG,
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_DIR": str(tmp_path / "two"),
                "BALLOT_KEY_DIR": first.config["BALLOT_KEY_DIR"],
                **s3_settings(bucket),
            }
        )
        try:
            yield first, second
        finally:
            for app in (first, second):
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()


class _fresh_database:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.context: Any = None

    def __enter__(self) -> str:
        if not ON_POSTGRES:
            return f"sqlite:///{self.folder / 'shared.sqlite'}"
        self.context = throwaway_postgres("two_servers", migrated=True)
        return str(self.context.__enter__())

    def __exit__(self, *exc: object) -> None:
        if self.context is not None:
            self.context.__exit__(*exc)


@pytest.mark.committing
def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other(
    two_servers: tuple[Flask, Flask], tmp_path: Path
) -> None:
    first, second = two_servers
    with first.test_request_context(), force_locale("en"):
        today = local_today()
        world = build_world(opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=5))
        nomination = NominationFactory(
            campaign=world.campaign,
            award_type=world.team_award,
            actor=world.nominator_a,
            nominee_unit=world.commune_a,
        )
        db.session.commit()
        nomination_id, version = nomination.id, nomination.version
        username = world.nominator_a.username
        db.session.remove()
    browsers = []
    for app in (first, second):
        app.test_client_class = Client
        browser: Client = app.test_client()  # type: ignore[assignment]
        assert log_in(browser, username).status_code == 302
        browsers.append(browser)

    uploaded = browsers[0].post_form(
        f"/nominations/{nomination_id}/edit",
        {"version": version, "general_files": [(io.BytesIO(PDF), "Biên bản họp.pdf")]},
    )
    with second.app_context():
        attachment_id, key = db.session.execute(select(Attachment.id, Attachment.storage_key)).one()
        db.session.remove()
    downloaded = browsers[1].get(f"/nominations/{nomination_id}/files/{attachment_id}")

    assert uploaded.status_code == 302
    assert (downloaded.status_code, downloaded.get_data()) == (200, PDF)
    assert downloaded.headers["ETag"] == f'"{key}"'
    assert [p for name in ("one", "two") for p in (tmp_path / name).rglob("*")] == []
