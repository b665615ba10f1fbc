"""Forms of the award history (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired

from recognition.common.forms import Form, Length
from recognition.database import string_length
from recognition.history.models import AwardRecord


class ImportAwardsForm(Form):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])
    awarding_body_name = StringField(
        _l("Awarding body"),
        validators=[
            DataRequired(),
            Length(max=string_length(AwardRecord.awarding_body_name)),
        ],
        description=_l("The body that issued these decisions, e.g. UBND huyện Chợ Lách."),
    )
