"""The dossier list as XLSX: opened back with openpyxl, the same rows as the page shows the
same user with the same filters, and nothing the page would not show."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from openpyxl import load_workbook

from recognition.nominations.batch import import_candidates
from tests.decisions.helpers import client_for
from tests.nominations.test_importing import GOOD, candidate_scene, xlsx
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(base_url="http://localhost/"), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return candidate_scene()


def _sheet(client, url: str) -> list[list[object]]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _page_names(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    html = client.get(url).get_data(as_text=True)
    return re.findall(r'data-label="[^"]*"><a href="/nominations/\d+">([^<]+)</a>', html)


def test_the_export_holds_the_pages_rows_cell_by_cell(app: Flask, scene: Scene) -> None:
    import_candidates(scene.campaign, xlsx(GOOD), actor=scene.nominator, file_name="a.xlsx")
    client = client_for(app, scene.nominator)
    rows = _sheet(client, f"/nominations/export.xlsx?campaign={scene.campaign.id}")
    assert rows[0][0] == "DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG"
    assert str(rows[1][0]).startswith("Xuất lúc ")
    assert "Phong trào/Đợt thi đua" in rows[2]
    body = rows[3:]
    assert [r[1] for r in body] == _page_names(
        client, f"/nominations/?campaign={scene.campaign.id}"
    )
    assert [r[0] for r in body] == [1, 2, 3]
    assert {(r[2], r[3], r[4], r[5], r[6], r[7]) for r in body} == {
        (award, "Xã Sơn Định", scene.campaign.name, "Đang soạn thảo", None, None)
        for award in ("Lao động tiên tiến", "Tập thể tiêu biểu")
    }
    # A filter narrows the export as it narrows the page.
    rows = _sheet(client, "/nominations/export.xlsx?q=le+thi")
    assert [r[1] for r in rows[3:]] == ["Lê Thị Bé"]
    assert "Tìm kiếm: le thi" in str(rows[1][0])


def test_an_export_never_shows_what_the_page_hides(app: Flask, scene: Scene) -> None:
    import_candidates(scene.campaign, xlsx(GOOD), actor=scene.nominator, file_name="a.xlsx")
    for user in (scene.other_nominator, scene.secretariat, scene.council_member):
        client = client_for(app, user)
        rows = _sheet(client, "/nominations/export.xlsx")
        assert rows[3:] == []  # drafts: their nominators only
        assert _page_names(client, "/nominations/") == []


def test_text_that_looks_like_a_formula_stays_text(app: Flask, scene: Scene) -> None:
    row = [1, "+HYPERLINK(1)", 1985, "", "", "Ấp Phú Hữu", "LĐTT", ""]
    import_candidates(scene.campaign, xlsx([row]), actor=scene.nominator, file_name="a.xlsx")
    rows = _sheet(client_for(app, scene.nominator), "/nominations/export.xlsx")
    assert rows[3][1] == "'+HYPERLINK(1)"


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("secretariat", "/review/export.xlsx", 200),
        ("nominator", "/review/export.xlsx", 403),
        ("secretariat", "/decisions/export.xlsx", 200),
        ("nominator", "/decisions/export.xlsx", 403),
        ("nominator", "/history/export.xlsx?q=nguyen", 200),
    ],
)
def test_other_lists_export_to_whom_the_page_shows(
    app: Flask, scene: Scene, user: str, url: str, status: int
) -> None:
    response = client_for(app, getattr(scene, user)).get(url)
    assert response.status_code == status
    if status == 200:
        assert load_workbook(io.BytesIO(response.data)).active["A3"].value == "STT"
