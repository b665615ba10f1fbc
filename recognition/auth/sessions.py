"""Login sessions: starting and clearing one, ending every session of an account."""

from typing import Any

from flask import session

from recognition.database import utcnow


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


def end_all_sessions(user: Any) -> None:
    """Invalidate every session of `user` at its next request."""
    user.session_version += 1
