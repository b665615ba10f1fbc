"""The chair's digital signature on an issued decision and its certificates (NĐ 68/2024/NĐ-CP
on electronic signatures; NĐ 30/2020/NĐ-CP on digitally signed official documents).

A body whose settings name a signing key has its decision and all the decision's certificates
signed in one step when the chair issues it: one PIN, one token session. The PIN is passed
through to the key and never kept. Signing fails as a whole: nothing is issued then.
"""

import io
from pathlib import Path

import pikepdf
from flask import current_app
from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.certificates.rendering import (
    render_unstored,
    signature_slots,
    store_certificate_pdfs,
)
from recognition.common import storage
from recognition.common.audit import ObjectKind, record
from recognition.common.signature_checks import SignatureReport, stored_signature
from recognition.common.signing import (
    Document,
    Placement,
    SignerConfig,
    SignerKind,
    SigningFailed,
    configured_trust_roots,
    placement_in,
    sign_batch,
)
from recognition.decisions.documents import render_decision_to_sign
from recognition.decisions.models import Decision
from recognition.units.models import Unit
from recognition.units.settings import BodySettings, settings_for


def allowed_modules() -> list[str]:
    """The PKCS#11 modules this installation may load (a module is code run in the server)."""
    return list(current_app.config.get("SIGNATURE_PKCS11_MODULES") or [])


def signer_config(settings: BodySettings) -> SignerConfig:
    """The signing key named by a body's settings, its file resolved in the key folder."""
    if settings.signing_kind == SignerKind.PKCS12 and settings.signing_key_file:
        folder = Path(current_app.config["SIGNATURE_KEY_DIR"])
        return SignerConfig(SignerKind.PKCS12, pkcs12_path=str(folder / settings.signing_key_file))
    if settings.signing_kind == SignerKind.PKCS11:
        return SignerConfig(
            SignerKind.PKCS11,
            module_path=settings.signing_module,
            token_label=settings.signing_token_label,
            key_label=settings.signing_key_label,
        )
    return SignerConfig(SignerKind.NONE)


def signer_for(body: Unit) -> SignerConfig | None:
    """The body's signing key, or None when its decisions are not signed digitally."""
    config = signer_config(settings_for(body))
    return config if config.configured else None


def _placement(pdf: bytes, slot: tuple[float, ...] | None) -> Placement | None:
    if slot is None:
        return None
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        height = float(opened.pages[0].mediabox[3])
    return placement_in(0, slot, page_height=height, width=160.0, margin=2.0)


def sign_issued_decision(decision: Decision, *, secret: str, actor: User) -> int:
    """Sign the just-issued decision and its certificates in one batch with the body's key and
    store the signed PDFs; returns how many were signed. Raises `SigningFailed` on the PIN
    field when the key cannot be used (the caller rolls the issue back)."""
    config = signer_for(decision.awarding_body)
    if config is None:
        raise SigningFailed(_("This body has no signing key configured."))
    if config.kind == SignerKind.PKCS11 and config.module_path not in allowed_modules():
        raise SigningFailed(_("This PKCS#11 module is not among the installation's modules."))
    pdf, placement = render_decision_to_sign(decision)
    certificates = render_unstored(decision)
    settings = settings_for(decision.awarding_body)
    slots = signature_slots([c for c, _pdf in certificates], paper=settings.paper)
    signed = sign_batch(
        [
            Document(pdf, placement),
            *(
                Document(single, _placement(single, slot))
                for (_c, single), slot in zip(certificates, slots, strict=True)
            ),
        ],
        config=config,
        secret=secret,
        reason=_("Decision %(ref)s", ref=decision.reference),
        location=settings.place_name,
        trust_roots=configured_trust_roots(),
        tsa_url=str(current_app.config.get("SIGNATURE_TSA_URL") or ""),
    )
    stored = storage.store_bytes(signed[0], "application/pdf")
    decision.pdf_key = stored.storage_key
    decision.pdf_sha256 = stored.sha256
    store_certificate_pdfs(
        [(c, single) for (c, _pdf), single in zip(certificates, signed[1:], strict=True)]
    )
    record(
        ObjectKind.DECISION,
        decision.id,
        "sign",
        actor=actor,
        subject=decision.reference or decision.title,
        comment=_("%(count)d documents signed digitally", count=len(signed)),
    )
    return len(signed)


def issued_signature(decision: Decision) -> SignatureReport | None:
    """What the issued decision's signature is: the validation of its stored (signed) file, or
    unsigned when none was stored; None before it is issued."""
    if decision.issued_on is None:
        return None
    return stored_signature(decision.pdf_key) or SignatureReport(signed=False)
