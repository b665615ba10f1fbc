"""The appraisal form, built per award type: a verdict and a note per criterion."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import Optional

from recognition.campaigns.models import AwardType
from recognition.common.forms import Form, Length


def appraisal_form_class(award_type: AwardType) -> type[FlaskForm]:
    attributes: dict[str, Any] = {}
    for criterion in award_type.criteria:
        attributes[f"v{criterion.id}"] = RadioField(
            _l("Verdict"),
            choices=[SelectChoice("agree", _l("Agree")), SelectChoice("disagree", _l("Disagree"))],
            validators=[Optional()],
            validate_choice=False,
        )
        attributes[f"n{criterion.id}"] = TextAreaField(
            _l("Note"), validators=[Optional(), Length(max=3000)], render_kw={"rows": 2}
        )
    return type("AppraisalForm", (Form,), attributes)
