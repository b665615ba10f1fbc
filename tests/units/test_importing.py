"""CSV import and export of the unit tree: every row or none, errors by line number."""

import csv
import io
import unicodedata
from collections.abc import Iterator
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import delete, func, select, update

from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.importing import ImportFailed, export_units_csv, import_units_csv
from recognition.units.models import Unit
from tests.support.factories import UnitFactory, dissolve

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


HEADER = "code,name,kind,parent_code,valid_from,valid_to,awarding_body,successor_code"
MISSING = "The file is not UTF-8 text. Save it as “CSV UTF-8”."

# Children come before their parents; Vietnamese kind words; dd/mm/yyyy and ISO dates.
GOOD_ROWS = [
    HEADER,
    "SL1,Ấp Sơn Lân,Ấp,28816,,,,",
    "28816,Xã Sơn Định,Xã,832,01/01/2020,30/06/2025,1,VL01",
    "832,Huyện Chợ Lách,Huyện,83,,,1,",
    "83,Tỉnh Bến Tre,Tỉnh,,,,có,",
    "VL01,Xã Chợ Lách,xã,83,01/07/2025,,x,",
    'TT,"Thị trấn Chợ Lách, cũ",Thị trấn,832,2020-01-01,,0,',
    "T1,Tổ công nghệ số cộng đồng ấp Sơn Lân,Tổ,SL1,,,no,",
]


def count_units() -> int:
    return db.session.scalar(select(func.count(Unit.id))) or 0


def encode(lines: list[str], *, delimiter: str = ",", bom: bool = True, eol: str = "\n") -> bytes:
    """The lines as a file, re-written with `delimiter` (quoting as a spreadsheet does)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=eol)
    for cells in csv.reader(io.StringIO("\n".join(lines), newline="")):
        writer.writerow(cells)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def raw_lines(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def tree_by_code() -> dict[str, tuple]:
    """Every unit as (name, kind, parent code, depth, valid_from, valid_to, awarding, successor)."""
    db.session.expire_all()
    units = db.session.scalars(select(Unit)).all()
    by_id = {unit.id: unit for unit in units}
    result = {}
    for unit in units:
        # The path must agree with the parent chain.
        expected_path = (by_id[unit.parent_id].path if unit.parent_id else "/") + f"{unit.id}/"
        assert unit.path == expected_path
        result[unit.code] = (
            unit.name,
            unit.kind,
            by_id[unit.parent_id].code if unit.parent_id else None,
            unit.depth,
            unit.valid_from,
            unit.valid_to,
            unit.is_awarding_body,
            unit.successor.code if unit.successor else None,
        )
    return result


EXPECTED_TREE = {
    "83": ("Tỉnh Bến Tre", "province", None, 0, None, None, True, None),
    "832": ("Huyện Chợ Lách", "district", "83", 1, None, None, True, None),
    "28816": (
        "Xã Sơn Định",
        "commune",
        "832",
        2,
        date(2020, 1, 1),
        date(2025, 6, 30),
        True,
        "VL01",
    ),
    "SL1": ("Ấp Sơn Lân", "hamlet", "28816", 3, None, None, False, None),
    "T1": ("Tổ công nghệ số cộng đồng ấp Sơn Lân", "team", "SL1", 4, None, None, False, None),
    "VL01": ("Xã Chợ Lách", "commune", "83", 1, date(2025, 7, 1), None, True, None),
    "TT": ("Thị trấn Chợ Lách, cũ", "township", "832", 2, date(2020, 1, 1), None, False, None),
}


def errors_of(raw: bytes) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as failed:
        import_units_csv(raw)
    return [(error.line, error.message) for error in failed.value.errors]


# --- good files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "bom", "eol"),
    [(",", True, "\n"), (";", True, "\r\n"), (";", False, "\n"), (",", False, "\r\n")],
    ids=["comma-bom", "semicolon-bom-crlf", "semicolon", "comma-crlf"],
)
def test_good_file_imports_every_row_with_the_right_tree(
    delimiter: str, bom: bool, eol: str
) -> None:
    created = import_units_csv(encode(GOOD_ROWS, delimiter=delimiter, bom=bom, eol=eol))

    assert sorted(unit.code for unit in created) == sorted(EXPECTED_TREE)
    assert tree_by_code() == EXPECTED_TREE


def test_good_file_may_hang_rows_under_existing_units() -> None:
    district = UnitFactory(name="Huyện Chợ Lách", code="832", kind=UnitKind.DISTRICT)

    import_units_csv(encode([HEADER, "28816,Xã Sơn Định,Xã,832,,,1,"]))

    commune = db.session.scalar(select(Unit).where(Unit.code == "28816"))
    assert (commune.parent_id, commune.depth, commune.path) == (
        district.id,
        1,
        f"{district.path}{commune.id}/",
    )


def test_header_names_are_trimmed_and_case_insensitive_and_blank_lines_skipped() -> None:
    raw = raw_lines([" Code ,NAME,Kind", "", "83,Tỉnh Bến Tre,province", ",,", ""])

    created = import_units_csv(raw)

    assert [(unit.code, unit.name, unit.kind) for unit in created] == [
        ("83", "Tỉnh Bến Tre", "province")
    ]


def test_cells_are_cleaned_to_nfc() -> None:
    raw = encode([HEADER, unicodedata.normalize("NFD", "83,  Tỉnh\u200b  Bến Tre ,Tỉnh,,,,,")])

    import_units_csv(raw)

    assert db.session.scalar(select(Unit.name).where(Unit.code == "83")) == "Tỉnh Bến Tre"


TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"


def cp1258(text: str) -> bytes:
    """Encode like a Windows-1258 editor: letters precomposed where the code page has them
    (ă, â, ê, ô, ơ, ư, đ, some toned vowels), other tones as combining marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out += (letter + "".join(c for c in decomposed if c in TONE_MARKS)).encode("cp1258")
    return bytes(out)


