"""Cluster forms (shape only; points are checked against their maxima by the services)."""

from decimal import Decimal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from recognition.clusters.enums import ClusterKind, OfficerRole
from recognition.clusters.services import ClusterData, read_points
from recognition.common.forms import Form, Length, LocalDateField, NumberRange, YearRange, parse_id


def _id(value: object) -> int | None:
    """An id from a select; -1 (matching no choice) when it is not one."""
    if value in (None, "", "None"):
        return None
    number = parse_id(str(value))
    return -1 if number is None else number


def _options(kinds: type[ClusterKind] | type[OfficerRole]) -> list[SelectChoice]:
    return [SelectChoice(k.value, LazyString(lambda k=k: k.label)) for k in kinds]


class ClusterForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("E.g. Cụm thi đua số 5 – các xã khu vực Chợ Lách."),
    )
    kind = SelectField(_l("Kind"), choices=_options(ClusterKind))
    year = IntegerField(_l("Year"), validators=[InputRequired(), YearRange(2000, 2100)])
    tie_breaks = TextAreaField(
        _l("Tie-break rules, in order"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3},
        description=_l(
            "One per line, applied in turn to members with the same total: "
            "“criterion:CODE” (more points in that criterion), “deductions” (fewer deduction "
            "points), “votes” (more votes of the cluster meeting). Empty: deductions, then votes."
        ),
    )

    def to_data(self) -> ClusterData:
        keys = tuple(line.strip() for line in (self.tie_breaks.data or "").splitlines())
        return ClusterData(
            name=self.name.data or "",
            year=self.year.data or 0,
            kind=ClusterKind(self.kind.data),
            tie_breaks=keys,
        )


class MemberForm(Form):
    unit_id = SelectField(_l("Unit"), coerce=_id, choices=[], validators=[DataRequired()])


class OfficerForm(Form):
    officer_unit_id = SelectField(
        _l("Member unit"), coerce=_id, choices=[], validators=[DataRequired()]
    )
    role = SelectField(_l("Role"), choices=_options(OfficerRole))
    valid_from = LocalDateField(_l("From"), validators=[InputRequired()])
    valid_to = LocalDateField(_l("To (inclusive)"), validators=[Optional()])


class LineForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    text = TextAreaField(
        _l("Criterion"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2}
    )
    max_points = StringField(
        _l("Maximum points"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("One decimal place at most. A criterion with sub-items is worth their sum."),
    )
    evidence_note = TextAreaField(
        _l("Evidence expected"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    is_deduction = BooleanField(_l("Deduction (points subtracted from the total)"))
    parent_id = SelectField(_l("Sub-item of"), coerce=_id, choices=[], validators=[Optional()])

    def points(self) -> Decimal | None:
        """The maximum typed, or None with a message on the field."""
        try:
            value = read_points(self.max_points.data or "")
        except ValueError:
            value = None
        if value is None:
            self.max_points.errors = [
                *self.max_points.errors,
                _l("Enter a number of points, such as 10 or 2.5."),
            ]
        return value


class ProposeForm(Form):
    campaign_id = SelectField(
        _l("Open campaign"), coerce=_id, choices=[], validators=[DataRequired()]
    )
    # The titles follow the chosen campaign: each option names the campaigns offering it
    # (data-campaigns), and static/js/app.js shows the chosen one's.
    first_award_id = SelectField(
        _l("Award for the first-ranked unit"),
        coerce=_id,
        choices=[],
        validators=[DataRequired()],
        render_kw={"data-options-follow": "campaign_id"},
    )
    next_award_id = SelectField(
        _l("Award for the next units"),
        coerce=_id,
        choices=[],
        validators=[DataRequired()],
        render_kw={"data-options-follow": "campaign_id"},
    )
    # Left empty, it would propose the first-ranked unit alone, once and for all.
    next_count = IntegerField(
        _l("How many next units"),
        validators=[
            InputRequired(message=_l("Say how many of the next units are proposed (0 for none).")),
            NumberRange(0, 100),
        ],
        default=2,
    )
