"""The form of a dated value of a legal rule."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from recognition.common.forms import Form, Length, LocalDateField
from recognition.law.enums import AwardStandard, VoteBase, VoteMethod
from recognition.law.services import ValueInput


def _options(members: Iterable[Any]) -> list[SelectChoice]:
    """Options of an enum, labelled lazily in the reader's language."""
    return [SelectChoice(m.value, LazyString(lambda m=m: m.label)) for m in members]


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """Unknown choices are refused by the service, with its message."""


class LawValueForm(Form):
    valid_from = LocalDateField(
        _l("In force from"),
        validators=[InputRequired()],
        description=_l("Same day as an existing value: that value is corrected."),
    )
    text = TextAreaField(
        _l("Value"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 4}
    )
    standards = _Checkboxes(_l("Award standards"), choices=_options(AwardStandard))
    required = BooleanField(_l("A council vote is required"))
    # Checked by the service for a vote rule (the other rules' pages do not show these).
    method = SelectField(_l("Vote method"), choices=_options(VoteMethod), validate_choice=False)
    threshold = StringField(
        _l("Threshold (%)"),
        validators=[Optional(), Length(max=20)],
        description=_l("For example 80 for 80 percent."),
    )
    base = SelectField(
        _l("Threshold counted on"), choices=_options(VoteBase), validate_choice=False
    )
    absentees_in_writing = BooleanField(_l("Members absent from a meeting vote in writing"))
    source = StringField(
        _l("Source (the legal text)"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("For example Nghị định số 152/2025/NĐ-CP, Điều 50."),
    )
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    uncertain = BooleanField(_l("Uncertain: a setting to check against the province's rules"))

    def to_input(self) -> ValueInput:
        return ValueInput(
            valid_from=self.valid_from.data or date.min,  # required: set once validated
            source=self.source.data or "",
            text=self.text.data or "",
            standards=[str(v) for v in self.standards.data or []],
            required=bool(self.required.data),
            method=str(self.method.data or ""),
            threshold=self.threshold.data or "",
            base=str(self.base.data or ""),
            absentees_in_writing=bool(self.absentees_in_writing.data),
            note=self.note.data or "",
            uncertain=bool(self.uncertain.data),
        )
