"""Form pieces shared by every area: ids sent as text, decimals that are numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired

from recognition.common.forms import (
    MAX_ID,
    Form,
    Length,
    LocalDateField,
    LocalDecimalField,
    YearRange,
    parse_id,
    parse_ids,
)
from recognition.common.numbers import parse_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("sent", "found"),
    [
        ("42", 42),
        (" 7 ", 7),
        (42, 42),
        (str(MAX_ID), MAX_ID),
        # Not an id: "²" and "١" pass str.isdigit (int() refuses the first and reads the
        # second); the others are out of an INTEGER column's range or not digits at all.
        ("²", None),
        ("١٢", None),
        (str(MAX_ID + 1), None),
        ("1" + "0" * 30, None),
        ("9" * 5000, None),
        ("-1", None),
        ("1_000", None),
        ("0x10", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id(sent: object, found: int | None) -> None:
    assert parse_id(sent) == found


def test_parse_ids_keeps_the_ids_and_leaves_out_the_rest() -> None:
    assert parse_ids(["3", "²", "3", "12", "x", "99999999999"]) == {3, 12}


NOT_A_NUMBER = ["Nhập một số, ví dụ 1.250,5."]


@pytest.mark.parametrize(
    ("typed", "vietnamese", "english"),
    [
        # As each language writes it, and as the page shows it back.
        ("1.210", Decimal(1210), Decimal("1.210")),
        ("1,210", Decimal("1.210"), Decimal(1210)),
        ("1.000.000", Decimal(1000000), Decimal(1000000)),
        ("1.250,5", Decimal("1250.5"), Decimal("1250.5")),
        ("1,250.5", Decimal("1250.5"), Decimal("1250.5")),
        ("96,5", Decimal("96.5"), Decimal("96.5")),
        # One mark without three digits after it can only be a decimal point.
        ("82.5", Decimal("82.5"), Decimal("82.5")),
        ("1,5", Decimal("1.5"), Decimal("1.5")),
        ("0.25", Decimal("0.25"), Decimal("0.25")),
        ("1 080 000", Decimal(1080000), Decimal(1080000)),
        ("-20", Decimal(-20), Decimal(-20)),
        ("\u22123,5", Decimal("-3.5"), Decimal("-3.5")),
        ("+4", Decimal(4), Decimal(4)),
        # Decimals without grouping marks before them (they were refused).
        ("1234,5", Decimal("1234.5"), Decimal("1234.5")),
        ("1234.5", Decimal("1234.5"), Decimal("1234.5")),
        ("999999999999.99", Decimal("999999999999.99"), Decimal("999999999999.99")),
    ],
)
def test_numbers_are_read_as_the_language_writes_them(
    typed: str, vietnamese: Decimal, english: Decimal
) -> None:
    assert parse_number(typed, "vi") == vietnamese
    assert parse_number(typed, "en") == english


@pytest.mark.parametrize(
    "typed",
    [
        "NaN",
        "sNaN",
        "-Infinity",
        "1e309",
        "1.2.3",
        "1.000.5",
        "1.00,5",
        "1,5.000",
        "1,",
        ".5",
        "-",
        "",
        "12 abc",
        "0x10",
        "١٢",
    ],
)
def test_what_is_not_a_number_is_refused(typed: str) -> None:
    for language in ("vi", "en"):
        with pytest.raises(ValueError):
            parse_number(typed, language)


@pytest.mark.parametrize(
    ("typed", "data", "errors"),
    [
        ("12,5", Decimal("12.5"), []),
        ("1.210", Decimal(1210), []),
        ("", None, []),
        ("NaN", None, NOT_A_NUMBER),
        ("-Infinity", None, NOT_A_NUMBER),
        ("1e309", None, NOT_A_NUMBER),
    ],
)
def test_decimal_field(app: Flask, typed: str, data: Decimal | None, errors: list[str]) -> None:
    class AmountForm(Form):  # the app's, with its catalogue
        amount = LocalDecimalField()

    with app.test_request_context():
        form = AmountForm(MultiDict({"amount": typed}), meta={"csrf": False})
        form.validate()
        html = str(form.amount())

    assert (form.amount.data, form.amount.errors) == (data, errors)
    # A text box (a browser's number box misreads "1.210"), with what was typed in it.
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert f'value="{typed}"' in html


@pytest.mark.parametrize(("language", "shown"), [("vi", "1.210,5"), ("en", "1,210.5")])
def test_decimal_field_shows_a_value_as_the_language_writes_it(
    app: Flask, language: str, shown: str
) -> None:
    class AmountForm(Form):
        amount = LocalDecimalField()

    with app.test_request_context(), force_locale(language):
        form = AmountForm(data={"amount": Decimal("1210.50")}, meta={"csrf": False})
        html = str(form.amount())
        assert f'value="{shown}"' in html
        # What it shows reads back as the same number.
        assert parse_number(shown) == Decimal("1210.5")


NOT_A_DATE = ["Ngày phải là ngày hợp lệ, ghi theo dạng dd/mm/yyyy."]


@pytest.mark.parametrize(
    ("typed", "data", "errors"),
    [
        ("2026-12-31", date(2026, 12, 31), []),  # what a browser's date box sends
        ("31/12/2026", date(2026, 12, 31), []),  # typed where the box is plain text
        ("2026-02-31", None, NOT_A_DATE),
        ("31/02/2026", None, NOT_A_DATE),
        ("12/31/2026", None, NOT_A_DATE),
    ],
)
def test_date_field_says_how_to_write_a_date(
    app: Flask, typed: str, data: date | None, errors: list[str]
) -> None:
    class DayForm(Form):
        day = LocalDateField()

    with app.test_request_context():
        form = DayForm(MultiDict({"day": typed}), meta={"csrf": False})
        form.validate()
        html = str(form.day())

    assert (form.day.data, form.day.errors) == (data, errors)
    assert 'type="date"' in html


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ("a" * 10, []),
        ("Định" * 2 + "ab", []),
        # Decomposed Vietnamese is shorter once stored: "D" + U+0323 is one letter.
        ("Ạ" * 10, []),
        ("A\u0323" * 10, []),
        # U+0958 is one character typed and two stored (NFC decomposes it).
        ("\u0958" * 6, ["Field cannot be longer than 10 characters."]),
        ("a" * 11, ["Field cannot be longer than 10 characters."]),
        # A browser sends a text box's line break as CR LF and counts it as one character.
        ("abc\r\ndef\r\ngh", []),
        ("abcd\r\nefgh\r\nij", ["Field cannot be longer than 10 characters."]),
    ],
)
def test_length_is_measured_on_the_stored_text(app: Flask, typed: str, errors: list[str]) -> None:
    class Form(FlaskForm):
        name = StringField(validators=[Length(max=10)])

    with app.test_request_context():
        form = Form(MultiDict({"name": typed}), meta={"csrf": False})
        form.validate()

    assert form.name.errors == errors
    assert form.name.data == typed  # what was typed is kept


@pytest.mark.parametrize(
    ("typed", "data", "errors"),
    [
        ("2026", 2026, []),
        ("1999", 1999, ["Nhập năm từ 2000 đến 2100."]),
        ("99999", 99999, ["Nhập năm từ 2000 đến 2100."]),
        ("abc", None, ["Không phải là số nguyên hợp lệ."]),
        ("", None, ["Trường này là bắt buộc."]),
    ],
)
def test_a_year_is_written_as_a_year(
    app: Flask, typed: str, data: int | None, errors: list[str]
) -> None:
    # Not "từ 2.000 đến 2.100": a year has no thousands separator.
    class YearForm(Form):
        year = IntegerField(validators=[InputRequired(), YearRange(2000, 2100)])

    with app.test_request_context(), force_locale("vi"):
        form = YearForm(MultiDict({"year": typed}), meta={"csrf": False})
        form.validate()

    assert (form.year.data, form.year.errors) == (data, errors)


@pytest.mark.parametrize(
    ("typed", "data", "errors"),
    [
        ("12,34", Decimal("12.34"), []),
        ("12,30", Decimal("12.30"), []),
        ("12,345", Decimal("12.345"), ["Nhập tối đa 2 chữ số thập phân."]),
    ],
)
def test_more_decimals_than_are_kept_are_refused_not_rounded(
    app: Flask, typed: str, data: Decimal, errors: list[str]
) -> None:
    class ShareForm(Form):
        share = LocalDecimalField(places=2)

    with app.test_request_context(), force_locale("vi"):
        form = ShareForm(MultiDict({"share": typed}), meta={"csrf": False})
        form.validate()

    assert (form.share.data, form.share.errors) == (data, errors)
