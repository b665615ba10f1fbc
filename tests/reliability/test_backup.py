"""`flask backup` and `flask restore` (recognition/ops/backup.py): a backup restored into an empty
installation gives back every row of every table, every stored file byte for byte and the
certificate keys; a damaged backup, or an installation that already holds data, is refused;
a backup taken while another thread writes is consistent (the audit chain verifies, every row
that names a stored file finds it).

Each installation ("site") is an app with a database, an upload directory and an instance
folder of its own, committed for real: SQLite files in tmp_path, or (with
RECOGNITION_TEST_ON_POSTGRES=1) PostgreSQL databases created and dropped here.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url

from recognition import create_app
from recognition.certificates.codes import check_code, essentials, public_code
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.audit import verify_chain
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment
from recognition.nominations.enums import Action
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.ops.backup import BackupError, create_backup, restore_backup
from recognition.ops.backup_database import referenced_keys
from recognition.ops.backup_postgres import libpq_target, pg_tool, tool_major
from recognition.ops.demo import seed_demo
from recognition.units.enums import UnitKind
from tests.conftest import ON_POSTGRES, TEST_CONFIG, build_app, throwaway_postgres
from tests.decisions.helpers import issued, stored
from tests.support.factories import UnitFactory
from tests.support.object_store import remove_stored, store_settings, stored_keys
from tests.workflow.helpers import INSIDE, PDF, Scene, build_scene, draft

pytestmark = [pytest.mark.integration, pytest.mark.committing]

# The demo's decision of 2026 and its six certificates, stored signed.
DEMO_SIGNED_FILES = 7


def _png() -> bytes:
    """A real PNG (uploads are decoded) whose pixels hold every byte value."""
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (16, 16), bytes(range(256)) * 3).save(out, "PNG", compress_level=0)
    return out.getvalue()


PNG = _png()
SECRET_KEY = "a0" * 32


# --- sites: an app, its database, upload directory and instance folder --------------------------


@dataclass
class Site:
    app: Flask
    uploads: Path
    instance: Path


@contextmanager
def fresh_database(role: str, folder: Path, *, migrated: bool) -> Iterator[str]:
    """The URL of a new database (empty, or a copy of the migrated one when `migrated`): a
    SQLite file in `folder`, or a PostgreSQL database (`test_backup_<role>_<pid>_<n>`)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{folder / f'{role}.sqlite'}"
        return
    with throwaway_postgres(f"backup_{role}", migrated=migrated) as url:
        yield url


@contextmanager
def site(role: str, folder: Path, *, migrated: bool) -> Iterator[Site]:
    """An installation in `folder`: migrated (the schema, no rows), or with an empty database."""
    with fresh_database(role, folder, migrated=migrated) as url:
        uploads, instance = folder / f"{role}-uploads", folder / f"{role}-instance"
        instance.mkdir()
        overrides = {"UPLOAD_DIR": str(uploads)}
        if migrated:
            app = build_app(url, copied=ON_POSTGRES, **overrides)
        else:
            app = create_app(
                {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **store_settings(), **overrides}
            )
        app.instance_path = str(instance)
        try:
            yield Site(app, uploads, instance)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def populate(origin: Site) -> None:
    """The demo data, a submitted dossier with two evidence files, and an issued decision with
    its two stored certificate PDFs (signed with the site's certificate keys)."""
    with origin.app.test_request_context(), force_locale("en"):
        seed_demo()
        scene = build_scene()
        nomination = draft(scene)
        add_attachment(nomination, io.BytesIO(PDF), "Biên bản họp.pdf", actor=scene.nominator)
        add_attachment(nomination, io.BytesIO(PNG), "Ảnh hoạt động.png", actor=scene.nominator)
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        stored(issued(scene, 2))
        db.session.commit()
    (origin.instance / "secret_key").write_text(SECRET_KEY)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site("src", tmp_path_factory.mktemp("origin"), migrated=True) as built:
        populate(built)
        yield built


