"""Forms of the honour board: publishing an entry and taking it down."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from recognition.common.forms import Form, Length
from recognition.honours.services import CAPTION_MAX, MAX_PHOTOS, STORY_MAX

# One slot per photo an entry may have (the service's limit): a photo removed in the same
# sending frees its place.
PHOTO_SLOTS = MAX_PHOTOS


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
    remove_photos = SelectMultipleField(
        _l("Remove these photos"),
        coerce=int,
        choices=[],
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


for _slot in range(1, PHOTO_SLOTS + 1):  # photo_1, caption_1 … one pair per slot
    setattr(
        PublishForm, f"photo_{_slot}", FileField(_l("Photo %(number)d (JPEG or PNG)", number=_slot))
    )
    setattr(
        PublishForm,
        f"caption_{_slot}",
        StringField(
            _l("What photo %(number)d shows", number=_slot),
            validators=[Optional(), Length(max=CAPTION_MAX)],
        ),
    )


class UnpublishForm(Form):
    reason = TextAreaField(
        _l("Why it is taken down (kept in the audit log)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"rows": 2},
    )
