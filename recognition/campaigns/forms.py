"""Catalogue and campaign forms (shape only)."""

from collections.abc import Iterable
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from recognition.campaigns.enums import (
    AwardKind,
    AwardOccasion,
    MeasureKind,
    NomineeKind,
    ReportSection,
    VoteBase,
    VoteMethod,
)
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import AwardTypeData, CampaignData, CriterionData
from recognition.common.forms import (
    Form,
    Length,
    LocalDateField,
    LocalDecimalField,
    LocalIntegerField,
    NumberRange,
)
from recognition.database import LARGEST_AMOUNT
from recognition.law.enums import AwardStandard
from recognition.units.enums import UnitKind


def _int_or_none(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(str(value))
    except ValueError:
        return -1


def _options(kinds: Iterable[Any]) -> list[SelectChoice]:
    """Options of an enum: SelectChoice (tuples given to a field are deprecated since WTForms
    3.3), labelled lazily so that each page shows them in its reader's language, not in the
    language of whoever imported this module first."""
    return [SelectChoice(kind.value, LazyString(lambda kind=kind: kind.label)) for kind in kinds]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AwardTypeForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("A short code, e.g. LDTT or XA-NTM-KM."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=250)])
    certificate_title = StringField(
        _l("Title printed on the certificate"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example GIẤY KHEN, or the name of the title in capitals."),
    )
    kind = SelectField(_l("Kind"), choices=_options(AwardKind))
    nominee_kind = SelectField(_l("Who is nominated"), choices=_options(NomineeKind))
    standard = SelectField(
        _l("Standard in the law"),
        choices=_options(AwardStandard),
        default=AwardStandard.OWN_TITLE.value,
        description=_l(
            "Which title or commendation of the Law on Emulation and Commendation this is "
            "(its vote rule and authority follow from it), or the body's own title."
        ),
    )
    eligible_unit_kinds = MultiCheckboxField(
        _l("Eligible kinds of unit"),
        choices=_options(UnitKind),
        description=_l(
            "For collectives: which kinds of unit may be nominated. None ticked means any kind."
        ),
    )
    required_report_sections = MultiCheckboxField(
        _l("Report sections required to submit"),
        choices=_options(ReportSection),
        default=[ReportSection.ACHIEVEMENTS.value],
        description=_l(
            "Besides the summary, which every dossier needs. Usually all four for the "
            "province's titles, the flag, the diploma and the model titles; II for a Giấy khen."
        ),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3}
    )
    vote_method = SelectField(_l("Vote method"), choices=_options(VoteMethod))
    vote_threshold_percent = LocalDecimalField(
        _l("Threshold (%)"),
        places=2,
        validators=[InputRequired(), NumberRange(1, 100)],
        description=_l(
            "E.g. 80 percent of all members for Chiến sĩ thi đua cơ sở and Cờ thi đua, 90 "
            "percent for Chiến sĩ thi đua cấp tỉnh."
        ),
    )
    vote_base = SelectField(_l("Threshold counted on"), choices=_options(VoteBase))
    quorum_numerator = IntegerField(
        _l("Quorum (numerator)"), validators=[DataRequired(), NumberRange(1, 100)]
    )
    quorum_denominator = IntegerField(
        _l("Quorum (denominator)"), validators=[DataRequired(), NumberRange(1, 100)]
    )
    chair_must_approve = BooleanField(_l("The chair must be among those in favour"))
    abstain_allowed = BooleanField(_l("Members may abstain"))
    absentees_vote_in_writing = BooleanField(
        _l("Members absent from a meeting vote in writing"), default=True
    )
    public_posting_days = IntegerField(
        _l("Public posting (days)"),
        validators=[Optional(), NumberRange(0, 90)],
        default=0,
        description=_l("Days the list is posted publicly before the decision; 0 for none."),
    )
    simplified_allowed = BooleanField(_l("Simplified procedure allowed (no council vote)"))
    occasion = SelectField(
        _l("Occasion"),
        choices=_options(AwardOccasion),
        default=AwardOccasion.REGULAR.value,
        description=_l(
            "Sudden and thematic awards do not count towards merit awards "
            "(NĐ 152/2025/NĐ-CP, art. 4)."
        ),
    )
    cap_percent = LocalDecimalField(
        _l("Cap (%)"),
        places=2,
        # WTForms would print the bound as "0.01", not as the reader writes a decimal.
        validators=[
            Optional(),
            NumberRange(0.01, 100, message=_l("The cap must be above 0 and at most 100.")),
        ],
    )
    cap_base_id = SelectField(_l("…of the number of"), coerce=_int_or_none, choices=[])
    history_award_id = SelectField(_l("Requires earlier title"), coerce=_int_or_none, choices=[])
    history_years = IntegerField(
        _l("…for consecutive years"), validators=[Optional(), NumberRange(1, 20)]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the pairs that go together (the service's `_check_award_rules`,
        said beside every other error rather than on the next save)."""
        valid = super().validate(extra_validators)
        pairs = (
            (
                self.cap_percent,
                self.cap_base_id,
                _l("A cap needs both a percentage and the title it is counted on."),
            ),
            (
                self.history_years,
                self.history_award_id,
                _l("A history rule needs both the earlier title and the number of years."),
            ),
        )
        for shown_on, other, message in pairs:
            if not (shown_on.errors or other.errors) and (shown_on.data is None) != (
                other.data is None
            ):
                shown_on.errors = [*shown_on.errors, message]
                valid = False
        return valid

    def validate_quorum_numerator(self, field: IntegerField) -> None:
        denominator = self.quorum_denominator.data
        if field.data and denominator and field.data > denominator:
            raise ValidationError(_l("The quorum must be a fraction such as 2/3 (at most 1)."))

    def set_choices(self, award_types: list[tuple[int, str]]) -> None:
        none = [(None, str(_l("— none —")))]
        self.cap_base_id.choices = none + award_types
        self.history_award_id.choices = none + award_types

    def to_data(
        self, *, cap_base: AwardType | None, history_award: AwardType | None
    ) -> AwardTypeData:
        """What the form holds, for `save_award_type` (the two linked titles loaded)."""
        return AwardTypeData(
            code=self.code.data or "",
            name=self.name.data or "",
            certificate_title=self.certificate_title.data or "",
            kind=AwardKind(self.kind.data),
            nominee_kind=NomineeKind(self.nominee_kind.data),
            standard=AwardStandard(self.standard.data),
            eligible_unit_kinds=list(self.eligible_unit_kinds.data or []),
            required_report_sections=list(self.required_report_sections.data or []),
            description=self.description.data or "",
            vote_method=VoteMethod(self.vote_method.data),
            vote_threshold_percent=self.vote_threshold_percent.data,
            vote_base=VoteBase(self.vote_base.data),
            quorum_numerator=self.quorum_numerator.data or 0,
            quorum_denominator=self.quorum_denominator.data or 0,
            chair_must_approve=bool(self.chair_must_approve.data),
            abstain_allowed=bool(self.abstain_allowed.data),
            absentees_vote_in_writing=bool(self.absentees_vote_in_writing.data),
            public_posting_days=self.public_posting_days.data or 0,
            simplified_allowed=bool(self.simplified_allowed.data),
            occasion=AwardOccasion(self.occasion.data),
            cap_percent=self.cap_percent.data,
            cap_base=cap_base,
            history_award=history_award,
            history_years=self.history_years.data,
        )


class CriterionForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    group = StringField(_l("Group"), validators=[Optional(), Length(max=200)])
    text = TextAreaField(
        _l("Criterion"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3}
    )
    required = BooleanField(_l("Required"), default=True)
    measure = SelectField(_l("Measured as"), choices=_options(MeasureKind))
    target = LocalDecimalField(
        _l("Target"),
        places=2,
        validators=[Optional(), NumberRange(-LARGEST_AMOUNT, LARGEST_AMOUNT)],
    )
    unit_label = StringField(
        _l("Unit of the target"),
        validators=[Optional(), Length(max=40)],
        description=_l("E.g. %, million VND per person, households."),
    )
    evidence_required = BooleanField(_l("Evidence required"))

    def to_data(self) -> CriterionData:
        return CriterionData(
            code=self.code.data or "",
            text=self.text.data or "",
            group=self.group.data or "",
            required=bool(self.required.data),
            measure=MeasureKind(self.measure.data),
            target=self.target.data,
            unit_label=self.unit_label.data or "",
            evidence_required=bool(self.evidence_required.data),
        )


class CampaignForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    directive_reference = StringField(
        _l("Launched by"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. Chỉ thị số 01-CT/TU ngày 17-10-2020 của Ban Thường vụ Tỉnh ủy."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3}
    )
    period_start = LocalDateField(_l("Period from"), validators=[Optional()])
    period_end = LocalDateField(_l("Period to"), validators=[Optional()])
    opens_on = LocalDateField(_l("Submissions open on"), validators=[InputRequired()])
    closes_on = LocalDateField(
        _l("Submissions close on"),
        validators=[InputRequired()],
        description=_l("The last day on which dossiers can be submitted."),
    )

    # The services' rules on the dates (save_campaign), said here too: beside every other
    # error of the form at once, not on the next save after those are mended.
    def validate_closes_on(self, field: LocalDateField) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The window must close on or after the day it opens."))

    def validate_period_end(self, field: LocalDateField) -> None:
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError(_l("The period must end after it starts."))

    def to_data(self) -> CampaignData:
        return CampaignData(
            name=self.name.data or "",
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            directive_reference=self.directive_reference.data or "",
            description=self.description.data or "",
            period_start=self.period_start.data,
            period_end=self.period_end.data,
        )


class OfferForm(Form):
    award_type_id = SelectField(
        _l("Award type"), coerce=_int_or_none, choices=[], validators=[DataRequired()]
    )
    quota = LocalIntegerField(
        _l("Quota per nominating unit"),
        validators=[Optional(), NumberRange(1, 10000)],
        description=_l("Empty for no limit."),
    )


class ExtendForm(Form):
    closes_on = LocalDateField(_l("New closing day"), validators=[InputRequired()])


class CsvUploadForm(Form):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
