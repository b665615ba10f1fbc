"""Who reads an awarding body's yearly statistics: its secretariat and its chair, and
administrators (every body). Pure predicates for views and templates."""

from typing import Any

from flask import Flask
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.extensions import db
from recognition.units.models import Unit

READERS = (Role.SECRETARIAT, Role.CHAIR)


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def statistics_bodies(user: Any) -> list[Unit]:
    """The awarding bodies whose statistics `user` reads, by name."""
    if not _active(user):
        return []
    if user.is_admin:
        query = select(Unit).where(Unit.is_awarding_body.is_(True), Unit.is_active)
        return list(db.session.scalars(query.order_by(Unit.depth, Unit.name_sort)))
    found = {u.id: u for role in READERS for u in user.units_with(role) if u.is_awarding_body}
    return sorted(found.values(), key=lambda u: (u.depth, u.name_sort))


def can_view_statistics(user: Any) -> bool:
    """Staff who read the statistics of some body: its secretariat, its chair, administrators."""
    if not _active(user):
        return False
    return user.is_admin or any(
        u.is_awarding_body for role in READERS for u in user.units_with(role)
    )


def can_view_body_statistics(user: Any, body: Unit) -> bool:
    """The statistics of `body`: its secretariat and chair, and administrators."""
    if not _active(user) or not body.is_awarding_body:
        return False
    return user.is_admin or any(user.holds(role, body) for role in READERS)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(can_view_statistics=can_view_statistics)
