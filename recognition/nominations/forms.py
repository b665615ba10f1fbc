"""Dossier forms. The criteria part is built per award type."""

from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from recognition.campaigns.enums import MeasureKind
from recognition.campaigns.models import AwardType
from recognition.common.forms import (
    Form,
    Length,
    LocalDecimalField,
    LocalIntegerField,
    NumberRange,
    parse_id,
)
from recognition.common.numbers import format_number
from recognition.database import LARGEST_AMOUNT, utcnow
from recognition.nominations.enums import Gender, HoldKind, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Answer, Collective, Report


def _int_or_none(value: object) -> int | None:
    """An id; -1 (found nowhere) for anything that is not one, None for no choice."""
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    return -1 if number is None else number


def _met(value: object) -> bool | None:
    return {"yes": True, "no": False, True: True, False: False}.get(value)


def _birth_year(form: FlaskForm, field: Any) -> None:
    """The service's rule, said the same way on the field (not a second range up to 2100)."""
    if field.data is not None and not 1900 <= field.data <= utcnow().year:
        raise ValidationError(_l("The birth year must be between 1900 and this year."))


PERSON_NAME = _l("Full name")
PERSON_UNIT = _l("Unit (where the person works or lives)")


class PersonFields:
    person_name = StringField(PERSON_NAME, validators=[Optional(), Length(max=120)])
    person_position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    person_unit_id = SelectField(
        PERSON_UNIT,
        coerce=_int_or_none,
        choices=[],
        validate_choice=False,
    )
    person_birth_year = IntegerField(_l("Year of birth"), validators=[Optional(), _birth_year])
    person_gender = SelectField(_l("Gender"), choices=[], validators=[Optional()])

    def set_person_choices(self, units: list[tuple[int, str]]) -> None:
        self.person_unit_id.choices = [(None, str(_l("— choose —"))), *units]
        self.person_gender.choices = [("", str(_l("— not given —")))] + [
            (g.value, g.label) for g in Gender
        ]


class NewNominationForm(Form, PersonFields):
    # Chosen among the offers of the page as it was drawn: one taken off since is refused by
    # the service (check_offered), which names it, rather than as "Not a valid choice."
    award_type_id = SelectField(
        _l("Title or commendation"),
        coerce=_int_or_none,
        choices=[],
        validators=[DataRequired()],
        validate_choice=False,
    )
    nominee_unit_id = SelectField(
        _l("Nominated unit (for a collective)"),
        coerce=_int_or_none,
        choices=[],
        validate_choice=False,
    )


class ImportCandidatesForm(Form):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])


