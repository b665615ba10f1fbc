"""Pooled PostgreSQL connections are checked without a round trip: one the server closed is
replaced before a request uses it, a healthy one is kept (recognition._postgres_connection_alive).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="a server that closes connections")


@pytest.fixture
def pool() -> Iterator[Engine]:
    """An engine of one pooled connection and no ping, as the app's."""
    engine = create_engine(os.environ["RECOGNITION_TEST_DATABASE_URL"], pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_healthy_pooled_connection_is_kept(pool: Engine) -> None:
    first = _backend(pool)
    assert [_backend(pool) for _ in range(5)] == [first] * 5


def test_a_connection_the_server_closed_is_replaced_before_use(pool: Engine) -> None:
    pooled = _backend(pool)
    with create_engine(os.environ["RECOGNITION_TEST_DATABASE_URL"]).connect() as admin:
        pid = {"pid": pooled}
        assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), pid).scalar_one()
        for _ in range(100):
            gone = not admin.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), pid
            ).scalar_one()
            if gone:
                break
            time.sleep(0.05)

    # The pooled connection is dead; the first statement after the checkout does not fail.
    replacement = _backend(pool)
    assert replacement != pooled
    assert _backend(pool) == replacement
