"""The administrator's form to register an API client."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from recognition.api.enums import Scope
from recognition.common.forms import Form, Length


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class ClientForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("The system that will use the API, e.g. “Cổng thông tin tỉnh”."),
    )
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one scope."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    unit_id = SelectField(
        _l("Unit"),
        coerce=_int_or_none,
        choices=[],
        validators=[DataRequired()],
        description=_l(
            "The client acts within this unit and the units below it, as a nominator of "
            "the unit would."
        ),
    )

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        self.scopes.choices = Scope.choices()
        self.unit_id.choices = units
