"""The import of a list of candidates from XLSX into draft dossiers of one campaign: all rows
or none, each wrong row named with its row number and column; the same checks as the form."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from recognition.campaigns.enums import NomineeKind
from recognition.campaigns.models import AwardType, CampaignAward
from recognition.common.audit import AuditEvent, ObjectKind, verify_chain
from recognition.common.csvfiles import ImportFailed
from recognition.extensions import db
from recognition.nominations import importing
from recognition.nominations.batch import import_candidates
from recognition.nominations.enums import Gender, NominationState
from recognition.nominations.models import Nomination
from tests.decisions.helpers import client_for
from tests.support.factories import AwardTypeFactory, NominationFactory
from tests.workflow.helpers import Scene, build_scene

pytestmark = pytest.mark.integration

HEADER = importing.COLUMNS
GOOD = [
    [1, "Nguyễn Văn An", 1985, "Nam", "Trưởng ấp", "Ấp Phú Hữu", "Lao động tiên tiến", "Tốt."],
    [2, "Lê Thị Bé", "1990", "Nữ", "", "xa son dinh", "LĐTT", ""],
    [3, None, None, None, None, "Ấp Phú Hữu", "Tập thể tiêu biểu", "Ấp dẫn đầu."],
]


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(base_url="http://localhost/"), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return candidate_scene()


def candidate_scene() -> Scene:
    """The workflow scene, its campaign also offering Lao động tiên tiến to individuals."""
    scene = build_scene()
    person_award = AwardTypeFactory(
        awarding_body=scene.body,
        code="LĐTT",
        name="Lao động tiên tiến",
        nominee_kind=NomineeKind.INDIVIDUAL,
    )
    db.session.add(CampaignAward(campaign=scene.campaign, award_type=person_award))
    db.session.flush()
    db.session.refresh(scene.campaign)
    return scene


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header if header is not None else HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count() -> int:
    return db.session.scalar(select(func.count(Nomination.id))) or 0


def _errors(raw: bytes, scene: Scene) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as failure:
        import_candidates(scene.campaign, raw, actor=scene.nominator, file_name="a.xlsx")
    return [(e.line, e.column, e.message) for e in failure.value.errors]


def test_three_rows_make_three_audited_drafts(scene: Scene) -> None:
    made = import_candidates(scene.campaign, xlsx(GOOD), actor=scene.nominator, file_name="a.xlsx")
    assert [
        (
            n.nominee_name,
            n.award_type.code,
            n.state,
            n.person_birth_year,
            n.person_gender,
            n.person_position,
            (n.person_unit or n.nominee_unit).name,
            n.summary,
        )
        for n in made
    ] == [
        (
            "Nguyễn Văn An",
            "LĐTT",
            NominationState.DRAFT,
            1985,
            Gender.MALE,
            "Trưởng ấp",
            "Ấp Phú Hữu",
            "Tốt.",
        ),
        ("Lê Thị Bé", "LĐTT", NominationState.DRAFT, 1990, Gender.FEMALE, None, "Xã Sơn Định", ""),
        (
            "Ấp Phú Hữu",
            "TTTB",
            NominationState.DRAFT,
            None,
            None,
            None,
            "Ấp Phú Hữu",
            "Ấp dẫn đầu.",
        ),
    ]
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_kind == ObjectKind.NOMINATION, AuditEvent.action == "import"
        )
    ).all()
    assert sorted(e.object_id for e in events) == sorted(n.id for n in made)
    assert {(e.comment, e.to_state, e.action_label) for e in events} == {
        ("a.xlsx", "draft", "Created from a spreadsheet")
    }
    assert verify_chain()[1] == []  # the events extend the audit chain in order


def test_one_bad_row_leaves_no_dossier_and_every_bad_row_is_named(scene: Scene) -> None:
    rows = [
        *GOOD,
        [4, "Trần Văn C", "năm 80", "Nam", "", "Ấp Phú Hữu", "LĐTT", ""],
        [5, "Võ Thị D", 1999, "Khác", "", "Xã Vĩnh Bình", "Bằng khen", ""],
        [6, "Nguyễn Văn An", 1985, "", "", "Ấp Phú Hữu", "lao dong tien tien", ""],
        [7, "Phan Văn E", 1850, "", "", "Ấp Phú Hữu", "LĐTT", ""],
    ]
    before = _count()
    assert _errors(xlsx(rows), scene) == [
        (5, "Năm sinh", "The year of birth is written with four digits, e.g. 1985."),
        (6, "Giới tính", "Write “Nam” or “Nữ”, or leave the cell empty."),
        (6, "Danh hiệu/Hình thức", "This campaign does not offer “Bằng khen”."),
        (6, "Đơn vị", "No unit named “Xã Vĩnh Bình” within your scope."),
        (7, "Họ và tên", "Same candidate and title as row 2."),
        (8, "Năm sinh", "The birth year must be between 1900 and this year."),
    ]
    db.session.rollback()
    assert _count() == before


def test_a_candidate_with_a_dossier_already_is_refused(scene: Scene) -> None:
    NominationFactory(
        campaign=scene.campaign,
        award_type=scene.award,
        actor=scene.nominator,
        nominee_unit=scene.hamlet_a,
    )
    [(line, column, message)] = _errors(xlsx([GOOD[2]]), scene)
    assert (line, column) == (2, "")
    assert message.startswith("Ấp Phú Hữu already has a dossier for Tập thể tiêu biểu")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"not a workbook", "This is not an XLSX file."),
        (xlsx([], header=[]), "The file is empty."),
        (
            xlsx(GOOD, header=["STT", "Họ tên", "Đơn vị"]),
            "The columns must be, in this order: STT, Họ và tên, Năm sinh, Giới tính, Chức vụ, "
            "Đơn vị, Danh hiệu/Hình thức, Tóm tắt thành tích.",
        ),
        (xlsx([[None] * 8]), "The file has no candidate rows."),
    ],
    ids=["not-xlsx", "empty", "wrong-columns", "no-rows"],
)
def test_broken_files_are_refused(scene: Scene, raw: bytes, expected: str) -> None:
    [error] = _errors(raw, scene)
    assert (error[0] in (1, 2), error[2]) == (True, expected)


def test_too_many_rows_are_refused(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    assert _errors(xlsx(GOOD), scene) == [(1, "", "At most 2 rows at once.")]


def test_the_template_reads_back(scene: Scene) -> None:
    book = load_workbook(io.BytesIO(importing.template_xlsx(scene.campaign)))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    titles = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert sorted(titles) == [
        ["LĐTT", "Lao động tiên tiến", "Cá nhân"],
        ["TTTB", "Tập thể tiêu biểu", "Tập thể"],
    ]


def test_the_page_shows_the_errors_and_keeps_nothing(app: Flask, scene: Scene) -> None:
    client = client_for(app, scene.nominator)
    url = f"/nominations/import/{scene.campaign.id}"
    assert client.get(url).status_code == 200
    bad = [*GOOD, [4, "Trần Văn C", "năm 80", "", "", "Ấp Phú Hữu", "LĐTT", ""]]
    before = _count()
    response = client.post_form(
        url,
        {"file": (io.BytesIO(xlsx(bad)), "ds.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Năm sinh" in page and "1985" in page
    assert _count() == before
    response = client.post_form(
        url,
        {"file": (io.BytesIO(xlsx(GOOD)), "ds.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _count() == before + 3


def test_another_units_nominator_cannot_import_into_a_campaign_elsewhere(
    app: Flask, scene: Scene
) -> None:
    client = client_for(app, scene.other_secretariat)
    assert client.get(f"/nominations/import/{scene.campaign.id}").status_code == 403
    assert client.get(f"/nominations/import/{scene.campaign.id}/template.xlsx").status_code == 403


def test_award_types_are_found_by_code_or_name(scene: Scene) -> None:
    codes = {a.code for a in db.session.scalars(select(AwardType))}
    assert {"LĐTT", "TTTB"} <= codes