@pytest.fixture(scope="module")
def backup(origin: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of `origin` (tests that damage it work on a copy)."""
    with origin.app.app_context():
        return create_backup(tmp_path_factory.mktemp("backups")).path


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Site]:
    """An empty installation: no tables, no files, no keys."""
    with site("dst", tmp_path, migrated=False) as built:
        yield built


# --- what a site holds ------------------------------------------------------------------------


def all_rows(built: Site) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (reflected from the database), ordered by primary key."""
    with built.app.app_context(), db.engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        return {
            name: [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for name, table in sorted(metadata.tables.items())
        }


def files_of(built: Site) -> dict[str, bytes]:
    """Every file in the site's store (its folder or its bucket), at its path in the layout."""
    with built.app.app_context():
        return {f"{key[:2]}/{key}": storage.read_bytes(key) for key in stored_keys()}


def store_name(built: Site) -> str:
    if built.app.config.get("STORAGE_BACKEND") == "s3":
        return f"the bucket {built.app.config['S3_BUCKET']}"
    return f"the upload directory {built.uploads}"


def flask(built: Site, *args: str) -> Result:
    """`flask <args>` on the site, inside its app context as the `flask` executable runs it."""
    with built.app.app_context():
        return built.app.test_cli_runner().invoke(args=list(args))


def damaged_copy(backup: Path, folder: Path) -> Path:
    copy = folder / backup.name
    shutil.copytree(backup, copy)
    return copy


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the round trip ---------------------------------------------------------------------------


def test_the_commands_round_trip_every_row_file_and_key(
    origin: Site, target: Site, tmp_path: Path
) -> None:
    started = time.perf_counter()
    made = flask(origin, "backup", "--output", str(tmp_path / "out"))
    backed_up = time.perf_counter()
    (backup,) = (tmp_path / "out").iterdir()  # the backup, and no half-written directory
    # An empty alembic_version is what an empty database may hold.
    with target.app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
    restored = flask(target, "restore", str(backup))
    finished = time.perf_counter()

    source_rows, target_rows = all_rows(origin), all_rows(target)
    source_files, target_files = files_of(origin), files_of(target)
    manifest = json.loads((backup / "manifest.json").read_text())
    on_disk = sorted(p.relative_to(backup).as_posix() for p in backup.rglob("*") if p.is_file())
    total = sum(len(rows) for rows in source_rows.values())
    assert (made.exit_code, made.stderr) == (0, ""), made.output
    assert made.stdout.splitlines()[0] == f"backup written to {backup}"
    assert re.fullmatch(r"backup-\d{8}T\d{6}Z", backup.name)
    assert (restored.exit_code, restored.stderr) == (0, ""), restored.output
    assert restored.stdout.splitlines()[-1] == f"row counts match the manifest ({total} rows)"
    assert target_rows == source_rows
    assert target_files == source_files
    # Two evidence files, two certificate PDFs, the demo honour board's photo, and the demo's
    # signed decision of 2026 with its six certificates.
    assert len(source_files) == 5 + DEMO_SIGNED_FILES
    for name in ("certificate_keys", "secret_key"):
        assert (target.instance / name).read_bytes() == (origin.instance / name).read_bytes()
    assert manifest["row_counts"] == {name: len(rows) for name, rows in source_rows.items()}
    assert manifest["database"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["alembic_revision"] == source_rows["alembic_version"][0][0]
    assert manifest["missing_files"] == []
    assert sorted(entry["path"] for entry in manifest["files"]) == [
        p for p in on_disk if p != "manifest.json"
    ]
    assert all(entry["sha256"] == sha256(backup / entry["path"]) for entry in manifest["files"])
    print(
        f"\nround trip ({manifest['database']}): {total} rows in {len(source_rows)} tables and "
        f"{len(source_files)} files compared; backup {backed_up - started:.2f} s, "
        f"restore {finished - backed_up:.2f} s"
    )


def test_the_restored_site_works_with_its_keys_chain_and_sequences(
    origin: Site, backup: Path, target: Site
) -> None:
    with target.app.app_context():
        restore_backup(backup)
    with target.app.app_context():
        events, problems = verify_chain()
        certificates = list(db.session.scalars(select(Certificate).order_by(Certificate.id)))
        genuine = [check_code(essentials(c), public_code(c.key_id, c.code)) for c in certificates]
        highest = max(row[0] for row in all_rows(target)["units"])
        # A new row after the restore gets a new id (PostgreSQL: the sequences came back).
        unit = UnitFactory(name="Tỉnh Mới Sau Khôi Phục", kind=UnitKind.PROVINCE)
        db.session.commit()
        new_id = unit.id
    with origin.app.app_context():
        original_events, _ = verify_chain()

    assert (events, problems) == (original_events, [])
    assert events > 0
    # The demo's two certificates of 2024, Xã Phú Phụng's twelve of its own awards (2025 and this
    # year's sudden awards), the six of its year-end decision of 2026 and the scene's two.
    assert genuine == [True] * 22
    assert new_id > highest


# --- refusals ---------------------------------------------------------------------------------


def test_a_corrupted_file_is_named_and_nothing_is_restored(
    backup: Path, target: Site, tmp_path: Path
) -> None:
    damaged = damaged_copy(backup, tmp_path)
    manifest = json.loads((damaged / "manifest.json").read_text())
    victim = next(e["path"] for e in manifest["files"] if e["path"].startswith("uploads/"))
    content = bytearray((damaged / victim).read_bytes())
    content[len(content) // 2] ^= 0x01  # one bit, same size
    (damaged / victim).write_bytes(bytes(content))

    result = flask(target, "restore", str(damaged))

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The backup {damaged} is damaged; nothing was restored:\n"
        f"  {victim}: SHA-256 differs from the manifest\n"
    )
    assert (all_rows(target), files_of(target)) == ({}, {})


def test_missing_and_foreign_files_are_each_named(
    backup: Path, target: Site, tmp_path: Path
) -> None:
    damaged = damaged_copy(backup, tmp_path)
    manifest = json.loads((damaged / "manifest.json").read_text())
    (damaged / "instance" / "certificate_keys").unlink()
    manifest["files"].append({"path": "../../etc/passwd", "size": 1, "sha256": "0" * 64})
    (damaged / "manifest.json").write_text(json.dumps(manifest))

    with target.app.app_context(), pytest.raises(BackupError) as refused:
        restore_backup(damaged)

    assert str(refused.value).splitlines()[1:] == [
        "  instance/certificate_keys: missing",
        "  ../../etc/passwd: not a file a backup holds",
    ]
    assert (all_rows(target), files_of(target)) == ({}, {})


OLD_KEY = "ee" * 16


def test_a_site_with_data_is_refused_unless_forced(
    origin: Site, backup: Path, tmp_path: Path
) -> None:
    with site("dst", tmp_path, migrated=True) as occupied:
        with occupied.app.test_request_context():
            seed_demo()
            db.session.commit()
        with occupied.app.app_context():
            storage.put_file(OLD_KEY, io.BytesIO(b"kept"), 4)
        (occupied.instance / "certificate_keys").write_text(f"old:{'11' * 32}\n")
        before = all_rows(occupied)
        own_files = files_of(occupied)  # the file put there and the demo's own files

        refused = flask(occupied, "restore", str(backup))
        unchanged = all_rows(occupied)
        forced = flask(occupied, "restore", "--force", str(backup))
        after = all_rows(occupied)
        kept_keys = [p.read_text() for p in occupied.instance.glob("certificate_keys.replaced-*")]
        keys = (occupied.instance / "certificate_keys").read_bytes()
        files = files_of(occupied)

    lines = refused.stderr.splitlines()
    assert refused.exit_code == 1
    assert lines[0] == "Error: Refusing to restore over existing data (--force replaces it):"
    assert lines[1].startswith(f"  the database already has {len(before) - 1} tables (agenda_")
    assert lines[2:] == [
        # The demo honour board's photo, its signed files, and the file put there.
        f"  {store_name(occupied)} already holds {2 + DEMO_SIGNED_FILES} files",
        f"  {occupied.instance / 'certificate_keys'} holds other keys than the backup's: "
        "replacing them would make the certificates they signed unverifiable",
    ]
    assert unchanged == before
    assert (forced.exit_code, forced.stderr) == (0, ""), forced.output
    assert after == all_rows(origin)
    assert keys == (origin.instance / "certificate_keys").read_bytes()
    assert kept_keys == [f"old:{'11' * 32}\n"]
    assert own_files[f"{OLD_KEY[:2]}/{OLD_KEY}"] == b"kept"
    assert files == {**files_of(origin), **own_files}


def test_a_database_with_only_a_migration_revision_is_refused(backup: Path, target: Site) -> None:
    with target.app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('6e14ca0595fb')"))

    with target.app.app_context(), pytest.raises(BackupError) as refused:
        restore_backup(backup)

    assert str(refused.value).splitlines()[1:] == [
        "  the database has a migration revision: restore into an empty database "
        "(do not run `flask db upgrade` first)"
    ]


def test_a_backup_of_another_database_kind_is_refused(backup: Path, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.sqlite'}" if ON_POSTGRES else "postgresql+psycopg://x/y"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": other})
    kind = "postgresql" if ON_POSTGRES else "sqlite"
    other_kind = "sqlite" if ON_POSTGRES else "postgresql"

    with app.app_context(), pytest.raises(BackupError) as refused:
        restore_backup(backup)

    assert str(refused.value) == (
        f"The backup holds a {kind} database; this installation uses {other_kind}."
    )


def test_a_failed_backup_leaves_nothing_that_looks_like_a_backup(tmp_path: Path) -> None:
    missing = tmp_path / "never-created.sqlite"
    uploads = tmp_path / "uploads"
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}",
            "UPLOAD_DIR": str(uploads),
        }
    )

    with app.app_context(), pytest.raises(BackupError) as failed:
        create_backup(tmp_path / "out")
    with app.app_context(), pytest.raises(BackupError) as inside:
        create_backup(uploads / "backups")

    assert str(failed.value) == f"The database file {missing} does not exist."
    assert list((tmp_path / "out").iterdir()) == []
    assert str(inside.value) == f"Write backups outside the upload directory {uploads}."
    assert not (uploads / "backups").exists()


# --- the PostgreSQL client programs -----------------------------------------------------------


def test_the_libpq_url_carries_no_password() -> None:
    url = make_url(
        "postgresql+psycopg://thidua:p%40ss@db.internal:5433/recognition?sslmode=require"
    )

    target, environment = libpq_target(url)

    assert target == "postgresql://thidua@db.internal:5433/recognition?sslmode=require"
    assert environment["PGPASSWORD"] == "p@ss"


def test_pg_dump_of_another_version_or_none_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = shutil.which("pg_dump")
    if installed is None:
        pytest.skip("pg_dump is not installed")
    version = tool_major(installed)

    with pytest.raises(BackupError) as other:
        pg_tool("pg_dump", 99)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError) as none:
        pg_tool("pg_dump", 98)

    assert str(other.value) == (
        f"pg_dump must be of PostgreSQL 99, the server's version, but {installed} is of "
        f"PostgreSQL {version}. Install postgresql-client-99."
    )
    assert str(none.value) == (
        "pg_dump was not found. Install the PostgreSQL 98 client programs "
        "(Debian: apt-get install postgresql-client-98)."
    )


