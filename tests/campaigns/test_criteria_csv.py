"""Criteria as CSV: export, and an import that applies every row or none, naming each bad line."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.campaigns.criteria_csv import export_criteria_csv, import_criteria_csv
from recognition.campaigns.enums import MeasureKind
from recognition.campaigns.models import AwardType, Criterion
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.importing import ImportFailed
from tests.support.factories import AwardTypeFactory, CriterionFactory, UnitFactory

pytestmark = pytest.mark.integration

HEADER = "code,group,text,required,measure,target,unit,evidence_required"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def award() -> AwardType:
    body = UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, is_awarding_body=True)
    return AwardTypeFactory(awarding_body=body, code="XA-NTM-KM")


def stored(award: AwardType) -> list[tuple[object, ...]]:
    """The award type's criteria as the database has them."""
    db.session.expire_all()
    criteria = db.session.scalars(
        select(Criterion).where(Criterion.award_type_id == award.id).order_by(Criterion.position)
    )
    return [
        (
            c.code,
            c.group,
            c.text,
            c.required,
            c.measure,
            c.target,
            c.unit_label,
            c.evidence_required,
            c.position,
        )
        for c in criteria
    ]


def failure(award: AwardType, text: str) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as failed:
        import_criteria_csv(award, text.encode("utf-8"))
    return [(error.line, error.message) for error in failed.value.errors]


def csv_file(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


# --- export --------------------------------------------------------------------------------


def test_export_writes_every_criterion_in_the_import_format(award: AwardType) -> None:
    CriterionFactory(award_type=award, code="KM1", text="Đã đạt chuẩn nông thôn mới nâng cao")
    CriterionFactory(
        award_type=award,
        code="KM2",
        text="Thu nhập, bình quân",
        group="Thu nhập",
        measure=MeasureKind.NUMBER,
        target=Decimal("10.5"),
        unit_label="%",
        evidence_required=True,
    )
    CriterionFactory(
        award_type=award,
        code="KM3",
        text='=HYPERLINK("http://x")',
        measure=MeasureKind.TEXT,
        required=False,
    )

    db.session.expire_all()  # numbers as the database returns them
    exported = export_criteria_csv(db.session.get(AwardType, award.id))

    assert exported == (
        "\ufeff" + HEADER + "\r\n"
        "KM1,,Đã đạt chuẩn nông thôn mới nâng cao,1,yes_no,,,0\r\n"
        'KM2,Thu nhập,"Thu nhập, bình quân",1,number,10.5,%,1\r\n'
        'KM3,,"\'=HYPERLINK(""http://x"")",0,text,,,0\r\n'
    )


def test_export_then_import_gives_the_same_criteria(award: AwardType) -> None:
    CriterionFactory(award_type=award, code="KM1", text="Dòng một\ncòn dòng hai")
    CriterionFactory(
        award_type=award,
        code="KM2",
        text="Tỷ lệ hộ hài lòng",
        group="Sự hài lòng",
        measure=MeasureKind.NUMBER,
        target=Decimal(95),
        unit_label="%",
        required=False,
        evidence_required=True,
    )
    copy = AwardTypeFactory(awarding_body=award.awarding_body, code="COPY")

    count = import_criteria_csv(copy, export_criteria_csv(award).encode("utf-8"))

    assert count == 2
    assert stored(copy) == stored(award)


# --- import --------------------------------------------------------------------------------


def test_import_creates_and_updates_by_code(award: AwardType) -> None:
    CriterionFactory(award_type=award, code="KM1", text="Cũ")

    count = import_criteria_csv(
        award,
        csv_file(
            'KM2,Thu nhập,Thu nhập cao hơn,1,number,"10,5",%,1',
            "KM1,,Mới,0,,,,",
        ).encode("utf-8"),
    )

    assert count == 2
    assert stored(award) == [
        ("KM1", "", "Mới", False, "yes_no", None, "", False, 1),
        ("KM2", "Thu nhập", "Thu nhập cao hơn", True, "number", Decimal("10.50"), "%", True, 2),
    ]


def test_import_reads_vietnamese_words_semicolons_and_a_bom(award: AwardType) -> None:
    text = (
        "\ufeffCode;Group;Text;Required;Measure;Target;Unit;Evidence_required\n"
        "A1;;Có camera;Có;Đạt/Không đạt;;;Không\n"
        "A2;;Số hộ;x;Số;12;hộ;bắt buộc\n"
        "A3;;Mô hình;không;Văn bản;;;\n"
    )

    count = import_criteria_csv(award, text.encode("utf-8"))

    assert count == 3
    assert [(c[0], c[3], c[4], c[5], c[7]) for c in stored(award)] == [
        ("A1", True, "yes_no", None, False),
        ("A2", True, "number", Decimal("12.00"), True),
        ("A3", False, "text", None, False),
    ]


def test_import_lists_every_bad_line_and_applies_nothing(award: AwardType) -> None:
    CriterionFactory(award_type=award, code="KM1", text="Giữ nguyên")

    errors = failure(
        award,
        csv_file(
            "KM1,,Sửa,1,,,,",
            ",,Không mã,1,,,,",
            "KM3,,,1,,,,",
            "KM4,,Đo,1,kilogram,,,",
            "KM5,,Số,1,number,mười,,",
            "KM6,,Cờ,maybe,,,,",
            "KM1,,Lặp,1,,,,",
        ),
    )

    assert errors == [
        (3, "The criterion code is empty."),
        (4, "The criterion text is empty."),
        (5, "Unknown measure “kilogram” (yes_no, number or text)."),
        (6, "The target “mười” is not a number."),
        (7, "required must be 1 or 0, not “maybe”."),
        (8, "The code KM1 is repeated (first on line 2)."),
    ]
    assert stored(award) == [("KM1", "", "Giữ nguyên", True, "yes_no", None, "", False, 1)]


def test_line_numbers_count_blank_lines_and_multi_line_cells(award: AwardType) -> None:
    errors = failure(
        award,
        csv_file(
            'KM1,,"Một dòng\nhai dòng\nba dòng",1,,,,',
            "",
            "KM2,,Đo,1,kilogram,,,",
        ),
    )

    assert errors == [(6, "Unknown measure “kilogram” (yes_no, number or text).")]


def test_a_row_refused_by_the_catalogue_rules_names_its_line_and_applies_nothing(
    award: AwardType,
) -> None:
    errors = failure(
        award,
        csv_file(
            "KM1,,Hợp lệ,1,number,5,,",
            "KM2,,Có chỉ tiêu mà không phải số,1,yes_no,5,,",
        ),
    )

    assert errors == [(3, "Only a numeric criterion has a target.")]
    assert stored(award) == []
    assert award.criteria == []


def test_a_target_no_column_holds_is_refused_by_line(award: AwardType) -> None:
    errors = failure(
        award,
        csv_file(
            "KM1,,Hợp lệ,1,number,999999999999.99,,",
            "KM2,,Quá lớn,1,number,1e13,,",
            "KM3,,Không là số,1,number,sNaN,,",
        ),
    )

    assert errors == [
        (3, "The target “1e13” is not a number."),
        (4, "The target “sNaN” is not a number."),
    ]
    assert stored(award) == []


def test_a_target_too_large_for_its_column_is_refused_by_line(award: AwardType) -> None:
    errors = failure(award, csv_file("KM1,,Quá lớn,1,number,10.000.000.000.000,,"))

    assert errors == [
        (2, "The target must be a number of at most 12 digits before the decimal point.")
    ]
    assert stored(award) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "group,required\nx,1\n",
            [
                (
                    1,
                    "Missing columns: code, text. Expected: code, group, "
                    "text, required, measure, target, unit, "
                    "evidence_required.",
                )
            ],
        ),
        (HEADER + "\n", [(2, "The file has no rows to import.")]),
        (HEADER + "\n,,,,,,,\n\n", [(2, "The file has no rows to import.")]),
        ("", [(0, "The file is empty.")]),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
            [
                (
                    1,
                    "Missing columns: code, text. Columns not recognised: <svg "
                    'xmlns="http://www.w3.org/…. The first line must name the columns: code, '
                    "group, text, required, measure, target, unit, evidence_required.",
                )
            ],
        ),
    ],
)
def test_files_without_usable_rows(
    award: AwardType, text: str, expected: list[tuple[int, str]]
) -> None:
    assert failure(award, text) == expected
    assert stored(award) == []


