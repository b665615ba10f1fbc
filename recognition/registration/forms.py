"""Forms of the emulation registration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional

from recognition.common.forms import Length
from recognition.registration.services import NOMINEE_MAX, PLEDGE_MAX

LINE_SLOTS = 8


class CallForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    deadline = DateField(_l("Registration deadline"), validators=[DataRequired()])
    pledge = TextAreaField(
        _l("Pledge (giao ước thi đua) the units sign"),
        validators=[DataRequired(), Length(max=PLEDGE_MAX)],
        render_kw={"rows": 8},
    )


class LineForm(FlaskForm):
    class Meta:
        csrf = False

    award_type = SelectField(_l("Title or commendation"), choices=[], validate_choice=False)
    nominee = StringField(
        _l("Collective or individual put forward (empty: the unit itself)"),
        validators=[Optional(), Length(max=NOMINEE_MAX)],
    )


class RegisterForm(FlaskForm):
    lines = FieldList(FormField(LineForm), min_entries=LINE_SLOTS, max_entries=LINE_SLOTS)
    sign = BooleanField(_l("We have read the pledge and sign it"))
