"""Target, report and rejection forms (shape only)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from recognition.common.forms import (
    Form,
    Length,
    LocalDateField,
    LocalDecimalField,
    NumberRange,
    parse_id,
)
from recognition.database import LARGEST_AMOUNT
from recognition.targets.enums import AssessmentTiming, TargetDirection, TargetSector
from recognition.targets.rules import Band
from recognition.targets.services import Report, TargetData, Upload
from recognition.units.models import Unit


def _options(kinds: Iterable[Any]) -> list[SelectChoice]:
    """An enum's options, labelled lazily (each page in its reader's language)."""
    return [SelectChoice(kind.value, LazyString(lambda kind=kind: kind.label)) for kind in kinds]


def _id_or_none(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    return -1 if number is None else number


def _within_columns(form: FlaskForm, field: Any) -> None:
    """What a Numeric(14, 2) column holds (a value that did not parse has its own message)."""
    # Compared, not abs(): abs() rounds to the context and overflows on "1e999999999".
    if field.data is not None and not -LARGEST_AMOUNT <= field.data <= LARGEST_AMOUNT:
        raise ValidationError(_l("Enter a number of at most 12 digits before the decimal point."))


def _amount(label: Any, description: Any = None) -> LocalDecimalField:
    return LocalDecimalField(
        label, places=2, validators=[Optional(), _within_columns], description=description
    )


class TargetForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("E.g. CT1, as the resolution numbers it."),
    )
    text = TextAreaField(
        _l("Target"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3}
    )
    sector = SelectField(_l("Sector"), choices=_options(TargetSector))
    direction = SelectField(
        _l("Assessed as"),
        choices=_options(TargetDirection),
        description=_l(
            "Higher is better: progress is value ÷ target. Lower is better (a rate to bring "
            "down): met at or below the target. Yes/no: achieved or not."
        ),
    )
    measure_unit = StringField(
        _l("Unit of measure"),
        validators=[Optional(), Length(max=60)],
        description=_l("E.g. million VND per person per year, %, communes."),
    )
    baseline = _amount(_l("Baseline"), _l("The value at the start of the term, if known."))
    target_value = _amount(_l("Target value"), _l("Not needed for a yes/no target."))
    responsible_unit_id = SelectField(
        _l("Responsible unit"), coerce=_id_or_none, choices=[], validators=[DataRequired()]
    )
    timing = SelectField(_l("Assessed"), choices=_options(AssessmentTiming))

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        self.responsible_unit_id.choices = [(None, str(_l("— choose —"))), *units]

    def to_data(self, responsible: Unit) -> TargetData:
        return TargetData(
            code=self.code.data or "",
            text=self.text.data or "",
            sector=TargetSector(self.sector.data),
            responsible_unit=responsible,
            direction=TargetDirection(self.direction.data),
            target_value=self.target_value.data,
            baseline=self.baseline.data,
            measure_unit=self.measure_unit.data or "",
            timing=AssessmentTiming(self.timing.data),
        )


class ReportForm(Form):
    value = _amount(_l("Value"))
    achieved = SelectField(
        _l("Achieved?"),
        choices=[
            SelectChoice("", _l("— choose —")),
            SelectChoice("1", _l("Yes, achieved")),
            SelectChoice("0", _l("Not achieved")),
        ],
        validate_choice=False,
    )
    as_of_on = LocalDateField(_l("Figures as of"), validators=[InputRequired()])
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
        description=_l("Where the figure comes from (a report, a statistic)."),
    )
    files = MultipleFileField(
        _l("Evidence files"), description=_l("PDF, JPEG, PNG, DOCX or XLSX; at most 5 files.")
    )

    def __init__(
        self, *args: Any, direction: TargetDirection = TargetDirection.HIGHER, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.direction = direction
        # The one the target asks for is required (checked in `validate`): marked so.
        asked = self.achieved if direction == TargetDirection.YES_NO else self.value
        asked.flags.required = True

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.direction == TargetDirection.YES_NO:
            if self.achieved.data not in ("1", "0"):
                self.achieved.errors = [
                    *self.achieved.errors,
                    str(_l("Say whether it is achieved.")),
                ]
                valid = False
        elif self.value.data is None and not self.value.errors:
            self.value.errors = [*self.value.errors, str(_l("Enter the value."))]
            valid = False
        return valid

    def to_report(self) -> Report:
        if self.direction == TargetDirection.YES_NO:
            value = Decimal(1 if self.achieved.data == "1" else 0)
        else:
            value = self.value.data
        files = [
            Upload(upload.stream, upload.filename or "")
            for upload in (self.files.data or [])
            if getattr(upload, "filename", None)
        ]
        return Report(
            value=value, as_of_on=self.as_of_on.data, note=self.note.data or "", files=files
        )


BAND_ROWS = 6


class BandsForm(Form):
    """A body's classes of progress: up to BAND_ROWS rows of a name and a minimum (percent);
    the rows left empty are not kept. The fields name_1, min_1, … are added below."""

    def set_bands(self, bands: list[Band]) -> None:
        for number, band in enumerate(bands[:BAND_ROWS], start=1):
            self[f"name_{number}"].data = band.name
            self[f"min_{number}"].data = band.min_percent

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"name_{n}"], self[f"min_{n}"]) for n in range(1, BAND_ROWS + 1)]

    def to_bands(self) -> list[Band]:
        return [
            Band(name.data or "", minimum.data if minimum.data is not None else Decimal(0))
            for name, minimum in self.rows()
            if (name.data or "").strip() or minimum.data is not None
        ]


for _number in range(1, BAND_ROWS + 1):
    setattr(
        BandsForm,
        f"name_{_number}",
        StringField(
            LazyString(lambda n=_number: str(_l("Name of class %(number)d", number=n))),
            validators=[Optional(), Length(max=100)],
        ),
    )
    setattr(
        BandsForm,
        f"min_{_number}",
        LocalDecimalField(
            LazyString(lambda n=_number: str(_l("Minimum of class %(number)d (%%)", number=n))),
            places=2,
            validators=[Optional(), NumberRange(0, 1000)],
        ),
    )


class RejectForm(Form):
    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[DataRequired(), Length(max=2000)],
        render_kw={"rows": 2},
    )
