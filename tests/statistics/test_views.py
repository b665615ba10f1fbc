"""The statistics page, its charts' tables and the yearly report's XLSX from known data; who
may read them."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask import Flask
from openpyxl import load_workbook

from recognition.database import local_today
from recognition.extensions import db
from recognition.history.services import EarlierAward, import_awards
from recognition.statistics.tables import REPORT_TABLES
from tests.decisions.helpers import client_for, in_english, page_text
from tests.statistics.conftest import YEAR, World

pytestmark = pytest.mark.integration


def _page(app: Flask, world: World, year: int = YEAR) -> str:
    db.session.commit()
    client = in_english(client_for(app, world.scene.secretariat))
    response = client.get(f"/statistics/bodies/{world.scene.body.id}?year={year}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def _table(html: str, name: str) -> list[list[str]]:
    """The rows of the table `data-table=name`, each a list of its cells' texts."""
    match = re.search(rf'data-table="{name}">(.*?)</table>', html, flags=re.S)
    assert match, name
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), flags=re.S)
    return [
        [page_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in rows
    ]


def test_the_page_shows_the_years_figures(app: Flask, world: World) -> None:
    html = _page(app, world)
    paid = sum(line.amount or 0 for line in world.decision.lines)
    assert paid > 0
    figures = {
        name: _figure(html, name)
        for name in (
            "own-awards",
            "own-collective",
            "own-individual",
            "own-household",
            "own-women",
            "money",
            "below-total",
            "above-total",
            "above-women",
        )
    }
    assert figures == {
        "own-awards": "6",
        "own-collective": "3",
        "own-individual": "2",
        "own-household": "1",
        "own-women": "50 %",
        "money": f"{paid:,} đ",
        "below-total": "0",
        "above-total": "1",
        "above-women": "—",
    }
    text = page_text(html)
    assert "women among the people awarded (1 of 2 people whose gender is recorded)" in text
    assert "2 awards of decisions of 2026 annulled since are not counted." in text
    assert _table(html, "units-own") == [
        ["Unit", "Collectives", "Individuals", "Households", "Total"],
        ["Xã Phú Phụng", "1", "2", "1", "4"],
        ["Xã Vĩnh Bình", "2", "0", "0", "2"],
    ]
    assert _table(html, "awards-above")[1:] == [
        [
            "Bằng khen của Chủ tịch UBND tỉnh Commendation",
            "Ministry, sector or province level",
            *["0", "1", "0", "—", "1"],
        ],
        ["Total", "", "0", "1", "0", "—", "1"],
    ]
    assert _table(html, "levels-own") == [
        ["Level", "Kind", "Awards"],
        ["District level", "Commendation", "1"],
        ["Commune level", "Emulation title", "3"],
        ["Commune level", "Commendation", "2"],
    ]
    trend = _table(html, "trend")
    assert [row[:4] for row in trend] == [
        ["Year", "This body's awards", "Levels below", "Higher levels"],
        ["2022", "1", "0", "0"],
        ["2023", "0", "0", "0"],
        ["2024", "0", "0", "0"],
        ["2025", "0", "0", "0"],
        ["2026", "6", "0", "1"],
    ]
    # The annulled decision's woman does not count anywhere.
    assert "Võ Thị Mai" not in html


def test_the_charts_carry_the_same_figures(app: Flask, world: World) -> None:
    html = _page(app, world)
    charts = re.findall(r'<svg class="stats-chart"[^>]*role="img"[^>]*>(.*?)</svg>', html, re.S)
    assert len(charts) == 5  # level and unit of the own and the higher levels' parts; trend
    descriptions = [re.search(r"<desc[^>]*>(.*?)</desc>", c, re.S).group(1) for c in charts]  # type: ignore[union-attr]
    assert descriptions[1] == "Xã Phú Phụng: 4; Xã Vĩnh Bình: 2"
    assert descriptions[4] == "2022: 1; 2023: 0; 2024: 0; 2025: 0; 2026: 7"
    assert descriptions[0] == (
        "District level — Commendation: 1; Commune level — Emulation title: 3; "
        "Commune level — Commendation: 2"
    )
    assert descriptions[2] == "Ministry, sector or province level — Commendation: 1"
    assert (
        '<title id="chart-unit-own-title">Awards of 2026 by unit — Awarded by this body</title>'
        in html
    )


def test_the_report_xlsx_cell_by_cell(app: Flask, world: World) -> None:
    db.session.commit()
    client = client_for(app, world.scene.chair)
    response = client.get(f"/statistics/bodies/{world.scene.body.id}/report.xlsx?year={YEAR}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [f"Biểu {t.code}" for t in REPORT_TABLES]

    def rows(name: str) -> list[list[object]]:
        sheet = book[name]
        return [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]

    header = [
        "STT",
        "Nội dung",
        "Tổng số",
        "Tập thể",
        "Cá nhân",
        "Hộ gia đình",
        "Trong đó: cá nhân nữ",
    ]
    assert book["Biểu 0602"]["A1"].value == "Biểu 0602. SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"
    assert book["Biểu 0602"]["A2"].value == (
        f"Đơn vị báo cáo: {world.scene.body.name} — Năm 2026; phạm vi: A. khen thưởng do "
        f"{world.scene.body.name} quyết định (kể cả khen thưởng trước đây đã nhập vào lịch "
        "sử); B. khen thưởng do cấp dưới trên địa bàn quyết định (các cơ quan, đơn vị trực "
        "thuộc có thẩm quyền khen thưởng), mỗi khen thưởng tính một lần ở cấp quyết định; C. "
        "khen thưởng của cấp "
        "trên cho tập thể, cá nhân trên địa bàn. Không tính 2 khen thưởng của quyết định đã "
        "hủy bỏ, thu hồi."
    )
    own = [None, f"A. Khen thưởng của {world.scene.body.name} (đơn vị báo cáo)"] + [None] * 5
    below = [None, "B. Khen thưởng của cấp dưới trên địa bàn"] + [None] * 5
    above = [None, "C. Khen thưởng của cấp trên cho đơn vị trên địa bàn"] + [None] * 5
    no_gender = "— (chưa ghi giới tính)"
    zero_0603 = [
        [1, "Bằng khen", 0, 0, 0, 0, 0],
        [2, "Cờ thi đua", 0, 0, 0, 0, 0],
        [3, "Chiến sĩ thi đua cấp bộ, ngành, tỉnh", 0, 0, 0, 0, 0],
        [4, "Tập thể lao động xuất sắc", 0, 0, 0, 0, 0],
    ]
    assert rows("Biểu 0603") == [
        header,
        own,
        [None, "Tổng số", 0, 0, 0, 0, 0],
        *zero_0603,
        below,
        [None, "Tổng số", 0, 0, 0, 0, 0],
        *zero_0603,
        above,
        # The province's Bằng khen to a man or woman the import does not say: not "0 women".
        [None, "Tổng số", 1, 0, 1, 0, no_gender],
        [1, "Bằng khen", 1, 0, 1, 0, no_gender],
        *zero_0603[1:],
    ]
    assert rows("Biểu 0604")[:10] == [
        header,
        own,
        [None, "Tổng số", 6, 3, 2, 1, 1],
        [1, "Giấy khen", 2, 2, 0, 0, 0],
        [2, "Chiến sĩ thi đua cơ sở", 0, 0, 0, 0, 0],
        [3, "Lao động tiên tiến", 2, 0, 2, 0, 1],
        [4, "Tập thể lao động tiên tiến", 0, 0, 0, 0, 0],
        [5, "Gia đình văn hóa", 1, 0, 0, 1, 0],
        [6, "Thôn, ấp, tổ dân phố văn hóa", 0, 0, 0, 0, 0],
        [7, "Danh hiệu, điển hình của cơ quan khen thưởng", 1, 1, 0, 0, 0],
    ]
    unit_header = ["STT", "Đơn vị", *header[2:]]
    assert rows("Biểu 0605") == [
        unit_header,
        own,
        [None, "Tổng số", 6, 3, 2, 1, 1],
        [1, "Xã Phú Phụng", 4, 1, 2, 1, 1],
        [2, "Xã Vĩnh Bình", 2, 2, 0, 0, 0],
        below,
        [None, "Tổng số", 0, 0, 0, 0, 0],
        above,
        [None, "Tổng số", 1, 0, 1, 0, no_gender],
        [1, "Xã Phú Phụng", 1, 0, 1, 0, no_gender],
    ]
    assert rows("Biểu 0601")[0] == ["STT", "Nội dung", "Số phong trào"]
    # A report on 2026 cites the circular in force on its year's last day.
    assert book["Biểu 0602"]["A3"].value == (
        "Theo bố cục biểu 0602.N/BNV-TĐKT của Thông tư 02/2023/TT-BNV, nay được thay thế bởi "
        "các biểu thống kê thi đua, khen thưởng của Thông tư 18/2025/TT-BNV."
    )
    assert book["Biểu 0604"].column_dimensions["B"].width == 48


def test_who_reads_the_statistics(app: Flask, world: World) -> None:
    db.session.commit()
    url = f"/statistics/bodies/{world.scene.body.id}"
    assert client_for(app, world.scene.nominator).get(url).status_code == 403
    assert client_for(app, world.scene.council_member).get(url).status_code == 403
    assert client_for(app, world.scene.other_secretariat).get(url).status_code == 403
    assert client_for(app, world.scene.admin).get(url).status_code == 200
    # A body's secretariat goes straight to its page.
    response = client_for(app, world.scene.secretariat).get("/statistics/?year=2025")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}?year=2025")


def test_the_report_is_formula_safe(app: Flask, world: World) -> None:
    world.scene.commune_b.name = '=HYPERLINK("http://x")'
    db.session.commit()
    client = client_for(app, world.scene.secretariat)
    response = client.get(f"/statistics/bodies/{world.scene.body.id}/report.xlsx?year={YEAR}")
    sheet = load_workbook(io.BytesIO(response.data))["Biểu 0605"]
    cell = sheet["B9"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x")', "s")


def test_the_page_reads_a_constant_number_of_queries(
    app: Flask, world: World, count_queries
) -> None:  # type: ignore[no-untyped-def]
    db.session.commit()
    client = client_for(app, world.scene.secretariat)
    url = f"/statistics/bodies/{world.scene.body.id}?year={YEAR}"
    client.get(url)
    with count_queries() as before:
        assert client.get(url).status_code == 200
    more = [
        EarlierAward(n, f"Người thứ {n}", "", unit, "Giấy khen", f"{n}/QĐ-UBND", date(2026, 2, 1))
        for n, unit in enumerate([world.hamlet, world.phu_phung, world.scene.commune_b] * 3, 2)
    ]
    import_awards(more, body_name="UBND xã", actor=world.scene.secretariat, file_name="x.xlsx")
    db.session.commit()
    with count_queries() as after:
        assert client.get(url).status_code == 200
    assert after() == before()


def test_the_menu_and_the_dashboard_lead_to_the_statistics(app: Flask, world: World) -> None:
    db.session.commit()
    for user in (world.scene.secretariat, world.scene.chair):
        html = client_for(app, user).get("/dashboard").get_data(as_text=True)
        assert html.count('href="/statistics/"') == 2  # the menu's item and the dashboard's
    html = client_for(app, world.scene.nominator).get("/dashboard").get_data(as_text=True)
    assert 'href="/statistics/"' not in html


@pytest.mark.parametrize("typed", ["abc", "1800"])
def test_a_year_the_statistics_do_not_cover_is_said_so(
    app: Flask, world: World, typed: str
) -> None:
    db.session.commit()
    client = in_english(client_for(app, world.scene.secretariat))
    with app.app_context():
        this_year = local_today().year

    response = client.get(f"/statistics/bodies/{world.scene.body.id}?year={typed}")

    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert (
        f"“{typed}” is not a year the statistics cover ({this_year - 50} to {this_year}): "
        f"{this_year} is shown." in text
    )
