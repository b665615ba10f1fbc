"""Who may keep the law's dated values: a pure predicate for views and templates.

The user is taken duck-typed (the law's area sits below the accounts area)."""

from typing import Any

from flask import Flask


def can_edit_law(user: Any) -> bool:
    """Administrators read and keep the legal rules and their dated values."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_admin", False)
    )


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(can_edit_law=can_edit_law)
