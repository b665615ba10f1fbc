"""Form pieces shared by every area."""

import unicodedata
from decimal import Decimal
from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, DecimalField, Field
from wtforms.validators import Length as _WTFormsLength
from wtforms.validators import NumberRange as _WTFormsNumberRange
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from recognition.common.i18n import current_translations
from recognition.common.numbers import format_number, parse_number
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


class DecimalInput(TextInput):
    """A text box for a number: a browser's number box drops or misreads the marks people type
    (it takes "1.210" for one point two one); the phone still shows its number pad."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("inputmode", "decimal")
        kwargs.setdefault("autocomplete", "off")
        return super().__call__(field, **kwargs)


class LocalDecimalField(DecimalField):
    """A decimal number typed as the user's language writes it ("1.250,5" in Vietnamese,
    `recognition.common.numbers`), shown back the same way; "NaN", "Infinity" and exponents
    are refused (no column stores them)."""

    widget = DecimalInput()
    data: Any  # a Decimal or None, untyped as in WTForms

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = str(valuelist[0] or "")
        if not text.strip():
            self.data = None
            return
        try:
            self.data = parse_number(text)
        except ValueError:
            self.data = None
            raise ValueError(
                self.gettext("Enter a number, e.g. %(example)s.")
                % {"example": format_number(Decimal("1250.5"))}
            ) from None

    def _value(self) -> str:
        if self.raw_data is not None:
            return str(self.raw_data[0]) if self.raw_data else ""
        return "" if self.data is None else format_number(self.data)

    def pre_validate(self, form: Any) -> None:
        # A text that is no number says so, alone: the validators after it would judge a
        # missing number ("required", "between … and …") and push that message out.
        if self.process_errors:
            raise StopValidation()
        # More decimals than the column keeps would be rounded away without a word.
        exponent = self.data.as_tuple().exponent if isinstance(self.data, Decimal) else 0
        if isinstance(exponent, int) and self.places is not None and -exponent > self.places:
            raise StopValidation(
                ngettext(
                    "Enter at most %(num)d decimal place.",
                    "Enter at most %(num)d decimal places.",
                    self.places,
                )
            )


class LocalIntegerField(LocalDecimalField):
    """A whole number typed as the user's language writes it ("1.210" in Vietnamese); its
    data is an int."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        message = self.gettext("Enter a whole number, e.g. %(example)s.") % {"example": 40}
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(message) from None
        if self.data is None:
            return
        if self.data != self.data.to_integral_value():
            self.data = None
            raise ValueError(message)
        self.data = int(self.data)


class LocalDateField(DateField):
    """A date. The browser's date box sends yyyy-mm-dd; where the box is plain text (a browser
    without a date picker), dd/mm/yyyy, as Vietnamese documents write it, is read too. A text
    that is neither says how to write the date (not WTForms' bare "Not a valid date value.")."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.gettext("The date must be a date written dd/mm/yyyy.")) from None


class NumberRange(_WTFormsNumberRange):
    """WTForms' NumberRange, with its bounds written as the user's language writes numbers."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.process_errors:  # no number was read: the field says why, alone
            return
        data = field.data
        if (
            data is None
            or (self.min is not None and data < self.min)
            or (self.max is not None and data > self.max)
        ):
            low = format_number(Decimal(self.min)) if self.min is not None else None
            high = format_number(Decimal(self.max)) if self.max is not None else None
            if self.message is not None:
                message = self.message
            elif low is None:
                message = field.gettext("Number must be at most %(max)s.")
            elif high is None:
                message = field.gettext("Number must be at least %(min)s.")
            else:
                message = field.gettext("Number must be between %(min)s and %(max)s.")
            raise ValidationError(message % {"min": low, "max": high})


class YearRange(NumberRange):
    """A year between two others, written as years are (2026, never 2.026); a text that is no
    number says so alone (the field's own error)."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.process_errors:
            return
        if field.data is None or not self.min <= field.data <= self.max:
            raise ValidationError(
                _("Enter a year from %(min)d to %(max)d.", min=self.min, max=self.max)
            )


class Length(_WTFormsLength):
    """WTForms' Length, measured on the text as it is stored (NFC, a line break one character):
    a few characters are longer composed than typed ("\u0958" is two), a browser sends each
    line break of a text box as two characters (CR LF) while its maxlength counts one, and a
    column's limit is on what is stored."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if isinstance(field.data, str):
            stored = unicodedata.normalize("NFC", field.data.replace("\r\n", "\n"))
            field = _StoredText(field, stored)
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


def ask_for_the_files_again(form: FlaskForm) -> None:
    """The form comes back without the files chosen in it (a browser never fills a file box
    in): each file box that had some says, beside it, that they were not saved."""
    for field in form:
        if field.type not in {"MultipleFileField", "FileField"}:
            continue
        chosen = field.data if isinstance(field.data, list) else [field.data]
        names = [upload.filename for upload in chosen if getattr(upload, "filename", "")]
        if names:
            note = ngettext(
                "The file you chose was not saved: %(names)s. Choose it again.",
                "The files you chose were not saved: %(names)s. Choose them again.",
                len(names),
                names=", ".join(f"“{name}”" for name in names),
            )
            field.errors = [*field.errors, note]
