"""The validation of a PDF's digital signature (pyHanko, pyhanko-certvalidator), offline: the
signer, the time (the time-stamp's where there is one), whether the signed bytes are intact and
the whole file, whether the signer's chain reaches a configured trust root, and whether a
configured certificate revocation list (CRL) revokes the signer's certificate."""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app

from recognition.common.signature_cache import validation_cache
from recognition.common.signing import off_loop, trust_roots_in

T = TypeVar("T")

with warnings.catch_warnings():  # pyHanko imports cryptography's DSA, deprecated there
    warnings.simplefilter("ignore")
    from asn1crypto import crl as asn1_crl
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

# pyHanko logs a chain it cannot build to a trust root (or a certificate expired or revoked) as
# a warning with its traceback, on every validation: here that is the validation's outcome,
# which the report carries and the page shows, not a fault of the server to look into.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)


@dataclass(frozen=True)
class SignatureReport:
    """What the validation of a PDF's last signature found."""

    signed: bool
    signer: str = ""
    signed_at: datetime | None = None
    intact: bool = False  # the signed bytes are unchanged and the signature is sound
    whole_file: bool = False  # nothing but validation data was added after the signature
    trusted: bool = False  # the chain reaches a configured trust root
    fingerprint: str = ""  # SHA-256 of the signer's certificate
    timestamped_by: str = ""  # the time-stamping authority of a PAdES B-T signature
    revoked: bool = False  # a configured CRL revokes the signer's certificate

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.whole_file and self.trusted and not self.revoked


def crls_in(data: bytes) -> list[asn1_crl.CertificateList]:
    """The certificate revocation lists of one file's bytes (DER, or PEM holding several)."""
    if pem.detect(data):
        return [asn1_crl.CertificateList.load(der) for _t, _h, der in pem.unarmor(data, True)]
    return [asn1_crl.CertificateList.load(data)]


def load_crls(paths: list[str]) -> list[asn1_crl.CertificateList]:
    """The certificate revocation lists of the files `paths` (DER or PEM)."""
    return [crl for path in paths for crl in crls_in(Path(path).read_bytes())]


def _context(
    trust_roots: list[asn1_x509.Certificate], crls: list[asn1_crl.CertificateList]
) -> ValidationContext:
    if not crls:
        return ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    # Soft-fail: a certificate no list covers is not refused for that; one a list names is.
    return ValidationContext(
        trust_roots=list(trust_roots),
        crls=list(crls),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _common_name(cert: Any) -> str:
    return str(cert.subject.native.get("common_name", "")) if cert is not None else ""


def validate_pdf(
    pdf: bytes,
    *,
    trust_roots: list[asn1_x509.Certificate],
    crls: list[asn1_crl.CertificateList] | None = None,
) -> SignatureReport:
    """Validate the last signature of `pdf` against `trust_roots` and `crls` (no network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # a damaged or foreign file is simply not signed
        return SignatureReport(signed=False)
    if not embedded:
        return SignatureReport(signed=False)
    signature = embedded[-1]
    context = _context(trust_roots, crls or [])
    try:
        status = off_loop(lambda: validate_pdf_signature(signature, context))
    except Exception:  # a broken signature is reported as such
        return SignatureReport(signed=True)
    cert = status.signing_cert
    coverage = status.coverage.name if status.coverage is not None else ""
    level = status.modification_level.name if status.modification_level is not None else ""
    # After the signature only its own validation data (a DSS revision) may follow.
    unchanged = coverage == "ENTIRE_FILE" or (
        coverage == "ENTIRE_REVISION" and level in ("NONE", "LTA_UPDATES")
    )
    stamp = status.timestamp_validity
    return SignatureReport(
        signed=True,
        signer=_common_name(cert),
        signed_at=stamp.timestamp if stamp is not None else status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        whole_file=unchanged,
        trusted=bool(status.trusted) and bool(trust_roots),
        fingerprint=cert.sha256.hex() if cert is not None else "",
        timestamped_by=_common_name(stamp.signing_cert) if stamp is not None else "",
        revoked=bool(status.revoked),
    )


def _file_bytes(setting: str) -> tuple[bytes, ...]:
    """The bytes of the files the configuration's `setting` names; none (and the error logged)
    when one cannot be read."""
    try:
        return tuple(Path(path).read_bytes() for path in current_app.config.get(setting) or [])
    except OSError:
        current_app.logger.exception("the files of %s cannot be read", setting)
        return ()


def _parsed(setting: str, files: tuple[bytes, ...], parse: Callable[[bytes], list[T]]) -> list[T]:
    try:
        return [item for data in files for item in parse(data)]
    except ValueError:
        current_app.logger.exception("the files of %s cannot be read", setting)
        return []


def configured_validation(pdf: bytes) -> SignatureReport:
    """The validation of `pdf` against the configured trust roots and revocation lists, made
    again only when the PDF, one of those files or the time bucket differs from a validation
    kept in the cache (recognition.common.signature_cache)."""
    roots = _file_bytes("SIGNATURE_TRUST_ROOTS")
    crls = _file_bytes("SIGNATURE_CRLS")
    depends_on = (_digest(pdf), tuple(map(_digest, roots)), tuple(map(_digest, crls)))
    return validation_cache().get_or_make(
        depends_on,
        lambda: validate_pdf(
            pdf,
            trust_roots=_parsed("SIGNATURE_TRUST_ROOTS", roots, trust_roots_in),
            crls=_parsed("SIGNATURE_CRLS", crls, crls_in),
        ),
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_signature(pdf_key: str | None) -> SignatureReport | None:
    """The validation of the stored PDF `pdf_key` against the configured trust roots and
    revocation lists, kept for a few minutes (None: no file stored)."""
    from recognition.common import storage

    if pdf_key is None:
        return None
    try:
        pdf = storage.read_bytes(pdf_key)
    except FileNotFoundError:
        return None
    return configured_validation(pdf)
