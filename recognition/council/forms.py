"""Council forms."""

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Optional

from recognition.common.forms import Form, Length, LocalDateField, NumberRange
from recognition.council.enums import CouncilRole, SessionKind
from recognition.council.models import CouncilMember
from recognition.database import local_today


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class MemberForm(Form):
    user_id = SelectField(
        _l("Person"), coerce=_int_or_none, choices=[], validators=[DataRequired()]
    )
    # SelectChoice, not tuples: tuples given to the constructor are deprecated (WTForms 3.3).
    role = SelectField(
        _l("Role in the council"),
        choices=[SelectChoice(r.value, CouncilRole.labels()[r]) for r in CouncilRole],
    )
    term_start = LocalDateField(_l("Term from"), validators=[InputRequired()])
    term_end = LocalDateField(_l("Term to"), validators=[Optional()])


class SessionForm(Form):
    title = StringField(
        _l("Session name"),
        validators=[DataRequired(), Length(max=300)],
        # The example names this year (read when the form is drawn), never a year gone by.
        description=LazyString(
            lambda: _("E.g. Phiên họp xét khen thưởng đợt 1 năm %(year)d.", year=local_today().year)
        ),
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, SessionKind.labels()[k]) for k in SessionKind]
    )
    held_on = LocalDateField(
        _l("Date (or day the consultation opens)"), validators=[InputRequired()]
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    consultation_closes_on = LocalDateField(_l("Consultation closes on"), validators=[Optional()])


class HandsForm(Form):
    agree = IntegerField(_l("Agree"), validators=[InputRequired(), NumberRange(0, 500)])
    disagree = IntegerField(_l("Disagree"), validators=[Optional(), NumberRange(0, 500)], default=0)
    abstain = IntegerField(_l("Abstain"), validators=[Optional(), NumberRange(0, 500)], default=0)


class ConflictForm(Form):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])


def _seat_or_default(value: object) -> int | None:
    """A seat's id; "" is nobody chosen (the default). Anything else is not a choice."""
    text = str(value)
    return None if text == "" else int(text)  # ValueError: refused as an invalid choice


class SecretaryForm(Form):
    member_id = SelectField(
        _l("Secretary of the session"), coerce=_seat_or_default, choices=[], default=None
    )


def secretary_form(
    candidates: list[CouncilMember],
    default: CouncilMember | None,
    chosen_id: int | None,
    *,
    posted: bool = False,
) -> SecretaryForm:
    """The choice of the session's secretary among `candidates`, "" naming the default; the
    one chosen selected, unless `posted` (the form as sent)."""
    form = SecretaryForm() if posted else SecretaryForm(formdata=None, member_id=chosen_id)
    name = default.user.full_name if default is not None else "—"
    form.member_id.choices = [
        SelectChoice("", _("By default: %(name)s", name=name)),
        *(SelectChoice(str(m.id), f"{m.user.full_name} — {m.role.label}") for m in candidates),
    ]
    return form