def test_windows_1258_file_is_decoded_to_nfc() -> None:
    raw = cp1258(
        f"{HEADER}\r\n28816,Xã Sơn Định,Xã,,,,1,\r\nA1,Ấp Thiềng Đức Hiệp,Ấp,28816,,,,\r\n"
    )
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")

    import_units_csv(raw)

    names = db.session.scalars(select(Unit.name).where(Unit.code.in_(["28816", "A1"])))
    assert sorted(names) == ["Xã Sơn Định", "Ấp Thiềng Đức Hiệp"]
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_file_in_no_known_encoding_is_refused_clearly() -> None:
    # 0x81 is neither UTF-8 nor defined in Windows-1258.
    raw = f"{HEADER}\n".encode() + b"28816,X\x81 S\x8dn,Xa,,,,1,\n"
    before = count_units()

    assert errors_of(raw) == [(0, MISSING)]
    assert count_units() == before


# --- bad files -----------------------------------------------------------------------------


def test_bad_rows_are_each_reported_with_their_line_and_nothing_is_imported() -> None:
    UnitFactory(code="EXIST", name="Xã Đã Có")
    before = count_units()
    lines = [
        HEADER,  # 1
        "G1,Xã Tốt,Xã,,,,0,",  # 2 good
        "B1,,Xã,,,,0,",  # 3 empty name
        "B2,Ấp Lạ,Làng,,,,0,",  # 4 unknown kind
        "B3,Ấp Ngày,Ấp,G1,31/02/2024,,0,",  # 5 bad date
        "G1,Xã Lặp,Xã,,,,0,",  # 6 code repeated in the file
        "EXIST,Xã Có Rồi,Xã,,,,0,",  # 7 code already in the tree
        "B5,Ấp Mồ Côi,Ấp,NOPE,,,0,",  # 8 unknown parent
        "L1,Ấp Vòng 1,Ấp,L2,,,0,",  # 9 parent loop
        "L2,Ấp Vòng 2,Ấp,L1,,,0,",  # 10 (same loop, reported once)
        "B6,Xã Có Lẽ,Xã,,,,maybe,",  # 11 awarding_body "maybe"
        "",  # 12 blank line
        "B7,Ấp Sau,Ấp,G1,2024-13-01,,0,",  # 13 bad date after the blank line
        "B8,Ấp Con,Ấp,B3,,,0,",  # 14 good, under the bad row B3: no second error
        "G2,Xã Tốt Nữa,Xã,,01/01/2025,31/12/2024,0,",  # 15 valid_to before valid_from
    ]

    assert errors_of(raw_lines(lines)) == [
        (3, "The name is empty."),
        (4, "Unknown kind “Làng”."),
        (5, "“31/02/2024” in valid_from is not a date (use dd/mm/yyyy or yyyy-mm-dd)."),
        (6, "The code G1 is repeated (first on line 2)."),
        (7, "The code EXIST is already used by Xã Đã Có: the import adds new units only."),
        (8, "parent_code NOPE is neither in the file nor in the tree."),
        (9, "The parent codes form a loop."),
        (11, "awarding_body must be 1 or 0, not “maybe”."),
        (13, "“2024-13-01” in valid_from is not a date (use dd/mm/yyyy or yyyy-mm-dd)."),
        (15, "valid_to is before valid_from."),
    ]
    assert count_units() == before
    assert db.session.scalar(select(Unit).where(Unit.code == "G1")) is None


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_line_numbers_count_physical_lines_of_multiline_cells(eol: str) -> None:
    lines = [HEADER, '83,"Tỉnh', 'Bến Tre",Tỉnh,,,,,', "", "B1,,Xã,83,,,,"]
    raw = (eol.join(lines) + eol).encode("utf-8")

    assert errors_of(raw) == [(5, "The name is empty.")]


