"""Log-in, own-password and own-notification forms."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, EqualTo

from recognition.auth.enums import NotificationDelivery
from recognition.common.forms import Form, Length


class LoginForm(Form):
    username = StringField(
        _l("User name"),
        validators=[DataRequired(), Length(max=60)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class NotificationDeliveryForm(Form):
    delivery = RadioField(
        _l("How you are told"),
        choices=[
            SelectChoice(
                NotificationDelivery.EMAIL_AND_APP.value, _l("By e-mail and in the application")
            ),
            SelectChoice(NotificationDelivery.APP_ONLY.value, _l("In the application only")),
        ],
        validators=[DataRequired()],
    )
