"""The text-only output for pre-printed blanks (phôi): certificates, the calibration page, a
test print, and the on-screen preview over the scanned blank.

The certificates carry the same data as the full ones (certificates.certificate_view): same
recipient, serial, decision and verification code. Every box is moved by the printer's
calibration offset in the PDFs; the preview shows the positions on the blank itself.
"""

from dataclasses import dataclass
from datetime import date

from recognition.blanks.models import BlankLayout
from recognition.blanks.services import FIELD_LABELS, PAGE_MM, boxes_of
from recognition.certificates.artwork import DEFAULT_EMBLEM
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import (
    BOLD_EM,
    ITALIC_EM,
    CertificateView,
    certificate_view,
    fit,
)
from recognition.common.links import public_url
from recognition.common.numbering import document_reference
from recognition.common.pdf import render_pdf
from recognition.common.text import official_date
from recognition.units.models import Unit
from recognition.units.settings import settings_for

PT_MM = 25.4 / 72
# Liberation Serif (the certificate's font): ascent and ascent + descent per em; WeasyPrint's
# "line-height: normal" is the latter.
ASCENT = 0.8911
NORMAL_LINE = 1.1074
LINE_HEIGHTS = {"title": 1.05, "achievement": 1.3}
# The full certificate prints a title longer than 16 characters at 30 pt instead of 46.
LONG_TITLE = 16
LONG_TITLE_SCALE = 30 / 46
RED = "#b3121d"  # the full certificate's red, for the office and the title
# A recipient from the demo data (recognition/ops/demo.py), for the preview and the test print.
SAMPLE_RECIPIENT = "Tổ công nghệ số cộng đồng ấp Sơn Lân"
SAMPLE_DETAIL = "Xã Sơn Định"
SAMPLE_ACHIEVEMENT = (
    "Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” giai đoạn 2024 - 2025"
)


@dataclass(frozen=True)
class Placement:
    """A field's box as the renderers need it: millimetres, points, CSS alignment."""

    name: str
    label: str
    left: float
    top: float
    width: float
    size: float
    align: str
    shown: bool

    @property
    def line_height(self) -> float:
        return LINE_HEIGHTS.get(self.name, NORMAL_LINE)

    @property
    def line_mm(self) -> float:
        return self.size * PT_MM * self.line_height


def placements(layout: BlankLayout, *, calibrated: bool = True) -> dict[str, Placement]:
    """Every field's box, moved by the printer's calibration offset when `calibrated`."""
    dx, dy = (layout.offset_x_mm, layout.offset_y_mm) if calibrated else (0.0, 0.0)
    return {
        name: Placement(
            name=name,
            label=str(FIELD_LABELS[name]),
            left=round(float(box.x) + dx, 2),
            top=round(float(box.y) + dy, 2),
            width=float(box.width),
            size=float(box.size),
            align=box.align if box.align in ("left", "center", "right") else "center",
            shown=bool(box.shown),
        )
        for name, box in boxes_of(layout).items()
    }


def render_blank_batch(certificates: list[Certificate], *, layout: BlankLayout) -> bytes:
    """One text-only page per certificate, in the order given, for the layout's blanks."""
    views = [certificate_view(c) for c in certificates]
    return _render(views, layout)


def render_test_print(body: Unit, layout: BlankLayout, *, today: date) -> bytes:
    """The sample certificate on the layout's blank, to try the printer before real ones."""
    return _render([sample_view(body, today=today)], layout)


def _render(views: list[CertificateView], layout: BlankLayout) -> bytes:
    width, height = PAGE_MM[layout.paper]
    return render_pdf(
        "pdf/certificate_blank.html",
        certificates=views,
        paper=layout.paper,
        width=width,
        height=height,
        boxes=placements(layout),
        long_title=LONG_TITLE,
        long_title_scale=LONG_TITLE_SCALE,
        fit=fit,
        bold_em=BOLD_EM,
        italic_em=ITALIC_EM,
    )


def render_calibration(layout: BlankLayout, *, body_name: str) -> bytes:
    """A page of crosshairs every 10 mm, labelled, and the fields' boxes outlined, all moved by
    the calibration offset: printed on a blank, it shows how far the printer is off."""
    width, height = PAGE_MM[layout.paper]
    return render_pdf(
        "pdf/blank_calibration.html",
        paper=layout.paper,
        width=width,
        height=height,
        boxes=placements(layout),
        offset_x=layout.offset_x_mm,
        offset_y=layout.offset_y_mm,
        body_name=body_name,
    )


