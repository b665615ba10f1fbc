"""Stored files in the local folder UPLOAD_DIR (the default, for one app server).

A file is written to a temporary name, fsynced and renamed, and each folder entry it creates
is fsynced too: a power cut leaves the whole file or none of it.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: float  # seconds since the epoch


def make_folder(path: Path) -> None:
    """Create `path` and its missing parents durably: a new folder's entry is fsynced in its
    parent, or a power cut could take the folder away with the fsynced files inside it."""
    if path.is_dir():
        return
    make_folder(path.parent)
    path.mkdir(exist_ok=True)
    fsync_directory(path.parent)


def fsync_directory(path: Path) -> None:
    """Make the entries of folder `path` (files created, renamed or removed) durable."""
    directory = os.open(path, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def check_key(storage_key: str) -> str:
    if len(storage_key) != 32 or not all(c in "0123456789abcdef" for c in storage_key):
        raise ValueError("bad storage key")
    return storage_key


@dataclass(frozen=True)
class LocalStore:
    root: Path

    def path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def put(self, key: str, data: IO[bytes], size: int) -> None:
        final = self.path(key)
        make_folder(final.parent)
        temporary = final.with_name(f".{key}.tmp")
        with open(temporary, "wb") as handle:
            while chunk := data.read(CHUNK):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
        fsync_directory(final.parent)

    def stat(self, key: str) -> StoredObject:
        status = self.path(key).stat()
        return StoredObject(key, status.st_size, status.st_mtime)

    def open(self, key: str, size: int | None = None) -> IO[bytes]:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def objects(self) -> Iterator[StoredObject]:
        """Every stored file, without the temporary files of unfinished writes."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*")):
            if path.name.startswith(".") or not path.is_file():
                continue
            try:
                status = path.stat()
            except FileNotFoundError:
                continue  # removed since it was listed
            yield StoredObject(path.name, status.st_size, status.st_mtime)

    def sweep_temporaries(self, older_than: float) -> int:
        """Remove the temporary files of writes a crash interrupted; returns how many."""
        removed = 0
        for path in self.root.glob("??/.*"):
            if path.stat().st_mtime <= older_than:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
