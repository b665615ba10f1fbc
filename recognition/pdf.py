"""PDF rendering with WeasyPrint: nothing fetched but the app's own static files, and every render
bounded in time and memory.

WeasyPrint's default fetcher opens file: and http(s): URLs; this one serves only files under
static/ and data: URLs, so no text a user typed can make the renderer read a local file or
call a server (RELIABILITY.md, "PDF rendering").

Renders run in a small pool of worker processes (`PDF_PROCESSES`, default 2): a render that
takes longer than `PDF_TIMEOUT_SECONDS` is stopped with its process and reported as a
`RenderFailed`, and a process may not grow past `PDF_MEMORY_MB`. The web process never hangs
on a pathological document, and large certificate batches use every core. `PDF_PROCESSES = 0`
renders in the calling process, unbounded (for debugging and for tests that replace WeasyPrint).
"""

import atexit
import gc
import multiprocessing
import resource
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, render_template
from flask_babel import gettext as _
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from recognition.errors import DomainError

STATIC = (Path(__file__).resolve().parent.parent / "static").resolve()
_MIME = {
    ".ttf": "font/ttf",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff2": "font/woff2",
}

T = TypeVar("T")


class RenderFailed(DomainError):
    """A document could not be rendered within its time or memory bound."""

    status_code = 503


class StaticOnlyFetcher(URLFetcher):
    """Serves file: URLs inside static/ and data: URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url[len("file://") :].split("?", 1)[0].split("#", 1)[0]).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                return URLFetcherResponse(
                    url,
                    body=path.read_bytes(),
                    headers={"Content-Type": _MIME.get(path.suffix, "application/octet-stream")},
                )
        raise ValueError(f"refused to fetch {url[:100]!r}")


def layout(html: str) -> Document:
    """Lay `html` out (no I/O beyond static/ and data:); `write_pdf()` on the result gives bytes."""
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    stylesheet = CSS(
        filename=str(STATIC / "fonts" / "fonts.css"),
        font_config=fonts,
        url_fetcher=StaticOnlyFetcher(),
    )
    return document.render(stylesheets=[stylesheet], font_config=fonts)


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, in this process."""
    with collector_paused():
        return bytes(layout(html).write_pdf() or b"")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a render without Python's cycle collector.

    Laying out builds a large graph of boxes that lives until the PDF is written; the collector
    would walk it again and again for nothing (a quarter of a batch's time, bench/certificates.py).
    The garbage is collected in the ordinary way afterwards, and a render's memory is bounded
    by its worker's limit.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the bounded pool --------------------------------------------------------------------------

_pool: Pool | None = None
_pool_key: tuple[int, int] | None = None
_pool_lock = threading.Lock()


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
            context.set_forkserver_preload(["recognition.pdf"])
            _pool = context.Pool(
                processes, initializer=_limit_memory, initargs=(memory_mb,), maxtasksperchild=200
            )
            _pool_key = (processes, memory_mb)
        return _pool


def _discard_pool(pool: Pool) -> None:
    """Stop every worker of `pool` (one of them is stuck or dead); the next call starts afresh."""
    global _pool, _pool_key
    with _pool_lock:
        pool.terminate()
        if _pool is pool:
            _pool, _pool_key = None, None


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.terminate()


def map_bounded(function: Callable[..., T], jobs: list[tuple[Any, ...]]) -> list[T]:
    """`function(*job)` for every job, spread over the render workers, results in order.

    `function` must be a module-level function whose arguments and result pickle; it runs
    without the Flask app. Raises `RenderFailed` when a job exceeds the time or memory bound.
    """
    config = current_app.config
    processes = int(config.get("PDF_PROCESSES", 2))
    if processes <= 0:
        return [function(*job) for job in jobs]
    timeout = float(config.get("PDF_TIMEOUT_SECONDS", 120))
    pool = _get_pool(processes, int(config.get("PDF_MEMORY_MB", 1536)))
    pending = [pool.apply_async(function, job) for job in jobs]
    try:
        return [result.get(timeout) for result in pending]
    except multiprocessing.TimeoutError:
        _discard_pool(pool)
        current_app.logger.error("render stopped after %.0f s: %s", timeout, function.__name__)
        raise RenderFailed(
            _("The document took too long to produce and was stopped. Try fewer pages at a time.")
        ) from None
    except MemoryError:
        _discard_pool(pool)
        current_app.logger.error("render ran out of memory: %s", function.__name__)
        raise RenderFailed(
            _("The document needed too much memory and was stopped. Try fewer pages at a time.")
        ) from None


def run_bounded(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a render worker, within the time and memory bounds."""
    return map_bounded(function, [args])[0]


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template to PDF. The context must hold plain values, never ORM objects."""
    html = render_template(template, **context)
    pdf = run_bounded(html_to_pdf, html)
    current_app.logger.debug("rendered %s (%d bytes)", template, len(pdf))
    return pdf
