"""The render workers: a small pool of processes, bounded in time and memory, shared fairly.

Renders run in a pool of worker processes (`PDF_PROCESSES`, default 2), started by forkserver:
clean processes, not copies of a threaded server. A worker may not grow past `PDF_MEMORY_MB`,
and a render that runs longer than `PDF_TIMEOUT_SECONDS` is stopped with the pool's processes.
The web process never hangs on a pathological document, and batches use every core.

Who may start a render is decided here, in the web process, before anything is handed to the
pool, so the pool itself never queues work:

- A job handed to the pool starts at once on a free worker, so the time bound counts from the
  start of the render, never from the arrival of the request. Waiting for a worker has its own,
  longer bound (`PDF_QUEUE_SECONDS`) and its own message, and a request that gives up leaves
  no job behind to be rendered for nobody.
- Two lanes. Official documents (`Lane.OFFICIAL`: decisions, minutes, certificates, print jobs,
  blanks — the secretariat's and the chair's work) and shared ones (`Lane.SHARED`: dossiers,
  which any nominator may print). Shared renders may take every worker but one, so an official
  document always finds a worker that no dossier holds; and an official document that waits
  goes before every waiting dossier (with a single worker, that is all the priority there
  is). Official documents are few, small and made by a handful of staff; a dossier's size is
  bounded by its form and its page limit (recognition.nominations.pdf), so a dossier ahead of
  another waits a bounded time. `PDF_LANES = False` gives one first-come queue instead (to
  compare, bench/pdf_fairness.py).
- A batch (certificates) takes the workers that are free when it starts and gives one back
  between two of its jobs whenever someone else is waiting.

Each web process has its own pool and decides for it alone; what one user may have in flight
across all the processes is bounded by a lease (recognition.common.pdf, recognition.common.leases).
"""

from __future__ import annotations

import atexit
import functools
import multiprocessing
import queue
import resource
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, Generic, TypeVar

from flask import current_app
from flask_babel import gettext as _

from recognition.errors import DomainError

T = TypeVar("T")

# How often a waiting request looks at its renders' clocks and at the pool (which another
# request may have stopped): a render is stopped at most this long after its bound.
TICK_SECONDS = 0.5


class Lane(StrEnum):
    """Which documents wait for which (see the module's docstring)."""

    OFFICIAL = "official"
    SHARED = "shared"


class RenderFailed(DomainError):
    """A document could not be rendered within its time or memory bound, or in time at all."""

    status_code = 503


@dataclass(frozen=True)
class Bounds:
    processes: int
    memory_mb: int
    timeout: float  # seconds of rendering, from the start of a job
    queue: float  # seconds of waiting for a worker
    lanes: bool

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Bounds:
        return cls(
            processes=int(config.get("PDF_PROCESSES", 2)),
            memory_mb=int(config.get("PDF_MEMORY_MB", 1536)),
            timeout=float(config.get("PDF_TIMEOUT_SECONDS", 120)),
            queue=float(config.get("PDF_QUEUE_SECONDS", 180)),
            lanes=bool(config.get("PDF_LANES", True)),
        )


class _Admission:
    """The workers of this process's pool, counted per lane, and who waits for them."""

    def __init__(self, workers: int, *, lanes: bool) -> None:
        self.workers, self.lanes = workers, lanes
        # Dossiers leave one worker to official documents (there is none to leave with one).
        self.shared_limit = workers - 1 if lanes and workers > 1 else workers
        self.running = dict.fromkeys(Lane, 0)
        self.waiting = dict.fromkeys(Lane, 0)
        self._changed = threading.Condition()

    def _may_start(self, lane: Lane) -> bool:
        if sum(self.running.values()) >= self.workers:
            return False
        if self.lanes and lane is Lane.SHARED:
            shared = self.running[Lane.SHARED]
            return shared < self.shared_limit and not self.waiting[Lane.OFFICIAL]
        return True

    def acquire(self, lane: Lane, timeout: float) -> bool:
        """Wait at most `timeout` seconds for a worker of `lane`; True once it is taken."""
        deadline = time.monotonic() + timeout
        with self._changed:
            self.waiting[lane] += 1
            try:
                while not self._may_start(lane):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._changed.wait(remaining)
                self.running[lane] += 1
                return True
            finally:
                self.waiting[lane] -= 1
                # A dossier may have been waiting only for this official document to go first.
                self._changed.notify_all()

    def try_acquire(self, lane: Lane) -> bool:
        """One more worker for a batch: only a free one that nobody is waiting for."""
        with self._changed:
            if any(self.waiting.values()) or not self._may_start(lane):
                return False
            self.running[lane] += 1
            return True

    def release(self, lane: Lane) -> None:
        with self._changed:
            self.running[lane] -= 1
            self._changed.notify_all()

    def contended(self) -> bool:
        with self._changed:
            return any(self.waiting.values())

    def state(self) -> dict[str, int]:
        with self._changed:
            running = {f"{lane.value}_running": count for lane, count in self.running.items()}
            waiting = {f"{lane.value}_waiting": count for lane, count in self.waiting.items()}
            return running | waiting


