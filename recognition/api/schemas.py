"""The API's request and response bodies (marshmallow; the OpenAPI document is built from
them). Texts are taken as stored: cleaned (no control or invisible characters) and NFC."""

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates

from recognition.campaigns.enums import CampaignStatus
from recognition.certificates.enums import CertificateState
from recognition.common.text import clean, clean_multiline
from recognition.decisions.enums import DecisionState
from recognition.nominations.enums import Gender, NominationState
from recognition.units.enums import UnitKind

ID = validate.Range(min=1, max=2**31 - 1)
LONG_TEXT = 20_000


class Text(fields.String):
    """A one-line text, cleaned as the forms clean it; `max` counts the stored text."""

    def __init__(self, *, max: int, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=max), **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return clean_multiline(text) if self.multiline else clean(text)


class Strict(Schema):
    class Meta:
        ordered = True


# --- reading ---------------------------------------------------------------------------------


class UnitOut(Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(UnitKind.values()))
    code = fields.String(allow_none=True)
    parent_id = fields.Integer(allow_none=True)
    is_awarding_body = fields.Boolean(required=True)
    is_active = fields.Boolean(required=True)


class CriterionOut(Strict):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    group = fields.String(required=True)
    text = fields.String(required=True)
    required = fields.Boolean(required=True)
    measure = fields.String(required=True)
    target = fields.Decimal(as_string=True, allow_none=True)
    unit_label = fields.String(required=True)
    evidence_required = fields.Boolean(required=True)


class AwardTypeOut(Strict):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    nominee_kind = fields.String(required=True)
    awarding_body_id = fields.Integer(required=True)
    eligible_unit_kinds = fields.List(fields.String(), required=True)
    required_report_sections = fields.List(fields.String(), required=True)
    criteria = fields.List(fields.Nested(CriterionOut), required=True)


class OfferOut(Strict):
    award_type_id = fields.Integer(required=True)
    award_type_name = fields.String(required=True)
    for_units = fields.Boolean(required=True)
    quota = fields.Integer(allow_none=True)


class CampaignOut(Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    awarding_body_id = fields.Integer(required=True)
    awarding_body_name = fields.String(required=True)
    directive_reference = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(CampaignStatus.values()))
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    offers = fields.List(fields.Nested(OfferOut), required=True)


class DecisionLineOut(Strict):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    recipient = fields.String(required=True)
    detail = fields.String(required=True)
    award_type_id = fields.Integer(required=True)
    award_type_name = fields.String(required=True)
    nomination_id = fields.Integer(required=True)
    certificate_serial = fields.String(allow_none=True)


class DecisionOut(Strict):
    id = fields.Integer(required=True)
    reference = fields.String(allow_none=True)
    title = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(DecisionState.values()))
    awarding_body_id = fields.Integer(required=True)
    awarding_body_name = fields.String(required=True)
    issued_on = fields.Date(allow_none=True)
    signer_title = fields.String(required=True)
    signer_name = fields.String(required=True)
    line_count = fields.Integer(required=True)


class DecisionDetailOut(DecisionOut):
    lines = fields.List(fields.Nested(DecisionLineOut), required=True)


class CertificateCheckArgs(Schema):
    c = fields.String(
        required=True,
        validate=validate.Length(min=1, max=80),
        metadata={"description": "The code printed on the certificate (its QR link's c)."},
    )


class CertificateOut(Strict):
    serial = fields.String(required=True)
    genuine = fields.Boolean(required=True)
    state = fields.String(required=True, validate=validate.OneOf(CertificateState.values()))
    recipient = fields.String(required=True)
    award = fields.String(required=True)
    decision_reference = fields.String(allow_none=True)
    issued_on = fields.Date(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class AwardRecordOut(Strict):
    id = fields.Integer(required=True)
    nominee_name = fields.String(required=True)
    nominee_kind = fields.String(required=True)
    unit_id = fields.Integer(allow_none=True)
    unit_name = fields.String(required=True)
    person_birth_year = fields.Integer(allow_none=True)
    award_name = fields.String(required=True)
    decision_reference = fields.String(required=True)
    decision_on = fields.Date(allow_none=True)
    awarding_body_name = fields.String(required=True)
    year = fields.Integer(allow_none=True)
    is_withdrawn = fields.Boolean(required=True)


class HistoryArgs(Schema):
    q = Text(max=100, load_default="")
    year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1900, 2200))


