"""Form pieces shared by every area: ids sent as text, decimals that are numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from recognition.common.forms import MAX_ID, FiniteDecimalField, Length, parse_id, parse_ids

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


@pytest.mark.parametrize(
    ("typed", "data", "errors"),
    [
        ("12.5", Decimal("12.5"), []),
        ("NaN", None, ["Not a valid decimal value."]),
        ("sNaN", None, ["Not a valid decimal value."]),
        ("-Infinity", None, ["Not a valid decimal value."]),
        ("1e309", Decimal("1e309"), []),  # finite: a NumberRange bounds it
    ],
)
def test_finite_decimal_field(
    app: Flask, typed: str, data: Decimal | None, errors: list[str]
) -> None:
    class Form(FlaskForm):
        amount = FiniteDecimalField()

    with app.test_request_context():
        form = Form(MultiDict({"amount": typed}), meta={"csrf": False})
        form.validate()

    assert (form.amount.data, form.amount.errors) == (data, errors)


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
