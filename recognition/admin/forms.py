"""Account and role forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Optional, Regexp, ValidationError

from recognition.auth.enums import Role
from recognition.auth.models import API_ACCOUNT_PREFIX
from recognition.common.forms import Form, Length, LocalDateField


def _not_an_api_account(form: Form, field: Field) -> None:
    if str(field.data or "").strip().lower().startswith(API_ACCOUNT_PREFIX):
        raise ValidationError(
            _l(
                "User names starting with %(prefix)s are kept for API clients.",
                prefix=API_ACCOUNT_PREFIX,
            )
        )


class UserForm(Form):
    username = StringField(
        _l("User name"),
        validators=[
            DataRequired(),
            Length(min=3, max=60),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Use only letters without accents, digits, dot, dash and underscore."),
            ),
            _not_an_api_account,
        ],
        description=_l("For example xa.sondinh or nguyen.van.a. It is used to log in."),
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
        # Spaces a copy carries around it are no part of it (the log-in drops them too).
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), Length(max=256)],
        description=_l(
            "Leave empty to generate one. Either way the password is temporary: the user "
            "must change it at the first login."
        ),
        render_kw={"autocomplete": "new-password"},
    )


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class GrantForm(Form):
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    unit_id = SelectField(_l("Unit"), coerce=_int_or_none, choices=[], validators=[DataRequired()])

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        self.role.choices = [(role.value, role.label) for role in Role]
        self.unit_id.choices = units


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    status = SelectField(
        _l("Status"),
        validators=[Optional()],
        # SelectChoice, not tuples: tuples passed to the constructor are deprecated (WTForms 3.3)
        # and, with warnings as errors, made the user list fail.
        choices=[
            SelectChoice("all", _l("All")),
            SelectChoice("active", _l("Active")),
            SelectChoice("disabled", _l("Disabled")),
        ],
    )


def _plausible_day(field: Field) -> None:
    """A day of the log's years (9999-12-31 has no next day to end the period on)."""
    if field.data is not None and not 1900 <= field.data.year <= 2100:
        raise ValidationError(_l("Choose a day between the years 1900 and 2100."))


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string: a name, a kind, a period."""

    class Meta:
        csrf = False

    q = StringField(_l("Reference, name or person"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind of object"), choices=[], validate_choice=False)
    since = LocalDateField(_l("From"), validators=[Optional()])
    until = LocalDateField(_l("Until"), validators=[Optional()])

    def validate_since(self, field: Field) -> None:
        _plausible_day(field)

    def validate_until(self, field: Field) -> None:
        _plausible_day(field)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end of the period comes before its start."))


class ClearThrottleForm(Form):
    """The button that forgets an account's failed log-ins (the user name is as stored)."""

    username = HiddenField(validators=[DataRequired(), Length(max=60)])
