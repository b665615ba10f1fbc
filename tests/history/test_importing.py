"""The import of earlier awards from XLSX: all rows or none, each wrong row named with its row
number; the template opens in openpyxl with the expected header."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select

from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.csvfiles import ImportFailed
from recognition.extensions import db
from recognition.history.importing import read_awards, template_xlsx
from recognition.history.models import AwardRecord
from recognition.history.services import import_awards
from tests.decisions.helpers import client_for
from tests.history.conftest import HEADER, xlsx
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

GOOD = [
    [1, "Nguyễn Văn Án", "Trưởng ấp", "Ấp Phú Hữu", "Giấy khen", "125/QĐ-UBND", "15/12/2023"],
    [
        2,
        None,
        None,
        "Xã Sơn Định",
        "Tập thể lao động tiên tiến",
        "88/QĐ-UBND",
        datetime(2022, 1, 5),
    ],
]


def _errors(raw: bytes, scene: Scene) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as failure:
        read_awards(raw, actor=scene.secretariat)
    return [(error.line, error.message) for error in failure.value.errors]


def test_a_good_file_is_imported_and_audited(scene: Scene) -> None:
    rows = read_awards(xlsx(GOOD), actor=scene.secretariat)
    made = import_awards(
        rows, body_name="UBND huyện Chợ Lách", actor=scene.secretariat, file_name="a.xlsx"
    )
    assert [(r.nominee_name, r.unit_name, r.decision_on, r.year, r.nominee_kind) for r in made] == [
        ("Nguyễn Văn Án", "Ấp Phú Hữu", date(2023, 12, 15), 2023, "person"),
        ("Xã Sơn Định", "Xã Sơn Định", date(2022, 1, 5), 2022, "unit"),
    ]
    count = db.session.scalar(
        select(func.count()).where(AuditEvent.object_kind == ObjectKind.AWARD_RECORD)
    )
    assert count == 2
    # The same file again: every row is already in the history, nothing is added.
    assert _errors(xlsx(GOOD), scene) == [
        (2, "This award is already in the history."),
        (3, "This award is already in the history."),
    ]


def test_wrong_columns_are_refused(scene: Scene) -> None:
    header = ["STT", "Họ và tên", "Đơn vị", "Hình thức", "Số QĐ", "Ngày"]
    [(line, message)] = _errors(xlsx(GOOD, header=header), scene)
    assert line == 1
    assert message.startswith("The columns must be, in this order: STT, Họ tên, Chức vụ")


def test_every_bad_row_is_named_and_nothing_is_imported(scene: Scene) -> None:
    rows = [
        GOOD[0],
        [2, "Lê Thị Bé", "", "Ấp Phú Hữu", "Giấy khen", "7/QĐ-UBND", "31/02/2023"],
        [3, "Nguyễn Văn Án", "Trưởng ấp", "ap phu huu", "giấy khen", "125/qđ-ubnd", "15/12/2023"],
        [4, "Võ Văn C", "", "Xã Không Có", "", "9/QĐ", "01/01/2020"],
    ]
    assert _errors(xlsx(rows), scene) == [
        (3, "The date must be a date written dd/mm/yyyy."),
        (4, "Same award as row 2."),
        (5, "The award (Hình thức) is missing."),
        (5, "No unit named “Xã Không Có” within your scope."),
    ]
    assert db.session.scalar(select(func.count()).select_from(AwardRecord)) == 0


def test_units_outside_the_scope_are_not_found(scene: Scene) -> None:
    errors = _errors_as(scene, scene.other_nominator)
    assert errors == [(2, "No unit named “Ấp Phú Hữu” within your scope.")]


def _errors_as(scene: Scene, user: object) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as failure:
        read_awards(xlsx([GOOD[0]]), actor=user)  # type: ignore[arg-type]
    return [(error.line, error.message) for error in failure.value.errors]


def test_a_file_that_is_not_xlsx_is_refused(scene: Scene) -> None:
    assert _errors(b"STT,Ho ten\n1,An\n", scene) == [(1, "This is not an XLSX file.")]


def test_the_template_opens_with_its_header() -> None:
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1][3] == "Xã Phú Phụng"
    assert len(rows) == 2


CITIZEN_ROW = [[*GOOD[0], "083190001234"]]


def test_the_citizen_id_is_kept_only_where_configured(
    app: Flask, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = [*HEADER, "Số định danh cá nhân"]
    [ignored] = read_awards(xlsx(CITIZEN_ROW, header=header), actor=scene.secretariat)
    assert ignored.citizen_id is None
    monkeypatch.setitem(app.config, "HISTORY_STORE_CITIZEN_ID", True)
    [kept] = read_awards(xlsx(CITIZEN_ROW, header=header), actor=scene.secretariat)
    assert kept.citizen_id == "083190001234"
    bad = [[*GOOD[0], "12345"]]
    assert _errors(xlsx(bad, header=header), scene) == [
        (2, "The personal identification number has 12 digits.")
    ]
    [record] = import_awards([kept], body_name="UBND", actor=scene.secretariat, file_name="a")
    db.session.commit()
    client = client_for(app, scene.secretariat)
    for url in (
        f"/history/people/{record.id}",
        "/history/?q=nguyen",
        f"/history/units/{scene.hamlet_a.id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "Nguyễn Văn Án" in page
        assert "083190001234" not in page
