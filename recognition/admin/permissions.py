"""Who may read the administrators' logs: a pure predicate for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.permissions import can_manage_users


def can_read_logs(user: Any) -> bool:
    """Administrators read the audit log, check its chain and see undelivered mail."""
    return can_manage_users(user)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(can_read_logs=can_read_logs)
