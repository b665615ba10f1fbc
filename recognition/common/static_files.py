"""Static files that browsers keep.

Every link the app draws to a static file carries the file's digest (`?v=…`): the content at
such an address never changes, so browsers keep it for a year and a page view costs no request
for its stylesheets, scripts and fonts. A new release changes the digest of what it changed,
and the next page asks for the new file. A file asked for without its digest (a font or an
image a stylesheet names by a relative address) is kept for an hour.
"""

import hashlib
from pathlib import Path
from typing import Any

from flask import request
from werkzeug.security import safe_join

VERSIONED_SECONDS = 365 * 24 * 3600
UNVERSIONED_SECONDS = 3600


class StaticDigests:
    """The first characters of each static file's SHA-256, read once per process (on every
    call in debug mode, where the files are being edited)."""

    def __init__(self, folder: str, *, remember: bool) -> None:
        self.folder = folder
        self.remember = remember
        self._digests: dict[str, str | None] = {}

    def digest(self, filename: str) -> str | None:
        if filename in self._digests:
            return self._digests[filename]
        path = safe_join(self.folder, filename)
        found = None
        if path is not None:
            try:
                found = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
            except OSError:
                found = None
        if self.remember:
            self._digests[filename] = found
        return found


def max_age(digests: StaticDigests, filename: str) -> int:
    """How long a browser keeps the static file asked for: a year at its digest's address."""
    version = request.args.get("v")
    if version is not None and version == digests.digest(filename):
        return VERSIONED_SECONDS
    return UNVERSIONED_SECONDS


def init_static_files(app: Any) -> None:
    app.static_digests = StaticDigests(str(app.static_folder), remember=not app.debug)

    @app.url_defaults
    def _static_digest(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static" and "v" not in values:
            filename = values.get("filename")
            digest = app.static_digests.digest(str(filename)) if filename else None
            if digest is not None:
                values["v"] = digest
