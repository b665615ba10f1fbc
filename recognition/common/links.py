"""Absolute links to the app's pages, for what leaves it (a QR code on a certificate).

They are built from the PUBLIC_URL setting, never from the request: a document printed by a
background job, or requested through a forged Host header, points to the same address.
"""

from typing import Any

from flask import current_app


def app_path(endpoint: str, **values: Any) -> str:
    """The path of `endpoint` with `values` ("/nominations/12"), built without a request."""
    return current_app.url_map.bind("public").build(endpoint, values)


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of `endpoint` with `values` under the PUBLIC_URL setting."""
    return absolute(app_path(endpoint, **values))


def absolute(path: str) -> str:
    """`path` under the PUBLIC_URL setting."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        raise RuntimeError("RECOGNITION_PUBLIC_URL is not set: links cannot be built")
    return f"{base.rstrip('/')}{path}"
