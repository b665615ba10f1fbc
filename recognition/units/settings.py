"""An awarding body's settings: how its decisions and certificates look."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from recognition.common import storage
from recognition.common.audit import ObjectKind, record
from recognition.common.signing import SignerKind
from recognition.common.text import clean, clean_multiline, signer_title_lines
from recognition.database import Base, enum_check, enum_column
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import RegistrationRule, UnitKind
from recognition.units.models import Unit

# The council's standing body proposes awards: at commune level the culture and society office,
# at province level the Department of Home Affairs (NĐ 152/2025 and the two-level government of
# 1-7-2025); a body edits its own in its settings.
DEFAULT_PROPOSERS = {
    UnitKind.PROVINCE: "Giám đốc Sở Nội vụ",
    UnitKind.DISTRICT: "Trưởng phòng Nội vụ",
    UnitKind.COMMUNE: "Trưởng phòng Văn hóa - Xã hội",
    UnitKind.WARD: "Trưởng phòng Văn hóa - Xã hội",
    UnitKind.TOWNSHIP: "Trưởng phòng Văn hóa - Xã hội",
}
OTHER_PROPOSER = "Thường trực Hội đồng Thi đua - Khen thưởng"


def default_proposer(body: Unit) -> str:
    """Who proposes a body's award decisions unless its settings say otherwise."""
    return DEFAULT_PROPOSERS.get(body.kind, OTHER_PROPOSER)


class BodySettings(Base):
    """How an awarding body's decisions and certificates look (editable by its secretariat)."""

    __tablename__ = "body_settings"
    __table_args__ = (
        CheckConstraint(
            enum_check("registration_rule", RegistrationRule), name="registration_rule"
        ),
        CheckConstraint(enum_check("signing_kind", SignerKind), name="signing_kind"),
    )

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    issuer_name: Mapped[str] = mapped_column(String(200))  # "ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH"
    superior_name: Mapped[str] = mapped_column(String(200), default="")  # line above it
    signer_office: Mapped[str] = mapped_column(String(200))  # "CHỦ TỊCH ỦY BAN NHÂN DÂN ..."
    signer_title: Mapped[str] = mapped_column(String(100), default="CHỦ TỊCH")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    place_name: Mapped[str] = mapped_column(String(100))  # "Chợ Lách"
    number_suffix: Mapped[str] = mapped_column(String(30), default="QĐ-UBND")
    # The body's own additional "Căn cứ …" lines, cited after the law's (e.g. a provincial
    # regulation); the law's bases are dated rules (recognition.law).
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    # Who proposes the body's award decisions: "Theo đề nghị của <proposer>." (Decree 30/2020).
    proposer: Mapped[str] = mapped_column(String(200), default="")
    paper: Mapped[str] = mapped_column(String(2), default="A4")
    emblem_key: Mapped[str | None] = mapped_column(String(64))
    # A dossier for a title its unit did not register for the year: warned about or refused.
    registration_rule: Mapped[RegistrationRule] = enum_column(
        RegistrationRule, 10, default=RegistrationRule.WARN
    )
    # Where the chair's signing key is (NĐ 68/2024/NĐ-CP): a PKCS#12 file's name in the
    # installation's key folder, or a PKCS#11 module of the installation's list with the token's
    # and the key's labels. Never the key itself nor its PIN.
    signing_kind: Mapped[SignerKind] = enum_column(SignerKind, 10, default=SignerKind.NONE)
    signing_key_file: Mapped[str] = mapped_column(String(200), default="")
    signing_module: Mapped[str] = mapped_column(String(300), default="")
    signing_token_label: Mapped[str] = mapped_column(String(100), default="")
    signing_key_label: Mapped[str] = mapped_column(String(100), default="")


def settings_for(body: Unit) -> BodySettings:
    """The body's settings; until they are first saved, the defaults (not stored, so reading a
    page or a PDF never writes a row)."""
    settings = db.session.get(BodySettings, body.id)
    if settings is None:
        place = body.name
        for word in ("Tỉnh ", "Huyện ", "Xã ", "Phường ", "Thị trấn ", "Thành phố "):
            place = place.removeprefix(word)
        settings = BodySettings(
            unit_id=body.id,
            issuer_name=f"ỦY BAN NHÂN DÂN {body.name.upper()}",
            signer_office=f"CHỦ TỊCH ỦY BAN NHÂN DÂN {body.name.upper()}",
            place_name=place,
            superior_name="",
            # The body's own additional bases: the law's come from the rules in force on the
            # decision's date (recognition.law).
            legal_bases="",
            recipients="- Như Điều 3;\n- Lưu: VT, NV.",
            proposer=default_proposer(body),
            # Column defaults apply only when a row is inserted: set them for the unsaved one.
            signer_title="CHỦ TỊCH",
            signer_name="",
            number_suffix="QĐ-UBND",
            paper="A4",
            emblem_key=None,
            registration_rule=RegistrationRule.WARN,
            signing_kind=SignerKind.NONE,
            signing_key_file="",
            signing_module="",
            signing_token_label="",  # nosec B106 - a label, not a secret
            signing_key_label="",
        )
    return settings


