"""Names at their column's limit never make a search or sort key too long for its column
(PostgreSQL refuses the longer text; SQLite would keep it)."""

from __future__ import annotations

import pytest

from recognition.auth.models import User
from recognition.database import string_length
from recognition.extensions import db
from recognition.units.models import Unit
from tests.support.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.integration


def test_the_longest_names_keep_keys_within_their_columns() -> None:
    unit = UnitFactory(name=("1 " * 100)[: string_length(Unit.name)].strip())
    german = UnitFactory(name="ß" * string_length(Unit.name))
    user = UserFactory(full_name="ß" * string_length(User.full_name))
    db.session.flush()
    db.session.expire_all()

    for found, attributes in (
        (unit, (Unit.name_folded, Unit.name_sort)),
        (german, (Unit.name_folded, Unit.name_sort)),
        (user, (User.full_name_folded, User.full_name_sort)),
    ):
        for attribute in attributes:
            value = getattr(found, attribute.key)
            assert 0 < len(value) <= string_length(attribute), attribute.key
    assert german.name_folded == "ss" * (string_length(Unit.name_folded) // 2)
