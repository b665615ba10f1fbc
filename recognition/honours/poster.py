"""A year's honour board as a poster-style PDF (A3), rendered like the certificates: plain
values in the template, the bundled fonts, no fetch but static files and data: URLs, in the
bounded render workers. The poster is the same for every visitor until an entry changes, so
one rendering is kept per content and served again."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date

from flask import render_template

from recognition.certificates.rendering import qr_data_uri
from recognition.common import storage
from recognition.common.links import public_url
from recognition.common.pdf import DocumentTooLong, Lane, TooManyPages, html_to_pdf, run_bounded
from recognition.common.text import official_date
from recognition.honours.models import HonourEntry

TEMPLATE = "pdf/honour_poster.html"
STORY_EXCERPT = 420  # characters of each story on the poster; the whole story is online
MAX_PAGES = 60  # a year of a large body fits many times over


@dataclass(frozen=True)
class PosterEntry:
    recipient: str
    detail: str
    title: str
    decision: str
    story: str
    photo_uri: str
    photo_caption: str
    qr_uri: str


@dataclass(frozen=True)
class PosterView:
    heading: str
    body_name: str
    year: int
    entries: list[PosterEntry]
    printed_on: str


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= STORY_EXCERPT:
        return flat
    cut = flat[:STORY_EXCERPT].rsplit(" ", 1)[0]
    return f"{cut} …"


def _photo_uri(entry: HonourEntry) -> tuple[str, str]:
    for photo in entry.photos:
        try:
            content = storage.read_bytes(photo.storage_key)
        except FileNotFoundError:
            continue
        data = base64.b64encode(content).decode("ascii")
        return f"data:{photo.content_type};base64,{data}", photo.caption
    return "", ""


def poster_view(
    entries: list[HonourEntry], *, year: int, body_name: str, today: date
) -> PosterView:
    items = []
    for entry in entries:
        uri, caption = _photo_uri(entry)
        items.append(
            PosterEntry(
                recipient=entry.recipient,
                detail=entry.detail if entry.detail.lower() != entry.recipient.lower() else "",
                title=entry.title,
                decision=(
                    f"Quyết định số {entry.decision_reference} "
                    f"ngày {entry.decision_on.strftime('%d/%m/%Y')}"
                ),
                story=_excerpt(entry.story),
                photo_uri=uri,
                photo_caption=caption,
                qr_uri=qr_data_uri(public_url("honours.entry", entry_id=entry.id)),
            )
        )
    return PosterView(
        heading=f"GƯƠNG ĐIỂN HÌNH TIÊN TIẾN NĂM {year}",
        body_name=body_name,
        year=year,
        entries=items,
        printed_on=official_date(today),
    )


_cache: dict[str, bytes] = {}


def render_poster(view: PosterView) -> bytes:
    """The poster's PDF (kept per content: the same board gives the same bytes again)."""
    html = render_template(TEMPLATE, poster=view)
    key = hashlib.sha256(html.encode()).hexdigest()
    if key not in _cache:
        if len(_cache) >= 8:
            _cache.clear()
        try:
            _cache[key] = run_bounded(html_to_pdf, html, MAX_PAGES, lane=Lane.SHARED)
        except TooManyPages:
            raise DocumentTooLong(limit=MAX_PAGES) from None
    return _cache[key]
