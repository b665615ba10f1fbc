"""PostgreSQL results are described when the description is read (recognition.common.pg_cursor):
the same columns as psycopg's own description, whatever the cursor did since."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, text

from recognition.common.pg_cursor import LazilyDescribedCursor, describe_lazily
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="a psycopg connection")


def _address() -> str:
    return os.environ["RECOGNITION_TEST_DATABASE_URL"].replace("postgresql+psycopg", "postgresql")


@pytest.fixture
def connections() -> Iterator[tuple[psycopg.Connection[Any], psycopg.Connection[Any]]]:
    lazy, plain = psycopg.connect(_address()), psycopg.connect(_address())
    describe_lazily(lazy)
    yield lazy, plain
    lazy.close()
    plain.close()


def _shown(description: Any) -> list[tuple[Any, ...]]:
    return [
        (c.name, c.type_code, c.display_size, c.internal_size, c.precision, c.scale)
        for c in description
    ]


QUERY = (
    "SELECT 1 AS one, 'chữ'::varchar(12) AS word, 2.50::numeric(6, 2) AS amount,"
    " '2026-12-07 10:00+07'::timestamptz AS at"
)


def test_a_result_is_described_as_psycopg_describes_it(
    connections: tuple[psycopg.Connection[Any], psycopg.Connection[Any]],
) -> None:
    lazy, plain = connections
    cursor, reference = lazy.cursor(), plain.cursor()
    assert isinstance(cursor, LazilyDescribedCursor)
    cursor.execute(QUERY)
    reference.execute(QUERY)
    description = cursor.description
    assert description is not None and reference.description is not None
    assert len(description) == 4
    assert _shown(description) == _shown(reference.description)
    assert [c.name for c in description[1:3]] == ["word", "amount"]
    assert description[-1].name == "at"
    assert cursor.fetchall() == reference.fetchall()


def test_a_description_read_later_is_of_its_own_result(
    connections: tuple[psycopg.Connection[Any], psycopg.Connection[Any]],
) -> None:
    lazy, _plain = connections
    cursor = lazy.cursor()
    cursor.execute(QUERY)
    description = cursor.description
    cursor.execute("SELECT 'x' AS other")
    cursor.close()
    assert [c.name for c in description or []] == ["one", "word", "amount", "at"]


def test_no_rows_no_description_and_no_columns_an_empty_one(
    connections: tuple[psycopg.Connection[Any], psycopg.Connection[Any]],
) -> None:
    lazy, _plain = connections
    cursor = lazy.cursor()
    cursor.execute("CREATE TEMPORARY TABLE described (id integer)")
    assert cursor.description is None
    cursor.execute("SELECT")
    assert cursor.description is not None
    assert len(cursor.description) == 0
    assert not cursor.description


def test_the_app_engine_reads_rows_by_name_through_it() -> None:
    engine = create_engine(os.environ["RECOGNITION_TEST_DATABASE_URL"])
    try:
        import recognition  # noqa: F401  # its connect listener

        with engine.connect() as connection:
            assert isinstance(connection.connection.driver_connection, psycopg.Connection)
            assert connection.connection.driver_connection.cursor_factory is LazilyDescribedCursor
            for _ in range(3):  # uncached, then from SQLAlchemy's cache of the statement
                row = connection.execute(text("SELECT 7 AS seven, 'bảy' AS name")).one()
                assert (row.seven, row.name) == (7, "bảy")
    finally:
        engine.dispose()
