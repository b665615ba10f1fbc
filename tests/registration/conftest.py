"""Fixtures of the registration tests: the workflow tests' scene (a district body with two
communes below it, a nominator on commune A), each test inside a request, and the body's
registration for its campaign's year."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.extensions import db
from recognition.registration.models import RegistrationCall
from recognition.registration.services import campaign_year, open_registration
from tests.workflow.helpers import Scene, build_scene

PLEDGE = "Các đơn vị cam kết thi đua hoàn thành xuất sắc nhiệm vụ năm."


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(base_url="http://localhost/"), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


@pytest.fixture
def year(scene: Scene) -> int:
    return campaign_year(scene.campaign)


@pytest.fixture
def call(scene: Scene, year: int) -> RegistrationCall:
    opened = open_registration(
        scene.body,
        actor=scene.secretariat,
        year=year,
        deadline=date(year, 1, 31),
        pledge=PLEDGE,
    )
    db.session.commit()
    return opened