class CampaignFilter(Schema):
    campaign_id = fields.Integer(load_default=None, validate=ID)


class NominationFilter(CampaignFilter):
    state = fields.String(load_default="", validate=validate.OneOf(["", *NominationState.values()]))


# --- dossiers --------------------------------------------------------------------------------


class PersonIn(Strict):
    name = Text(max=120, required=True)
    position = Text(max=200, load_default="")
    unit_id = fields.Integer(required=True, validate=ID)
    birth_year = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(1, 9999)
    )
    gender = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(Gender.values())
    )


class AnswerIn(Strict):
    criterion_id = fields.Integer(required=True, validate=ID)
    met = fields.Boolean(load_default=None, allow_none=True)
    value = fields.Decimal(
        load_default=None,
        allow_none=True,
        places=2,
        allow_nan=False,
        metadata={"description": "A number below 10^11 in size."},
    )
    text = Text(max=LONG_TEXT, multiline=True, load_default="")
    evidence_note = Text(max=LONG_TEXT, multiline=True, load_default="")

    @validates("value")
    def _value_fits(self, value: Any, **kwargs: Any) -> None:
        # The column holds 14 digits, 2 after the point.
        if value is not None and abs(value) >= 10**11:
            raise ValidationError("Must be less than 10^11 in size.")


class ReportIn(Strict):
    summary = Text(max=LONG_TEXT, multiline=True, load_default="")
    general = Text(max=LONG_TEXT, multiline=True, load_default="")
    achievements = Text(max=LONG_TEXT, multiline=True, load_default="")
    criteria = Text(max=LONG_TEXT, multiline=True, load_default="")
    commendations = Text(max=LONG_TEXT, multiline=True, load_default="")


class DossierChangesIn(Strict):
    """What a dossier's texts and self-assessment become; fields left out are kept."""

    version = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=ID,
        metadata={"description": "The version read; a newer one stored is a 409."},
    )
    report = fields.Nested(ReportIn, load_default=None, allow_none=True)
    answers = fields.List(
        fields.Nested(AnswerIn), load_default=list, validate=validate.Length(max=200)
    )
    women_percent = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(0, 100)
    )


class NominationIn(DossierChangesIn):
    campaign_id = fields.Integer(required=True, validate=ID)
    award_type_id = fields.Integer(required=True, validate=ID)
    nominee_unit_id = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=ID,
        metadata={"description": "For an award to collectives: the unit nominated."},
    )
    person = fields.Nested(
        PersonIn,
        load_default=None,
        allow_none=True,
        metadata={"description": "For an award to individuals: the person nominated."},
    )


class TransitionIn(Strict):
    version = fields.Integer(load_default=None, allow_none=True, validate=ID)


class AttachmentIn(Schema):
    criterion_id = fields.Integer(load_default=None, allow_none=True, validate=ID)


class FileIn(Schema):
    file = Upload(required=True)


class AnswerOut(Strict):
    criterion_id = fields.Integer(required=True)
    met = fields.Boolean(allow_none=True)
    value = fields.Decimal(as_string=True, allow_none=True)
    text = fields.String(required=True)
    evidence_note = fields.String(required=True)


class AttachmentOut(Strict):
    id = fields.Integer(required=True)
    criterion_id = fields.Integer(allow_none=True)
    original_name = fields.String(required=True)
    content_type = fields.String(required=True)
    size_bytes = fields.Integer(required=True)
    sha256 = fields.String(required=True)


class NominationOut(Strict):
    id = fields.Integer(required=True)
    reference = fields.String(allow_none=True)
    state = fields.String(required=True, validate=validate.OneOf(NominationState.values()))
    version = fields.Integer(required=True)
    campaign_id = fields.Integer(required=True)
    award_type_id = fields.Integer(required=True)
    nominating_unit_id = fields.Integer(required=True)
    nominee_name = fields.String(required=True)
    nominee_unit_id = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)


class ReturnNoteOut(Strict):
    comment = fields.String(required=True)
    at = fields.DateTime(required=True)


class NominationDetailOut(NominationOut):
    summary = fields.String(required=True)
    answers = fields.List(fields.Nested(AnswerOut), required=True)
    attachments = fields.List(fields.Nested(AttachmentOut), required=True)
    returned = fields.Nested(ReturnNoteOut, allow_none=True)
    actions = fields.List(fields.String(), required=True)
