"""Backups: a consistent snapshot of the database with the stored files and the instance
secrets the data depends on, and their restore.

A backup is a directory `backup-<UTC time>` holding:

    manifest.json       every file below with its size and SHA-256, the database kind, the
                        alembic revision, the row count of every table, when and by which
                        version of the application it was taken
    database.sqlite     SQLite: a copy made with SQLite's online backup API
    database.pgdump     PostgreSQL: pg_dump's custom format, without owners and privileges
    uploads/…           every stored file (evidence, certificate PDFs, scans, …), from the
                        folder UPLOAD_DIR or the S3 bucket, at its path in the folder's layout
    instance/…          certificate_keys (the HMAC keys of the verification codes), secret_key

The database is snapshot first, at one point in time, and the files are copied after it:
files are complete in the store before their rows commit, so every row of the snapshot finds
its file, and files written later are only orphans. The directory is written under a hidden
temporary name and renamed when complete, so a half-written backup never looks complete.
"""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO

from flask import current_app

from recognition.common import storage
from recognition.common.storage_local import check_key, fsync_directory
from recognition.extensions import db
from recognition.ops import backup_postgres
from recognition.ops.backup_database import (
    BackupError,
    Snapshot,
    database_kind,
    database_problems,
    referenced_keys,
    restore_sqlite,
    row_counts,
    snapshot_sqlite,
)

__all__ = ["BackupError", "BackupResult", "RestoreReport", "create_backup", "restore_backup"]

FORMAT = 1
MANIFEST = "manifest.json"
SNAPSHOTS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
INSTANCE = "instance"
SECRETS = ("certificate_keys", "secret_key")
CERTIFICATE_KEYS = "certificate_keys"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the backup directory, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    app_version: str
    database: str
    alembic_revision: str | None
    row_counts: dict[str, int]
    files: list[Entry]
    # Files that rows of the snapshot refer to but that were gone when the files were copied.
    missing_files: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: str) -> "Manifest":
        try:
            data = json.loads(raw)
            files = [Entry(str(e["path"]), int(e["size"]), str(e["sha256"])) for e in data["files"]]
            return cls(
                format=int(data["format"]),
                created_at=str(data["created_at"]),
                app_version=str(data["app_version"]),
                database=str(data["database"]),
                alembic_revision=data["alembic_revision"],
                row_counts={str(k): int(v) for k, v in data["row_counts"].items()},
                files=files,
                missing_files=[str(key) for key in data.get("missing_files", [])],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"{MANIFEST} is not a manifest written by `flask backup`.") from error


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class RestoreReport:
    row_counts: dict[str, int]
    mismatches: list[str]  # tables whose count differs from the manifest's
    files: int
    secrets: list[str]  # what happened to each instance secret
    missing_files: list[str]  # referenced by a row, not on disk, though the backup had them
    known_missing: list[str]  # referenced by a row, already missing when the backup was taken


# --- taking a backup ----------------------------------------------------------------------------