def test_a_row_that_is_its_own_parent() -> None:
    assert errors_of(encode([HEADER, "A1,Ấp Một,Ấp,A1,,,,"])) == [
        (2, "parent_code refers to the row itself."),
        (2, "The parent codes form a loop."),
    ]


def test_unknown_successor_and_extra_cells() -> None:
    lines = [HEADER, "A1,Ấp Một,Ấp,,,,,ZZ", "A2,Ấp Hai,Ấp,,,,,,extra"]

    assert errors_of(encode(lines)) == [
        (2, "successor_code ZZ is neither in the file nor in the tree."),
        (3, "The row has more cells than the header."),
    ]


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("header", "missing", "unknown"),
    [
        ("ma,ten,kind,parent_code", "code, name", "ma, ten"),
        ("ma,ten,loai", "code, name, kind", "ma, ten, loai"),
    ],
)
def test_missing_and_unknown_header_columns_are_reported(
    header: str, missing: str, unknown: str
) -> None:
    raw = encode([header, "83,Tỉnh Bến Tre,Tỉnh"])

    assert errors_of(raw) == [
        (
            1,
            f"Missing columns: {missing}. Columns not recognised: {unknown}. The first line must "
            "name the columns: code, name, kind, parent_code, valid_from, valid_to, "
            "awarding_body, successor_code.",
        )
    ]


@pytest.mark.no_database
def test_missing_header_columns_are_reported() -> None:
    raw = encode(["name,kind,parent_code", "Tỉnh Bến Tre,Tỉnh,"])

    assert errors_of(raw) == [
        (
            1,
            "Missing columns: code. Expected: code, name, kind, parent_code, valid_from, "
            "valid_to, awarding_body, successor_code.",
        )
    ]


UTF16 = (
    "The file is UTF-16 text (Excel's “Unicode Text”), not CSV. In Excel, save it again as "
    "“CSV UTF-8 (Comma delimited)”."
)


@pytest.mark.no_database
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_refused_with_how_to_save_it(encoding: str) -> None:
    # Excel's "Unicode Text": UTF-16 with a byte order mark ("utf-16"), or without one.
    raw = "\n".join([HEADER.replace(",", "\t"), "83\tTỉnh Bến Tre\tTỉnh"]).encode(encoding)

    assert errors_of(raw) == [(0, UTF16)]


