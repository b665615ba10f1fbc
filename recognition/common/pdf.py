"""PDF rendering with WeasyPrint: nothing fetched but the app's own static files, every render
bounded in time and memory, and no user able to starve the others' renders.

WeasyPrint's default fetcher opens file: and http(s): URLs; this one serves only files under
static/ and data: URLs, so no text a user typed can make the renderer read a local file or
call a server (docs/reliability.md, "PDF rendering").

Renders run in a small pool of worker processes, bounded in time and memory, in two lanes so
that the chair's and the secretariat's documents never wait behind dossiers
(recognition.common.render_pool). On top of that, each user may have at most `PDF_RENDERS_PER_USER`
renders in flight, waiting or running, in all the server's processes together: one more is
refused at once with a page saying so (429), instead of queueing behind the first
(recognition.common.leases: Redis when configured, file locks otherwise). Documents of the shared
lane (dossiers) are bounded to `PDF_MAX_PAGES` pages: their layout stops at the first page past
it (`page_limit`). `PDF_PROCESSES = 0` renders in the calling process, unbounded in time and
memory (for debugging and for tests that replace WeasyPrint).
"""

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, has_request_context, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from recognition.common import leases
from recognition.common.render_pool import Bounds, Lane, RenderFailed, render_queue, run_jobs
from recognition.errors import DomainError

__all__ = [
    "STATIC",
    "DocumentTooLong",
    "Lane",
    "RenderBusy",
    "RenderFailed",
    "StaticOnlyFetcher",
    "TooManyPages",
    "collector_paused",
    "html_to_pdf",
    "layout",
    "map_bounded",
    "render_pdf",
    "render_queue",
    "run_bounded",
]

STATIC = (Path(__file__).resolve().parents[2] / "static").resolve()
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


class RenderBusy(DomainError):
    """The user already has as many renders in flight as they may."""

    status_code = 429
    title = _l("Your PDF is still being produced")
    hint = _l(
        "Each person may have only a few PDFs in production at once, so that everyone's "
        "documents are printed promptly."
    )


class DocumentTooLong(DomainError):
    """The document would have more pages than may be printed at once."""

    status_code = 422
    title = _l("The document is too long to print")
    hint = _l("Nothing was lost. Shorten it as the message says, then print it again.")

    def __init__(self, message: str | None = None, *, limit: int) -> None:
        super().__init__(
            message
            or _(
                "The document has more than %(limit)d pages, the most that can be printed at once.",
                limit=limit,
            )
        )
        self.limit = limit


class TooManyPages(Exception):
    """Raised in the render worker: the document has more pages than its limit allows."""


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


def html_to_pdf(html: str, max_pages: int = 0) -> bytes:
    """The PDF of `html`, in this process; `TooManyPages` past `max_pages` (0: no bound)."""
    with collector_paused():
        with page_limit(max_pages):
            document = layout(html)
        if max_pages and len(document.pages) > max_pages:
            raise TooManyPages()  # should WeasyPrint stop reporting its pages as it does now
        return bytes(document.write_pdf() or b"")


def html_to_pdf_with_anchor(
    html: str, anchor: str
) -> tuple[bytes, int | None, tuple[float, float, float, float] | None]:
    """The PDF of `html`, the index of the last page holding the element of id `anchor` and
    its box there (left, top, right, bottom in CSS px from the page's top left)."""
    with collector_paused():
        document = layout(html)
        found: tuple[int | None, tuple[float, float, float, float] | None] = (None, None)
        for number, page in enumerate(document.pages):
            if anchor in page.anchors:
                left, top, right, bottom = page.anchors[anchor]
                found = (number, (left, top, right, bottom))
        return bytes(document.write_pdf() or b""), found[0], found[1]


