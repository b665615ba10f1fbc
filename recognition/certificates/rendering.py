"""Certificates of merit as PDF: rendered in layers, in batches, stored once each.

A certificate page is two layers of one template (templates/pdf/certificate.html): the
ornamental sheet, identical on every page, and the text of the certificate. The sheet is laid
out once per batch and placed under every text page as one shared PDF form; the QR code is
drawn straight into the page as filled squares. The text layers of a batch are laid out by
WeasyPrint in chunks spread over the render workers (recognition.common.pdf). The result looks like
the one-page-at-a-time rendering of the whole template (`render_reference`), at a fraction of
its cost (bench/certificates.py).

Issued certificates are split into single PDFs that are stored with their SHA-256 and served
byte-identical on every download.
"""

import base64
import hashlib
import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pikepdf
import segno
from flask import current_app, render_template

from recognition.campaigns.enums import AwardKind
from recognition.campaigns.wording import achievement_of
from recognition.certificates.artwork import DEFAULT_EMBLEM, FLAGS_LEFT, FLAGS_RIGHT
from recognition.certificates.codes import public_code
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.links import public_url
from recognition.common.pdf import collector_paused, layout, map_bounded, render_pdf, run_bounded
from recognition.common.text import official_date
from recognition.law.enums import AwardStandard
from recognition.units.settings import settings_for

if TYPE_CHECKING:
    from recognition.campaigns.models import AwardType
    from recognition.decisions.models import Decision


# Fitting the recipient's block to the sheet: an estimate from the texts' lengths, made before
# the layout (a second layout pass to measure would double a batch's cost). Liberation Serif's
# average letter, Vietnamese text with its spaces, is about these fractions of the type size.
PT_MM = 25.4 / 72
BOLD_EM, ITALIC_EM = 0.52, 0.46
FIT_MIN = 0.6


def lines_needed(text: str, width_mm: float, size_pt: float, em: float) -> int:
    """How many lines `text` takes in `width_mm` at `size_pt` (an estimate, a little generous:
    words do not break)."""
    if not text:
        return 0
    per_line = max(1, int(0.92 * width_mm / (size_pt * PT_MM * em)))
    return math.ceil(len(text) / per_line)


def _largest_scale(too_big: Callable[[float], bool]) -> float:
    """The largest scale, from 1 down to FIT_MIN by twentieths, that is not `too_big`."""
    scale = 1.0
    while scale > FIT_MIN and too_big(scale):
        scale -= 0.05
    return round(max(scale, FIT_MIN), 2)


def fit(text: str, width_mm: float, size_pt: float, lines: int, em: float) -> float:
    """The scale of `size_pt` (FIT_MIN to 1) at which `text` holds in `lines` lines."""
    return _largest_scale(lambda scale: lines_needed(text, width_mm, size_pt * scale, em) > lines)


# The full certificate's recipient block (templates/pdf/certificate.html): the widths its texts
# wrap in, their sizes and line heights, and the height the sheet holds under the title, that
# of a two-line name, one line of position and two of achievement.
BLOCK_WIDTH_MM, ACHIEVEMENT_WIDTH_MM = 240.0, 215.0
RECIPIENT_PT, DETAIL_PT, ACHIEVEMENT_PT = 27.0, 15.0, 17.0
BLOCK_BUDGET_PT = 2 * RECIPIENT_PT * 1.2 + DETAIL_PT * 1.2 + 2 * ACHIEVEMENT_PT * 1.3


def block_scale(recipient: str, detail: str, achievement: str) -> float:
    """The scale (FIT_MIN to 1) of the recipient's block at which a long name, position and
    achievement together still fit above the signature: nothing is cut off or printed over."""

    def height(scale: float) -> float:
        return (
            lines_needed(recipient, BLOCK_WIDTH_MM, RECIPIENT_PT * scale, BOLD_EM)
            * RECIPIENT_PT
            * 1.2
            + lines_needed(detail, BLOCK_WIDTH_MM, DETAIL_PT * scale, ITALIC_EM) * DETAIL_PT * 1.2
            + lines_needed(achievement, ACHIEVEMENT_WIDTH_MM, ACHIEVEMENT_PT * scale, ITALIC_EM)
            * ACHIEVEMENT_PT
            * 1.3
        ) * scale

    return _largest_scale(lambda scale: height(scale) > BLOCK_BUDGET_PT)


