"""The history pages: a successor's page shows a merged commune's award under its old name,
the search finds names without diacritics, the import page lists every bad row and imports a
good file, the template downloads; staff outside the unit's scope are refused."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select

from recognition.extensions import db
from recognition.history.models import AwardRecord
from recognition.history.services import EarlierAward, import_awards
from recognition.units.enums import UnitKind
from recognition.units.workflow import merge_unit
from tests.decisions.helpers import client_for, in_english, page_text, passed_person, person_award
from tests.history.conftest import HEADER, issue_to, passed_unit, xlsx
from tests.support.factories import UnitFactory
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


def _text(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return page_text(response.get_data(as_text=True))


def test_the_successor_shows_the_merged_communes_award(app: Flask, scene: Scene) -> None:
    decision = issue_to(scene, [passed_unit(scene, scene.commune_a)], today=date(2024, 12, 2))
    phu_phung = UnitFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, parent=scene.body)
    merge_unit(scene.commune_a, successor=phu_phung, actor=scene.admin, on=date(2025, 6, 30))
    db.session.commit()
    client = in_english(client_for(app, scene.secretariat))
    text = _text(client, f"/history/units/{phu_phung.id}")
    assert "Merged into this unit: Xã Sơn Định (until 30/06/2025) Collective awards" in text
    assert "Xã Sơn Định Collective Tập thể tiêu biểu" in text
    assert f"{decision.reference} · 02/12/2024" in text
    # The old commune's page says where its history went.
    old = _text(client, f"/history/units/{scene.commune_a.id}")
    assert "This unit was merged into Xã Phú Phụng." in old


def test_search_without_diacritics_and_the_person_page(app: Flask, scene: Scene) -> None:
    award = person_award(scene)
    issue_to(scene, [passed_person(scene, award, name="Nguyễn Văn Án")])
    db.session.commit()
    client = in_english(client_for(app, scene.nominator))
    text = _text(client, "/history/?q=nguyen+van+an")
    assert "1 award found." in text
    assert "Nguyễn Văn Án Individual · Trưởng ấp · Ấp Phú Hữu · born 1980" in text
    record = db.session.scalars(select(AwardRecord)).one()
    person = _text(client, f"/history/people/{record.id}")
    assert "The awards recorded under the same name, in the same unit or a unit merged" in person
    assert "Chiến sĩ thi đua cơ sở" in person
    assert "No award matches." in _text(client, "/history/?q=tran+thi")


def test_namesakes_are_found_alike_whichever_row_is_opened(app: Flask, scene: Scene) -> None:
    """Two people of one name in one hamlet, born 1980 and 1992, and an imported award of that
    name with no year of birth: each one's page leaves the other out and says so; the
    imported row's page lists all three, each row with its year, and says why."""
    award = person_award(scene)
    issue_to(
        scene,
        [
            passed_person(scene, award, name="Nguyễn Văn Án"),
            passed_person(scene, award, name="Nguyễn Văn Án", birth_year=1992),
        ],
    )
    [imported] = import_awards(
        [
            EarlierAward(
                line=2,
                person_name="Nguyễn Văn Án",
                position="Tổ viên",
                unit=scene.hamlet_a,
                award_name="Giấy khen cũ",
                reference="7/QĐ-UBND",
                decided_on=date(2019, 5, 2),
            )
        ],
        body_name="UBND huyện Chợ Lách",
        actor=scene.secretariat,
        file_name="cu.xlsx",
    )
    db.session.commit()
    born = {
        r.person_birth_year: r
        for r in db.session.scalars(
            select(AwardRecord).where(AwardRecord.person_birth_year.is_not(None))
        )
    }
    client = in_english(client_for(app, scene.secretariat))

    elder = _text(client, f"/history/people/{born[1980].id}")
    younger = _text(client, f"/history/people/{born[1992].id}")
    undated = _text(client, f"/history/people/{imported.id}")

    assert (
        "name 1 other person of the same name, born in 1992: their awards are not listed" in elder
    )
    assert (
        "name 1 other person of the same name, born in 1980: their awards are not listed" in younger
    )
    for page in (elder, younger):
        assert "7/QĐ-UBND" in page and page.count("Chiến sĩ thi đua cơ sở") == 1
    assert (
        "listed with every award of this name in the unit; the rows that give one say 1980, 1992"
        in undated
    )
    assert undated.count("Chiến sĩ thi đua cơ sở") == 2 and "7/QĐ-UBND" in undated
    assert "born 1980" in undated and "born 1992" in undated


@pytest.mark.parametrize("typed", ["-2026", "99999999999999999999", "năm ngoái"])
def test_a_year_that_is_no_year_is_said_so_not_dropped_silently(
    app: Flask, scene: Scene, typed: str
) -> None:
    client = in_english(client_for(app, scene.secretariat))

    text = _text(client, f"/history/?year={typed}")

    assert f"“{typed}” is not a year from 1945 to 2200: the search covers every year." in text


