"""A decision's payment list (danh sách chi tiền thưởng), as XLSX and as PDF: one row per
line with its amount and an empty column for the recipient's signature, and the total.

The texts are Vietnamese whatever the interface language: the list is a financial document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from recognition.common.pdf import render_pdf
from recognition.common.text import official_date
from recognition.common.xlsxfiles import append_row
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.compute import MoneyRule
from recognition.decisions.money.queries import DecisionMoney, LineMoney, decision_money
from recognition.decisions.money.services import money_text
from recognition.decisions.money.words import amount_in_words
from recognition.nominations.places import person_place, places_of
from recognition.units.models import Unit
from recognition.units.settings import settings_for

HEADER = (
    "STT",
    "Họ tên/Tập thể",
    "Đơn vị",
    "Hình thức",
    "Số tiền (đồng)",
    "Ký nhận",
    "Ghi chú",
)
WIDTHS = (6, 32, 38, 40, 16, 18, 44)


@dataclass(frozen=True)
class PaymentRow:
    number: int
    recipient: str
    unit: str
    award: str
    amount: int
    # Why a line is paid nothing, or less than its title's amount, or a corrected amount.
    note: str = ""


@dataclass(frozen=True)
class PaymentList:
    issuer: str
    title: str
    reference: str
    rows: list[PaymentRow]
    total: int
    place_date: str
    signer_title: str
    # Across the pages of a list that pays nothing yet (a draft) or no longer (annulled).
    watermark: str = ""

    @property
    def total_text(self) -> str:
        return money_text(self.total)

    @property
    def total_in_words(self) -> str:
        return f"Bằng chữ: {amount_in_words(self.total)}."


def _unit(line: DecisionLine, places: dict[int, Unit]) -> str:
    """The unit a recipient belongs to: a person's unit (not their position), else the line's
    detail, else a collective's parent unit, else the nominating unit (never the recipient's own
    name again)."""
    nomination = line.nomination
    if nomination.is_person and nomination.person_unit is not None:
        return person_place(nomination, places)
    if line.detail:
        return line.detail
    nominee = line.nomination.nominee_unit
    if nominee is not None and nominee.parent is not None:
        return nominee.parent.name
    name = line.nomination.nominating_unit.name
    return "" if name == line.recipient else name


def payment_note(item: LineMoney) -> str:
    """The line's note on the list, in the words of a financial document."""
    if item.overridden:
        return f"Điều chỉnh: {item.line.amount_reason}"
    computed = item.computed
    references = ", ".join(r for r in computed.earlier_references if r) or "quyết định trước"
    if computed.rule == MoneyRule.NOT_HIGHEST:
        return "Không chi: cùng kỳ đã được thưởng danh hiệu cao hơn (chỉ chi mức cao nhất)"
    if computed.rule == MoneyRule.PAID_EARLIER:
        return (
            f"Không chi: cùng kỳ đã chi {money_text(computed.earlier)} theo {references} "
            "(chỉ chi mức cao nhất)"
        )
    if computed.rule == MoneyRule.DIFFERENCE:
        return (
            f"Chi phần chênh lệch: {money_text(computed.rounded)} trừ "
            f"{money_text(computed.earlier)} đã chi theo {references}"
        )
    if computed.rule == MoneyRule.NO_COEFFICIENT:
        return "Không có mức tiền thưởng theo quy định"
    if computed.rule == MoneyRule.NO_BASE:
        return "Chưa có mức lương cơ sở áp dụng"
    return ""


def payment_list(decision: Decision, money: DecisionMoney | None = None) -> PaymentList:
    money = money or decision_money(decision)
    settings = settings_for(decision.awarding_body)
    reference = decision.reference or "(dự thảo)"
    places = places_of([item.line.nomination for item in money.lines])
    rows = [
        PaymentRow(
            item.line.position,
            item.line.recipient,
            _unit(item.line, places),
            item.line.award_type.name,
            item.amount,
            payment_note(item),
        )
        for item in money.lines
    ]
    day = decision.issued_on
    return PaymentList(
        issuer=settings.issuer_name or decision.awarding_body.name,
        title=f"Kèm theo Quyết định số {reference}"
        + (f" ngày {day.strftime('%d/%m/%Y')}" if day else ""),
        reference=reference,
        rows=rows,
        total=money.total,
        place_date=f"{settings.place_name}, "
        + (official_date(day) if day else "ngày     tháng     năm"),
        signer_title=decision.signer_title,
        watermark={
            DecisionState.DRAFT: "DỰ THẢO",
            DecisionState.POSTED: "DỰ THẢO",
            DecisionState.ANNULLED: "ĐÃ HỦY BỎ",
        }.get(decision.state, ""),
    )


def payment_workbook(decision: Decision) -> bytes:
    view = payment_list(decision)
    book = Workbook()
    sheet = book.active
    sheet.title = "Chi tien thuong"
    append_row(sheet, ["DANH SÁCH CHI TIỀN THƯỞNG"])
    # A draft's title says "(dự thảo)" already; an annulled one says so here.
    annulled = view.watermark and "dự thảo" not in view.title
    append_row(sheet, [view.title + (f" ({view.watermark})" if annulled else "")])
    append_row(sheet, [view.issuer])
    append_row(sheet, [])
    append_row(sheet, list(HEADER))
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    for row in view.rows:
        append_row(
            sheet, [row.number, row.recipient, row.unit, row.award, row.amount, "", row.note]
        )
    append_row(sheet, ["", "Tổng cộng", "", "", view.total, "", ""])
    last = sheet.max_row
    append_row(sheet, ["", view.total_in_words])
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    for row_cells in sheet.iter_rows(min_row=6, max_row=last, min_col=5, max_col=5):
        for cell in row_cells:
            cell.number_format = "#,##0"
    for row_cells in sheet.iter_rows(min_row=6, max_row=last, min_col=7, max_col=7):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFG", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet["A1"].font = Font(bold=True, size=13)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_payment_list(decision: Decision) -> bytes:
    return render_pdf("pdf/payment_list.html", payments=payment_list(decision))