class _PageLimit(logging.Filter):
    """Raises `TooManyPages` when the layout of this thread starts a page past the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.thread = limit, threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread != self.thread:
            return True
        if str(record.msg).startswith(_PAGE_PROGRESS) and record.args:
            page = record.args[0] if isinstance(record.args, tuple) else None
            if isinstance(page, int) and page > self.limit:
                raise TooManyPages()
        return False  # progress reports were turned on for this check only


_PAGE_PROGRESS = "Step 5 - Creating layout - Page"


@contextmanager
def page_limit(limit: int) -> Iterator[None]:
    """Stop the layout of this thread at its first page past `limit` (0: no limit).

    WeasyPrint reports each page it starts on its progress logger (weasyprint.progress); a
    filter on that logger runs in the laying-out thread, and what it raises ends the layout
    there. Counting the pages afterwards would first pay for all of them: 30 s for 1,300 pages
    of one short line after another, where this stops after the limit's worth.
    """
    if not limit:
        yield
        return
    progress = logging.getLogger("weasyprint.progress")
    check, level = _PageLimit(limit), progress.level
    progress.addFilter(check)
    if not progress.isEnabledFor(logging.INFO):
        progress.setLevel(logging.INFO)
    try:
        yield
    finally:
        progress.removeFilter(check)
        progress.setLevel(level)


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


# --- the bounded renders ------------------------------------------------------------------------


def map_bounded(
    function: Callable[..., T], jobs: list[tuple[Any, ...]], *, lane: Lane = Lane.OFFICIAL
) -> list[T]:
    """`function(*job)` for every job, spread over the render workers of `lane`, in order.

    `function` must be a module-level function whose arguments and result pickle; it runs
    without the Flask app. Raises `RenderBusy` when the user has too many renders in flight,
    `RenderFailed` when no worker is free in time or a job exceeds its time or memory bound.
    """
    config = current_app.config
    with _user_slot() as lease:
        bounds = Bounds.from_config(config)
        if bounds.processes <= 0:
            return [function(*job) for job in jobs]
        return run_jobs(
            function, jobs, lane=lane, bounds=bounds, on_start=lease.renew if lease else None
        )


def run_bounded(function: Callable[..., T], *args: Any, lane: Lane = Lane.OFFICIAL) -> T:
    """`function(*args)` in a render worker of `lane`, within the time and memory bounds."""
    return map_bounded(function, [args], lane=lane)[0]


def render_pdf(template: str, *, lane: Lane = Lane.OFFICIAL, **context: Any) -> bytes:
    """Render a template to PDF. The context must hold plain values, never ORM objects.

    A document of the shared lane (a dossier) may have at most `PDF_MAX_PAGES` pages; official
    documents print whole, however long a decision's annex: staff draw them up from records
    that are themselves bounded.
    """
    html = render_template(template, **context)
    limit = int(current_app.config.get("PDF_MAX_PAGES", 200)) if lane is Lane.SHARED else 0
    try:
        pdf = run_bounded(html_to_pdf, html, limit, lane=lane)
    except TooManyPages:
        raise DocumentTooLong(limit=limit) from None
    current_app.logger.debug("rendered %s (%d bytes)", template, len(pdf))
    return pdf


@contextmanager
def _user_slot() -> Iterator[leases.Lease | None]:
    """One of the requesting user's `PDF_RENDERS_PER_USER` slots, for as long as the render
    waits and runs; `RenderBusy` when all are taken. Work with no user behind it (print jobs
    in the background, commands) takes none.

    The lease lasts the longest a render may legitimately hold it (the queue and time bounds),
    renewed as each job of a batch starts, so a process killed mid-render frees it in the end.
    """
    config = current_app.config
    limit = int(config.get("PDF_RENDERS_PER_USER", 1))
    user_id = _requester_id()
    if limit <= 0 or user_id is None:
        yield None
        return
    bounds = Bounds.from_config(config)
    lease = leases.try_acquire(
        f"pdf-renders:{user_id}", limit=limit, seconds=bounds.queue + bounds.timeout + 60
    )
    if lease is None:
        raise RenderBusy(
            _(
                "You already have a PDF being produced. "
                "Please wait until it is ready, then try again."
            )
        )
    with lease:
        yield lease


def _requester_id() -> int | None:
    """The logged-in user of the current request, if any."""
    if not has_request_context():
        return None
    from flask_login import current_user

    return int(current_user.id) if current_user.is_authenticated else None