def test_a_file_already_missing_is_a_warning_on_both_sides(tmp_path: Path) -> None:
    with (
        site("gap", tmp_path, migrated=True) as gapped,
        site("dst", tmp_path, migrated=False) as target,
    ):
        with gapped.app.test_request_context(), force_locale("en"):
            scene = build_scene()
            nomination = draft(scene)
            lost = add_attachment(nomination, io.BytesIO(PDF), "Mất.pdf", actor=scene.nominator)
            add_attachment(nomination, io.BytesIO(PNG), "Còn.png", actor=scene.nominator)
            db.session.commit()
            key = lost.storage_key
        with gapped.app.app_context():
            remove_stored(key)

        made = flask(gapped, "backup", "--output", str(tmp_path / "out"))
        (backup,) = (tmp_path / "out").iterdir()
        restored = flask(target, "restore", str(backup))
        manifest = json.loads((backup / "manifest.json").read_text())

    assert (made.exit_code, made.stderr) == (
        0,
        f"warning: stored file {key} is named by a row but is not in the file store\n",
    )
    assert manifest["missing_files"] == [key]
    assert (restored.exit_code, restored.stderr) == (
        0,
        f"warning: stored file {key} was already missing from the backup\n",
    )
    assert restored.stdout.splitlines()[-1].startswith("row counts match the manifest")


