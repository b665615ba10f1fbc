"""Forms of the emulation registration."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from recognition.common.forms import Form, Length, LocalDateField, YearRange
from recognition.registration.services import NOMINEE_MAX, PLEDGE_MAX

LINE_SLOTS = 8


class ChangeCallForm(Form):
    """A year's registration once open: its deadline moved, its pledge corrected."""

    deadline = LocalDateField(_l("Registration deadline"), validators=[InputRequired()])
    pledge = TextAreaField(
        _l("Pledge (giao ước thi đua) the units sign"),
        validators=[DataRequired(), Length(max=PLEDGE_MAX)],
        render_kw={"rows": 8},
    )


class CallForm(ChangeCallForm):
    """A year's registration opened: its year, with the deadline and the pledge."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), YearRange(2000, 2100)])


class RegisterForm(Form):
    """The lines are plain numbered fields (award_1, nominee_1, …): a list field reads every
    posted name, and a nameless file part would stop it."""

    sign = BooleanField(_l("We have read the pledge and sign it"))


for _slot in range(1, LINE_SLOTS + 1):
    setattr(
        RegisterForm,
        f"award_{_slot}",
        SelectField(_l("Title or commendation"), choices=[], validate_choice=False),
    )
    setattr(
        RegisterForm,
        f"nominee_{_slot}",
        StringField(
            _l("Collective or individual put forward (empty: the unit itself)"),
            validators=[Optional(), Length(max=NOMINEE_MAX)],
        ),
    )
