"""A render that lasts exactly as long as the test wants: a job for the render workers that
blocks until the test lets it go, passed to the pool's own entry point (`run_bounded`), so that
a test can fill a lane or the whole pool and look at what waits without timing anything; and a
thread that runs a call inside the app and keeps its outcome.

The job imports only the standard library: a render worker imports this module to run it.
"""

from __future__ import annotations

import fcntl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def held_until_released(path: str, timeout: float = 30) -> bool:
    """Wait (in a render worker) until the test's lock on `path` ends; False after `timeout`
    seconds, so that a failed test cannot leave a worker blocked for the next one."""
    deadline = time.monotonic() + timeout
    with open(path, "rb") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.01)


@contextmanager
def gate(directory: Path) -> Iterator[str]:
    """A path that `held_until_released` waits on until this block ends."""
    path = directory / f"gate-{uuid.uuid4().hex}"
    path.touch()
    with open(path, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield str(path)


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll `condition` until it holds (a failure after `timeout` seconds, never a hang)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.005)


class InThread:
    """`target(*args, **kwargs)` in a thread of its own, inside an app context of `app`."""

    def __init__(self, app: Flask, target: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._outcome: tuple[bool, Any] | None = None

        def run() -> None:
            with app.app_context():
                try:
                    self._outcome = (True, target(*args, **kwargs))
                except BaseException as error:
                    self._outcome = (False, error)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def result(self, timeout: float = 60) -> Any:
        """What the call returned; what it raised is raised here."""
        self._thread.join(timeout)
        assert self._outcome is not None, "the call did not end"
        returned, value = self._outcome
        if not returned:
            raise value
        return value