def stored_settings(body: Unit) -> BodySettings:
    """The body's settings row, stored with the defaults when it does not exist yet."""
    settings = settings_for(body)
    if settings not in db.session:
        db.session.add(settings)
        db.session.flush()
    return settings


@dataclass(frozen=True)
class SettingsData:
    superior_name: str
    issuer_name: str
    signer_office: str
    signer_title: str
    signer_name: str
    place_name: str
    number_suffix: str
    legal_bases: str
    recipients: str
    paper: str
    proposer: str
    registration_rule: str = RegistrationRule.WARN
    signing_kind: str = SignerKind.NONE
    signing_key_file: str = ""
    signing_module: str = ""
    signing_token_label: str = ""
    signing_key_label: str = ""


def save_settings(
    body: Unit,
    data: SettingsData,
    *,
    emblem: BinaryIO | None = None,
    emblem_name: str = "",
    remove_emblem: bool = False,
    actor: Any = None,
) -> None:
    """Save a body's decision and certificate settings, audited with the names of the fields
    that changed; a replaced emblem's file is deleted once the change is committed."""
    settings = stored_settings(body)
    if data.paper not in ("A4", "A3"):
        raise DomainError(_("Choose A4 or A3."), field="paper")
    before = {name: getattr(settings, name) for name in AUDITED_FIELDS}
    for name in (
        "superior_name",
        "issuer_name",
        "signer_office",
        "signer_name",
        "place_name",
        "number_suffix",
        "proposer",
    ):
        setattr(settings, name, clean(getattr(data, name)))
    settings.signer_title = signer_title_lines(data.signer_title)
    settings.legal_bases = clean_multiline(data.legal_bases)
    settings.recipients = clean_multiline(data.recipients)
    settings.paper = data.paper
    if data.registration_rule not in RegistrationRule.values():
        raise DomainError(
            _("Choose what happens to an unregistered title."), field="registration_rule"
        )
    settings.registration_rule = RegistrationRule(data.registration_rule)
    _save_signer(settings, data)
    old = settings.emblem_key
    if emblem is not None:
        content_type = storage.check_upload(emblem, emblem_name or "emblem")
        if content_type not in ("image/png", "image/jpeg"):
            raise DomainError(_("The emblem must be a PNG or JPEG image."), field="emblem")
        settings.emblem_key = storage.store(emblem, content_type).storage_key
    elif remove_emblem:
        settings.emblem_key = None
    db.session.flush()
    if old is not None and old != settings.emblem_key:
        storage.discard_after_commit(old)
    changed = [name for name in AUDITED_FIELDS if getattr(settings, name) != before[name]]
    if changed:
        record(
            ObjectKind.BODY_SETTINGS,
            body.id,
            "edit",
            actor=actor,
            subject=body.name,
            comment=", ".join(changed),
        )


def _save_signer(settings: BodySettings, data: SettingsData) -> None:
    """Where the body's signing key is: a file name in the key folder (never a path elsewhere)
    or one of the installation's PKCS#11 modules, with the token's and key's labels."""
    if data.signing_kind not in SignerKind.values():
        raise DomainError(_("Choose how decisions are signed."), field="signing_kind")
    kind = SignerKind(data.signing_kind)
    name = clean(data.signing_key_file)
    if kind == SignerKind.PKCS12 and (
        not name or name != Path(name).name or name.startswith(".") or "\\" in name
    ):
        raise DomainError(
            _("Give the name of a file in the key folder, without a folder."),
            field="signing_key_file",
        )
    module = clean(data.signing_module)
    if kind == SignerKind.PKCS11:
        if module not in (current_app.config.get("SIGNATURE_PKCS11_MODULES") or []):
            raise DomainError(
                _("Give one of the PKCS#11 modules this installation allows."),
                field="signing_module",
            )
        for field in ("signing_token_label", "signing_key_label"):
            if not clean(getattr(data, field)):
                raise DomainError(_("Please fill in this field."), field=field)
    settings.signing_kind = kind
    settings.signing_key_file = name if kind == SignerKind.PKCS12 else ""
    settings.signing_module = module if kind == SignerKind.PKCS11 else ""
    for field in ("signing_token_label", "signing_key_label"):
        setattr(settings, field, clean(getattr(data, field)) if kind == SignerKind.PKCS11 else "")


AUDITED_FIELDS = (
    "superior_name",
    "issuer_name",
    "signer_office",
    "signer_title",
    "signer_name",
    "place_name",
    "number_suffix",
    "legal_bases",
    "recipients",
    "proposer",
    "paper",
    "emblem_key",
    "registration_rule",
    "signing_kind",
    "signing_key_file",
    "signing_module",
    "signing_token_label",
    "signing_key_label",
)
