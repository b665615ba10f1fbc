"""Leases: at most `limit` holders of a name at a time, across every process of the app.

They bound the work one user may have in flight (PDF renders, recognition.common.pdf). A lease is
taken without waiting (`try_acquire` answers None when all are held) and given back by
`release()` or by leaving its `with` block, however the block ends.

With RECOGNITION_REDIS_URL set, a lease is a member of a Redis sorted set scored by its expiry:
every server shares it, and the lease of a process killed before it could release ends at its
expiry (`seconds`, which `renew()` moves on). Without Redis (or while Redis cannot be reached),
a lease is an exclusive flock(2) on one of `limit` files in LEASE_DIR: the processes of one
host share them, and the kernel drops a lock when the process holding it dies, so nothing
outlives its holder and no expiry is needed.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import logging
import os
import threading
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

from flask import current_app

_log = logging.getLogger(__name__)


class Lease:
    """One held lease; releasing it twice gives back one."""

    def __init__(self, release: Any, renew: Any = None) -> None:
        self._release, self._renew = release, renew
        self._held = True
        self._lock = threading.Lock()

    def renew(self) -> None:
        """Push the expiry on (Redis); a file lock lasts as long as its holder anyway."""
        if self._held and self._renew is not None:
            self._renew()

    def release(self) -> None:
        with self._lock:
            if not self._held:
                return
            self._held = False
        self._release()

    def __enter__(self) -> Lease:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


class FileLeases:
    """Leases as flock(2) locks on files in `directory`, one file per lease of a name."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def try_acquire(self, name: str, *, limit: int, seconds: float) -> Lease | None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = hashlib.sha256(name.encode()).hexdigest()[:32]
        for number in range(limit):
            # A descriptor of its own per attempt: flock() locks belong to an open file, so two
            # threads of one process exclude each other as two processes do.
            descriptor = os.open(
                self.directory / f"{stem}-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600
            )
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            return Lease(functools.partial(os.close, descriptor))
        return None


# Prune the expired, then add a lease if fewer than the limit remain. The server's clock
# decides expiry, so the web servers' clocks need not agree.
_ACQUIRE = """
local now = redis.call('TIME')
local ms = now[1] * 1000 + math.floor(now[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
_RENEW = """
local now = redis.call('TIME')
local ms = now[1] * 1000 + math.floor(now[2] / 1000)
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ms + tonumber(ARGV[1]), ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
"""


class RedisLeases:
    """Leases as members of a sorted set per name, scored by when they expire."""

    _clients: dict[str, Any] = {}
    _clients_lock = threading.Lock()

    def __init__(self, url: str, prefix: str = "recognition:lease:") -> None:
        self.prefix = prefix
        with self._clients_lock:
            if url not in self._clients:
                from redis import Redis

                self._clients[url] = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            self.client = self._clients[url]

    def try_acquire(self, name: str, *, limit: int, seconds: float) -> Lease | None:
        key, token, milliseconds = self.prefix + name, uuid.uuid4().hex, int(seconds * 1000)
        if not self.client.eval(_ACQUIRE, 1, key, limit, milliseconds, token):
            return None
        return Lease(
            functools.partial(self._quietly, self.client.zrem, key, token),
            functools.partial(self._quietly, self.client.eval, _RENEW, 1, key, milliseconds, token),
        )

    @staticmethod
    def _quietly(command: Any, *args: Any) -> None:
        """Run a release or renewal; if Redis is gone meanwhile, the lease ends at its expiry,
        and the render it guards has no reason to fail."""
        from redis import RedisError

        try:
            command(*args)
        except RedisError:
            _log.warning("Redis unreachable, lease left to expire", exc_info=True)


def try_acquire(name: str, *, limit: int, seconds: float) -> Lease | None:
    """A lease on `name` for this deployment, or None when `limit` of them are held.

    Names are kept apart per database: two apps on different databases (test runs side by
    side) share no user ids, so they share no leases either.
    """
    config = current_app.config
    scope = hashlib.sha256(str(config["SQLALCHEMY_DATABASE_URI"]).encode()).hexdigest()[:16]
    scoped = f"{scope}:{name}"
    files = FileLeases(Path(config.get("LEASE_DIR") or Path(current_app.instance_path, "leases")))
    redis_url = config.get("REDIS_URL")
    if not redis_url:
        return files.try_acquire(scoped, limit=limit, seconds=seconds)
    from redis import RedisError

    try:
        return RedisLeases(redis_url).try_acquire(scoped, limit=limit, seconds=seconds)
    except RedisError:
        # The host's own locks still bound each server; better than refusing every render.
        _log.warning("Redis unreachable, leases kept on this host", exc_info=True)
        return files.try_acquire(scoped, limit=limit, seconds=seconds)
