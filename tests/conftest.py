"""Test fixtures: one database per run (built by the migrations), one rolled-back transaction
per test, a test client that knows its CSRF token.

The suite runs on SQLite by default and on PostgreSQL when RECOGNITION_TEST_ON_POSTGRES=1
(with RECOGNITION_TEST_DATABASE_URL pointing at a database the run may wipe). Files go to a
folder, or with RECOGNITION_TEST_STORAGE=s3 to a bucket of a local S3 server
(tests/support/object_store.py).
"""

from __future__ import annotations

import atexit
import hashlib
import itertools
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings as hypothesis_settings
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import Connection, Engine, event, make_url

from recognition import create_app
from recognition.extensions import db, limiter
from tests.support.object_store import store_settings

os.environ.setdefault("RECOGNITION_SECRET_KEY", "test-secret-key-not-for-production")

# Property tests: no per-example deadline (shared machines are noisy); in CI the examples are
# derived from each test, so a run is repeatable, while local runs keep exploring.
hypothesis_settings.register_profile("default", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")

ON_POSTGRES = os.environ.get("RECOGNITION_TEST_ON_POSTGRES") == "1"
PASSWORD = "Correct-horse-battery-7"
ARTIFACTS = Path(__file__).parent / "artifacts"

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 64,  # argon2 needs at least 8 KiB per lane (4 lanes)
    "RATELIMIT_STORAGE_URI": "memory://",
    "SERVER_NAME": None,
}


# Under pytest-xdist each worker ("gw0", "gw1" …) gets a database of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def committing_on_postgres(reason: str) -> list[pytest.MarkDecorator]:
    """The marks of a module whose tests commit for real on a PostgreSQL database of their own
    (races, transactions): run on PostgreSQL only, outside the per-test rolled-back
    transaction."""
    return [
        pytest.mark.committing,
        pytest.mark.skipif(not ON_POSTGRES, reason=f"{reason} (RECOGNITION_TEST_ON_POSTGRES=1)"),
    ]


def database_url(tmp_dir: Path, name: str = "test") -> str:
    if ON_POSTGRES:
        url = os.environ["RECOGNITION_TEST_DATABASE_URL"]
        return worker_database(url) if WORKER else url
    return f"sqlite:///{tmp_dir / f'{name}.sqlite'}"


def worker_database(url: str) -> str:
    """The URL with the worker's own database (`test_gw0` beside `test`); `build_app` makes
    it a copy of the migrated one."""
    base = make_url(url)
    return base.set(database=f"{base.database}_{WORKER}").render_as_string(hide_password=False)


def build_app(url: str, *, copied: bool = False, **overrides: Any) -> Flask:
    """An app on `url` with the schema built by the migrations (on PostgreSQL, a copy of a
    database they built: `copy_migrated_postgres`, unless `copied` says the database is one
    already, as `throwaway_postgres(…, migrated=True)` makes it)."""
    on_postgres = url.startswith("postgresql")
    if on_postgres and not copied:
        copy_migrated_postgres(url)
    overrides.setdefault("BALLOT_KEY_DIR", tempfile.mkdtemp(prefix="ballot-keys-"))
    overrides.setdefault("SIGNATURE_KEY_DIR", tempfile.mkdtemp(prefix="signing-keys-"))
    migrated = not on_postgres and copy_migrated_sqlite(url)
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **store_settings(), **overrides}
    )
    if not on_postgres and not migrated:
        with app.app_context():
            upgrade()
    return app


_sqlite_template: list[Path] = []  # this process's SQLite database built by the migrations


def copy_migrated_sqlite(url: str) -> bool:
    """Write a copy of a SQLite database the migrations built at `url`'s new file: built once
    per process (three seconds and more each time), copied after with SQLite's backup, which
    takes what the write-ahead log holds too. False for a file that exists already, or an
    address that is not a file: the migrations then run on it."""
    prefix = "sqlite:///"
    path = Path(url[len(prefix) :]) if url.startswith(prefix) else None
    if path is None or not path.is_absolute() or path.exists() or "?" in url:
        return False
    if not _sqlite_template:
        template = Path(tempfile.mkdtemp(prefix="migrated-")) / "template.sqlite"
        builder = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"{prefix}{template}"})
        with builder.app_context():
            upgrade()
            db.session.remove()
            db.engine.dispose()
        _sqlite_template.append(template)
    source, target = sqlite3.connect(_sqlite_template[0]), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return True


