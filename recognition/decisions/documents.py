"""The decision as a PDF in the Decree 30/2020 layout, and the golden book as XLSX."""

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from recognition.decisions.models import Certificate, Decision
from recognition.decisions.services import settings_for
from recognition.pdf import render_pdf
from recognition.units.models import Unit
from recognition.xlsxfiles import append_row


def official_date(value: date) -> str:
    """ "ngày 04 tháng 3 năm 2024": decisions and certificates are Vietnamese documents, whatever
    the language of the person printing them (Decree 30/2020, the date line)."""
    return f"ngày {value.day:02d} tháng {value.month} năm {value.year}"


@dataclass(frozen=True)
class AnnexLine:
    number: int
    recipient: str
    detail: str
    award: str
    achievement: str


@dataclass(frozen=True)
class DecisionView:
    superior: str
    issuer: str
    reference: str
    place_date: str
    title: str
    signer_office: str
    legal_bases: list[str]
    articles: list[str]
    recipients: list[str]
    signer_title: str
    signer_name: str
    draft: bool
    annulled: bool
    lines: list[AnnexLine]


def decision_view(decision: Decision) -> DecisionView:
    settings = settings_for(decision.awarding_body)
    number = decision.reference or f"     /{settings.number_suffix}"
    issued = decision.issued_on
    date_text = official_date(issued) if issued else "ngày     tháng     năm"
    return DecisionView(
        superior=settings.superior_name,
        issuer=settings.issuer_name,
        reference=f"Số: {number}",
        place_date=f"{settings.place_name}, {date_text}",
        title=decision.title,
        signer_office=settings.signer_office,
        legal_bases=[line for line in decision.legal_bases.split("\n") if line.strip()],
        articles=[line for line in decision.articles.split("\n") if line.strip()],
        recipients=[line for line in decision.recipients.split("\n") if line.strip()],
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        draft=decision.state in ("draft", "posted"),
        annulled=decision.state == "annulled",
        lines=[
            AnnexLine(
                line.position, line.recipient, line.detail, line.award_type.name, line.achievement
            )
            for line in decision.lines
        ],
    )


def render_decision(decision: Decision) -> bytes:
    return render_pdf("pdf/decision.html", decision=decision_view(decision))


def golden_book_workbook(body: Unit, certificates: list[Certificate]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "So vang"
    append_row(sheet, [f"SỔ VÀNG KHEN THƯỞNG — {body.name.upper()}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [])
    append_row(
        sheet,
        [
            "Số sổ vàng",
            "Năm",
            "Người/tập thể được khen",
            "Chức vụ, đơn vị",
            "Danh hiệu, hình thức",
            "Quyết định",
            "Ngày",
            "Trạng thái",
        ],
    )
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for certificate in certificates:
        line = certificate.line
        append_row(
            sheet,
            [
                certificate.public_serial,
                certificate.year,
                line.recipient,
                line.detail,
                line.award_type.name,
                line.decision.reference,
                line.decision.issued_on.strftime("%d/%m/%Y") if line.decision.issued_on else "",
                "Hiệu lực" if certificate.state == "valid" else "Đã thu hồi",
            ],
        )
    for column, width in zip("ABCDEFGH", (18, 7, 32, 32, 36, 16, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
