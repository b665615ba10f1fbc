"""A movement's targets and their summary as XLSX, with Vietnamese headings (an official
report); every text cell is formula-safe (common/xlsxfiles.py)."""

from __future__ import annotations

import io

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from recognition.campaigns.models import Campaign
from recognition.common.xlsxfiles import append_row
from recognition.targets.queries import TargetRow, summaries_by_unit, summary_of, summary_sentence
from recognition.targets.rules import Band

TARGET_HEADINGS = [
    "STT",
    "Mã",
    "Chỉ tiêu",
    "Lĩnh vực",
    "Đơn vị tính",
    "Giá trị đầu kỳ",
    "Chỉ tiêu đề ra",
    "Cách đánh giá",
    "Đơn vị chịu trách nhiệm",
    "Thời điểm đánh giá",
    "Giá trị đã xác nhận",
    "Số liệu đến ngày",
    "Tỷ lệ đạt (%)",
    "Xếp loại",
]
WIDTHS = (6, 8, 50, 22, 14, 12, 12, 18, 30, 18, 14, 14, 12, 24)


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def _heading(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _targets_sheet(
    sheet: Worksheet, campaign: Campaign, rows: list[TargetRow], sentence: str
) -> None:
    sheet.title = "Chi tieu"
    append_row(sheet, [f"CHỈ TIÊU — {campaign.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [sentence])
    append_row(sheet, [])
    append_row(sheet, TARGET_HEADINGS)
    _heading(sheet, 4)
    for number, row in enumerate(rows, start=1):
        target, latest = row.target, row.latest
        append_row(
            sheet,
            [
                number,
                target.code,
                target.text,
                target.sector.label,
                target.measure_unit,
                _number(target.baseline),
                _number(target.target_value),
                target.direction.label,
                target.responsible_unit.name,
                target.timing.label,
                _number(latest.value) if latest is not None else None,
                latest.as_of_on.strftime("%d/%m/%Y") if latest is not None else "",
                _number(row.classification.progress),
                row.classification.label,
            ],
        )
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _units_sheet(sheet: Worksheet, rows: list[TargetRow], bands: list[Band]) -> None:
    sheet.title = "Theo don vi"
    total = summary_of(rows, bands)
    append_row(sheet, ["Đơn vị chịu trách nhiệm", "Tổng số", *(c.label for c in total.counts)])
    _heading(sheet, 1)
    for unit, summary in summaries_by_unit(rows, bands):
        append_row(sheet, [unit.name, summary.total, *(c.count for c in summary.counts)])
    append_row(sheet, ["Toàn phong trào", total.total, *(c.count for c in total.counts)])
    sheet.column_dimensions["A"].width = 36


def targets_workbook(campaign: Campaign, rows: list[TargetRow], bands: list[Band]) -> bytes:
    """The workbook: the targets with their latest confirmed values and classes, and the
    summary by responsible unit."""
    with force_locale("vi"):
        book = Workbook()
        sentence = summary_sentence(summary_of(rows, bands))
        _targets_sheet(book.active, campaign, rows, sentence)
        _units_sheet(book.create_sheet(), rows, bands)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
