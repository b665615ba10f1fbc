"""Fixtures of the award history tests: the decision tests' scene (Huyện Chợ Lách as awarding
body, Xã Sơn Định and Xã Vĩnh Bình below it), a request context in English, and helpers that
issue a decision to a unit or a person and build XLSX files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from openpyxl import Workbook

from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.units.models import Unit
from tests.decisions.helpers import ACHIEVEMENT, ISSUE_DAY, drafted
from tests.support.advance import advance_to, answers_to
from tests.support.factories import NominationFactory
from tests.workflow.helpers import Scene, build_scene

HEADER = ["STT", "Họ tên", "Chức vụ", "Đơn vị", "Hình thức", "Số quyết định", "Ngày"]


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(base_url="http://localhost/"), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


def passed_unit(scene: Scene, unit: Unit) -> Nomination:
    """A collective dossier for `unit` that the council passed."""
    nomination = NominationFactory(
        campaign=scene.campaign, award_type=scene.award, actor=scene.nominator, nominee_unit=unit
    )
    update_nomination(
        nomination, Report(summary=ACHIEVEMENT), answers_to(scene.award), actor=scene.nominator
    )
    return advance_to(nomination, NominationState.PASSED)


def issue_to(scene: Scene, nominations: list[Nomination], today: date = ISSUE_DAY) -> Decision:
    decision = drafted(scene, nominations)
    decisions.issue_decision(decision, actor=scene.chair, today=today)
    return decision


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