def create_backup(output: Path, *, now: datetime | None = None) -> BackupResult:
    """Write a complete backup directory under `output`; returns its path and manifest."""
    now = now or datetime.now(UTC)
    uploads = Path(current_app.config["UPLOAD_DIR"]).resolve()
    if storage.uses_folder() and output.resolve().is_relative_to(uploads):
        raise BackupError(f"Write backups outside the upload directory {uploads}.")
    output.mkdir(parents=True, exist_ok=True)
    final = output / f"backup-{now:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} already exists.")
    kind = database_kind(db.engine)
    working = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=output))
    try:
        path = working / SNAPSHOTS[kind]
        snapshot = _snapshot(kind, path)
        entries = [_entry(working, path)]
        entries += _copy_stored(working / UPLOADS, working)
        entries += _copy_secrets(Path(current_app.instance_path), working / INSTANCE, working)
        copied = {Path(e.path).name for e in entries if e.path.startswith(f"{UPLOADS}/")}
        manifest = Manifest(
            format=FORMAT,
            created_at=now.isoformat(timespec="seconds"),
            app_version=_app_version(),
            database=kind,
            alembic_revision=snapshot.alembic_revision,
            row_counts=snapshot.row_counts,
            files=entries,
            missing_files=sorted(snapshot.referenced_keys - copied),
        )
        _write_durably(working / MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
        fsync_directory(working)
        os.rename(working, final)
        fsync_directory(output)
    except BaseException:
        _remove_tree(working)
        raise
    return BackupResult(final, manifest)


def _snapshot(kind: str, path: Path) -> Snapshot:
    if kind == "sqlite":
        return snapshot_sqlite(db.engine, path)
    return backup_postgres.dump(db.engine, path)


def _app_version() -> str:
    try:
        return metadata.version("recognition")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- files --------------------------------------------------------------------------------------


def _copy(source: Path, target: Path) -> tuple[int, str]:
    """Copy `source` to `target` (fsynced); the size and SHA-256 of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return size, digest.hexdigest()


def _digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as reader:
        return _digest_stream(reader)


def _entry(base: Path, path: Path) -> Entry:
    size, sha256 = _digest(path)
    return Entry(path.relative_to(base).as_posix(), size, sha256)


def _copy_stored(target: Path, base: Path) -> list[Entry]:
    """Copy every stored file to `target`, at its path in the folder's layout."""
    entries = []
    for item in list(storage.stored_objects()):
        copy = target / item.key[:2] / item.key
        try:
            size, sha256 = _copy_stream(item.key, copy)
        except FileNotFoundError:
            continue  # removed since it was listed: its row was deleted after the snapshot
        entries.append(Entry(copy.relative_to(base).as_posix(), size, sha256))
    return entries


def _copy_stream(key: str, target: Path) -> tuple[int, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open_stream(key) as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return size, digest.hexdigest()


def _copy_secrets(instance: Path, target: Path, base: Path) -> list[Entry]:
    entries = []
    for name in SECRETS:
        if (instance / name).is_file():
            target.mkdir(mode=0o700, exist_ok=True)
            size, sha256 = _copy(instance / name, target / name)
            os.chmod(target / name, 0o600)
            entries.append(Entry(f"{INSTANCE}/{name}", size, sha256))
    return entries


def _write_durably(path: Path, content: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# --- checking a backup --------------------------------------------------------------------------


def _allowed(path: str, database: str) -> bool:
    """Whether a manifest path names a file a restore may read (nothing outside the backup)."""
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return False
    if parts[0] == UPLOADS:  # uploads/ab/ab…: a stored file's key in the folder's layout
        return len(parts) == 3 and _is_key(parts[2]) and parts[1] == parts[2][:2]
    if parts[0] == INSTANCE:
        return len(parts) == 2 and parts[1] in SECRETS
    return path == SNAPSHOTS.get(database)


def _is_key(name: str) -> bool:
    try:
        check_key(name)
    except ValueError:
        return False
    return True


def verify_backup(directory: Path) -> Manifest:
    """The manifest of a backup whose every file is present with its size and SHA-256;
    BackupError listing each missing, altered or unexpected file otherwise."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{directory} is not a complete backup: {MANIFEST} is missing.")
    manifest = Manifest.parse(manifest_path.read_text(encoding="utf-8"))
    if manifest.format != FORMAT or manifest.database not in SNAPSHOTS:
        raise BackupError(f"{MANIFEST} has a format this version cannot restore.")
    problems = []
    if SNAPSHOTS[manifest.database] not in {entry.path for entry in manifest.files}:
        problems.append(f"{SNAPSHOTS[manifest.database]}: not listed in the manifest")
    for entry in manifest.files:
        path = directory / entry.path
        if not _allowed(entry.path, manifest.database):
            problems.append(f"{entry.path}: not a file a backup holds")
        elif not path.is_file():
            problems.append(f"{entry.path}: missing")
        else:
            size, sha256 = _digest(path)
            if size != entry.size:
                problems.append(f"{entry.path}: {size} bytes, the manifest says {entry.size}")
            elif sha256 != entry.sha256:
                problems.append(f"{entry.path}: SHA-256 differs from the manifest")
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        raise BackupError(f"The backup {directory} is damaged; nothing was restored:\n{listed}")
    return manifest


# --- restoring ----------------------------------------------------------------------------------


def restore_backup(directory: Path, *, force: bool = False) -> RestoreReport:
    """Check the backup, then restore its database, files and instance secrets into this
    installation, which must be empty unless `force`; returns what the database then holds."""
    manifest = verify_backup(directory)
    kind = database_kind(db.engine)
    if manifest.database != kind:
        raise BackupError(
            f"The backup holds a {manifest.database} database; this installation uses {kind}."
        )
    instance = Path(current_app.instance_path)
    if not force:
        problems = database_problems(db.engine) + _files_problems(directory, instance)
        if problems:
            listed = "\n".join(f"  {problem}" for problem in problems)
            raise BackupError(
                f"Refusing to restore over existing data (--force replaces it):\n{listed}"
            )
    snapshot = directory / SNAPSHOTS[kind]
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        restore_sqlite(db.engine, snapshot)
    else:
        backup_postgres.restore(db.engine, snapshot)
    db.engine.dispose()
    files = _restore_uploads(directory, manifest)
    secrets = _restore_secrets(directory, manifest, instance)
    with db.engine.connect() as connection:
        counts = row_counts(connection)
        keys = referenced_keys(connection)
    expected = manifest.row_counts
    mismatches = [
        f"{name}: {counts.get(name, 'no table')} rows, the manifest says {expected.get(name)}"
        for name in sorted(set(counts) | set(expected))
        if counts.get(name) != expected.get(name)
    ]
    absent = keys - {item.key for item in storage.stored_objects()}
    known = absent & set(manifest.missing_files)
    return RestoreReport(counts, mismatches, files, secrets, sorted(absent - known), sorted(known))


def _files_problems(directory: Path, instance: Path) -> list[str]:
    """What files of this installation a restore would overwrite."""
    problems = []
    existing = sum(1 for _ in storage.stored_objects())
    if existing:
        problems.append(f"{_store_name()} already holds {existing} files")
    keys = instance / CERTIFICATE_KEYS
    backed_up = directory / INSTANCE / CERTIFICATE_KEYS
    if keys.is_file() and backed_up.is_file() and keys.read_bytes() != backed_up.read_bytes():
        problems.append(
            f"{keys} holds other keys than the backup's: replacing them would make "
            "the certificates they signed unverifiable"
        )
    return problems


def _store_name() -> str:
    if storage.uses_folder():
        return f"the upload directory {current_app.config['UPLOAD_DIR']}"
    return f"the bucket {current_app.config['S3_BUCKET']}"


def _restore_uploads(directory: Path, manifest: Manifest) -> int:
    """Put the backed-up files into the store (the folder or the bucket) under their keys,
    each once its checksum is proven again; each is written whole or not at all."""
    count = 0
    for entry in manifest.files:
        if not entry.path.startswith(f"{UPLOADS}/"):
            continue
        with open(directory / entry.path, "rb") as source:
            if _digest_stream(source) != (entry.size, entry.sha256):
                raise BackupError(f"{entry.path} changed while it was being restored.")
            source.seek(0)
            storage.put_file(PurePosixPath(entry.path).name, source, entry.size)
        count += 1
    return count


def _digest_stream(reader: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := reader.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _install(source: Path, target: Path, entry: Entry, mode: int | None = None) -> None:
    temporary = target.with_name(f".{target.name}.restoring")
    size, sha256 = _copy(source, temporary)
    if (size, sha256) != (entry.size, entry.sha256):
        temporary.unlink(missing_ok=True)
        raise BackupError(f"{entry.path} changed while it was being restored.")
    if mode is not None:
        os.chmod(temporary, mode)
    os.replace(temporary, target)
    fsync_directory(target.parent)


def _restore_secrets(directory: Path, manifest: Manifest, instance: Path) -> list[str]:
    """Put the backed-up instance secrets in place; certificate keys that differ (only with
    --force) are kept beside them under another name, never lost."""
    done = []
    instance.mkdir(parents=True, exist_ok=True)
    for entry in manifest.files:
        if not entry.path.startswith(f"{INSTANCE}/"):
            continue
        name = PurePosixPath(entry.path).name
        target = instance / name
        if target.is_file() and _digest(target) == (entry.size, entry.sha256):
            done.append(f"{name}: already in place")
            continue
        if target.is_file() and name == CERTIFICATE_KEYS:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = target.with_name(f"{name}.replaced-{stamp}")
            os.replace(target, kept)
            done.append(f"{name}: restored (the previous keys are kept in {kept.name})")
        else:
            done.append(f"{name}: {'replaced' if target.is_file() else 'restored'}")
        _install(directory / entry.path, target, entry, mode=0o600)
    return done
