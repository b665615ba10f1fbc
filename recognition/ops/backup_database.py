"""The database side of backups: what a snapshot holds, and snapshot and restore on SQLite
(the online backup API); PostgreSQL's pg_dump and pg_restore are in backup_postgres.py."""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, column, func, inspect, select, table, union
from sqlalchemy.dialects import sqlite as sqlite_dialect

from recognition.blanks.models import BlankLayout
from recognition.certificates.models import Certificate, PrintJob
from recognition.decisions.models import Decision
from recognition.honours.models import HonourPhoto
from recognition.nominations.models import Attachment
from recognition.targets.models import TargetEvidence
from recognition.units.settings import BodySettings

KINDS = ("sqlite", "postgresql")


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator."""


@dataclass(frozen=True)
class Snapshot:
    """What a database snapshot holds, read from that same snapshot."""

    alembic_revision: str | None
    row_counts: dict[str, int]
    referenced_keys: set[str]  # storage keys of the files its rows refer to


def database_kind(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in KINDS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def referenced_keys_query(tables: set[str]) -> Any | None:
    """The query of every storage key a row refers to (evidence of dossiers and of targets'
    values, certificate PDFs, signed decisions, print batches, emblems, scans of blanks,
    photos of the honour board), over those of the tables that exist; None if none."""
    columns = [
        (Attachment.__tablename__, Attachment.storage_key),
        (Certificate.__tablename__, Certificate.pdf_key),
        (Decision.__tablename__, Decision.pdf_key),
        (PrintJob.__tablename__, PrintJob.result_key),
        (BodySettings.__tablename__, BodySettings.emblem_key),
        (BlankLayout.__tablename__, BlankLayout.scan_key),
        (TargetEvidence.__tablename__, TargetEvidence.storage_key),
        (HonourPhoto.__tablename__, HonourPhoto.storage_key),
    ]
    selects = [select(key).where(key.is_not(None)) for name, key in columns if name in tables]
    return union(*selects) if selects else None


def referenced_keys(connection: Connection) -> set[str]:
    """The storage keys the rows refer to, as the connection sees them."""
    query = referenced_keys_query(set(inspect(connection).get_table_names()))
    return set() if query is None else set(connection.scalars(query))


def row_counts(connection: Connection) -> dict[str, int]:
    """The number of rows of every table the connection sees."""
    names = sorted(inspect(connection).get_table_names())
    return {
        name: int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
        for name in names
    }


def database_problems(engine: Engine) -> list[str]:
    """Why the database is not empty (a restore would overwrite it): any table but an empty
    alembic_version."""
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        revisions = (
            connection.scalar(select(func.count()).select_from(table("alembic_version")))
            if "alembic_version" in tables
            else 0
        )
    others = [name for name in tables if name != "alembic_version"]
    if others:
        shown = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        return [f"the database already has {len(others)} tables ({shown})"]
    if revisions:
        return [
            "the database has a migration revision: restore into an empty database "
            "(do not run `flask db upgrade` first)"
        ]
    return []


# --- SQLite -------------------------------------------------------------------------------------


def sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Only a SQLite database in a file can be backed up or restored.")
    return Path(database)


def snapshot_sqlite(engine: Engine, destination: Path) -> Snapshot:
    """Copy the live database with the online backup API in one step: one read transaction,
    so one point in time while other connections go on writing."""
    source_path = sqlite_file(engine)
    if not source_path.is_file():
        raise BackupError(f"The database file {source_path} does not exist.")
    with (
        closing(sqlite3.connect(source_path, timeout=15)) as source,
        closing(sqlite3.connect(destination)) as copy,
    ):
        source.backup(copy)
        # The copy becomes a plain file: no -wal or -shm beside it, now or when it is read.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_contents(copy)


def _sqlite_contents(connection: sqlite3.Connection) -> Snapshot:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {
        name: int(_sqlite_scalar(connection, select(func.count()).select_from(table(name))))
        for name in tables
    }
    revision = None
    if counts.get("alembic_version"):
        revision = str(
            _sqlite_scalar(connection, select(table("alembic_version", column("version_num"))))
        )
    query = referenced_keys_query(set(counts))
    keys = set() if query is None else {row[0] for row in connection.execute(_sqlite_sql(query))}
    return Snapshot(revision, counts, keys)


def _sqlite_sql(statement: Any) -> str:
    return str(statement.compile(dialect=sqlite_dialect.dialect()))


def _sqlite_scalar(connection: sqlite3.Connection, statement: Any) -> Any:
    return connection.execute(_sqlite_sql(statement)).fetchone()[0]


def restore_sqlite(engine: Engine, snapshot: Path) -> None:
    """Copy the snapshot into the database file with the backup API (under the target's
    lock), then put the file back in WAL mode, as the application uses it."""
    target = sqlite_file(engine)
    target.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()
    with (
        closing(sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target, timeout=15)) as destination,
    ):
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    engine.dispose()