_migrated: dict[str, str] = {}  # server → the name of this process's migrated database
DROP = "DROP DATABASE IF EXISTS {} WITH (FORCE)"  # no checkpoint when there is none


def on_server(server: str, statement: str, *names: str) -> None:
    """Run `statement` on the PostgreSQL `server` outside a transaction, its `{}` the `names`
    quoted as identifiers (CREATE and DROP DATABASE)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))


def copy_migrated_postgres(url: str) -> None:
    """Make the database of `url` a fresh copy of a database built by the migrations.

    A run builds a dozen PostgreSQL databases (each worker's, the races', the browser tests'),
    and the migrations take seconds each: they run once per process, into a database used only
    as a template, which CREATE DATABASE then copies in a fraction of a second."""
    target = make_url(url)
    server = target.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    template = _migrated.get(server) or _build_migrated(target, server)
    on_server(server, DROP, str(target.database))
    on_server(server, "CREATE DATABASE {} TEMPLATE {}", str(target.database), template)


def _build_migrated(target: Any, server: str) -> str:
    """The template: named after the run's test database and the process, dropped at exit."""
    base = make_url(os.environ.get("RECOGNITION_TEST_DATABASE_URL", str(target))).database
    name = f"{base}_migrated_{WORKER or os.getpid()}"
    on_server(server, DROP, name)
    on_server(server, "CREATE DATABASE {}", name)
    atexit.register(on_server, server, DROP, name)
    url = target.set(database=name).render_as_string(hide_password=False)
    builder = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "BALLOT_KEY_DIR": tempfile.mkdtemp(prefix="ballot-keys-"),
        }
    )
    with builder.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()  # a template database must have no connection
    _migrated[server] = name
    return name


# PostgreSQL writes a checkpoint for every DROP DATABASE, and waits for it: seconds each in
# the middle of a run, with the other workers' pages to write. The databases a run throws
# away are dropped when the process ends instead, when there is little left to write.
_spent: list[tuple[str, str]] = []  # (server, database) to drop at exit
_throwaways = itertools.count(1)


def _drop_spent() -> None:
    while _spent:
        server, name = _spent.pop()
        on_server(server, DROP, name)


atexit.register(_drop_spent)


