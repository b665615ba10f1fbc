"""Factories for tests. Units are made through the service, so their paths are right."""

from __future__ import annotations

from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.extensions import db
from recognition.security import hash_password
from recognition.text import fold, sort_string
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, create_unit
from tests.conftest import PASSWORD


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = UnitKind.COMMUNE
    code = factory.Sequence(lambda n: f"T{n:05d}")
    parent = None
    is_awarding_body = False

    @classmethod
    def _create(cls, model_class: type[Unit], **kwargs: Any) -> Unit:
        parent = kwargs.pop("parent")
        return create_unit(UnitData(**kwargs), parent=parent)


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    full_name_folded = factory.LazyAttribute(lambda user: fold(user.full_name))
    full_name_sort = factory.LazyAttribute(lambda user: sort_string(user.full_name))
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    session_version = 1


def grant(user: User, role: Role, unit: Unit) -> RoleGrant:
    """Give `user` the `role` on `unit` (flushed)."""
    role_grant = RoleGrant(user=user, unit=unit, role=role.value)
    db.session.add(role_grant)
    db.session.flush()
    return role_grant


def user_with(role: Role, unit: Unit, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    grant(user, role, unit)
    return user
