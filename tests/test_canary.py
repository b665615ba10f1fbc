"""The isolation canary: the first test writes a row, the second proves it is gone."""

import pytest
from sqlalchemy import func, select

from recognition.extensions import db
from recognition.units.models import Unit
from tests.support.factories import UnitFactory

pytestmark = pytest.mark.integration


def test_canary_writes_and_commits() -> None:
    UnitFactory(name="Canary", code="CANARY")
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(Unit.code == "CANARY")) == 1


def test_canary_row_is_gone() -> None:
    assert db.session.scalar(select(func.count()).where(Unit.code == "CANARY")) == 0