@dataclass(frozen=True)
class CertificateView:
    """Plain values for the template: no ORM object reaches the renderer."""

    office: str
    give: str  # "TẶNG" (a commendation) or "TẶNG DANH HIỆU" (a title)
    title: str
    flags: bool  # rows of red flags beside the emblem (Chiến sĩ thi đua cơ sở)
    recipient: str
    detail: str
    achievement: str
    decision_line: str
    golden_book: str  # "Số sổ vàng: N", N the recipient's number in the decision
    lookup: str  # "Mã tra cứu: <serial>", printed small under the QR code
    place_date: str
    signer_title: str
    signer_name: str
    verify_url: str
    emblem_uri: str
    # A test print on the layout's blank: marked across the sheet as of no value.
    specimen: bool = False

    @property
    def scale(self) -> float:
        """The recipient's block's type scale on the full certificate (`block_scale`)."""
        detail = self.detail if self.detail != self.recipient else ""
        return block_scale(self.recipient, detail, self.achievement)

    @property
    def flags_left(self) -> str:
        return FLAGS_LEFT

    @property
    def flags_right(self) -> str:
        return FLAGS_RIGHT

    @property
    def qr_uri(self) -> str:
        return qr_data_uri(self.verify_url)

    @property
    def sheet_key(self) -> tuple[str, ...]:
        """What the sheet layer draws: certificates with equal keys share one sheet."""
        return (
            self.office,
            self.emblem_uri,
            self.give,
            self.title,
            str(self.flags),
            self.decision_line,
            self.place_date,
            self.signer_title,
            self.signer_name,
        )


def verify_url(certificate: Certificate) -> str:
    """The address the certificate's QR code points to (the public verification page)."""
    return public_url(
        "public.verify",
        serial=certificate.public_serial,
        c=public_code(certificate.key_id, certificate.code),
    )


def qr_code(url: str) -> segno.QRCode:
    # A fixed mask pattern: choosing the best of the eight (segno's default) costs four times the
    # encoding itself; any mask decodes, and a 20 mm code printed in black on white is read by
    # every phone. Both renderings (SVG in the reference, filled squares in batches) share it.
    return segno.make(url, error="m", mask=QR_MASK)


def qr_data_uri(url: str) -> str:
    return str(qr_code(url).svg_data_uri(scale=QR_SCALE, border=1, dark="#1a1a1a"))


QR_SCALE = 3
QR_MASK = 2


def _emblem(key: str | None) -> str:
    """The body's uploaded emblem, or the drawn one."""
    if not key:
        return DEFAULT_EMBLEM
    try:
        content = storage.read_bytes(key)
    except FileNotFoundError:
        return DEFAULT_EMBLEM
    data = base64.b64encode(content).decode("ascii")
    kind = "image/png" if content[:4] == b"\x89PNG" else "image/jpeg"
    return f"data:{kind};base64,{data}"


# The longest achievement line the sheet holds under a two-line title and recipient (two lines
# of 17 pt); a longer dossier summary gives the campaign's line, not a sentence the sheet clips.
ACHIEVEMENT_MAX = 200


def _achievement(certificate: Certificate) -> str:
    line = certificate.line
    text = (line.achievement or "").strip()
    if not (text.lower().startswith("đã có thành tích") and len(text) <= ACHIEVEMENT_MAX):
        sentence = achievement_of(line.nomination.campaign, line.award_type)
        text = sentence[0].upper() + sentence[1:]
    return no_widow(text)


def no_widow(text: str) -> str:
    """`text` whose last two words are bound: a line never ends the sentence with one word
    ("… năm / 2026")."""
    head, space, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if space and head and len(last) <= 12 else text


def is_cstdcs(award: "AwardType") -> bool:
    """A Chiến sĩ thi đua cơ sở title, whose certificate has red flags beside the emblem: by its
    standard in the law, or, for a catalogue that does not name it, by its code or title."""
    if award.standard == AwardStandard.CSTD_CO_SO:
        return True
    return award.code.upper() == "CSTDCS" or (
        award.certificate_title.strip().upper() == "CHIẾN SĨ THI ĐUA CƠ SỞ"
    )


def give_word(award: "AwardType") -> str:
    """Line 4 of the pattern: "TẶNG DANH HIỆU" for a title, "TẶNG" for a commendation."""
    return "TẶNG" if award.kind == AwardKind.COMMENDATION else "TẶNG DANH HIỆU"


def certificate_view(certificate: Certificate) -> CertificateView:
    line = certificate.line
    decision = line.decision
    settings = settings_for(decision.awarding_body)
    issued = decision.issued_on or date.today()
    url = verify_url(certificate)
    return CertificateView(
        office=settings.signer_office,
        give=give_word(line.award_type),
        title=line.award_type.certificate_title,
        flags=is_cstdcs(line.award_type),
        recipient=line.recipient,
        detail=line.detail,
        achievement=_achievement(certificate),
        decision_line=(f"Quyết định số {decision.reference} ngày {issued.strftime('%d/%m/%Y')}"),
        golden_book=f"Số sổ vàng: {line.position}",
        lookup=f"Mã tra cứu: {certificate.public_serial}",
        place_date=f"{settings.place_name}, {official_date(issued)}",
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        verify_url=url,
        emblem_uri=_emblem(settings.emblem_key),
    )


