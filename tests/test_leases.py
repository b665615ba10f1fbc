"""Leases on a name, shared by every process of the app: at most `limit` at once, given back
however the block holding one ends, and never kept for good by a process that died."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from flask import Flask

from recognition.common import leases
from recognition.common.leases import FileLeases, RedisLeases

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
# A database number of its own on the local server; every key the tests make is random.
REDIS_URL = os.environ.get("RECOGNITION_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture(params=["files", "redis"])
def backend(
    request: pytest.FixtureRequest, app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The app's leases kept in files (no Redis configured) or in Redis."""
    monkeypatch.setitem(app.config, "LEASE_DIR", str(tmp_path))
    redis_url = redis_or_skip() if request.param == "redis" else None
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    return str(request.param)


def new_name() -> str:
    return f"test-{uuid.uuid4().hex}"


@pytest.mark.no_database
def test_a_name_has_at_most_its_limit_of_leases(backend: str) -> None:
    name = new_name()

    first = leases.try_acquire(name, limit=2, seconds=30)
    second = leases.try_acquire(name, limit=2, seconds=30)
    third = leases.try_acquire(name, limit=2, seconds=30)
    other = leases.try_acquire(new_name(), limit=2, seconds=30)
    assert first is not None
    first.release()
    again = leases.try_acquire(name, limit=2, seconds=30)

    assert (second is not None, third, other is not None, again is not None) == (
        True,
        None,
        True,
        True,
    )
    for lease in (second, other, again):
        assert lease is not None
        lease.release()


@pytest.mark.no_database
def test_a_lease_is_given_back_when_its_block_raises(backend: str) -> None:
    name = new_name()
    lease = leases.try_acquire(name, limit=1, seconds=30)
    assert lease is not None

    with pytest.raises(RuntimeError), lease:
        assert leases.try_acquire(name, limit=1, seconds=30) is None
        raise RuntimeError("the render failed")
    after = leases.try_acquire(name, limit=1, seconds=30)

    assert after is not None
    after.release()
    after.release()  # a second release frees nothing more: the limit still holds
    held = [leases.try_acquire(name, limit=1, seconds=30) for _ in range(2)]
    assert [lease is not None for lease in held] == [True, False]
    assert held[0] is not None
    held[0].release()


@pytest.mark.no_database
def test_an_unreachable_redis_falls_back_to_files(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LEASE_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")
    name = new_name()

    first = leases.try_acquire(name, limit=1, seconds=30)
    second = leases.try_acquire(name, limit=1, seconds=30)

    assert (first is not None, second) == (True, None)
    assert list(tmp_path.iterdir()) != []


HOLDER = """
import sys, time
from pathlib import Path
from recognition.common.leases import FileLeases, RedisLeases

kind, where, name, seconds = sys.argv[1:]
backend = FileLeases(Path(where)) if kind == "files" else RedisLeases(where)
lease = backend.try_acquire(name, limit=1, seconds=float(seconds))
print("held" if lease else "refused", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("kind", ["files", "redis"])
@pytest.mark.no_database
def test_a_killed_holder_does_not_keep_its_lease(kind: str, tmp_path: Path) -> None:
    where = str(tmp_path) if kind == "files" else redis_or_skip()
    backend = FileLeases(tmp_path) if kind == "files" else RedisLeases(where)
    name, seconds = new_name(), 1.0
    holder = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", HOLDER, kind, where, name, str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        while_alive = backend.try_acquire(name, limit=1, seconds=30)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    if kind == "redis":
        # Redis cannot see that the holder died: its lease ends at its expiry.
        time.sleep(seconds + 0.2)
    after = backend.try_acquire(name, limit=1, seconds=30)

    assert (while_alive, after is not None) == (None, True)
    assert after is not None
    after.release()