@contextmanager
def throwaway_postgres(name: str, *, migrated: bool = False) -> Iterator[str]:
    """The URL of a new PostgreSQL database beside the test database, named after it, `name`,
    the process and a number (two runs on one server on test databases of their own do not
    meet, nor two workers, nor two uses in one process), dropped when the process ends: for
    tests that need real commits from several connections (races) or an empty database
    (restores), which the per-test rolled-back transaction cannot give. Empty, or when
    `migrated` a copy of the migrated database (give it to `build_app(url, copied=True)`)."""
    base = make_url(
        os.environ.get(
            "RECOGNITION_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    )
    name = f"{base.database}_{name}_{os.getpid()}_{next(_throwaways)}"
    assert len(name) <= 63, f"PostgreSQL would cut the name {name!r} to 63 characters"
    server = base.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    url = base.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )
    if migrated:
        copy_migrated_postgres(url)
    else:
        on_server(server, DROP, name)  # a run killed before its exit may have left one
        on_server(server, "CREATE DATABASE {}", name)
    try:
        yield url
    finally:
        _spent.append((server, name))


@contextmanager
def app_on_throwaway_postgres(name: str, **overrides: Any) -> Iterator[Flask]:
    """An app (schema built by the migrations) on `throwaway_postgres(name)`."""
    with throwaway_postgres(name, migrated=True) as url:
        throwaway = build_app(url, copied=True, **overrides)
        try:
            yield throwaway
        finally:
            with throwaway.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = build_app(database_url(tmp_path_factory.mktemp("db")))
    with app.app_context():
        db.session.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# Tests that send no SQL at all (pure functions, templates, static files, catalogues): what
# they check cannot depend on the database, so they run once, in the SQLite run. Marked
# `unit` or `no_database`; `_isolated` fails such a test if it sends a statement after all.
DATABASE_FREE = ("unit", "no_database")


def database_free(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(name) for name in DATABASE_FREE)


def sqlite_run_only(item: pytest.Item) -> bool:
    """Sends no SQL, or only to a SQLite database of its own (`sqlite_only`) in either run."""
    return database_free(item) or item.get_closest_marker("sqlite_only") is not None


# The folders whose tests take seconds each (browsers, live servers, crashes, fuzzing): run
# first, so that the workers end the run on short tests instead of one waiting for another's
# last browser test.
LONG_FIRST = ("e2e", "reliability")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests first (the order within a module kept); the PostgreSQL run leaves out
    the tests that would do there what the SQLite run did."""
    tests = Path(__file__).parent
    long = [tests / folder for folder in LONG_FIRST]
    items.sort(key=lambda item: not any(item.path.is_relative_to(f) for f in long))
    if not ON_POSTGRES:
        return
    once = [item for item in items if sqlite_run_only(item)]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if not sqlite_run_only(item)]


@pytest.fixture(autouse=True)
def _no_kept_ballot_keys() -> None:
    """Each test's casts read the vote's key from the store first: none kept by an earlier
    test's (recognition/council/ballot_box.py)."""
    from recognition.council import ballot_box

    ballot_box.forget_cast_keys()


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest, app: Flask) -> Iterator[None]:
    """Run each test inside one outer transaction that is rolled back afterwards.

    Every session of the test (the test's own and each request's) is bound to the same
    connection; their commits become savepoint releases, so nothing outlives the test.
    """
    if request.node.get_closest_marker("e2e") or request.node.get_closest_marker("committing"):
        yield
        return
    with app.app_context():
        engine = db.engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        db.engines[None] = connection  # type: ignore[assignment]
        db.session.remove()
        limiter.reset()
        # Flask-Limiter keeps "enabled" for the whole process: an app built with the limits
        # off must turn them on again, or the limit tests run after it would pass unlimited.
        assert limiter.enabled, "an earlier test left the rate limits off"
        keys = ballot_keys(app)
        try:
            with statements_sent(watch=database_free(request.node)) as sent:
                yield
        finally:
            db.session.remove()
            transaction.rollback()
            connection.close()
            db.engines[None] = engine
            restore_ballot_keys(app, keys)
        if sent:
            pytest.fail(
                f"marked as sending no SQL ({' or '.join(DATABASE_FREE)}), but sent "
                f"{len(sent)} statements, the first: {sent[0][:200]}"
            )


@contextmanager
def statements_sent(*, watch: bool) -> Iterator[list[str]]:
    """The SQL statements any engine sends from this thread inside the block (only when
    `watch`); the test client's requests run in it, a live server's threads do not."""
    sent: list[str] = []
    if not watch:
        yield sent
        return
    thread = threading.get_ident()

    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() == thread:
            sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@contextmanager
def shared_transaction(app: Flask) -> Iterator[Connection]:
    """For a world built once per module: every session is bound to one connection whose
    outer transaction is rolled back when the block ends; each test then runs in a savepoint
    of it (`in_savepoint`), so that it starts from the world as built."""
    with app.app_context():
        engine = db.engines[None]
        connection = engine.connect()
        outer = connection.begin()
        db.engines[None] = connection  # type: ignore[assignment]
        db.session.remove()
        limiter.reset()
    try:
        yield connection
    finally:
        with app.app_context():
            db.session.remove()
            outer.rollback()
            connection.close()
            db.engines[None] = engine


@contextmanager
def in_savepoint(app: Flask, connection: Connection) -> Iterator[None]:
    """A test inside a savepoint of `shared_transaction`, rolled back afterwards."""
    with app.app_context():
        savepoint = connection.begin_nested()
        db.session.remove()
        limiter.reset()
        keys = ballot_keys(app)
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()
            restore_ballot_keys(app, keys)


