"""The targets pages through the test client: the campaign's list with its summary, chart and
export, the target's page with the report form and confirm/reject, evidence downloads, the
form errors that keep what was typed, and the refusals."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from recognition.common import storage
from recognition.common.audit import AuditEvent
from recognition.extensions import db
from recognition.ops.demo_targets import load_story_targets
from recognition.targets.enums import TargetDirection, TargetSector, ValueState
from recognition.targets.models import Target, TargetValue
from recognition.targets.services import (
    Report,
    TargetData,
    confirm_value,
    report_value,
    save_target,
)
from tests.nominations import PDF
from tests.support.object_store import isolate_store
from tests.targets.conftest import Movement

pytestmark = pytest.mark.integration


@pytest.fixture
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploads"
    isolate_store(app, folder, monkeypatch)
    return folder


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response: Any, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1)).strip()


def a_target(movement: Movement, **changes: Any) -> Target:
    values: dict[str, Any] = {
        "code": "CT1",
        "text": "Thu nhập bình quân đầu người đạt 82 triệu đồng/người/năm",
        "sector": TargetSector.ECONOMY,
        "responsible_unit": movement.units["farmers"],
        "target_value": Decimal(82),
        "measure_unit": "triệu đồng/người/năm",
    }
    values.update(changes)
    return save_target(
        None, TargetData(**values), campaign=movement.campaign, actor=movement.secretariat
    )


def story(movement: Movement) -> None:
    load_story_targets(
        movement.campaign,
        movement.units,
        {"farmers": movement.farmers_nominator},
        movement.secretariat,
        as_of=date(2024, 12, 31),
        today=date(2025, 1, 15),
    )
    db.session.commit()


def test_the_campaign_s_targets_with_summary_chart_and_units(
    movement: Movement, login: Any
) -> None:
    story(movement)
    page = login(movement.farmers_nominator).get(f"/campaigns/{movement.campaign.id}/targets")

    assert page.status_code == 200
    text = text_of(page)
    sentence = re.search(r'<p[^>]*id="summary-sentence">(.*?)</p>', text, re.S)
    assert sentence is not None
    assert sentence.group(1) == (
        "3/27 chỉ tiêu đạt và vượt, 3/27 chỉ tiêu xấp xỉ đạt, 6/27 chỉ tiêu đạt trên 70%, "
        "13/27 chỉ tiêu đạt trên 50%, 2 chỉ tiêu đánh giá cuối nhiệm kỳ."
    )
    # The chart: an SVG image with its title and description, a bar per class, and a table.
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", text, re.S)
    assert svg is not None
    assert (
        '<title id="chart-all-title">Chỉ tiêu của phong trào theo mức xếp loại</title>'
        in svg.group(0)
    )
    assert (
        "đạt và vượt: 3/27; xấp xỉ đạt: 3/27; đạt trên 70%: 6/27; đạt trên 50%: 13/27; "
        "đạt dưới 50%: 0/27; đánh giá cuối nhiệm kỳ: 2/27"
    ) in svg.group(0)
    assert svg.group(0).count("<rect") == 6
    rows = re.findall(
        r'<th scope="row" class="fw-normal">([^<]+)</th><td class="text-end">([^<]+)</td>', text
    )
    assert rows == [
        ("đạt và vượt", "3/27"),
        ("xấp xỉ đạt", "3/27"),
        ("đạt trên 70%", "6/27"),
        ("đạt trên 50%", "13/27"),
        ("đạt dưới 50%", "0/27"),
        ("đánh giá cuối nhiệm kỳ", "2/27"),
    ]
    # Grouped by sector, in the sectors' order.
    headings = re.findall(r'<h2 class="card-header h6 mb-0" id="sector-(\w+)">', text)
    assert headings == [s.value for s in TargetSector]
    assert (
        "Hội Nông dân xã Phú Phụng</strong> (5 chỉ tiêu): 1/5 chỉ tiêu xấp xỉ đạt, 1/5 chỉ tiêu "
        "đạt trên 70%, 2/5 chỉ tiêu đạt trên 50%, 1 chỉ tiêu đánh giá cuối nhiệm kỳ."
    ) in text
    assert "Thêm chỉ tiêu" not in text  # a nominator does not keep the targets


def test_the_list_sends_as_many_queries_for_27_targets_as_for_3(
    movement: Movement, login: Any, count_queries: Any
) -> None:
    client = login(movement.secretariat)
    url = f"/campaigns/{movement.campaign.id}/targets"
    for code in ("A1", "A2", "A3"):
        a_target(movement, code=code)
    db.session.commit()
    with count_queries() as few:
        assert client.get(url).status_code == 200
    story(movement)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many() == few()


def test_the_secretariat_adds_a_target_and_bad_input_keeps_what_was_typed(
    movement: Movement, login: Any
) -> None:
    client = login(movement.secretariat)
    url = f"/campaigns/{movement.campaign.id}/targets/new"
    form = {
        "code": "ct9",
        "text": "Tỷ lệ hộ nghèo giảm còn dưới 1%",
        "sector": "society",
        "direction": "lower",
        "measure_unit": "%",
        "baseline": "2,1",
        "target_value": "",
        "responsible_unit_id": str(movement.units["culture"].id),
        "timing": "periodic",
    }
    refused = client.post_form(url, form)
    assert refused.status_code == 200
    assert field_error(refused, "target_value") == "Hãy nhập giá trị chỉ tiêu đề ra."
    assert "Tỷ lệ hộ nghèo giảm còn dưới 1%</textarea>" in text_of(refused)

    saved = client.post_form(url, {**form, "target_value": "1"})

    assert saved.status_code == 302
    target = db.session.scalars(select(Target)).one()
    assert (target.code, target.baseline, target.target_value, target.direction) == (
        "CT9",
        Decimal("2.10"),
        Decimal("1.00"),
        TargetDirection.LOWER,
    )
    edit = client.post_form(
        f"/targets/{target.id}/edit", {**form, "target_value": "0.9", "responsible_unit_id": "abc"}
    )
    assert field_error(edit, "responsible_unit_id") == "Lựa chọn không hợp lệ."


def test_the_unit_reports_with_a_file_and_the_secretariat_confirms(
    movement: Movement, login: Any, uploads: Path
) -> None:
    target = a_target(movement)
    db.session.commit()
    nominator = login(movement.farmers_nominator)
    page = text_of(nominator.get(f"/targets/{target.id}"))
    assert "Báo cáo số liệu" in page and "Xác nhận" not in page

    reported = nominator.post(
        f"/targets/{target.id}/values",
        data={
            "csrf_token": nominator.csrf_token(),
            "value": "80,5",
            "as_of_on": "2024-12-31",
            "note": "Theo báo cáo của Chi cục Thống kê",
            "files": (io.BytesIO(PDF), "Báo cáo.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert reported.status_code == 302
    value = db.session.scalars(select(TargetValue)).one()
    assert (value.value, value.state, [e.original_name for e in value.evidence]) == (
        Decimal("80.50"),
        ValueState.REPORTED,
        ["Báo cáo.pdf"],
    )
    download = nominator.get(f"/targets/{target.id}/evidence/{value.evidence[0].id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")

    secretariat = login(movement.secretariat)
    page = text_of(secretariat.get(f"/targets/{target.id}"))
    assert "Chờ xác nhận" in page and "Báo cáo.pdf" in page
    assert nominator.post_form(f"/targets/{target.id}/values/{value.id}/confirm").status_code == 403
    assert (
        secretariat.post_form(f"/targets/{target.id}/values/{value.id}/confirm").status_code == 302
    )
    db.session.expire_all()
    assert value.state == ValueState.CONFIRMED
    # Once decided, a second decision is a conflict.
    again = secretariat.post_form(f"/targets/{target.id}/values/{value.id}/confirm")
    assert again.status_code == 409
    assert "xấp xỉ đạt · 98,2 %" in text_of(secretariat.get(f"/targets/{target.id}"))


def test_the_unit_withdraws_a_value_typed_wrong_before_the_secretariat_decides(
    movement: Movement, login: Any, uploads: Path
) -> None:
    target = a_target(movement)
    db.session.commit()
    nominator = login(movement.farmers_nominator)
    nominator.post(
        f"/targets/{target.id}/values",
        data={
            "csrf_token": nominator.csrf_token(),
            "value": "1,21",
            "as_of_on": "2024-12-31",
            "files": (io.BytesIO(PDF), "Báo cáo.pdf"),
        },
        content_type="multipart/form-data",
    )
    value = db.session.scalars(select(TargetValue)).one()
    value_id, key = value.id, value.evidence[0].storage_key
    assert "Rút số liệu này" in text_of(nominator.get(f"/targets/{target.id}"))

    response = nominator.post_form(f"/targets/{target.id}/values/{value_id}/withdraw")

    db.session.expire_all()
    assert response.status_code == 302
    assert db.session.scalars(select(TargetValue)).all() == []
    assert not storage.exists(key)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.action, event.actor_id, event.comment) == (
        "withdrawn",
        movement.farmers_nominator.id,
        "1.21 (2024-12-31); Báo cáo.pdf",
    )


def test_a_decided_value_is_not_withdrawn(movement: Movement, login: Any) -> None:
    target = a_target(movement)
    db.session.commit()
    nominator, secretariat = login(movement.farmers_nominator), login(movement.secretariat)
    nominator.post_form(f"/targets/{target.id}/values", {"value": "80", "as_of_on": "2024-12-31"})
    value_id = db.session.scalars(select(TargetValue.id)).one()
    secretariat.post_form(f"/targets/{target.id}/values/{value_id}/confirm")

    late = nominator.post_form(f"/targets/{target.id}/values/{value_id}/withdraw")

    assert late.status_code == 409
    assert "Rút số liệu này" not in text_of(nominator.get(f"/targets/{target.id}"))
    assert db.session.scalars(select(TargetValue.id)).all() == [value_id]


def test_on_a_phone_each_target_carries_its_figures_under_its_text(
    movement: Movement, login: Any
) -> None:
    target = a_target(movement)
    db.session.commit()

    html = text_of(
        login(movement.farmers_nominator).get(f"/campaigns/{movement.campaign.id}/targets")
    )

    row = re.search(rf"<tr>\s*<td[^>]*>{target.code}</td>(.*?)</tr>", html, re.S)
    assert row is not None
    # Four columns for wide screens only; under the target, the same figures for a phone.
    assert (
        row.group(1).count('class="d-none d-md-table-cell"')
        + row.group(1).count('d-none d-md-table-cell"')
        >= 4
    )
    phone = re.search(r'<div class="d-md-none small mt-1">(.*?)</div>', row.group(1), re.S)
    assert phone is not None
    assert "Chỉ tiêu đề ra:</span> 82 triệu đồng/người/năm" in phone.group(1)
    assert target.responsible_unit.name in phone.group(1)


def test_a_bad_report_keeps_what_was_typed(movement: Movement, login: Any) -> None:
    target = a_target(movement)
    db.session.commit()
    client = login(movement.farmers_nominator)
    response = client.post_form(
        f"/targets/{target.id}/values",
        {"value": "nhiều", "as_of_on": "2099-01-01", "note": "Ghi chú đã gõ"},
    )
    assert response.status_code == 200
    assert field_error(response, "value") == "Nhập một số, ví dụ 1.250,5."
    assert "Ghi chú đã gõ</textarea>" in text_of(response)
    huge = client.post_form(f"/targets/{target.id}/values", {"value": "1.000.000.000.000.000"})
    assert field_error(huge, "value") == ("Nhập một số có tối đa 12 chữ số phần nguyên.")
    future = client.post_form(
        f"/targets/{target.id}/values", {"value": "80", "as_of_on": "2099-01-01"}
    )
    assert field_error(future, "as_of_on") == "Ngày của số liệu không được sau ngày hôm nay."
    assert db.session.scalars(select(TargetValue)).all() == []


def test_a_file_chosen_beside_a_refused_value_is_asked_for_again(
    movement: Movement, login: Any
) -> None:
    target = a_target(movement)
    db.session.commit()
    client = login(movement.farmers_nominator)

    response = client.post(
        f"/targets/{target.id}/values",
        data={
            "csrf_token": client.csrf_token(),
            "value": "nhiều",
            "as_of_on": "2024-12-31",
            "files": (io.BytesIO(PDF), "Báo cáo.pdf"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert field_error(response, "files") == (
        "Tệp đã chọn chưa được lưu: “Báo cáo.pdf”. Vui lòng chọn lại."
    )
    assert db.session.scalars(select(TargetValue)).all() == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.210", "1210"), ("1.210,75", "1210.75"), ("96,5", "96.5"), ("82.5", "82.5")],
)
def test_a_value_is_read_as_vietnamese_write_it(
    movement: Movement, login: Any, typed: str, stored: str
) -> None:
    # The page prints 1.210 for one thousand two hundred and ten: typed so, it is that.
    target = a_target(movement)
    db.session.commit()
    client = login(movement.farmers_nominator)
    response = client.post_form(
        f"/targets/{target.id}/values", {"value": typed, "as_of_on": "2024-12-31"}
    )
    assert response.status_code == 302
    assert db.session.scalars(select(TargetValue.value)).one() == Decimal(stored)


def test_a_yes_no_target_is_reported_as_achieved_or_not(movement: Movement, login: Any) -> None:
    target = a_target(movement, direction=TargetDirection.YES_NO)
    db.session.commit()
    client = login(movement.farmers_nominator)
    missing = client.post_form(f"/targets/{target.id}/values", {"as_of_on": "2024-12-31"})
    assert field_error(missing, "achieved") == "Hãy cho biết đã đạt hay chưa."
    done = client.post_form(
        f"/targets/{target.id}/values", {"achieved": "1", "as_of_on": "2024-12-31"}
    )
    assert done.status_code == 302
    assert db.session.scalars(select(TargetValue.value)).one() == 1


def test_a_rejection_needs_its_reason(movement: Movement, login: Any) -> None:
    target = a_target(movement)
    value = report_value(
        target,
        Report(Decimal(80), date(2024, 12, 31)),
        actor=movement.farmers_nominator,
        today=date(2025, 1, 1),
    )
    db.session.commit()
    client = login(movement.secretariat)
    url = f"/targets/{target.id}/values/{value.id}/reject"
    empty = client.post_form(url, {f"r{value.id}-reason": " "})
    assert empty.status_code == 200
    assert field_error(empty, f"r{value.id}-reason") == "Trường này là bắt buộc."
    assert client.post_form(url, {f"r{value.id}-reason": "Chưa khớp thống kê"}).status_code == 302
    db.session.expire_all()
    assert (value.state, value.reason) == (ValueState.REJECTED, "Chưa khớp thống kê")


def test_refusals_and_missing_objects(movement: Movement, login: Any) -> None:
    target = a_target(movement)
    other = a_target(movement, code="CT2")
    value = report_value(
        target,
        Report(Decimal(80), date(2024, 12, 31)),
        actor=movement.farmers_nominator,
        today=date(2025, 1, 1),
    )
    db.session.commit()
    outsider = login(movement.outsider)
    assert outsider.get(f"/campaigns/{movement.campaign.id}/targets").status_code == 403
    assert outsider.get(f"/targets/{target.id}").status_code == 403
    hamlet = login(movement.hamlet_nominator)
    assert hamlet.get(f"/targets/{target.id}").status_code == 200
    assert (
        hamlet.post_form(
            f"/targets/{target.id}/values", {"value": "1", "as_of_on": "2024-12-31"}
        ).status_code
        == 403
    )
    assert hamlet.get(f"/campaigns/{movement.campaign.id}/targets/new").status_code == 403
    assert hamlet.get(f"/targets/{target.id}/edit").status_code == 403
    secretariat = login(movement.secretariat)
    assert (
        secretariat.post_form(f"/targets/{other.id}/values/{value.id}/confirm").status_code == 404
    )
    assert secretariat.get("/targets/987654321").status_code == 404
    assert secretariat.post(f"/targets/{target.id}/values/{value.id}/confirm").status_code == 400


def test_the_export_is_formula_safe_with_vietnamese_headings(
    movement: Movement, login: Any
) -> None:
    story(movement)
    a_target(movement, code="CT99", text='=HYPERLINK("http://x","bấm")')
    db.session.commit()
    response = login(movement.secretariat).get(f"/campaigns/{movement.campaign.id}/targets.xlsx")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Chi tieu"]
    assert sheet["A2"].value.startswith("3/28 chỉ tiêu đạt và vượt")
    assert [c.value for c in sheet[4]][:4] == ["STT", "Mã", "Chỉ tiêu", "Lĩnh vực"]
    assert [c.value for c in sheet[5]][1:4] == [
        "CT1",
        "Thu nhập bình quân đầu người đạt 82 triệu đồng/người/năm",
        "Kinh tế",
    ]
    assert sheet["M5"].value == pytest.approx(101.8)
    assert sheet["N5"].value == "đạt và vượt"
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[2] == '\'=HYPERLINK("http://x","bấm")'
    assert last[13] == "chưa có số liệu được xác nhận"
    units = book["Theo don vi"]
    assert [c.value for c in units[units.max_row]][:3] == ["Toàn phong trào", 28, 3]


def test_the_index_lists_the_campaigns_with_their_targets(movement: Movement, login: Any) -> None:
    a_target(movement)
    db.session.commit()
    text = text_of(login(movement.hamlet_nominator).get("/targets/"))
    assert movement.campaign.name in text
    assert re.search(r'<td class="text-end">1</td>', text)


def test_the_secretariat_changes_the_classes_of_its_body(movement: Movement, login: Any) -> None:
    target = a_target(movement)
    value = report_value(
        target,
        Report(Decimal(70), date(2024, 12, 31)),
        actor=movement.farmers_nominator,
        today=date(2025, 1, 1),
    )
    confirm_value(value, actor=movement.secretariat)
    db.session.commit()
    client = login(movement.secretariat)
    url = f"/targets/classes/{movement.body.id}"
    page = text_of(client.get(url))
    assert 'value="xấp xỉ đạt"' in page and 'value="90"' in page  # the defaults, to change

    refused = client.post_form(url, {"name_1": "hoàn thành", "min_1": "100"})
    assert refused.status_code == 200
    assert "Cần ít nhất hai mức xếp loại." in text_of(refused)
    assert 'value="hoàn thành"' in text_of(refused)

    saved = client.post_form(
        url,
        {
            "name_1": "hoàn thành",
            "min_1": "100",
            "name_2": "cơ bản",
            "min_2": "80,5",
            "name_3": "chưa",
            "min_3": "0",
        },
    )
    assert saved.status_code == 302
    listing = text_of(client.get(f"/campaigns/{movement.campaign.id}/targets"))
    assert "1/1 chỉ tiêu cơ bản." in listing  # 70 of 82: 85.4 %, from 80.5 %
    assert login(movement.farmers_nominator).get(url).status_code == 403
