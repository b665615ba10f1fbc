"""Decision forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, Regexp

from recognition.common.forms import Form, Length
from recognition.common.signing import SignerKind
from recognition.units.enums import RegistrationRule


class DecisionForm(Form):
    title = StringField(_l("Title (Về việc …)"), validators=[DataRequired(), Length(max=500)])
    legal_bases = TextAreaField(
        _l("Legal bases (one “Căn cứ …” per line)"),
        validators=[Optional(), Length(max=10000)],
        render_kw={"rows": 5},
    )
    proposal = StringField(
        _l("Who proposed it (Theo đề nghị của …)"),
        validators=[Optional(), Length(max=300)],
    )
    articles = TextAreaField(
        _l("Articles (one per line)"),
        validators=[DataRequired(), Length(max=10000)],
        render_kw={"rows": 5},
    )
    recipients = TextAreaField(
        _l("Recipients (Nơi nhận)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"rows": 3},
    )
    signer_title = TextAreaField(
        _l("Signer's title"),
        validators=[DataRequired(), Length(max=100)],
        render_kw={"rows": 2},
        description=_l("Signing for another: two lines, e.g. KT. CHỦ TỊCH, then PHÓ CHỦ TỊCH."),
    )
    signer_name = StringField(_l("Signer's name"), validators=[DataRequired(), Length(max=120)])


class SettingsForm(Form):
    superior_name = StringField(
        _l("Superior body (first header line)"), validators=[Optional(), Length(max=200)]
    )
    issuer_name = StringField(_l("Issuing body"), validators=[DataRequired(), Length(max=200)])
    signer_office = StringField(
        _l("Office printed on certificates"), validators=[DataRequired(), Length(max=200)]
    )
    signer_title = TextAreaField(
        _l("Signer's title"),
        validators=[DataRequired(), Length(max=100)],
        render_kw={"rows": 2},
        description=_l("Signing for another: two lines, e.g. KT. CHỦ TỊCH, then PHÓ CHỦ TỊCH."),
    )
    signer_name = StringField(_l("Signer's name"), validators=[Optional(), Length(max=120)])
    place_name = StringField(
        _l("Place name for dates"), validators=[DataRequired(), Length(max=100)]
    )
    number_suffix = StringField(
        _l("Decision number suffix"),
        validators=[
            DataRequired(),
            Length(max=30),
            # Decree 30/2020 (Appendix I): the kind's and the issuer's abbreviations joined by
            # hyphens ("QĐ-UBND", "QĐ-HĐTĐKT", "QĐ-TTg"); [^\W_] is a letter or a digit,
            # Vietnamese ones included.
            Regexp(
                r"^\s*[^\W_]+(-[^\W_]+)*\s*$",
                message=_l(
                    "Use letters and digits, with one hyphen between the parts, e.g. QĐ-UBND "
                    "or QĐ-HĐTĐKT."
                ),
            ),
        ],
        description=_l("E.g. QĐ-UBND gives numbers like 125/QĐ-UBND."),
    )
    legal_bases = TextAreaField(
        _l("The body's own additional legal bases"),
        validators=[Optional(), Length(max=10000)],
        render_kw={"rows": 4},
        description=_l(
            "Cited after the law's bases, which follow the law in force on the decision's "
            "date (see the administrator's page of the law). One “Căn cứ …” per line."
        ),
    )
    recipients = TextAreaField(
        _l("Default recipients"), validators=[Optional(), Length(max=3000)], render_kw={"rows": 3}
    )
    proposer = StringField(
        _l("Who proposes award decisions"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "Printed after the legal bases as “Theo đề nghị của …”, e.g. Trưởng phòng Văn hóa - "
            "Xã hội (commune) or Giám đốc Sở Nội vụ (province)."
        ),
    )
    # SelectChoice, not tuples: tuples given to the constructor are deprecated (WTForms 3.3).
    paper = SelectField(
        _l("Certificate paper"), choices=[SelectChoice("A4", "A4"), SelectChoice("A3", "A3")]
    )
    emblem = FileField(
        _l("Emblem image (PNG or JPEG)"),
        description=_l(
            "Printed at the top centre of full certificates. Without one, the "
            "layout stays balanced."
        ),
    )
    remove_emblem = BooleanField(_l("Remove the current emblem"))
    registration_rule = SelectField(
        _l("A dossier for a title its unit did not register for the year"),
        choices=[
            SelectChoice(rule.value, RegistrationRule.labels()[rule]) for rule in RegistrationRule
        ],
        description=_l("Units register in the Emulation work menu, under Emulation registration."),
    )
    signing_kind = SelectField(
        _l("Digital signature of decisions and certificates"),
        choices=[SelectChoice(kind.value, SignerKind.labels()[kind]) for kind in SignerKind],
        description=_l(
            "The key itself and its PIN are never stored here: the chair types the PIN when "
            "issuing a decision."
        ),
    )
    signing_key_file = StringField(
        _l("PKCS#12 file name (in the installation's key folder)"),
        validators=[Optional(), Length(max=200)],
    )
    signing_module = StringField(
        _l("PKCS#11 module (one of the installation's modules)"),
        validators=[Optional(), Length(max=300)],
    )
    signing_token_label = StringField(_l("Token label"), validators=[Optional(), Length(max=100)])
    signing_key_label = StringField(
        _l("Key label on the token"), validators=[Optional(), Length(max=100)]
    )


class IssueForm(Form):
    """Issuing; with the body's signing key, the PIN that unlocks it (never stored)."""

    pin = PasswordField(
        _l("PIN or passphrase of the signing key"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )


class AnnulForm(Form):
    reason = TextAreaField(
        _l("Reason for annulment"), validators=[DataRequired(), Length(max=3000)]
    )


class AnnulmentRequestForm(Form):
    reason = TextAreaField(
        _l("Why the decision should be annulled"),
        validators=[DataRequired(), Length(max=3000)],
        description=_l("E.g. the findings of an inspection or a complaint found to be right."),
        render_kw={"rows": 3},
    )


class DismissAnnulmentForm(Form):
    note = TextAreaField(
        _l("Why the proposal is dismissed"),
        validators=[DataRequired(), Length(max=3000)],
        render_kw={"rows": 3},
    )


class FeedbackForm(Form):
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=120)])
    contact = StringField(
        _l("Phone or e-mail (optional)"), validators=[Optional(), Length(max=200)]
    )
    text = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 4}
    )


class VerifyUploadForm(Form):
    """A PDF someone received, to check against what was issued."""

    file = FileField(_l("The certificate or decision as a PDF file"), validators=[FileRequired()])
