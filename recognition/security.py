"""Passwords, sessions, safe redirects, the role guard and response headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.database import utcnow
from recognition.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])

# A hash of a random password, verified when the user is unknown so that both failures cost
# the same time and cannot be told apart.
_DUMMY_HASH: dict[tuple[int, int], str] = {}


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password in constant work whether or not the user exists; rehash if outdated."""
    hasher = _hasher()
    if user is None:
        key = (hasher.time_cost, hasher.memory_cost)
        if key not in _DUMMY_HASH:
            _DUMMY_HASH[key] = hasher.hash("not-a-real-password")
        with suppress(VerificationError):
            hasher.verify(_DUMMY_HASH[key], password)
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


# A path on this site: one "/" not followed by "/" or "\", no scheme, no control characters.
_SAFE_PATH = re.compile(r"^/(?![/\\])[^\s\\\x00-\x1f\x7f]*$")


def safe_next_url(target: str | None, default: str = "/") -> str:
    """`target` when it is a relative path on this site, else `default` (no open redirects)."""
    if not target or not _SAFE_PATH.match(target):
        return default
    if ":" in target.split("?", 1)[0].split("/", 2)[1]:
        return default
    return target


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user of a session token "id:session_version"; None when the version is stale."""
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(
        User, int(user_id), options=[selectinload(User.grants).joinedload(RoleGrant.unit)]
    )
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def start_session() -> None:
    """Mark the start of a fresh login session (for the absolute lifetime)."""
    now = utcnow().timestamp()
    session["started_at"] = now
    session["seen_at"] = now
    session.permanent = True


def clear_session() -> None:
    """Empty the session (a fresh one at login and logout) but keep the language choice."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


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


def end_all_sessions(user: User) -> None:
    """Invalidate every session of `user` at its next request."""
    user.session_version += 1


def require(*roles: Role) -> Callable[[F], F]:
    """View decorator: login required, and at least one of `roles` on some unit (admin passes)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not (current_user.roles & set(roles)) and not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


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


def init_security(app: Flask) -> None:
    login_manager.session_protection = "basic"
    app.before_request(refuse_nul_characters)
    app.before_request(enforce_session_lifetime)
    app.before_request(require_password_change)
    app.after_request(set_security_headers)
