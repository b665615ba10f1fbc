"""Form pieces shared by every area."""

import unicodedata
from decimal import Decimal
from typing import Any

from flask import flash
from flask_wtf import FlaskForm
from wtforms import DecimalField, Field
from wtforms.validators import Length as _WTFormsLength

from recognition.common.i18n import current_translations
from recognition.errors import DomainError
from recognition.extensions import db

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column (PostgreSQL)


class _AppCatalogue:
    """WTForms' translations object, reading the app's catalogue of the request's language
    (WTForms' own catalogues have no Vietnamese; its messages are in ours:
    `recognition.common.wtforms_messages`)."""

    def gettext(self, string: str) -> str:
        return str(current_translations().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(current_translations().ungettext(singular, plural, n))


_APP_CATALOGUE = _AppCatalogue()


class Form(FlaskForm):
    """Every form of the app: Flask-WTF's, with WTForms' messages in the user's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> _AppCatalogue:
            return _APP_CATALOGUE


class ConfirmForm(Form):
    """A button that changes state: only the CSRF token."""


class FiniteDecimalField(DecimalField):
    """A decimal field that refuses "NaN" and "Infinity", which `Decimal` reads: no column
    stores them, and WTForms' NumberRange fails on "sNaN" with a ValueError."""

    data: Any  # a Decimal or None, untyped as in WTForms

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


class Length(_WTFormsLength):
    """WTForms' Length, measured on the text as it is stored (NFC): a few characters are
    longer composed than typed ("\u0958" is two), and a column's limit is on what is stored."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if isinstance(field.data, str):
            field = _StoredText(field, unicodedata.normalize("NFC", field.data))
        super().__call__(form, field)


class _StoredText:
    """A field as the length check sees it: its messages, and its text as stored."""

    def __init__(self, field: Field, data: str) -> None:
        self.data = data
        self.gettext = field.gettext
        self.ngettext = field.ngettext


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Roll back and show a service's refusal on its field, or as a message above the form."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def parse_id(value: object) -> int | None:
    """An id or a version sent as text: ASCII digits within an INTEGER column, else None.

    `str.isdigit` also takes "²" and "١", which `int` refuses or reads; a larger number
    would make the database driver raise instead of finding nothing.
    """
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def parse_ids(values: list[str]) -> set[int]:
    """The ids among `values` (see `parse_id`); the others are left out."""
    return {number for number in map(parse_id, values) if number is not None}
