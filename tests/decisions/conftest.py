"""Background print jobs in the decision tests: the thread a committed job would start is
recorded, not started (it would share the test's connection from another thread); the tests
run the job themselves with `run_print_job`."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from recognition.certificates import print_jobs


class _Recorded:
    def __init__(
        self, started: list[tuple[Any, ...]], target: Callable[..., Any], args: tuple[Any, ...]
    ) -> None:
        self.started, self.target, self.args = started, target, args

    def start(self) -> None:
        self.started.append(self.args)


@pytest.fixture(autouse=True)
def dispatched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The (app, job id) of every print-job thread started."""
    started: list[tuple[Any, ...]] = []

    def thread(target: Callable[..., Any], args: tuple[Any, ...] = (), **_: Any) -> _Recorded:
        return _Recorded(started, target, args)

    monkeypatch.setattr(print_jobs, "threading", SimpleNamespace(Thread=thread))
    return started