# --- a backup while another thread writes -----------------------------------------------------


def write_dossiers(
    app: Flask, ready: threading.Event, stop: threading.Event, log: list[str]
) -> None:
    """Commit dossiers, each with an evidence file and a submission (an audit event), until
    told to stop; `log` gets each committed dossier's reference."""
    with app.test_request_context(), force_locale("en"):
        try:
            scene: Scene = build_scene()
            db.session.commit()
            ready.set()
            while not stop.is_set():
                nomination = draft(scene)
                add_attachment(nomination, io.BytesIO(PDF), "Biên bản.pdf", actor=scene.nominator)
                apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
                db.session.commit()
                log.append(nomination.reference or "")
        except BaseException as error:  # reported by the test, not lost in the thread
            log.append(f"error: {error!r}")
            ready.set()
        finally:
            db.session.remove()


def wait_for_dossiers(log: list[str], count: int, seconds: float = 60) -> None:
    """Wait until the writer has committed `count` dossiers; fail at once if it failed."""
    deadline = time.monotonic() + seconds
    while len(log) < count:
        assert not [line for line in log if line.startswith("error")], log
        assert time.monotonic() < deadline, "the writer did not get there in time"
        time.sleep(0.01)


def test_a_backup_taken_while_another_thread_writes_is_consistent(tmp_path: Path) -> None:
    with (
        site("race", tmp_path, migrated=True) as busy,
        site("dst", tmp_path, migrated=False) as target,
    ):
        with busy.app.app_context():
            seed_demo()
            db.session.commit()
            # The demo's own dossiers (of its 2024 history), not the writer's.
            seeded = set(db.session.scalars(select(Nomination.reference)))
        ready, stop, log = threading.Event(), threading.Event(), list[str]()
        writer = threading.Thread(target=write_dossiers, args=(busy.app, ready, stop, log))
        writer.start()
        try:
            assert ready.wait(60)
            wait_for_dossiers(log, 3)
            before = len(log)
            with busy.app.app_context():
                backup = create_backup(tmp_path / "out").path
            during = len(log) - before
            wait_for_dossiers(log, before + during + 3)
        finally:
            stop.set()
            writer.join(60)
        with target.app.app_context():
            report = restore_backup(backup)
        with target.app.app_context():
            events, problems = verify_chain()
            with db.engine.connect() as connection:
                keys = referenced_keys(connection)
            restored = set(db.session.scalars(select(Nomination.reference))) - seeded
        with target.app.app_context():
            present = set(stored_keys())
        backed_up = {p.name for p in (backup / "uploads").rglob("*") if p.is_file()}

    errors = [line for line in log if line.startswith("error")]
    assert errors == []
    # Every row of the snapshot found its file when the files were copied, after it.
    assert (report.mismatches, report.missing_files, report.known_missing) == ([], [], [])
    assert (events, problems) == (report.row_counts["audit_events"], [])
    assert keys <= present
    # The dossiers' evidence, the photos of the demo's honour board and its signed files.
    assert len(keys) == (
        report.row_counts["attachments"] + report.row_counts["honour_photos"] + DEMO_SIGNED_FILES
    )
    # Some dossiers were committed before the snapshot and some after it: the restore holds a
    # prefix of what the writer committed, and no dossier it never committed.
    assert restored == set(log[: len(restored)])
    assert before <= len(restored) < len(log)
    # Files written after the snapshot may be copied too (orphans), never the other way round.
    assert keys <= backed_up
    print(
        f"\nbackup under writes: {len(log)} dossiers committed ({during} while the backup ran), "
        f"{len(restored)} in the snapshot, {len(backed_up) - len(keys)} orphan files copied"
    )