def ballot_keys(app: Flask) -> dict[Path, bytes]:
    folder = Path(app.config["BALLOT_KEY_DIR"])
    return {path: path.read_bytes() for path in folder.glob("*.key")} if folder.is_dir() else {}


def restore_ballot_keys(app: Flask, keys: dict[Path, bytes]) -> None:
    """The vote keys are files beside the database: they are rolled back with it (a close
    inside a test destroys its key, while the rollback brings the open vote back)."""
    now = ballot_keys(app)
    for path in set(now) - set(keys):
        path.unlink()
    for path, key in keys.items():
        if now.get(path) != key:  # most tests change no key: thousands of writes saved
            path.write_bytes(key)


class Client(FlaskClient):
    """A test client that finds and sends its session's CSRF token."""

    _token: str | None = None

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # Each request gets its own application context, as in production. Without this the
        # request reuses the test's context, and with it `g`: Flask-Login's cached user and
        # Flask-WTF's cached token would leak from one request (and one client) to the next.
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """The token a form of this client's session carries, signed as Flask-WTF signs it
        (`generate_csrf`): the session's raw token, made and stored in the session cookie
        first if it has none. No page is drawn for it, so no flashed message is taken."""
        if self._token is None:
            app = self.application
            with self.session_transaction() as session:
                raw = session.get("csrf_token")
                if raw is None:
                    raw = session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324  # nosec B324
            secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
            self._token = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)
        return self._token

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)

    def forget_token(self) -> None:
        self._token = None


@pytest.fixture
def client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[return-value]


def log_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    client.forget_token()
    response = client.post_form("/login", {"username": username, "password": password})
    client.forget_token()  # a new session gets a new token
    return response


@pytest.fixture
def as_user(client: Client):  # type: ignore[no-untyped-def]
    """Log the client in as a user: `as_user(user)`."""

    def login(user: Any) -> Client:
        response = log_in(client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return login


def logged_in_client(app: Flask, user: Any) -> Client:
    """A new client (another browser) logged in as `user`."""
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    response = log_in(client, user.username)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


@pytest.fixture
def login(app: Flask):  # type: ignore[no-untyped-def]
    """`login(user)`: a new client logged in as `user` (each call is another browser)."""

    def make(user: Any) -> Client:
        return logged_in_client(app, user)

    return make


@pytest.fixture
def db_session(app: Flask):  # type: ignore[no-untyped-def]
    return db.session


@pytest.fixture
def count_queries():  # type: ignore[no-untyped-def]
    """Count the SQL statements the test's connection sends: `with count_queries() as count:`,
    then `count()`. Requests share the connection, so a request's queries are counted too;
    SAVEPOINT and RELEASE (the commits inside the rolled-back test transaction) are left out.
    The statements themselves are `count.statements`."""

    @contextmanager
    def counter() -> Iterator[QueryCount]:
        bind = db.session.get_bind()
        count = QueryCount()
        event.listen(bind, "before_cursor_execute", count.record)
        try:
            yield count
        finally:
            event.remove(bind, "before_cursor_execute", count.record)

    return counter


class QueryCount:
    """The statements seen by `count_queries`; calling it gives how many."""

    IGNORED = ("SAVEPOINT", "RELEASE", "ROLLBACK TO SAVEPOINT")

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self) -> int:
        return len(self.statements)

    def record(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(self.IGNORED):
            self.statements.append(statement)


@pytest.fixture
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, for migrations run from nothing: a SQLite file, or an
    empty PostgreSQL database made for it (named after the test module)."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / f'{module}.sqlite'}"
        return
    with throwaway_postgres(f"scratch_{module}") as url:
        yield url


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The test CA, its PKCS#12 file and a SoftHSM2 token with the chair's key (made once)."""
    from tests.support.signing_ca import build_test_ca

    return build_test_ca(tmp_path_factory.mktemp("ca"))