# --- the pool --------------------------------------------------------------------------------

_pool: Pool | None = None
_pool_key: tuple[int, int] | None = None
_pool_lock = threading.Lock()
_admission: _Admission | None = None


def _limit_memory(megabytes: int) -> None:
    """Pool initializer: cap the worker's data segment (heap and private mappings)."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _get_pool(processes: int, memory_mb: int) -> Pool:
    global _pool, _pool_key
    with _pool_lock:
        if _pool is None or _pool_key != (processes, memory_mb):
            if _pool is not None:
                _pool.terminate()
            # forkserver: workers start from a clean process, not a copy of a threaded server.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["recognition.common.pdf"])
            _pool = context.Pool(
                processes, initializer=_limit_memory, initargs=(memory_mb,), maxtasksperchild=200
            )
            _pool_key = (processes, memory_mb)
        return _pool


def _discard_pool(pool: Pool) -> None:
    """Stop every worker of `pool` (one of them is stuck or dead); the next call starts afresh.
    The other requests with renders on it start them again on the new pool."""
    global _pool, _pool_key
    with _pool_lock:
        pool.terminate()
        if _pool is pool:
            _pool, _pool_key = None, None


def _admission_for(bounds: Bounds) -> _Admission:
    """This process's admission to its workers (a new one when the settings change; renders
    holding workers of the old one give them back to it)."""
    global _admission
    with _pool_lock:
        if (
            _admission is None
            or _admission.workers != bounds.processes
            or _admission.lanes != bounds.lanes
        ):
            _admission = _Admission(bounds.processes, lanes=bounds.lanes)
        return _admission


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.terminate()


def render_queue() -> dict[str, int]:
    """Renders running and waiting in this process, per lane (for monitoring, and for tests to
    see that a request waits)."""
    admission = _admission
    if admission is None:
        return {f"{lane.value}_{what}": 0 for lane in Lane for what in ("running", "waiting")}
    return admission.state()


# --- running jobs ----------------------------------------------------------------------------


def run_jobs(
    function: Callable[..., T],
    jobs: list[tuple[Any, ...]],
    *,
    lane: Lane,
    bounds: Bounds,
    on_start: Callable[[], None] | None = None,
) -> list[T]:
    """`function(*job)` for every job on the workers of `lane`, results in order; `on_start`
    is called as each job starts. Raises `RenderFailed` when no worker is free within the queue
    bound, or a job passes its time or memory bound; a job's own exception is raised as it is.
    """
    admission = _admission_for(bounds)
    if not admission.acquire(lane, bounds.queue):
        current_app.logger.warning(
            "no render worker free for %.0f s: %s (%s)", bounds.queue, function.__name__, lane
        )
        raise RenderFailed(
            _(
                "Every PDF worker stayed busy for too long, so the document was not produced. "
                "Nothing was lost; try again in a few minutes."
            )
        )
    batch = _Batch(function, jobs, lane=lane, bounds=bounds, admission=admission)
    batch.on_start = on_start
    try:
        return batch.run()
    finally:
        batch.give_back()


class _Batch(Generic[T]):
    """The jobs of one call, on the workers it holds: one job per worker at a time."""

    def __init__(
        self,
        function: Callable[..., T],
        jobs: list[tuple[Any, ...]],
        *,
        lane: Lane,
        bounds: Bounds,
        admission: _Admission,
    ) -> None:
        self.function, self.jobs, self.lane, self.bounds = function, jobs, lane, bounds
        self.admission = admission
        self.on_start: Callable[[], None] | None = None
        self.held = 1  # the worker `run_jobs` waited for
        while self.held < min(len(jobs), bounds.processes) and admission.try_acquire(lane):
            self.held += 1
        self.results: list[Any] = [None] * len(jobs)
        self.todo = deque(range(len(jobs)))
        self.running: dict[int, tuple[AsyncResult[T], float, Pool]] = {}
        self.ended: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.restarted: set[int] = set()

    def run(self) -> list[T]:
        try:
            while self.todo or self.running:
                while self.todo and len(self.running) < self.held:
                    self._start(self.todo.popleft())
                self._wait()
                self._collect()
                self._check_clocks()
            return self.results
        except BaseException:
            self._let_the_rest_end()
            raise

    def give_back(self) -> None:
        for _held in range(self.held):
            self.admission.release(self.lane)
        self.held = 0

    def _start(self, index: int) -> None:
        notify = functools.partial(self._ended, index)
        pool = _get_pool(self.bounds.processes, self.bounds.memory_mb)
        try:
            result = pool.apply_async(
                self.function, self.jobs[index], callback=notify, error_callback=notify
            )
        except ValueError:  # another request stopped this pool a moment ago
            pool = _get_pool(self.bounds.processes, self.bounds.memory_mb)
            result = pool.apply_async(
                self.function, self.jobs[index], callback=notify, error_callback=notify
            )
        self.running[index] = (result, time.monotonic(), pool)
        if self.on_start is not None:
            self.on_start()

    def _ended(self, index: int, _value: object) -> None:
        self.ended.put(index)  # in the pool's result thread: only wake the request up

    def _wait(self) -> None:
        """Until a job ends, or for a tick (the clocks and the pool are looked at each tick)."""
        oldest = min(started for _result, started, _pool in self.running.values())
        deadline = oldest + self.bounds.timeout
        try:
            index = self.ended.get(timeout=max(0.0, min(deadline - time.monotonic(), TICK_SECONDS)))
        except queue.Empty:
            return
        if index in self.running:
            # The callback runs just before the result is marked ready.
            self.running[index][0].wait(TICK_SECONDS)

    def _collect(self) -> None:
        for index, (result, _started, pool) in list(self.running.items()):
            if not result.ready():
                continue
            del self.running[index]
            try:
                self.results[index] = result.get()
            except MemoryError:
                _discard_pool(pool)
                current_app.logger.error("render ran out of memory: %s", self.function.__name__)
                raise RenderFailed(
                    _(
                        "The document needed too much memory and was stopped. "
                        "Try fewer pages at a time."
                    )
                ) from None
            if self.todo and self.held > 1 and self.admission.contended():
                self.admission.release(self.lane)
                self.held -= 1

    def _check_clocks(self) -> None:
        now = time.monotonic()
        for index, (_result, started, pool) in list(self.running.items()):
            if pool is not _pool:
                # Stopped with another request's render: this one was not at fault.
                if index in self.restarted:
                    raise RenderFailed(_("The document could not be produced. Try again."))
                self.restarted.add(index)
                del self.running[index]
                self._start(index)
            elif now - started > self.bounds.timeout:
                _discard_pool(pool)
                current_app.logger.error(
                    "render stopped after %.0f s: %s", self.bounds.timeout, self.function.__name__
                )
                raise RenderFailed(
                    _(
                        "The document took too long to produce and was stopped. "
                        "Try fewer pages at a time."
                    )
                ) from None

    def _let_the_rest_end(self) -> None:
        """After a failure, let the batch's other jobs end (within their bound) before their
        workers are given back, so that the next job handed to a worker finds it free."""
        for result, started, pool in self.running.values():
            if pool is _pool:
                result.wait(max(0.0, started + self.bounds.timeout - time.monotonic()))
                if not result.ready():
                    _discard_pool(pool)
        self.running.clear()
