"""Forms of the honour board: publishing an entry and taking it down."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from recognition.common.forms import Form, Length
from recognition.honours.services import CAPTION_MAX, STORY_MAX

PHOTO_SLOTS = 3


class PublishForm(Form):
    story = TextAreaField(
        _l("Achievement story for the public"),
        validators=[DataRequired(), Length(max=STORY_MAX)],
        render_kw={"rows": 8},
        description=_l(
            "Written for everyone to read: what the collective or person achieved. Nothing "
            "from the dossier is shown unless you write it here; leave out private details "
            "(birth year, address, phone)."
        ),
    )
    photo_1 = FileField(_l("Photo 1 (JPEG or PNG)"))
    caption_1 = StringField(
        _l("What photo 1 shows"), validators=[Optional(), Length(max=CAPTION_MAX)]
    )
    photo_2 = FileField(_l("Photo 2 (JPEG or PNG)"))
    caption_2 = StringField(
        _l("What photo 2 shows"), validators=[Optional(), Length(max=CAPTION_MAX)]
    )
    photo_3 = FileField(_l("Photo 3 (JPEG or PNG)"))
    caption_3 = StringField(
        _l("What photo 3 shows"), validators=[Optional(), Length(max=CAPTION_MAX)]
    )
    remove_photos = SelectMultipleField(
        _l("Remove these photos"),
        coerce=int,
        choices=[],
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class UnpublishForm(Form):
    reason = TextAreaField(
        _l("Why it is taken down (kept in the audit log)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"rows": 2},
    )