def sample_view(body: Unit, *, today: date) -> CertificateView:
    """A certificate of the body with a demo recipient: the body's own office, place, signer."""
    settings = settings_for(body)
    # Serials start at 00001: the sample's number is no certificate's (its QR code finds none).
    serial = f"{body.code or body.id}-{today.year}-00000"
    url = public_url("public.verify", serial=serial)
    return CertificateView(
        office=settings.signer_office,
        give="TẶNG",
        title="GIẤY KHEN",
        flags=False,
        recipient=SAMPLE_RECIPIENT,
        detail=SAMPLE_DETAIL,
        achievement=SAMPLE_ACHIEVEMENT,
        decision_line=(
            f"Quyết định số {document_reference(125, settings.number_suffix)} "
            f"ngày {today.strftime('%d/%m/%Y')}"
        ),
        golden_book="Số sổ vàng: 1",
        lookup=f"Mã tra cứu: {serial}",
        place_date=f"{settings.place_name}, {official_date(today)}",
        signer_title=settings.signer_title,
        signer_name=settings.signer_name or "Trần Văn Minh",
        verify_url=url,
        emblem_uri=DEFAULT_EMBLEM,
        specimen=True,
    )


def field_texts(view: CertificateView) -> dict[str, str]:
    """The text each field prints (the QR code has none)."""
    return {
        "office": view.office,
        "give": view.give,
        "title": view.title,
        "recipient": view.recipient,
        "detail": view.detail if view.detail != view.recipient else "",
        "achievement": view.achievement,
        "decision_line": view.decision_line,
        "golden_book": view.golden_book,
        "place_date": view.place_date,
        "signer_title": view.signer_title.upper(),
        "signer_name": view.signer_name,
        "qr": "",
    }


@dataclass(frozen=True)
class PreviewField:
    """A field drawn in the preview's SVG (user units are millimetres)."""

    box: Placement
    height: float
    anchor: str  # SVG text-anchor
    text_x: float
    lines: list[tuple[float, str]]  # baseline, text
    font_mm: float
    bold: bool
    italic: bool
    red: bool


_ANCHORS = {"left": "start", "center": "middle", "right": "end"}
_BOLD = {
    "office",
    "give",
    "title",
    "recipient",
    "decision_line",
    "golden_book",
    "place_date",
    "signer_title",
    "signer_name",
}
_ITALIC = {"detail", "achievement", "decision_line", "golden_book", "place_date"}


def preview_fields(layout: BlankLayout, view: CertificateView) -> list[PreviewField]:
    """The shown fields at their positions on the blank (without the printer's offset), the
    text broken into lines by an estimate of its width: the PDF is exact, this is a guide."""
    texts = field_texts(view)
    fields = []
    for name, box in placements(layout, calibrated=False).items():
        if not box.shown:
            continue
        font = box.size * PT_MM
        if name == "title" and len(texts[name]) > LONG_TITLE:
            font *= LONG_TITLE_SCALE
        lines = _wrap(texts[name], box.width, font, bold=name in _BOLD) if texts[name] else []
        first = box.top + (box.line_height - NORMAL_LINE) / 2 * font + ASCENT * font
        step = font * box.line_height
        offset = {"left": 0.0, "center": box.width / 2, "right": box.width}[box.align]
        fields.append(
            PreviewField(
                box=box,
                height=box.width if name == "qr" else max(1, len(lines)) * step,
                anchor=_ANCHORS[box.align],
                text_x=round(box.left + offset, 2),
                lines=[(round(first + i * step, 2), line) for i, line in enumerate(lines)],
                font_mm=round(font, 2),
                bold=name in _BOLD,
                italic=name in _ITALIC,
                red=name in ("office", "title"),
            )
        )
    return fields


def _wrap(text: str, width: float, font: float, *, bold: bool) -> list[str]:
    # Average advance of Liberation Serif: about half an em, more for bold capitals.
    per_char = font * (0.7 if text.isupper() and bold else 0.6 if text.isupper() else 0.47)
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and len(candidate) * per_char <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
