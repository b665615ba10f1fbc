"""Unit forms (shape only; the tree rules live in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from recognition.common.forms import Form, Length, LocalDateField
from recognition.units.enums import UnitKind


def _optional_int(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(str(value))
    except ValueError:
        return -1  # rejected by the choices check


class UnitForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[], validators=[DataRequired()])
    code = StringField(
        _l("Administrative code"),
        validators=[Optional(), Length(max=20)],
        description=_l("The code in the national list of administrative units, if any."),
    )
    parent_id = SelectField(
        _l("Parent unit"), coerce=_optional_int, choices=[], validate_choice=True
    )
    valid_from = LocalDateField(_l("Valid from"), validators=[Optional()])
    valid_to = LocalDateField(_l("Valid to"), validators=[Optional()])
    successor_id = SelectField(
        _l("Successor unit"),
        coerce=_optional_int,
        choices=[],
        description=_l("After a merger: the unit that took this one over."),
    )
    is_awarding_body = BooleanField(
        _l("Awarding body"),
        description=_l("Has a council, a secretariat, decision numbering and a golden book."),
    )

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        self.kind.choices = [(kind.value, kind.label) for kind in UnitKind]
        self.parent_id.choices = [(None, str(_l("— none (top level) —"))), *units]
        self.successor_id.choices = [(None, str(_l("— none —"))), *units]


class MoveUnitForm(Form):
    parent_id = SelectField(_l("New parent unit"), coerce=_optional_int, choices=[])

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        self.parent_id.choices = [(None, str(_l("— none (top level) —"))), *units]


class ImportUnitsForm(Form):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class MergeUnitForm(Form):
    successor_id = SelectField(_l("Merged into"), coerce=_optional_int, choices=[])
    merged_on = LocalDateField(
        _l("Valid to"),
        validators=[Optional()],
        description=_l(
            "The unit's last day, after which its successor takes over; today if left empty."
        ),
    )

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        self.successor_id.choices = [(None, str(_l("— choose —"))), *units]
