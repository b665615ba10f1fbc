"""Files sent to the browser: generated documents (PDF, XLSX, ZIP) and stored files.

Every download is private (never cached by a proxy, never sniffed as another type) and names
itself with a Vietnamese-safe file name (RFC 6266: an ASCII fallback and the UTF-8 name).
"""

import unicodedata
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Response, abort, current_app, request
from werkzeug.http import quote_header_value
from werkzeug.wsgi import wrap_file

from recognition.common import storage
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


def send_stored(
    storage_key: str, *, mimetype: str, filename: str, inline: bool = False
) -> Response:
    """A stored file (evidence, a stored certificate) from the folder or the object store,
    streamed, with ranges and conditional requests; 404 when it is missing.

    A stored file never changes under its generated key, so the key is its ETag: every app
    server gives the same one."""
    try:
        status = storage.stat(storage_key)
        stream = storage.open_stream(storage_key, size=status.size)
    except FileNotFoundError:
        abort(404)
    body = wrap_file(request.environ, stream, buffer_size=storage.CHUNK)
    response = current_app.response_class(body, mimetype=mimetype, direct_passthrough=True)
    response.content_length = status.size
    response.headers.set(
        "Content-Disposition", "inline" if inline else "attachment", **_names(filename)
    )
    response.last_modified = datetime.fromtimestamp(int(status.modified), UTC)
    response.set_etag(storage_key)
    response.make_conditional(request.environ, accept_ranges=True, complete_length=status.size)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _names(filename: str) -> dict[str, str]:
    """The file name parameters Werkzeug's send_file gives: an ASCII name, and the UTF-8 one
    when the name is not ASCII."""
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple, "filename*": f"UTF-8''{quote(filename, safe='!#$&+-.^_`|~')}"}
    return {"filename": filename}