def test_staff_outside_the_scope_are_refused(app: Flask, scene: Scene) -> None:
    issue_to(scene, [passed_unit(scene, scene.commune_a)])
    db.session.commit()
    record = db.session.scalars(select(AwardRecord)).one()
    client = client_for(app, scene.other_nominator)
    assert client.get(f"/history/units/{scene.commune_a.id}").status_code == 403
    assert client.get(f"/history/people/{record.id}").status_code == 403
    assert client.get("/history/units/987654321").status_code == 404
    assert client.get("/history/import").status_code == 403


def test_the_import_page_lists_the_bad_rows_then_imports(app: Flask, scene: Scene) -> None:
    client = in_english(client_for(app, scene.secretariat))
    bad = xlsx([[1, "Lê Thị Bé", "", "Ấp Phú Hữu", "Giấy khen", "7/QĐ", "2023-13-01"]])
    response = client.post_form(
        "/history/import",
        {"awarding_body_name": "UBND huyện Chợ Lách", "file": (io.BytesIO(bad), "cu.xlsx")},
        content_type="multipart/form-data",
    )
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "The file has 1 error. Nothing was imported." in text
    assert "2 The date must be a date written dd/mm/yyyy." in text
    assert 'value="UBND huyện Chợ Lách"' in response.get_data(as_text=True)
    good = xlsx([[1, "Lê Thị Bé", "", "Ấp Phú Hữu", "Giấy khen", "7/QĐ", "01/12/2023"]])
    response = client.post_form(
        "/history/import",
        {"awarding_body_name": "UBND huyện Chợ Lách", "file": (io.BytesIO(good), "cu.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AwardRecord)) == 1


def test_the_template_downloads(app: Flask, scene: Scene) -> None:
    response = client_for(app, scene.secretariat).get("/history/import/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER


def _import(scene: Scene, count: int, start: int) -> None:
    rows = [
        EarlierAward(
            line=n,
            person_name=f"Nguyễn Văn Số {n}",
            position="Trưởng ấp",
            unit=scene.hamlet_a,
            award_name="Giấy khen",
            reference=f"{n}/QĐ-UBND",
            decided_on=date(2020, 1, 2),
        )
        for n in range(start, start + count)
    ]
    import_awards(rows, body_name="UBND huyện Chợ Lách", actor=scene.secretariat, file_name="x")
    db.session.commit()


def test_the_list_pages_query_count_does_not_grow_with_the_rows(
    app: Flask, scene: Scene, count_queries: Any
) -> None:
    client = client_for(app, scene.secretariat)
    counts = []
    for start in (1, 4):
        _import(scene, 3, start)
        with count_queries() as count:
            for url in ("/history/?q=nguyen", f"/history/units/{scene.commune_a.id}"):
                assert client.get(url).status_code == 200
        counts.append(count())
    assert counts[0] == counts[1]


def test_the_search_exports_what_the_page_finds(app: Flask, scene: Scene) -> None:
    rows = [
        EarlierAward(
            2, "Nguyễn Văn Án", "Trưởng ấp", scene.hamlet_a, "Giấy khen", "1/QĐ", date(2023, 1, 5)
        ),
        EarlierAward(
            3, "Nguyễn Thị Bé", "", scene.commune_b, "Giấy khen", "2/QĐ", date(2022, 2, 6)
        ),
        EarlierAward(4, "Lê Văn Cư", "", scene.hamlet_a, "=1+1", "3/QĐ", date(2021, 3, 7)),
    ]
    import_awards(rows, body_name="UBND huyện", actor=scene.secretariat, file_name="a.xlsx")
    for user, expected in (
        (scene.secretariat, ["Nguyễn Văn Án", "Nguyễn Thị Bé"]),
        (scene.nominator, ["Nguyễn Văn Án"]),  # Xã Vĩnh Bình is not the nominator's to read
    ):
        client = client_for(app, user)
        page = client.get("/history/?q=nguyen").get_data(as_text=True)
        response = client.get("/history/export.xlsx?q=nguyen")
        sheet = load_workbook(io.BytesIO(response.data)).active
        found = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
        assert [r[1] for r in found] == expected
        assert all(name in page for name in expected)
        assert sheet["A2"].value.endswith("Tên: nguyen")
    sheet = load_workbook(
        io.BytesIO(client_for(app, scene.secretariat).get("/history/export.xlsx?q=le").data)
    ).active
    assert [c.value for c in sheet[4]][1:9] == [
        "Lê Văn Cư",
        "Cá nhân",
        None,
        "Ấp Phú Hữu",
        None,
        "'=1+1",
        "3/QĐ",
        sheet["I4"].value,
    ]
