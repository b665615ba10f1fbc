"""Each award counted once per body, in its part, on the page and in the report: a province
above two communes and a district dissolved into one of them (tests/support/levels.py), read
for 2023 (imported awards), 2024 (the district's decision) and 2025 (the province's and the
communes' decisions, one of them annulled since)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask import Flask
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from sqlalchemy import select

from recognition.common.i18n import number
from recognition.decisions import services as decisions
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.statistics.queries import year_statistics
from recognition.units.models import Unit
from recognition.units.workflow import merge_unit
from tests.decisions.helpers import client_for, in_english, page_text
from tests.support.factories import an_admin
from tests.support.levels import Body, Levels, build_levels, commune_with_decision, issue, passed

pytestmark = pytest.mark.integration

BODIES = ("province", "commune_a", "commune_b")
YEARS = (2023, 2024, 2025)
SCOPES = ("own", "below", "above")

# (the body's own awards, the levels below') by body and year. The province: its Bằng khen
# of 2025; below, the communes' decisions of 2025 (Xã Sơn Định's 3, Xã Vĩnh Bình's 1; the
# annulled one left out), the district's decision of 2024, the district's and Xã Sơn Định's
# imported awards of 2023. Xã Sơn Định: its decision of 2025 and its imported award of 2023,
# never the district dissolved into it.
OWN_AND_BELOW = {
    ("province", 2023): (0, 2),
    ("province", 2024): (0, 1),
    ("province", 2025): (1, 4),
    ("commune_a", 2023): (1, 0),
    ("commune_a", 2024): (0, 0),
    ("commune_a", 2025): (3, 0),
    ("commune_b", 2023): (0, 0),
    ("commune_b", 2024): (0, 0),
    ("commune_b", 2025): (1, 0),
}
# The higher levels' awards to units of the body's territory (the part is shown only when
# there is one): Xã Sơn Định has the district's Giấy khen to Ấp Phú Hữu, imported (2023) and
# issued here (2024); Xã Vĩnh Bình the province's Bằng khen of 2025.
ABOVE = {key: 0 for key in OWN_AND_BELOW} | {
    ("commune_a", 2023): 1,
    ("commune_a", 2024): 1,
    ("commune_b", 2025): 1,
}
# The circular in force on the report year's last day (TT 18/2025 since 22-11-2025).
CIRCULARS = {
    2023: "Thông tư 02/2023/TT-BNV",
    2024: "Thông tư 02/2023/TT-BNV",
    2025: "Thông tư 18/2025/TT-BNV",
}
ANNULLED_PAGE = "1 award of a decision of 2025 annulled since is not counted."
ANNULLED_XLSX = "Không tính 1 khen thưởng của quyết định đã hủy bỏ, thu hồi."
DISSOLVED_XLSX = (
    "Khen thưởng của Huyện Chợ Lách (đã giải thể) do cấp tỉnh thống kê ở phần cấp dưới."
)
# Two communes of today merged later (their decisions of 2025 issued before).
MERGED_ON = date(2025, 12, 1)
# Sections of the report's tables of awards, by their first letter.
SECTIONS = {"A": "own", "B": "below", "C": "above"}


@pytest.fixture
def levels() -> Levels:
    return build_levels()


def _body(levels: Levels, key: str) -> Body:
    body: Body = getattr(levels, key)
    return body


def _page(app: Flask, body: Body, year: int) -> str:
    db.session.commit()
    client = in_english(client_for(app, body.secretariat))
    response = client.get(f"/statistics/bodies/{body.unit.id}?year={year}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _report(app: Flask, body: Body, year: int) -> Workbook:
    db.session.commit()
    client = client_for(app, body.secretariat)
    response = client.get(f"/statistics/bodies/{body.unit.id}/report.xlsx?year={year}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _figure(html: str, name: str) -> str | None:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    return match.group(1).strip() if match else None


def parts_on_page(html: str) -> dict[str, int]:
    """The total of each part the page shows."""
    shown = {scope: _figure(html, f"{scope}-total") for scope in SCOPES}
    return {scope: int(total) for scope, total in shown.items() if total is not None}


def parts_in_report(book: Workbook) -> dict[str, list[object]]:
    """The total row of each section of the awards by unit (Biểu 0605): total, collectives,
    individuals, households, individuals who are women."""
    found: dict[str, list[object]] = {}
    section = None
    for row in book["Biểu 0605"].iter_rows(min_row=6, values_only=True):
        label = str(row[1] or "")
        if label[:3] in ("A. ", "B. ", "C. "):
            section = SECTIONS[label[0]]
        elif label == "Tổng số" and section is not None:
            found[section] = list(row[2:])
    return found


def _totals(book: Workbook) -> dict[str, int]:
    return {scope: int(row[0]) for scope, row in parts_in_report(book).items()}  # type: ignore[call-overload]


def _cases() -> list[object]:
    return [pytest.param(key, year, id=f"{key}-{year}") for key in BODIES for year in YEARS]


@pytest.mark.parametrize(("key", "year"), _cases())
def test_the_bodys_own_awards_and_the_levels_below(
    app: Flask, levels: Levels, key: str, year: int
) -> None:
    body = _body(levels, key)
    own, below = OWN_AND_BELOW[(key, year)]
    html = _page(app, body, year)
    book = _report(app, body, year)

    on_page, in_report = parts_on_page(html), _totals(book)
    assert (on_page["own"], on_page["below"]) == (own, below)
    assert (in_report["own"], in_report["below"]) == (own, below)
    # The annulled decision's award is left out, and the page and the report say so.
    annulled = year == 2025 and key != "commune_b"
    assert (ANNULLED_PAGE in page_text(html)) == annulled
    note = book["Biểu 0605"]["A2"].value
    assert note.startswith(f"Đơn vị báo cáo: {body.unit.name} — Năm {year}; phạm vi: A. ")
    assert (ANNULLED_XLSX in note) == annulled
    assert CIRCULARS[year] in book["Biểu 0605"]["A3"].value


@pytest.mark.parametrize(("key", "year"), _cases())
def test_the_higher_levels_awards(app: Flask, levels: Levels, key: str, year: int) -> None:
    body = _body(levels, key)
    above = ABOVE[(key, year)]
    html = _page(app, body, year)
    book = _report(app, body, year)

    # The part is shown where there is an award in it, and only there.
    assert parts_on_page(html).get("above", 0) == above
    assert _totals(book).get("above", 0) == above
    assert ("above" in parts_on_page(html)) == bool(above)


def test_women_are_counted_as_people(app: Flask, levels: Levels) -> None:
    html = _page(app, levels.commune_a, 2025)
    book = _report(app, levels.commune_a, 2025)

    assert [_figure(html, f"own-{name}") for name in ("individual", "collective", "women")] == [
        "3",
        "0",
        "50 %",
    ]
    assert "women among the people awarded (1 of 2 people whose gender is recorded)" in (
        page_text(html)
    )
    # The report's column counts the awards to women among the individuals' awards.
    assert parts_in_report(book)["own"] == [3, 0, 3, 0, 2]


def test_no_womens_share_where_no_individual_was_awarded(app: Flask, levels: Levels) -> None:
    # Xã Vĩnh Bình in 2025: its Giấy khen and the province's Bằng khen went to collectives,
    # the levels below awarded nothing; the page said "women among individuals (no gender
    # recorded)" under each part.
    html = _page(app, levels.commune_b, 2025)
    book = _report(app, levels.commune_b, 2025)

    assert parts_on_page(html) == {"own": 1, "below": 0, "above": 1}
    assert [_figure(html, f"{scope}-women") for scope in SCOPES] == [None, None, None]
    assert [_figure(html, f"{scope}-collective") for scope in SCOPES] == ["1", "0", "1"]
    assert "women among" not in page_text(html)
    # The report's column reads 0 women among no individual, not "no gender recorded".
    assert parts_in_report(book) == {
        "own": [1, 1, 0, 0, 0],
        "below": [0, 0, 0, 0, 0],
        "above": [1, 1, 0, 0, 0],
    }


def test_an_annulled_decision_from_above_is_said_as_the_others(app: Flask, levels: Levels) -> None:
    # The province's second Bằng khen of 2025 to Ấp Vĩnh Bình, annulled: Xã Vĩnh Bình counted
    # the province's issued award under the higher levels but said nothing of this one.
    province = levels.province
    annulled = issue(province, [passed(province, "BK", nominee_unit=levels.hamlet_b)])
    decisions.annul_decision(annulled, actor=province.chair, reason="Hồ sơ không trung thực")

    html = _page(app, levels.commune_b, 2025)
    book = _report(app, levels.commune_b, 2025)

    assert parts_on_page(html) == {"own": 1, "below": 0, "above": 1}
    assert ANNULLED_PAGE in page_text(html)
    assert ANNULLED_XLSX in book["Biểu 0605"]["A2"].value
    # The province counts it as its own annulled award, beside the commune's.
    assert "2 awards of decisions of 2025 annulled since are not counted." in page_text(
        _page(app, province, 2025)
    )


@pytest.mark.parametrize(
    ("key", "who"),
    [
        ("province", "(các xã, phường; các huyện đã giải thể)"),
        ("commune_a", "(các cơ quan, đơn vị trực thuộc có thẩm quyền khen thưởng)"),
    ],
)
def test_the_report_says_who_the_level_below_is(
    app: Flask, levels: Levels, key: str, who: str
) -> None:
    # A commune's report said its level below were "the communes and wards".
    note = _report(app, _body(levels, key), 2025)["Biểu 0605"]["A2"].value

    assert f"B. khen thưởng do cấp dưới trên địa bàn quyết định {who}, mỗi" in note


def test_the_successor_does_not_claim_the_districts_decision(app: Flask, levels: Levels) -> None:
    commune = levels.commune_a
    html = _page(app, commune, 2024)
    book = _report(app, commune, 2024)
    province = _report(app, levels.province, 2024)

    assert page_text(html).count("Huyện Chợ Lách was dissolved into this body") == 1
    assert DISSOLVED_XLSX in book["Biểu 0605"]["A2"].value
    assert parts_on_page(html)["own"] == 0
    # The province counts it once, among the levels below, under its unit's commune of today.
    assert _totals(province) == {"own": 0, "below": 1}
    rows = [list(r[1:3]) for r in province["Biểu 0605"].iter_rows(min_row=6, values_only=True)]
    assert rows[rows.index(["B. Khen thưởng của cấp dưới trên địa bàn", None]) + 2] == [
        "Xã Sơn Định",
        1,
    ]


def test_the_provinces_page_reads_a_constant_number_of_queries(
    app: Flask, levels: Levels, count_queries
) -> None:  # type: ignore[no-untyped-def]
    db.session.commit()
    client = client_for(app, levels.province.secretariat)
    url = f"/statistics/bodies/{levels.province.unit.id}?year=2025"
    client.get(url)  # the client's first request loads its session
    with count_queries() as before:
        first = client.get(url).get_data(as_text=True)
    added: list[Unit] = [
        commune_with_decision(levels.province, f"Xã Đếm Truy Vấn {n}") for n in range(1, 6)
    ]
    db.session.commit()
    with count_queries() as after:
        again = client.get(url).get_data(as_text=True)

    assert (parts_on_page(first)["below"], parts_on_page(again)["below"]) == (4, 9)
    assert all(unit.name in again for unit in added)
    assert after() == before(), "\n\n".join(after.statements)


def _paid(*bodies: Unit) -> int:
    """What the bodies' issued decisions of 2025 paid, read from their lines."""
    lines = db.session.scalars(
        select(DecisionLine)
        .join(Decision)
        .where(
            Decision.awarding_body_id.in_([b.id for b in bodies]),
            Decision.state == DecisionState.ISSUED,
            Decision.year == 2025,
        )
    )
    return sum(line.amount or 0 for line in lines)


def test_the_money_of_a_commune_merged_into_the_body_is_the_bodys(
    app: Flask, levels: Levels
) -> None:
    # Xã Long Thới pays for its Giấy khen of 2025, then merges into Xã Vĩnh Bình: its award
    # counts among Vĩnh Bình's own, and so does what it paid.
    merged = commune_with_decision(levels.province, "Xã Long Thới")
    vinh_binh = levels.commune_b.unit
    merge_unit(merged, successor=vinh_binh, actor=an_admin(levels.province.unit), on=MERGED_ON)
    own, of_merged = _paid(vinh_binh), _paid(merged)
    assert own > 0 and of_merged > 0

    stats = year_statistics(vinh_binh, 2025)
    html = _page(app, levels.commune_b, 2025)

    assert stats.own.total == 2
    assert [(f.year, f.amount) for f in stats.trend][-2:] == [(2024, 0), (2025, own + of_merged)]
    assert _figure(html, "money") == f"{number(own + of_merged)} đ"