TEMPLATE = "pdf/certificate.html"
# Certificates per text-layer job: large enough to share a job's fixed cost (fonts, styles),
# small enough to spread a batch over the workers and keep each worker's memory low.
CHUNK_MIN, CHUNK_MAX = 20, 250


def render_reference(certificates: list[Certificate], *, paper: str = "A4") -> bytes:
    """The whole template in one WeasyPrint call: what the layered rendering reproduces."""
    views = [certificate_view(c) for c in certificates]
    return render_pdf(TEMPLATE, certificates=views, paper=paper, layer="full")


def render_batch(certificates: list[Certificate], *, paper: str = "A4") -> bytes:
    """One PDF with one landscape page per certificate, in the order given."""
    return join_pdfs(map_bounded(compose_pdf, _layered_jobs(certificates, paper=paper)))


def join_pdfs(parts: list[bytes]) -> bytes:
    """The pages of `parts`, in order, in one PDF (the one part itself, when there is one)."""
    if len(parts) == 1:
        return parts[0]
    joined = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part)) for part in parts]
    for source in sources:
        joined.pages.extend(source.pages)
    return _save(joined)


def render_singles(certificates: list[Certificate], *, paper: str = "A4") -> list[bytes]:
    """One single-page PDF per certificate, in the order given."""
    parts = map_bounded(compose_singles, _layered_jobs(certificates, paper=paper))
    return [single for part in parts for single in part]


Slot = tuple[float, ...]  # left, top, right, bottom in CSS px from the page's top left


def _layered_jobs(
    certificates: list[Certificate], *, paper: str
) -> list[tuple[bytes, str, list[str], Slot]]:
    """The render jobs of a batch, one per chunk: the sheet's PDF, the text layer's HTML, the
    verification URLs and the QR code's square."""
    views = [certificate_view(c) for c in certificates]
    if not views:
        raise ValueError("no certificates to render")
    workers = max(1, int(current_app.config.get("PDF_PROCESSES", 2)))
    size = max(CHUNK_MIN, min(CHUNK_MAX, math.ceil(len(views) / workers)))
    jobs = []
    # Certificates that share a sheet (same body and decision) are consecutive in practice.
    for _key, grouped in itertools.groupby(views, key=lambda view: view.sheet_key):
        group = list(grouped)
        sheet, geometry = _sheet(
            render_template(TEMPLATE, certificates=group[:1], paper=paper, layer="sheet")
        )
        slot = tuple(geometry[f"qr_{side}"] for side in ("left", "top", "right", "bottom"))
        for start in range(0, len(group), size):
            chunk = group[start : start + size]
            text = render_template(
                TEMPLATE, certificates=chunk, paper=paper, layer="text", geometry=geometry
            )
            jobs.append((sheet, text, [view.verify_url for view in chunk], slot))
    return jobs


_sheet_cache: dict[str, tuple[bytes, dict[str, float]]] = {}


def _sheet(html: str) -> tuple[bytes, dict[str, float]]:
    """The sheet's PDF and where its text goes, rendered once per distinct sheet."""
    key = hashlib.sha256(html.encode()).hexdigest()
    if key not in _sheet_cache:
        if len(_sheet_cache) >= 16:
            _sheet_cache.clear()
        _sheet_cache[key] = run_bounded(render_sheet, html)
    return _sheet_cache[key]


# --- in the render worker: no app, plain values in and bytes out --------------------------------

PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


def render_sheet(html: str) -> tuple[bytes, dict[str, float]]:
    """The sheet as PDF, and the boxes the text layer fills (CSS px, for its stylesheet): the
    recipient block from below the header to the bottom of the content area, the QR code's
    square and the golden-book line (laid out, unseen, on the sheet)."""
    document = layout(html)
    page = document.pages[0]
    left, top, right, bottom = page.anchors["header"]
    qr_left, qr_top, qr_right, qr_bottom = page.anchors["qr-slot"]
    serial_left, serial_top, _, _ = page.anchors["serial"]
    lookup_left, lookup_top, _, _ = page.anchors["lookup"]
    geometry: dict[str, float] = {
        "left": left,
        "top": bottom,
        "width": right - left,
        "content_top": top,
        "qr_left": qr_left,
        "qr_top": qr_top,
        "qr_right": qr_right,
        "qr_bottom": qr_bottom,
        "serial_left": serial_left,
        "serial_top": serial_top,
        "lookup_left": lookup_left,
        "lookup_top": lookup_top,
    }
    if "signature-space" in page.anchors:
        for side, value in zip(
            ("left", "top", "right", "bottom"), page.anchors["signature-space"], strict=True
        ):
            geometry[f"signature_{side}"] = value
    return bytes(document.write_pdf() or b""), geometry