def test_columns_are_matched_whatever_their_case_and_spaces(award: AwardType) -> None:
    count = import_criteria_csv(award, b" CODE , Text \nK1,Hoan thanh\n")

    assert (count, [c[:3] for c in stored(award)]) == (1, [("K1", "", "Hoan thanh")])


# The longest text each column holds: the model's String(n), and the form's limit for the text.
LIMITS = {"code": 20, "group": 200, "text": 2000, "unit": 40}


def shown(value: str) -> str:
    """A refused cell as its error message quotes it."""
    return value if len(value) <= 30 else value[:30] + "…"


@pytest.mark.parametrize("column", LIMITS)
def test_a_cell_longer_than_its_column_holds_names_its_line(award: AwardType, column: str) -> None:
    # PostgreSQL refused the row (a 500); SQLite stored it whole.
    cells = {"code": "KM1", "group": "Thu nhập", "text": "Có", "measure": "number", "unit": "%"}
    cells[column] = "Đ" * (LIMITS[column] + 1)
    text = ",".join(cells) + "\n" + ",".join(cells.values()) + "\n"

    assert failure(award, text) == [
        (
            2,
            f"The {column} “{shown(cells[column])}” is longer than {LIMITS[column]} characters.",
        )
    ]
    assert stored(award) == []


def test_a_cell_at_its_columns_length_is_imported(award: AwardType) -> None:
    cells = {column: "Đ" * limit for column, limit in LIMITS.items()}

    import_criteria_csv(award, (",".join(cells) + "\n" + ",".join(cells.values())).encode())

    assert [(c.code, c.group, c.text, c.unit_label) for c in award.criteria] == [
        tuple(cells.values())
    ]