class MaxLines:
    """At most `limit` lines. With the length limit, this bounds the pages a text prints on:
    the report keeps its line breaks when printed, so a text of one character per line would
    otherwise fill a page every eighty characters (recognition.nominations.pdf)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: FlaskForm, field: Any) -> None:
        count = field.data.count("\n") + 1 if field.data else 0
        if count > self.limit:
            raise ValidationError(
                _(
                    "At most %(max)d lines (this text has %(count)d). "
                    "Join short lines into paragraphs.",
                    max=self.limit,
                    count=count,
                )
            )


class ReportFields:
    summary = TextAreaField(
        _l("Summary of achievements"),
        validators=[Optional(), Length(max=3000), MaxLines(30)],
        description=_l("Two or three sentences; printed in the decision's annex."),
        render_kw={"rows": 3},
    )
    report_general = TextAreaField(
        _l("I. General information"),
        validators=[Optional(), Length(max=20000), MaxLines(300)],
        description=_l("The unit or person, its tasks and organisation."),
        render_kw={"rows": 5},
    )
    report_achievements = TextAreaField(
        _l("II. Achievements"),
        validators=[Optional(), Length(max=50000), MaxLines(1000)],
        description=_l("Results of the movement, with figures."),
        render_kw={"rows": 8},
    )
    report_criteria = TextAreaField(
        _l("III. Meeting the criteria"),
        validators=[Optional(), Length(max=20000), MaxLines(300)],
        render_kw={"rows": 4},
    )
    report_commendations = TextAreaField(
        _l("IV. Titles and commendations already received"),
        validators=[Optional(), Length(max=10000), MaxLines(300)],
        render_kw={"rows": 3},
    )


class ActionForm(Form):
    comment = TextAreaField(
        _l("Comment or reason"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    version = HiddenField()


class HoldForm(Form):
    """Hold a dossier: why (the kind of review) and the reason, for the audit log."""

    # No reason is chosen beforehand: a preselected one would read as a fact about the nominee.
    kind = SelectField(
        _l("The nominee is"),
        choices=[
            SelectChoice("", _l("— choose a reason —")),
            *(SelectChoice(k.value, LazyString(lambda k=k: k.label)) for k in HoldKind),
        ],
        validators=[DataRequired(message=_l("Choose the reason for the hold."))],
    )
    reason = TextAreaField(
        _l("Reason for the hold"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("E.g. the number and date of the notice of inspection or review."),
        render_kw={"rows": 2},
    )
    version = HiddenField()


class ReleaseForm(Form):
    """Lift a hold, with the reason (the outcome of the review)."""

    reason = TextAreaField(
        _l("Reason for lifting the hold"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("E.g. the conclusion of the inspection or review."),
        render_kw={"rows": 2},
    )
    version = HiddenField()


class CollectiveFields:
    women_percent = LocalIntegerField(
        _l("Share of women (%)"),
        validators=[Optional(), NumberRange(0, 100)],
        description=_l(
            "Optional. On a tie in the council's vote, collectives with at least 70 % women "
            "come first (NĐ 152/2025/NĐ-CP, art. 4)."
        ),
    )


class FilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    campaign = SelectField(_l("Campaign"), coerce=_int_or_none, choices=[], validate_choice=False)
    award_type = SelectField(
        _l("Title or commendation"), coerce=_int_or_none, choices=[], validate_choice=False
    )
    state = SelectField(_l("State"), choices=[], validate_choice=False)
    unit = SelectField(
        _l("Nominating unit"), coerce=_int_or_none, choices=[], validate_choice=False
    )

    def set_choices(
        self,
        campaigns: list[tuple[int, str]],
        awards: list[tuple[int, str]],
        units: list[tuple[int, str]],
    ) -> None:
        every = str(_l("All"))
        self.campaign.choices = [(None, every), *campaigns]
        self.award_type.choices = [(None, every), *awards]
        self.state.choices = [("", every)] + [(s.value, s.label) for s in NominationState]
        self.unit.choices = [(None, every), *units]


def dossier_form_class(award_type: AwardType, *, person: bool) -> type[FlaskForm]:
    """A form class with the report, the person's details (if any) and, per criterion,
    its self-assessment, evidence note and files."""
    attributes: dict[str, Any] = {"version": HiddenField()}
    for criterion in award_type.criteria:
        prefix = f"c{criterion.id}_"
        if criterion.measure == MeasureKind.YES_NO:
            attributes[prefix + "met"] = RadioField(
                _l("Self-assessment"),
                choices=[SelectChoice("yes", _l("Met")), SelectChoice("no", _l("Not met"))],
                validators=[Optional()],
                validate_choice=False,
            )
        elif criterion.measure == MeasureKind.NUMBER:
            # What is achieved is counted from nothing up; a share in per cent stops at 100.
            highest = Decimal(100) if criterion.unit_label.strip() == "%" else LARGEST_AMOUNT
            attributes[prefix + "value"] = LocalDecimalField(
                _l("Value achieved"), places=2, validators=[Optional(), NumberRange(0, highest)]
            )
        else:
            attributes[prefix + "text"] = TextAreaField(
                _l("Self-assessment"),
                validators=[Optional(), Length(max=5000)],
                render_kw={"rows": 2},
            )
        attributes[prefix + "note"] = TextAreaField(
            _l("Evidence (note)"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
        )
        attributes[prefix + "files"] = MultipleFileField(_l("Evidence files"))
    attributes["general_files"] = MultipleFileField(_l("Other documents of the dossier"))
    bases: tuple[type, ...] = (Form, ReportFields)
    if person:
        bases = (*bases, PersonFields)
        # A person's dossier always names the person and their unit (the service's rule,
        # `_check_nominee`): said beside the report's errors, not after they are mended.
        attributes["person_name"] = StringField(
            PERSON_NAME,
            validators=[
                DataRequired(message=_l("Enter the full name of the person.")),
                Length(max=120),
            ],
        )
        attributes["person_unit_id"] = SelectField(
            PERSON_UNIT,
            coerce=_int_or_none,
            choices=[],
            validate_choice=False,
            validators=[
                DataRequired(message=_l("Choose the unit where the person works or lives."))
            ],
        )
    elif award_type.for_units:
        bases = (*bases, CollectiveFields)
    return type("DossierForm", bases, attributes)


def met_value(value: object) -> bool | None:
    return _met(value)


def fill_dossier_form(form: FlaskForm, nomination: Nomination) -> None:
    """Put the stored answers and the version into a dossier form shown for the first time."""
    form["version"].data = nomination.version
    for criterion in nomination.award_type.criteria:
        answer = nomination.answer_for(criterion)
        if answer is None:
            continue
        prefix = f"c{criterion.id}_"
        if prefix + "met" in form and answer.met is not None:
            form[prefix + "met"].data = "yes" if answer.met else "no"
        if prefix + "value" in form:
            form[prefix + "value"].data = answer.value
        if prefix + "text" in form:
            form[prefix + "text"].data = answer.text
        form[prefix + "note"].data = answer.evidence_note


def saved_meanwhile(form: FlaskForm, nomination: Nomination) -> list[tuple[str, str]]:
    """After someone else saved `nomination` while `form` was being filled: each field whose
    saved value differs from what was typed, as (label, saved value shown). The form's version
    becomes the saved one: saving again replaces that text with what was typed, knowingly."""
    saved = type(form)(formdata=None, obj=nomination)
    fill_dossier_form(saved, nomination)
    form["version"].data = nomination.version
    differing = []
    for field in form:
        if field.name in ("csrf_token", "version") or field.type == "MultipleFileField":
            continue
        theirs = saved[field.name].data
        if _compared(field.data) != _compared(theirs):
            differing.append((str(field.label.text), _shown(field, theirs)))
    return differing


def _compared(value: object) -> object:
    if value is None or isinstance(value, str):
        # As stored: a browser sends a text box's line breaks as CR LF.
        return (value or "").replace("\r\n", "\n").strip()
    return getattr(value, "value", value)  # an enum as the form's choice holds it


def _shown(field: Any, value: object) -> str:
    """A saved value as the field shows it: a choice by its label, a number written the
    user's way."""
    wanted = _compared(value)
    if hasattr(field, "iter_choices") and wanted != "":
        for choice in field.iter_choices():
            if str(choice[0]) == str(wanted):
                return str(choice[1])
    if isinstance(value, Decimal):
        return format_number(value)
    return str(wanted)


def answers_from(form: FlaskForm, nomination: Nomination) -> dict[int, Answer]:
    """The self-assessment of each criterion, as the form holds it."""
    answers = {}
    for criterion in nomination.award_type.criteria:
        prefix = f"c{criterion.id}_"
        value = form[prefix + "value"].data if prefix + "value" in form else None
        answers[criterion.id] = Answer(
            met=met_value(form[prefix + "met"].data) if prefix + "met" in form else None,
            value=Decimal(value) if value is not None else None,
            text=form[prefix + "text"].data or "" if prefix + "text" in form else "",
            evidence_note=form[prefix + "note"].data or "",
        )
    return answers


def report_from(form: FlaskForm) -> Report:
    return Report(
        summary=form["summary"].data or "",
        general=form["report_general"].data or "",
        achievements=form["report_achievements"].data or "",
        criteria=form["report_criteria"].data or "",
        commendations=form["report_commendations"].data or "",
    )


def collective_from(form: FlaskForm) -> Collective | None:
    """The collective's details, when the form has them."""
    if "women_percent" not in form:
        return None
    return Collective(women_percent=form["women_percent"].data)


def gender_from(value: object) -> Gender | None:
    return Gender(value) if value in Gender.values() else None
