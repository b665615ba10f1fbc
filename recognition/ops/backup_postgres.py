"""PostgreSQL's side of backups: pg_dump and pg_restore of the server's major version, run
against the application's database URL with the password in the environment (never on a
command line that `ps` shows)."""

import os
import re
import shutil

# pg_dump and pg_restore, found by path and run without a shell.
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy import Connection, Engine, column, select, table, text
from sqlalchemy.engine import URL

from recognition.ops.backup_database import BackupError, Snapshot, referenced_keys_query, row_counts

TIMEOUT_SECONDS = 3600


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq URL of a SQLAlchemy URL (`postgresql+psycopg://…` → `postgresql://…`),
    without the password, and the environment that carries the password."""
    target = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return target.render_as_string(hide_password=False), environment


def server_major(connection: Connection) -> int:
    version = connection.scalar(text("SHOW server_version_num"))
    return int(version) // 10000


def tool_major(path: str) -> int | None:
    """The major version `path --version` reports, or None."""
    try:
        result = subprocess.run(  # noqa: S603 - a found binary  # nosec B603
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", result.stdout)
    return int(match.group(1)) if match else None


def pg_tool(name: str, major: int) -> str:
    """The path of `name` (pg_dump, pg_restore) of PostgreSQL `major`: Debian's versioned
    directory first, then the PATH. A client of another major version is refused: an older
    one cannot read a newer server, a newer one writes archives an older one cannot read."""
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)]
    seen = []
    for candidate in dict.fromkeys(c for c in candidates if c and os.access(c, os.X_OK)):
        found = tool_major(candidate)
        if found == major:
            return candidate
        seen.append(f"{candidate} is of PostgreSQL {found or 'an unknown version'}")
    if not seen:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL {major} client programs "
            f"(Debian: apt-get install postgresql-client-{major})."
        )
    raise BackupError(
        f"{name} must be of PostgreSQL {major}, the server's version, but "
        + "; ".join(seen)
        + f". Install postgresql-client-{major}."
    )


def _run(command: list[str], environment: dict[str, str]) -> None:
    name = Path(command[0]).name
    try:
        result = subprocess.run(  # noqa: S603 - a found binary  # nosec B603
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{name} did not finish within {TIMEOUT_SECONDS} seconds.") from error
    if result.returncode != 0:
        raise BackupError(
            f"{name} failed (exit code {result.returncode}):\n{result.stderr.strip()}"
        )


def dump(engine: Engine, destination: Path) -> Snapshot:
    """pg_dump (custom format) of the snapshot of a repeatable-read transaction, which also
    counts the rows and reads the revision and the stored-file keys: one point in time."""
    with engine.connect() as connection:
        reading = connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        with reading.begin():
            exported = reading.scalar(text("SELECT pg_export_snapshot()"))
            counts = row_counts(reading)
            revision = None
            if counts.get("alembic_version"):
                revision = reading.scalar(select(table("alembic_version", column("version_num"))))
            query = referenced_keys_query(set(counts))
            keys = set() if query is None else set(reading.scalars(query))
            tool = pg_tool("pg_dump", server_major(reading))
            target, environment = libpq_target(engine.url)
            # The exported snapshot lives as long as this transaction: pg_dump runs inside it.
            _run(
                [
                    tool,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={exported}",
                    f"--file={destination}",
                    f"--dbname={target}",
                ],
                environment,
            )
    return Snapshot(revision, counts, keys)


def restore(engine: Engine, archive: Path) -> None:
    """pg_restore in one transaction (all or nothing). Objects of the archive that exist
    already are dropped first: an empty alembic_version, or (with --force) the old data."""
    with engine.connect() as connection:
        tool = pg_tool("pg_restore", server_major(connection))
    engine.dispose()
    target, environment = libpq_target(engine.url)
    command = [tool, "--no-owner", "--no-privileges", "--single-transaction"]
    command += ["--clean", "--if-exists", f"--dbname={target}", str(archive)]
    _run(command, environment)
