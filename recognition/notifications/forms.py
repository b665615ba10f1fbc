"""The bell's form."""

from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from recognition.common.forms import Form


class OpenNotificationForm(Form):
    """A notification opened from the list: marked as read, then its page."""

    notification = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
