"""Stored files: content-checked, written atomically under generated keys, outside static/.

The files live in the local folder UPLOAD_DIR (the default) or, with STORAGE_BACKEND "s3", in
an S3-compatible bucket every app server shares (storage_local.py, storage_s3.py). Callers
name a file by its key only: `read_bytes`, `open_stream`, `stat` and `downloads.send_stored`
work the same on both.

The content is checked before anything is written. A file is complete before its database
row commits (the folder writes a temporary name, fsyncs and renames it; S3 makes a PUT visible
whole or not at all): a crash leaves at worst an orphan file (removed by `sweep_orphans`),
never a row without its file. A file stored during a transaction that ends without committing
(a conflict, a refusal, an error) is deleted once that transaction has rolled back: no row
can refer to it.
"""

import hashlib
import os
import secrets
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import IO, BinaryIO

from flask import current_app
from flask_babel import gettext as _

from recognition.common.after_commit import after_commit, after_rollback
from recognition.common.file_checks import check_content
from recognition.common.storage_local import (
    LocalStore,
    StoredObject,
    check_key,
    make_folder,
)
from recognition.common.storage_s3 import S3Store
from recognition.errors import DomainError

CHUNK = 1024 * 1024
# Office files are zip archives: refuse those that expand far beyond their size (zip bombs).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5000


@dataclass(frozen=True)
class StoredFile:
    storage_key: str
    content_type: str
    size_bytes: int
    sha256: str


ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
_EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
}


def backend() -> LocalStore | S3Store:
    """The store the settings choose."""
    if current_app.config.get("STORAGE_BACKEND", "local") == "s3":
        return S3Store.for_app(current_app)
    return LocalStore(root())


def uses_folder() -> bool:
    return isinstance(backend(), LocalStore)


def root() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    make_folder(path)
    return path


def path_for(storage_key: str) -> Path:
    """Where the local folder keeps a file (not for S3: use `open_stream`, `read_bytes`)."""
    if current_app.config.get("STORAGE_BACKEND", "local") == "s3":
        raise RuntimeError("stored files are in the object store, not in a folder")
    return root() / storage_key[:2] / check_key(storage_key)


def _office_type(head: bytes, data: BinaryIO) -> str | None:
    data.seek(0)
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return None
            names = {member.filename for member in members}
            total = sum(member.file_size for member in members)
            compressed = sum(member.compress_size for member in members) or 1
            if total > MAX_UNCOMPRESSED or total / compressed > MAX_RATIO:
                raise DomainError(
                    _("The office file expands to far more than its size; it was refused.")
                )
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def sniff(data: BinaryIO) -> str | None:
    """The type of a file from its content, or None when it is not one we accept."""
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    if head.startswith(b"%PDF-"):
        # A polyglot (HTML or a script hiding in a "PDF") is refused by its tail too.
        data.seek(-min(2048, _size(data)), os.SEEK_END)
        tail = data.read()
        data.seek(0)
        return "application/pdf" if b"%%EOF" in tail and b"<html" not in tail.lower() else None
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(head, data)
    return None


def _size(data: BinaryIO) -> int:
    position = data.tell()
    data.seek(0, os.SEEK_END)
    size = data.tell()
    data.seek(position)
    return size


def check_upload(data: BinaryIO, filename: str) -> str:
    """The content type of an acceptable upload; DomainError naming the problem otherwise.

    The first bytes say which type the file claims to be; `check_content` then makes sure it
    opens as that type and carries no web page."""
    size = _size(data)
    limit = current_app.config["MAX_FILE_MB"] * 1024 * 1024
    if size == 0:
        raise DomainError(_("The file %(name)s is empty.", name=filename))
    if size > limit:
        raise DomainError(
            _(
                "The file %(name)s is larger than %(mb)d MB.",
                name=filename,
                mb=current_app.config["MAX_FILE_MB"],
            )
        )
    content_type = sniff(data)
    if content_type is None:
        raise DomainError(
            _("The file %(name)s is not a PDF, JPEG, PNG, DOCX or XLSX document.", name=filename)
        )
    extension = os.path.splitext(filename.lower())[1]
    if extension not in _EXTENSIONS[content_type]:
        raise DomainError(
            _(
                "The file %(name)s is a %(kind)s document but its name ends in "
                "“%(ext)s”. Rename it and try again.",
                name=filename,
                kind=ALLOWED_TYPES[content_type],
                ext=extension or "—",
            )
        )
    data.seek(0)
    check_content(data.read(), content_type, filename)
    data.seek(0)
    return content_type