def compose_pdf(sheet: bytes, text_html: str, urls: list[str], slot: Slot) -> bytes:
    """The chunk's certificates as one PDF."""
    with collector_paused():
        return _save(compose(sheet, text_html, urls, slot))


def compose_singles(sheet: bytes, text_html: str, urls: list[str], slot: Slot) -> list[bytes]:
    """The chunk's certificates as one PDF each."""
    singles = []
    with collector_paused():
        for page in compose(sheet, text_html, urls, slot).pages:
            single = pikepdf.new()
            single.pages.append(page)
            singles.append(_save(single))
    return singles


def compose(sheet: bytes, text_html: str, urls: list[str], slot: Slot) -> pikepdf.Pdf:
    """Lay out the text pages, put the sheet under each, draw its QR code into its slot and
    make the code a link to the verification page."""
    document = layout(text_html)
    if len(document.pages) != len(urls):
        raise ValueError(f"{len(urls)} certificates gave {len(document.pages)} pages")
    pdf = pikepdf.open(io.BytesIO(bytes(document.write_pdf() or b"")))
    with pikepdf.open(io.BytesIO(sheet)) as sheet_pdf:
        form = pdf.copy_foreign(sheet_pdf.pages[0].as_form_xobject())
    under = pdf.make_stream(b"q /RecognitionSheet Do Q q\n")
    for page, url in zip(pdf.pages, urls, strict=True):
        page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/RecognitionSheet"), prefix="")
        height = float(page.mediabox[3])
        page.contents_add(under, prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ " + qr_operators(url, slot, page_height=height)))
        left, top, right, bottom = (value * PX_TO_PT for value in slot)
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[left, height - bottom, right, height - top],
            Border=[0, 0, 0],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(url)),
        )
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    return pdf


def _save(pdf: pikepdf.Pdf) -> bytes:
    pdf.docinfo[pikepdf.Name.Producer] = "recognition"
    out = io.BytesIO()
    pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def qr_operators(url: str, slot: Slot, *, page_height: float) -> bytes:
    """PDF operators that fill the QR code of `url` into `slot` (CSS px, from the top left),
    one rectangle per run of dark modules, with a one-module quiet zone as in `qr_data_uri`."""
    rows = qr_code(url).matrix
    left, top, right, _bottom = (value * PX_TO_PT for value in slot)
    module = (right - left) / (len(rows) + 2)
    top = page_height - top
    parts = ["q 0.102 0.102 0.102 rg"]
    for r, row in enumerate(rows):
        y = top - (r + 2) * module
        c, width = 0, len(row)
        while c < width:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < width and row[c]:
                c += 1
            x = left + (start + 1) * module
            parts.append(f"{x:.3f} {y:.3f} {(c - start) * module:.3f} {module:.3f} re")
    parts.append("f Q\n")
    return "\n".join(parts).encode("ascii")


def unstored_certificates(decision: "Decision") -> list[Certificate]:
    """The certificates of `decision` whose PDF is not stored yet."""
    return [
        line.certificate
        for line in decision.lines
        if line.certificate is not None and line.certificate.pdf_key is None
    ]


def render_unstored(decision: "Decision") -> list[tuple[Certificate, bytes]]:
    """The PDF of every certificate of `decision` that has none stored yet."""
    pending = unstored_certificates(decision)
    if not pending:
        return []
    paper = settings_for(decision.awarding_body).paper
    return list(zip(pending, render_singles(pending, paper=paper), strict=True))


def signature_slots(certificates: list[Certificate], *, paper: str) -> list[Slot | None]:
    """Where the signature goes on each certificate: the space between the signer's title and
    name on its sheet (CSS px from the page's top left), or None."""
    slots: list[Slot | None] = []
    views = [certificate_view(c) for c in certificates]
    for _key, grouped in itertools.groupby(views, key=lambda view: view.sheet_key):
        group = list(grouped)
        _pdf, geometry = _sheet(
            render_template(TEMPLATE, certificates=group[:1], paper=paper, layer="sheet")
        )
        sides = ("left", "top", "right", "bottom")
        slot = (
            tuple(geometry[f"signature_{side}"] for side in sides)
            if "signature_left" in geometry
            else None
        )
        slots.extend([slot] * len(group))
    return slots


def store_certificate_pdfs(rendered: list[tuple[Certificate, bytes]]) -> int:
    """Store each certificate's PDF (signed or not) and keep its key and digest."""
    for certificate, single in rendered:
        stored = storage.store_bytes(single, "application/pdf")
        certificate.pdf_key = stored.storage_key
        certificate.pdf_sha256 = stored.sha256
    return len(rendered)


def store_certificates(decision: "Decision") -> int:
    """Render and store the PDF of every certificate of `decision` that has none yet."""
    return store_certificate_pdfs(render_unstored(decision))
