"""A decision and the list of decisions as XLSX, opened back with openpyxl: the lines as the
decision page lists them, each with the amount decisions/money computes, and the total."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from openpyxl import load_workbook

from recognition.decisions.money.queries import decision_money
from tests.decisions.helpers import client_for, issued
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


def _rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_a_decisions_lines_and_money(app: Flask, scene: Scene) -> None:
    decision = issued(scene, 2)
    money = decision_money(decision)
    client = client_for(app, scene.secretariat)
    rows = _rows(client.get(f"/decisions/{decision.id}/decision.xlsx"))
    assert rows[0][0] == f"QUYẾT ĐỊNH {decision.reference}: {decision.title}"
    assert rows[2] == [
        "STT",
        "Đối tượng được khen thưởng",
        "Chức vụ, đơn vị",
        "Danh hiệu/Hình thức",
        "Số giấy chứng nhận",
        "Hệ số",
        "Mức lương cơ sở (đ)",
        "Số tiền (đ)",
    ]
    expected = [
        [
            item.line.position,
            item.line.recipient,
            item.line.detail or None,
            item.line.award_type.name,
            item.line.certificate.public_serial if item.line.certificate else None,
            float(item.computed.coefficient) if item.computed.coefficient is not None else None,
            item.computed.base,
            item.amount,
        ]
        for item in money.lines
    ]
    assert rows[3:-1] == expected
    assert rows[-1] == [None, "Tổng cộng", None, None, None, None, None, money.total]
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    for line in decision.lines:
        assert line.recipient in page


def test_the_list_of_decisions(app: Flask, scene: Scene) -> None:
    decision = issued(scene, 1)
    rows = _rows(client_for(app, scene.chair).get("/decisions/export.xlsx"))
    assert rows[3][:4] == [1, decision.reference, decision.title, 1]
    assert rows[3][5] == "Đã ban hành"
    # Another body's secretariat sees neither the page's row nor the export's.
    other = client_for(app, scene.other_secretariat)
    assert _rows(other.get("/decisions/export.xlsx"))[3:] == []
    assert decision.title not in other.get("/decisions/").get_data(as_text=True)
    assert other.get(f"/decisions/{decision.id}/decision.xlsx").status_code == 403
