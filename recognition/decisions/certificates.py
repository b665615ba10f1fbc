"""Certificates of merit as PDF: rendered in one batch per decision, stored once each.

Rendering many certificates in one WeasyPrint document shares the fonts and the layout work;
the batch is then split page by page (pypdf) into the single PDFs that are stored with their
SHA-256 and served byte-identical on every download.
"""

import base64
import io
from dataclasses import dataclass
from datetime import date

import segno
from flask import current_app, request, url_for
from pypdf import PdfReader, PdfWriter

from recognition import storage
from recognition.decisions.codes import public_code
from recognition.decisions.documents import official_date
from recognition.decisions.models import Certificate, Decision
from recognition.decisions.services import settings_for
from recognition.pdf import render_pdf


@dataclass(frozen=True)
class CertificateView:
    """Plain values for the template: no ORM object reaches the renderer."""

    office: str
    title: str
    recipient: str
    detail: str
    achievement: str
    decision_line: str
    golden_book: str
    place_date: str
    signer_title: str
    signer_name: str
    qr_uri: str
    verify_url: str
    emblem_uri: str | None


def verify_url(certificate: Certificate) -> str:
    path = url_for(
        "public.verify",
        serial=certificate.public_serial,
        c=public_code(certificate.key_id, certificate.code),
    )
    base = current_app.config.get("PUBLIC_URL") or (request.host_url.rstrip("/") if request else "")
    return f"{base}{path}"


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=1, dark="#1a1a1a"))


def _emblem(key: str | None) -> str | None:
    if not key:
        return None
    path = storage.path_for(key)
    if not path.exists():
        return None
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    kind = "image/png" if path.read_bytes()[:4] == b"\x89PNG" else "image/jpeg"
    return f"data:{kind};base64,{data}"


# The longest achievement line the sheet holds under a two-line title and recipient (two lines
# of 17 pt); a longer dossier summary gives the campaign's line, not a sentence the sheet clips.
ACHIEVEMENT_MAX = 200


def _achievement(certificate: Certificate) -> str:
    line = certificate.line
    text = (line.achievement or "").strip()
    if text.lower().startswith("đã có thành tích") and len(text) <= ACHIEVEMENT_MAX:
        return text
    campaign = line.nomination.campaign.name
    return f"Đã có thành tích xuất sắc trong {campaign}"


def certificate_view(certificate: Certificate) -> CertificateView:
    line = certificate.line
    decision = line.decision
    settings = settings_for(decision.awarding_body)
    issued = decision.issued_on or date.today()
    url = verify_url(certificate)
    return CertificateView(
        office=settings.signer_office,
        title=line.award_type.certificate_title,
        recipient=line.recipient,
        detail=line.detail,
        achievement=_achievement(certificate),
        decision_line=(f"Quyết định số {decision.reference} ngày {issued.strftime('%d/%m/%Y')}"),
        golden_book=f"Số sổ vàng: {certificate.public_serial}",
        place_date=f"{settings.place_name}, {official_date(issued)}",
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        qr_uri=qr_data_uri(url),
        verify_url=url,
        emblem_uri=_emblem(settings.emblem_key),
    )


def render_batch(certificates: list[Certificate], *, paper: str = "A4") -> bytes:
    """One PDF with one landscape page per certificate, in the order given."""
    views = [certificate_view(c) for c in certificates]
    return render_pdf("pdf/certificate.html", certificates=views, paper=paper)


def split_pages(pdf: bytes) -> list[bytes]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Producer": "recognition"})
        out = io.BytesIO()
        writer.write(out)
        pages.append(out.getvalue())
    return pages


def store_certificates(decision: Decision) -> int:
    """Render and store the PDF of every certificate of `decision` that has none yet."""
    pending = [
        line.certificate
        for line in decision.lines
        if line.certificate is not None and line.certificate.pdf_key is None
    ]
    if not pending:
        return 0
    paper = settings_for(decision.awarding_body).paper
    batch = render_batch(pending, paper=paper)
    for certificate, single in zip(pending, split_pages(batch), strict=True):
        stored = storage.store_bytes(single, "application/pdf")
        certificate.pdf_key = stored.storage_key
        certificate.pdf_sha256 = stored.sha256
    return len(pending)
