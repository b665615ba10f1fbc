"""Files sent to the browser: generated documents (PDF, XLSX, ZIP) and stored files.

Every download is private (never cached by a proxy, never sniffed as another type) and names
itself with a Vietnamese-safe file name (RFC 6266: an ASCII fallback and the UTF-8 name).
"""

from pathlib import Path

from flask import Response, abort, current_app, send_file
from werkzeug.http import quote_header_value

from recognition.common.text import fold

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def _disposition(filename: str, *, inline: bool) -> str:
    ascii_name = fold(filename).replace(" ", "-").encode("ascii", "replace").decode()
    ascii_name = ascii_name.replace("?", "_") or "download"
    kind = "inline" if inline else "attachment"
    if ascii_name == filename:
        return f"{kind}; filename={quote_header_value(filename)}"
    from urllib.parse import quote

    return (
        f"{kind}; filename={quote_header_value(ascii_name)}; "
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def send_document(content: bytes, *, mimetype: str, filename: str, inline: bool = True) -> Response:
    """A generated document (a PDF shown in the browser, a spreadsheet to save)."""
    response = current_app.response_class(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = _disposition(filename, inline=inline)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def send_stored(path: Path, *, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A stored file (evidence, a stored certificate), 404 when it is missing on disk."""
    if not path.exists():
        abort(404)
    response = send_file(
        path, mimetype=mimetype, as_attachment=not inline, download_name=filename, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
