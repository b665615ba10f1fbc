"""Where to go after a form: only to a page of this site (no open redirects)."""

import re
from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

# A path on this site: one "/" not followed by "/" or "\", no scheme, no control characters.
_SAFE_PATH = re.compile(r"^/(?![/\\])[^\s\\\x00-\x1f\x7f]*$")


def safe_next_url(target: str | None, default: str = "/") -> str:
    """`target` when it is a relative path on this site, else `default` (no open redirects)."""
    if not target or not _SAFE_PATH.match(target):
        return default
    if ":" in target.split("?", 1)[0].split("/", 2)[1]:
        return default
    return target


def page_to_come_back_to() -> str:
    """The address that shows this page again (the language switch comes back to it).

    A page drawn in answer to a form (a refused entry shown at the form's POST address) is
    shown again by the page the form was sent from: a GET of the POST address would be a 405.
    """
    if request.method in {"GET", "HEAD"}:
        return request.full_path.rstrip("?")
    came_from = urlsplit(request.referrer or "")
    if came_from.netloc != request.host or not came_from.path:
        return ""
    # That page may itself have been drawn for a form (its address a POST's): then none.
    if not opens_with_get(came_from.path):
        return ""
    return came_from.path + (f"?{came_from.query}" if came_from.query else "")


def opens_with_get(path: str) -> bool:
    """Whether a GET of `path` (a safe path of this site) reaches a page rather than a 405 or
    a 404 of the routing."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except RequestRedirect:  # a missing trailing slash: the redirect reaches the page
        return True
    except HTTPException:
        return False
    return True
