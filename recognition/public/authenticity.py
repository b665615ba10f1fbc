"""Is a PDF a genuine, unaltered document of this installation? The stored certificate's
signature is validated against the configured trust roots; an uploaded PDF is recognised by
its digest (exactly the file issued) and otherwise judged by its signature (a re-saved or
edited file no longer is the signed one). Revocation prevails over any signature."""

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.signature_checks import SignatureReport, configured_validation
from recognition.common.signature_checks import stored_signature as stored_pdf_signature
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision
from recognition.errors import DomainError
from recognition.extensions import db


class Verdict(StrEnum):
    GENUINE = "genuine"  # exactly the file issued, in force
    REVOKED = "revoked"  # the file issued, but its decision was annulled
    ALTERED = "altered"  # signed, but changed or re-saved after signing
    FOREIGN = "foreign"  # validly signed, but not a file issued here
    UNSIGNED = "unsigned"  # no signature and not a file issued here


@dataclass(frozen=True)
class UploadCheck:
    verdict: Verdict
    report: SignatureReport
    certificate: Certificate | None = None
    decision: Decision | None = None


def stored_signature(certificate: Certificate) -> SignatureReport | None:
    """The validation of the signature of the certificate's stored PDF (None: not stored)."""
    return stored_pdf_signature(certificate.pdf_key)


def read_upload(data: BinaryIO, filename: str) -> bytes:
    """The uploaded file's bytes once it is known to be a PDF within the size limit (the
    checks of every upload); DomainError on the file field otherwise."""
    # Only PDFs are checked here: any other file is asked for as a PDF, not refused with the
    # list of the types a dossier takes.
    if not data.read(5).startswith(b"%PDF-"):
        raise DomainError(_("Please upload the certificate as a PDF file."), field="file")
    data.seek(0)
    try:
        content_type = storage.check_upload(data, filename or "upload.pdf")
    except DomainError as error:
        raise DomainError(error.message, field="file") from None
    if content_type != "application/pdf":
        raise DomainError(_("Please upload the certificate as a PDF file."), field="file")
    data.seek(0)
    return data.read()


def check_upload(pdf: bytes) -> UploadCheck:
    """What an uploaded PDF is: a certificate or decision issued here (found by its digest),
    revoked or in force, or a signed file that was changed, or one that is not ours."""
    digest = hashlib.sha256(pdf).hexdigest()
    report = configured_validation(pdf)
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.pdf_sha256 == digest).limit(1)
    )
    if certificate is not None:
        revoked = certificate.state == CertificateState.REVOKED
        return UploadCheck(
            Verdict.REVOKED if revoked else Verdict.GENUINE, report, certificate=certificate
        )
    decision = db.session.scalar(select(Decision).where(Decision.pdf_sha256 == digest).limit(1))
    if decision is not None:
        revoked = decision.state == DecisionState.ANNULLED
        return UploadCheck(
            Verdict.REVOKED if revoked else Verdict.GENUINE, report, decision=decision
        )
    if report.signed and not (report.intact and report.whole_file):
        return UploadCheck(Verdict.ALTERED, report)
    if report.signed:
        return UploadCheck(Verdict.FOREIGN, report)
    return UploadCheck(Verdict.UNSIGNED, report)