IMAGE_TYPES = ("image/png", "image/jpeg")


def check_image(data: BinaryIO, filename: str) -> str:
    """The content type of an acceptable PNG or JPEG upload, judged by its content (a PDF
    renamed .png is refused); DomainError naming the problem otherwise."""
    if sniff(data) not in IMAGE_TYPES:
        raise DomainError(_("The file %(name)s is not a PNG or JPEG image.", name=filename))
    return check_upload(data, filename)


def digest_of(data: BinaryIO) -> tuple[str, int]:
    """The SHA-256 (hex) and size of `data`, read from its start; left at its start."""
    digest = hashlib.sha256()
    size = 0
    data.seek(0)
    while chunk := data.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    data.seek(0)
    return digest.hexdigest(), size


def store(data: BinaryIO, content_type: str) -> StoredFile:
    """Write `data` durably under a new generated key; returns what the row needs."""
    key = secrets.token_hex(16)
    sha256, size = digest_of(data)
    backend().put(key, data, size)
    after_rollback(partial(_discard_quietly, key))
    return StoredFile(key, content_type, size, sha256)


def store_bytes(content: bytes, content_type: str) -> StoredFile:
    return store(BytesIO(content), content_type)


def put_file(storage_key: str, data: IO[bytes], size: int) -> None:
    """Write a file under a key it already has (a restore); replaces any file of that key."""
    backend().put(check_key(storage_key), data, size)


def stat(storage_key: str) -> StoredObject:
    """The size and modification time of a stored file; FileNotFoundError when missing."""
    return backend().stat(check_key(storage_key))


def exists(storage_key: str) -> bool:
    try:
        stat(storage_key)
    except FileNotFoundError:
        return False
    return True


def open_stream(storage_key: str, *, size: int | None = None) -> IO[bytes]:
    """A seekable binary reader of a stored file, to close after use; FileNotFoundError when
    the file is missing. `size`, when the caller has it from `stat`, saves asking again."""
    return backend().open(check_key(storage_key), size)


def read_bytes(storage_key: str) -> bytes:
    """The content of a stored file; FileNotFoundError when it is missing."""
    with open_stream(storage_key) as stream:
        return stream.read()


def stored_objects() -> Iterator[StoredObject]:
    """Every stored file (not the temporary files of unfinished writes)."""
    return backend().objects()


def discard(storage_key: str) -> None:
    """Remove a stored file (after its row was deleted, or when its transaction failed)."""
    backend().delete(check_key(storage_key))


def _discard_quietly(storage_key: str) -> None:
    """Delete a file stored during a transaction that did not commit."""
    try:
        discard(storage_key)
    except OSError:  # the sweeper removes it later; the rollback must not fail for it
        current_app.logger.warning("could not delete uncommitted file %s", storage_key)


def discard_after_commit(storage_key: str) -> None:
    """Delete a stored file once the transaction that stopped referring to it commits."""
    after_commit(partial(discard, storage_key))


def sweep_orphans(known_keys: set[str], *, older_than_seconds: int = 3600) -> int:
    """Delete stored files that no row refers to; returns how many.

    Only files older than `older_than_seconds` are touched, so an upload whose transaction is
    still running keeps its file.
    """
    limit = time.time() - older_than_seconds
    store = backend()
    removed = store.sweep_temporaries(limit) if isinstance(store, LocalStore) else 0
    for item in list(store.objects()):
        if item.modified <= limit and item.key not in known_keys:
            store.delete(item.key)
            removed += 1
    return removed