def test_header_only_file_has_nothing_to_import() -> None:
    # An error of the whole file: no line to point at.
    assert errors_of(encode([HEADER])) == [(0, "The file has no rows to import.")]


def test_an_empty_administrative_code_is_refused() -> None:
    lines = [HEADER, ",Xã Phú Phụng,Xã,,,,1,", ",Phường Một,Phường,,,,1,", ",Ấp Phú Hòa,Ấp,,,,,"]

    # A commune or ward has a code in the national list; the hamlet would have been given one.
    assert errors_of(encode(lines)) == [
        (2, "The administrative code is empty."),
        (3, "The administrative code is empty."),
    ]
    assert count_units() == 0


def test_rows_without_a_code_are_given_one_from_their_parent_and_kind() -> None:
    commune = UnitFactory(name="Xã Phú Phụng", code="28879", kind=UnitKind.COMMUNE)
    # Taken codes are skipped: a hamlet's, and one a unit no longer in use kept.
    UnitFactory(name="Ấp Cũ", code="28879-AP01", kind=UnitKind.HAMLET, parent=commune)
    retired = UnitFactory(
        name="Ấp Giải Thể", code="28879-AP03", kind=UnitKind.HAMLET, parent=commune
    )
    dissolve(retired, on=date(2026, 1, 1))
    lines = [
        HEADER,
        ",Ấp Phú Hòa,Ấp,28879,,,,",
        "28879-AP02,Ấp Phú Lợi,Ấp,28879,,,,",  # a code of the file's own is kept
        ",Ấp Phú Thạnh,Ấp,28879,,,,",
        ",Tổ công nghệ số cộng đồng,Tổ,28879-AP02,,,,",
        ",Hội Nông dân,Hội,,,,,",
    ]

    imported = import_units_csv(encode(lines))

    assert [
        (unit.name, unit.code, unit.parent.code if unit.parent else None) for unit in imported
    ] == [
        ("Ấp Phú Hòa", "28879-AP04", "28879"),
        ("Ấp Phú Lợi", "28879-AP02", "28879"),
        ("Ấp Phú Thạnh", "28879-AP05", "28879"),
        ("Tổ công nghệ số cộng đồng", "28879-AP02-TO01", "28879-AP02"),
        ("Hội Nông dân", "HOI01", None),
    ]
    assert [unit.name for unit in imported.made_up] == [
        "Ấp Phú Hòa",
        "Ấp Phú Thạnh",
        "Tổ công nghệ số cộng đồng",
        "Hội Nông dân",
    ]


def test_a_code_too_long_to_be_made_from_the_parents_is_asked_for() -> None:
    parent = "P" * 16
    UnitFactory(name="Xã Dài", code=parent, kind=UnitKind.COMMUNE)

    # "PPPPPPPPPPPPPPPP-AP01" is 21 characters: the row must give its own.
    assert errors_of(encode([HEADER, f",Ấp Một,Ấp,{parent},,,,"])) == [
        (
            2,
            f"The code is empty, and the one made from the parent's code ({parent}-AP01) would "
            "be longer than 20 characters: give the row a code of its own.",
        )
    ]


def test_the_rules_of_the_tree_refuse_a_row_by_its_line() -> None:
    lines = [
        HEADER,
        "28870,Xã Chợ Lách,Xã,,,,1,",
        "DTN,Đoàn Thanh niên xã Chợ Lách,Hội,28870,,,,",
        "86,Tỉnh Vĩnh Long,Tỉnh,DTN,,,1,",  # a province under an association
        "AP1,Ấp Hòa Thạnh,Ấp,28870,,,,",
        "AP2,ấp hoa thanh,Ấp,28870,,,,",  # the same name under the same commune
        "T1,Tổ công nghệ số,Tổ,86,,,,",  # under the refused row: nothing more to say
    ]
    before = count_units()

    assert errors_of(encode(lines)) == [
        (
            4,
            "A unit of kind “Province” cannot belong to Đoàn Thanh niên xã Chợ Lách "
            "(Association): an administrative unit belongs only to an administrative unit of a "
            "higher level.",
        ),
        (6, "Xã Chợ Lách already has a unit in use named Ấp Hòa Thạnh."),
    ]
    assert count_units() == before


