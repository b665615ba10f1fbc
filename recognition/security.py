"""The frame's protections: the session's user and lifetime, the forced
password change, NUL refusal and response headers (CSRF is Flask-WTF's, set up in create_app)."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import cache
from threading import Lock
from typing import Any, cast

from cachetools import LRUCache
from flask import Flask, Request, abort, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from recognition.auth.models import RoleGrant, User
from recognition.auth.sessions import clear_session
from recognition.database import utcnow
from recognition.extensions import db, login_manager
from recognition.notifications.queries import BELL_AT_MOST, unread_count_statement


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user of a session token "id:session_version"; None when the version is stale."""
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    row = (
        db.session.execute(_user_with_grants(), {"id": int(user_id), "user_id": int(user_id)})
        .unique()
        .first()
    )
    if row is None:
        return None
    user, unread = row
    if user.session_version != int(version) or not user.is_active:
        return None
    # The bell's count, read in the same statement (notifications.views.bell).
    g.unread_on_load = (user.id, unread)
    return user


@cache
def _user_with_grants() -> Select[User, int]:
    """The user with their grants and the grants' units (what every permission reads) and the
    bell's count of their unread notifications, in one statement built once per process:
    every request sends it."""
    return (
        select(User, unread_count_statement(BELL_AT_MOST).scalar_subquery())
        .where(User.id == bindparam("id"))
        .options(joinedload(User.grants).joinedload(RoleGrant.unit))
    )


def enforce_session_lifetime() -> None:
    """Log out a session idle longer than the setting or older than its absolute lifetime."""
    if not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    absolute = cast(timedelta, current_app.config["PERMANENT_SESSION_LIFETIME"]).total_seconds()
    started = session.get("started_at", 0)
    seen = session.get("seen_at", 0)
    if now - seen > idle or now - started > absolute:
        logout_user()
        clear_session()
        session["expired"] = True
        return
    # Only write when it moves by a minute, to avoid a new cookie on every request.
    if now - seen > 60:
        session["seen_at"] = now


_OPEN_TO_TEMPORARY = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


def require_password_change() -> ResponseReturnValue | None:
    """A user with a temporary password must choose their own before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _OPEN_TO_TEMPORARY
    ):
        if request.method == "GET":
            flash(_("Please choose a new password before you continue."), "warning")
        return redirect(url_for("auth.change_password"))
    return None


def _csp() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def set_security_headers(response: Any) -> ResponseReturnValue:
    response.headers.setdefault("Content-Security-Policy", _csp())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("HSTS"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user and current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    return cast(ResponseReturnValue, response)


def refuse_nul_characters() -> None:
    """A NUL in the address is a 404, in the query a 400, before any view runs.

    PostgreSQL refuses any text holding a NUL (a DataError, so a 500) and no id, code, serial
    or search text can hold one. It is the only character that can get that far: werkzeug
    decodes malformed UTF-8 in a URL to U+FFFD, never to a surrogate.
    """
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400)


@login_manager.unauthorized_handler
def ask_to_log_in() -> ResponseReturnValue:
    """Send an anonymous visitor to the login page, coming back here afterwards."""
    if request.method == "GET":
        flash(_("Please log in to see this page."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return abort(401)


# Session cookies whose signature was checked, kept per process: a few thousand active sessions.
VERIFIED_COOKIES_KEPT = 8192


class NoSessionUnderApi(SecureCookieSessionInterface):
    """The JSON API authenticates every request by its bearer token: under /api/ a session
    cookie is neither read nor set, so a browser's session gives no access to the API (and a
    page elsewhere cannot be driven through it).

    A cookie's signature is checked once per process: the cookie (with the keys it was checked
    against) is kept with its signing time and its content, and the same cookie sent again is
    read from there, its age checked against the session's lifetime as the signature's would
    be. Each request gets its own copy of the content. Any other cookie is checked in full."""

    def __init__(self) -> None:
        self._verified: LRUCache[tuple[Any, ...], tuple[float, str]] = LRUCache(
            maxsize=VERIFIED_COOKIES_KEPT
        )
        self._lock = Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        max_age = app.permanent_session_lifetime.total_seconds()
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), value)
        with self._lock:
            found = self._verified.get(key)
        if found is None:
            signer = self.get_signing_serializer(app)  # a secret key is set
            if signer is None:
                return super().open_session(app, request)
            try:
                data, signed = signer.loads(value, max_age=int(max_age), return_timestamp=True)
            except BadSignature:
                return self.session_class()
            found = (signed.timestamp(), self.serializer.dumps(data))
            with self._lock:
                self._verified[key] = found
        signed_at, content = found
        if not 0 <= time.time() - signed_at <= max_age:  # expired (or from the future)
            return self.session_class()
        return self.session_class(self.serializer.loads(content))


# The forms' token. Flask-WTF signs the session's token afresh on every request that draws a
# form or the header (a serializer, JSON, a timestamp and an HMAC). Without a time limit on the
# token (WTF_CSRF_TIME_LIMIT None, config.py) one signature is as good as the next: each
# session's token is signed once per process and given to Flask-WTF where it looks first.
SIGNED_TOKENS_KEPT = 8192
_signed_tokens: LRUCache[tuple[Any, ...], str] = LRUCache(maxsize=SIGNED_TOKENS_KEPT)
_signed_tokens_lock = Lock()


def sign_csrf_token_once() -> None:
    raw = session.get("csrf_token")
    config = current_app.config
    if not isinstance(raw, str) or config["WTF_CSRF_TIME_LIMIT"] is not None:
        return
    key = (current_app.secret_key, config.get("WTF_CSRF_SECRET_KEY"), raw)
    with _signed_tokens_lock:
        signed = _signed_tokens.get(key)
    if signed is None:
        signed = generate_csrf()  # signs the session's token, kept by Flask-WTF in g
        with _signed_tokens_lock:
            _signed_tokens[key] = signed
    else:
        g.csrf_token = signed


def init_security(app: Flask) -> None:
    login_manager.session_protection = "basic"
    app.session_interface = NoSessionUnderApi()
    app.before_request(refuse_nul_characters)
    app.before_request(enforce_session_lifetime)
    app.before_request(require_password_change)
    app.before_request(sign_csrf_token_once)
    app.after_request(set_security_headers)
