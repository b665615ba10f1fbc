"""The file store: type by content, atomic writes under generated keys, discard and sweep."""

from __future__ import annotations

import hashlib
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.common import storage
from recognition.errors import DomainError
from recognition.extensions import db
from tests.nominations import JPEG, PDF, office, png, zip_bomb
from tests.support.object_store import ON_S3, isolate_store, stored_keys

pytestmark = pytest.mark.integration
# How the folder makes a write durable; S3 makes a PUT whole by itself (test_storage_s3.py).
folder_only = pytest.mark.skipif(ON_S3, reason="the local folder's own mechanics")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def root(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "store"
    isolate_store(app, folder, monkeypatch)
    return folder


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        (png(), "image/png"),
        (office("word/document.xml"), DOCX),
        (office("xl/workbook.xml"), XLSX),
        (b"<html><body>hi</body></html>", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"%PDF-1.4 no end marker", None),
        (PDF + b"<html>", None),
        (b"PK\x03\x04broken", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_content(content: bytes, expected: str | None) -> None:
    assert storage.sniff(io.BytesIO(content)) == expected


def test_sniff_refuses_a_zip_bomb() -> None:
    with pytest.raises(DomainError) as refused:
        storage.sniff(io.BytesIO(zip_bomb(3)))

    assert refused.value.message == (
        "The office file expands to far more than its size; it was refused."
    )


def test_check_upload_accepts_any_case_of_the_extension(app: Flask) -> None:
    assert storage.check_upload(io.BytesIO(PDF), "TỜ TRÌNH.PDF") == "application/pdf"


def test_check_upload_honours_the_configured_limit(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_FILE_MB", 2)
    big = PDF[:-7] + b"%" + b"x" * (2 * 1024 * 1024) + b"\n%%EOF\n"

    with pytest.raises(DomainError) as refused:
        storage.check_upload(io.BytesIO(big), "lớn.pdf")

    assert refused.value.message == "The file lớn.pdf is larger than 2 MB."


def test_store_writes_atomically_under_a_new_key(root: Path) -> None:
    content = png()

    stored = storage.store(io.BytesIO(content), "image/png")

    assert (stored.content_type, stored.size_bytes, stored.sha256) == (
        "image/png",
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert stored_keys() == [stored.storage_key]
    assert storage.read_bytes(stored.storage_key) == content
    assert storage.stat(stored.storage_key).size == len(content)


@folder_only
def test_the_folder_keeps_the_file_under_its_key_and_no_temporary_file(root: Path) -> None:
    stored = storage.store(io.BytesIO(png()), "image/png")

    path = root / stored.storage_key[:2] / stored.storage_key
    assert files_in(root) == [path]
    assert storage.path_for(stored.storage_key) == path


def test_store_streams_files_larger_than_one_chunk(root: Path) -> None:
    content = os.urandom(storage.CHUNK * 2 + 17)

    stored = storage.store_bytes(content, "application/pdf")

    assert (stored.size_bytes, stored.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert storage.read_bytes(stored.storage_key) == content
    with storage.open_stream(stored.storage_key) as stream:
        stream.seek(storage.CHUNK + 5)
        assert stream.read(100) == content[storage.CHUNK + 5 : storage.CHUNK + 105]
        stream.seek(-17, os.SEEK_END)
        assert stream.read() == content[-17:]


@folder_only
def test_store_fsyncs_the_file_and_every_folder_entry_it_creates(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    fsync = os.fsync

    def recording(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", recording)
    keys = iter(["ab" + "0" * 30, "ab" + "1" * 30])
    monkeypatch.setattr(storage.secrets, "token_hex", lambda _: next(keys))

    storage.store_bytes(PDF, "application/pdf")
    first = list(synced)
    synced.clear()
    storage.store_bytes(PDF, "application/pdf")

    folder = root / "ab"
    # New folders: the upload root in its parent, the key's folder in the root.
    assert first == [
        str(root.parent),
        str(root),
        str(folder / f".ab{'0' * 30}.tmp"),
        str(folder),
    ]
    # Into an existing folder: the file before its rename, then the folder after it.
    assert synced == [str(folder / f".ab{'1' * 30}.tmp"), str(folder)]


@pytest.mark.parametrize(
    "key",
    ["../../etc/passwd", "0" * 31, "0" * 33, "A" * 32, "g" * 32, "/" + "0" * 31, ".." + "0" * 30],
)
def test_only_generated_keys_are_accepted(root: Path, key: str) -> None:
    for use in (storage.read_bytes, storage.open_stream, storage.stat, storage.discard):
        with pytest.raises(ValueError, match="bad storage key"):
            use(key)


def test_a_missing_file_is_file_not_found(root: Path) -> None:
    for use in (storage.read_bytes, storage.open_stream, storage.stat):
        with pytest.raises(FileNotFoundError):
            use("0" * 32)
    assert storage.exists("0" * 32) is False


def test_discard_removes_the_file_and_tolerates_a_missing_one(root: Path) -> None:
    stored = storage.store_bytes(PDF, "application/pdf")

    storage.discard(stored.storage_key)
    storage.discard(stored.storage_key)

    assert stored_keys() == []


@folder_only
def test_sweep_removes_old_orphans_and_temporary_files_only(root: Path) -> None:
    known = storage.store_bytes(PDF, "application/pdf")
    orphan = storage.store_bytes(PDF, "application/pdf")
    young = storage.store_bytes(PDF, "application/pdf")
    leftover = storage.path_for(known.storage_key).with_name(f".{'f' * 32}.tmp")
    leftover.write_bytes(b"half a file")
    old = time.time() - 7200
    for path in (
        storage.path_for(known.storage_key),
        storage.path_for(orphan.storage_key),
        leftover,
    ):
        os.utime(path, (old, old))

    removed = storage.sweep_orphans({known.storage_key})

    assert removed == 2
    assert files_in(root) == sorted(
        [storage.path_for(known.storage_key), storage.path_for(young.storage_key)]
    )


def _store_in_a_transaction(session: Any) -> str:
    session.connection()  # the transaction the file belongs to
    return storage.store_bytes(PDF, "application/pdf").storage_key


def test_a_file_stored_in_a_transaction_that_rolls_back_is_deleted(root: Path) -> None:
    # A conflict or a refusal after the file was written: no row can ever refer to it.
    kept = _store_in_a_transaction(db.session)
    db.session.commit()
    dropped = _store_in_a_transaction(db.session)
    with db.session.begin_nested():  # a savepoint released inside does not make it durable
        db.session.connection()
    db.session.rollback()

    assert stored_keys() == [kept] and not storage.exists(dropped)


def test_a_file_of_a_transaction_closed_without_commit_is_deleted(root: Path) -> None:
    # A request that ends (the session removed) without committing.
    _store_in_a_transaction(db.session)
    db.session.remove()

    assert stored_keys() == []