# --- export --------------------------------------------------------------------------------


def parse_export(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_export_then_import_into_an_empty_tree_round_trips() -> None:
    import_units_csv(encode(GOOD_ROWS))
    original = tree_by_code()
    exported = export_units_csv()

    db.session.execute(update(Unit).values(parent_id=None, successor_id=None))
    db.session.execute(delete(Unit))
    assert count_units() == 0

    import_units_csv(exported.encode("utf-8"))

    assert tree_by_code() == original == EXPECTED_TREE


def test_export_lists_parents_before_children_in_the_import_format() -> None:
    import_units_csv(encode(GOOD_ROWS))

    rows = parse_export(export_units_csv())

    assert rows[0] == HEADER.split(",")
    assert rows[1:4] == [
        ["83", "Tỉnh Bến Tre", "province", "", "", "", "1", ""],
        ["832", "Huyện Chợ Lách", "district", "83", "", "", "1", ""],
        ["VL01", "Xã Chợ Lách", "commune", "83", "2025-07-01", "", "1", ""],
    ]
    assert [row[0] for row in rows[4:]] == ["TT", "28816", "SL1", "T1"]


def test_export_neutralises_spreadsheet_formulas() -> None:
    UnitFactory(code="=1+1", name="=cmd|' /C calc'!A0")
    UnitFactory(code="X2", name="@SUM(A1:A9)")
    UnitFactory(code="X3", name="-2+3")
    UnitFactory(code="X4", name="+84 Hội")
    UnitFactory(code="X5", name="Xã An-Hiệp = tốt")

    rows = {row[0]: row[1] for row in parse_export(export_units_csv())[1:]}

    assert rows == {
        "'=1+1": "'=cmd|' /C calc'!A0",
        "X2": "'@SUM(A1:A9)",
        "X3": "'-2+3",
        "X4": "'+84 Hội",
        "X5": "Xã An-Hiệp = tốt",
    }


def test_export_neutralises_formulas_in_the_parent_and_successor_columns() -> None:
    parent = UnitFactory(code="=2+3", name="Ấp Công Thức")
    UnitFactory(code="X6", name="Tổ con", parent=parent)
    merged = UnitFactory(code="X7", name="Ấp Cũ", successor=parent)

    rows = {row[0]: (row[3], row[7]) for row in parse_export(export_units_csv())[1:]}

    assert (rows["X6"][0], rows[merged.code][1]) == ("'=2+3", "'=2+3")


# The longest text each column holds: the String(n) of Unit.code and Unit.name.
LIMITS = {"code": 20, "name": 200, "parent_code": 20, "successor_code": 20}


def shown(value: str) -> str:
    """A refused cell as its error message quotes it."""
    return value if len(value) <= 30 else value[:30] + "…"


@pytest.mark.parametrize("column", LIMITS)
def test_a_cell_longer_than_its_column_holds_names_its_line(column: str) -> None:
    cells = {"code": "A1", "name": "Ấp Một", "kind": "Ấp", "parent_code": "", "successor_code": ""}
    cells[column] = "Đ" * (LIMITS[column] + 1)
    lines = [",".join(cells), ",".join(cells.values())]

    assert errors_of(encode(lines)) == [
        (
            2,
            f"The {column} “{shown(cells[column])}” is longer than {LIMITS[column]} characters.",
        )
    ]
    assert count_units() == 0


def test_cells_at_their_columns_length_are_imported() -> None:
    lines = [HEADER, f"{'Đ' * 20},{'Ơ' * 200},Xã,,,,,", f"{'Ư' * 20},Ấp Hai,Ấp,{'Đ' * 20},,,,"]

    units = import_units_csv(encode(lines))

    assert [(u.code, u.name, u.parent.code if u.parent else None) for u in units] == [
        ("Đ" * 20, "Ơ" * 200, None),
        ("Ư" * 20, "Ấp Hai", "Đ" * 20),
    ]
