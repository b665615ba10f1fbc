"""The yearly report on emulation and commendation as XLSX: one sheet per table of
recognition.statistics.tables, with Vietnamese headings and widths that fit; every text cell
is formula-safe (common/xlsxfiles.py)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from recognition.common.xlsxfiles import append_row
from recognition.statistics.queries import YearStatistics
from recognition.statistics.report import fill
from recognition.statistics.tables import REPORT_TABLES, ReportTable

HEADER_ROW = 5  # title, body and year, source, blank, then the headings


def _sheet(sheet: Worksheet, table: ReportTable, stats: YearStatistics) -> None:
    sheet.title = f"Biểu {table.code}"
    append_row(sheet, [f"Biểu {table.code}. {table.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [f"Đơn vị báo cáo: {stats.body.name} — Năm {stats.year}"])
    append_row(sheet, [f"{table.source} {table.note}".strip()])
    sheet["A3"].font = Font(italic=True)
    append_row(sheet, [])
    append_row(sheet, ["STT", table.label_header, *(c.header for c in table.columns)])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    number = 0
    for row in fill(table, stats):
        if row.is_total:
            append_row(sheet, ["", row.label, *row.values])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        else:
            number += 1
            append_row(sheet, [number, row.label, *row.values])
    widths = [6, table.label_width, *(c.width for c in table.columns)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"


def report_workbook(stats: YearStatistics) -> bytes:
    """The workbook of the year's report, one sheet per table."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for table in REPORT_TABLES:
        _sheet(book.create_sheet(), table, stats)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_filename(stats: YearStatistics) -> str:
    return f"Thống kê thi đua khen thưởng {stats.year} - {stats.body.name}.xlsx"
