"""The migrations build exactly the models' schema, and go down and up again."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url

from recognition import create_app
from recognition.extensions import db
from tests.conftest import ON_POSTGRES, TEST_CONFIG

pytestmark = pytest.mark.integration

TABLES = {"units", "users", "role_grants"}


def schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app: Flask) -> None:
    assert schema_diff(db.session.connection()) == []


def test_model_tables_are_all_built(app: Flask) -> None:
    built = set(inspect(db.session.connection()).get_table_names())

    assert built >= TABLES
    assert set(db.metadata.tables) <= built


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own: a SQLite file, or a PostgreSQL database made for it."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    server = make_url(os.environ["RECOGNITION_TEST_DATABASE_URL"])
    name = f"recognition_migrations_test_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_downgrade_to_base_then_upgrade_again(scratch_url: str) -> None:
    scratch = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with scratch.app_context():
        try:
            upgrade()
            assert set(inspect(db.engine).get_table_names()) >= TABLES

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

            upgrade()
            with db.engine.connect() as connection:
                assert schema_diff(connection) == []
                version = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert len(version.all()) == 1
        finally:
            db.session.remove()
            db.engine.dispose()
