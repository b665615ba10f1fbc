"""PDF rendering with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint's default fetcher opens file: and http(s): URLs; this one serves only files under
static/ and data: URLs, so no text a user typed can make the renderer read a local file or
call a server (RELIABILITY.md, "PDF rendering").
"""

from pathlib import Path
from typing import Any

from flask import current_app, render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

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


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template to PDF. The context must hold plain values, never ORM objects."""
    html = render_template(template, **context)
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    stylesheet = CSS(
        filename=str(STATIC / "fonts" / "fonts.css"),
        font_config=fonts,
        url_fetcher=StaticOnlyFetcher(),
    )
    pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    current_app.logger.debug("rendered %s (%d bytes)", template, len(pdf or b""))
    return bytes(pdf or b"")
