"""The "ĐÃ THU HỒI" stamp on a revoked certificate, wherever its PDF is served.

When a decision is annulled its certificates are revoked (services.annul_decision), but a copy
that looks valid must not come out of the app: every PDF that holds a revoked certificate (the
single download, the ZIP, batches, print jobs, prints on blanks) is stamped on that
certificate's page, in red, with the day of revocation and the annulled decision. The stored
original and its SHA-256 never change: they are the evidence of what was issued, and the
verification page still shows that fingerprint.

The stamp is a transparent page laid out by WeasyPrint through the app's render path (its
fetcher, fonts and bounds), rendered once per stamp and page size, and laid over each page
with pikepdf.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pikepdf
from flask import current_app

from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.pdf import render_pdf

TEMPLATE = "pdf/revoked_stamp.html"


@dataclass(frozen=True)
class RevocationStamp:
    """Plain values for the template: what the stamp says."""

    revoked_on: str  # "20/03/2026"
    decision: str  # "Quyết định số 1/QĐ-UBND ngày 04/03/2026"


def revocation_stamp(certificate: Certificate) -> RevocationStamp | None:
    """The stamp a certificate carries, or None while it is valid."""
    if certificate.state != CertificateState.REVOKED or certificate.revoked_at is None:
        return None
    # The day in the awarding body's time zone, whoever downloads: a printed document gives
    # the same date to every reader.
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    decision = certificate.line.decision
    issued = f" ngày {decision.issued_on.strftime('%d/%m/%Y')}" if decision.issued_on else ""
    return RevocationStamp(
        revoked_on=certificate.revoked_at.astimezone(zone).strftime("%d/%m/%Y"),
        decision=f"Quyết định số {decision.reference}{issued}",
    )


def stamp_revoked(pdf: bytes, certificates: Sequence[Certificate]) -> bytes:
    """`pdf` (one page per certificate, in the order given) with the page of each revoked
    certificate stamped; the same bytes when none is revoked."""
    stamps = [revocation_stamp(certificate) for certificate in certificates]
    if not any(stamps):
        return pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if len(document.pages) != len(stamps):
            raise ValueError(f"{len(stamps)} certificates, {len(document.pages)} pages")
        overlays: dict[tuple[RevocationStamp, float, float], pikepdf.Object] = {}
        sources: list[pikepdf.Pdf] = []  # open until the document is saved: it reads from them
        try:
            for page, stamp in zip(document.pages, stamps, strict=True):
                if stamp is None:
                    continue
                box = pikepdf.Rectangle(page.mediabox)
                key = (stamp, round(box.width, 2), round(box.height, 2))
                if key not in overlays:
                    source = pikepdf.open(io.BytesIO(_overlay(*key)))
                    sources.append(source)
                    overlays[key] = document.copy_foreign(source.pages[0].as_form_xobject())
                page.add_overlay(overlays[key], box)
            out = io.BytesIO()
            document.save(out, compress_streams=True)
        finally:
            for source in sources:
                source.close()
    return out.getvalue()


def served_pdf(certificate: Certificate) -> bytes:
    """The certificate's stored PDF as it is served: stamped when revoked."""
    return stamp_revoked(storage.read_bytes(certificate.pdf_key or ""), [certificate])


_overlay_cache: dict[tuple[RevocationStamp, float, float], bytes] = {}


def _overlay(stamp: RevocationStamp, width: float, height: float) -> bytes:
    """The stamp as a one-page PDF of `width` × `height` points, rendered once per process:
    every certificate of an annulled decision carries the same one."""
    key = (stamp, width, height)
    if key not in _overlay_cache:
        if len(_overlay_cache) >= 32:
            _overlay_cache.clear()
        _overlay_cache[key] = render_pdf(TEMPLATE, stamp=stamp, width=width, height=height)
    return _overlay_cache[key]
