"""Absolute links to the app's pages, for what leaves it (a QR code on a certificate).

They are built from the PUBLIC_URL setting, never from the request: a document printed by a
background job, or requested through a forged Host header, points to the same address.
"""

from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

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


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def stray_public_url(request_host: str) -> str | None:
    """The PUBLIC_URL setting when it names this machine only (127.0.0.1, localhost) while the
    site is reached at another address: the QR codes printed on certificates and the links
    in e-mails would lead nowhere. None when it looks right."""
    base = current_app.config.get("PUBLIC_URL") or ""
    parts = urlsplit(base)
    if not parts.hostname or not _loopback(parts.hostname):
        return None
    # Reached on this machine too (localhost for 127.0.0.1): the links lead where the user is.
    here = urlsplit(f"//{request_host}").hostname or ""
    return None if _loopback(here) else base
