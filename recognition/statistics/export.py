"""The yearly report on emulation and commendation as XLSX: one sheet per table of
recognition.statistics.tables, with Vietnamese headings and widths that fit; every text cell
is formula-safe (common/xlsxfiles.py). A table of awards has a section per part of the
statistics (the body's own awards, the levels below', the higher levels' where any), so that
no award is counted twice; the second line says the reporting body and the scope."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from recognition.common.xlsxfiles import append_row
from recognition.statistics.enums import Scope
from recognition.statistics.queries import YearStatistics
from recognition.statistics.report import FilledRow, fill
from recognition.statistics.tables import CAMPAIGNS, REPORT_TABLES, ReportTable, source_of
from recognition.units.enums import UnitKind

HEADER_ROW = 5  # title, body, year and scope, source, blank, then the headings

# The parts of a table of awards, each counted once (the report's Vietnamese, as the forms).
SECTIONS = {
    Scope.OWN: "A. Khen thưởng của {body} (đơn vị báo cáo)",
    Scope.BELOW: "B. Khen thưởng của cấp dưới trên địa bàn",
    Scope.ABOVE: "C. Khen thưởng của cấp trên cho đơn vị trên địa bàn",
}


# Who decides the level below's awards, by the reporting body's kind: a province's communes
# and wards (and the districts dissolved on 1-7-2025), a district's communes, wards and
# townships (its reports of the years before), else the bodies under it that confer awards.
BELOW_WHO = {
    UnitKind.PROVINCE: "các xã, phường; các huyện đã giải thể",
    UnitKind.DISTRICT: "các xã, phường, thị trấn",
}
BELOW_OTHERWISE = "các cơ quan, đơn vị trực thuộc có thẩm quyền khen thưởng"


def scope_note(stats: YearStatistics) -> str:
    """The reporting body, the year and what the figures take in."""
    body = stats.body.name
    below = BELOW_WHO.get(stats.body.kind, BELOW_OTHERWISE)
    parts = [
        f"A. khen thưởng do {body} quyết định (kể cả khen thưởng trước đây đã nhập vào lịch sử)",
        f"B. khen thưởng do cấp dưới trên địa bàn quyết định ({below}), mỗi khen thưởng tính "
        "một lần ở cấp quyết định",
    ]
    if stats.above.total:
        parts.append("C. khen thưởng của cấp trên cho tập thể, cá nhân trên địa bàn")
    note = f"Đơn vị báo cáo: {body} — Năm {stats.year}; phạm vi: {'; '.join(parts)}."
    if stats.higher_predecessors:
        names = ", ".join(unit.name for unit in stats.higher_predecessors)
        note += f" Khen thưởng của {names} (đã giải thể) do cấp tỉnh thống kê ở phần cấp dưới."
    if stats.annulled:
        note += f" Không tính {stats.annulled} khen thưởng của quyết định đã hủy bỏ, thu hồi."
    return note


def _rows(sheet: Worksheet, rows: list[FilledRow]) -> None:
    number = 0
    for row in rows:
        if row.is_total:
            append_row(sheet, ["", row.label, *row.values])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        else:
            number += 1
            append_row(sheet, [number, row.label, *row.values])


def _sheet(sheet: Worksheet, table: ReportTable, stats: YearStatistics) -> None:
    sheet.title = f"Biểu {table.code}"
    append_row(sheet, [f"Biểu {table.code}. {table.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [scope_note(stats)])
    append_row(sheet, [f"{source_of(table, stats.year)} {table.note}".strip()])
    sheet["A3"].font = Font(italic=True)
    append_row(sheet, [])
    append_row(sheet, ["STT", table.label_header, *(c.header for c in table.columns)])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    if table.counts == CAMPAIGNS:  # the body's own movements
        _rows(sheet, fill(table, stats))
    else:
        for part in stats.parts:
            append_row(sheet, ["", SECTIONS[part.scope].format(body=stats.body.name)])
            sheet.cell(sheet.max_row, 2).font = Font(bold=True, italic=True)
            _rows(sheet, fill(table, stats, part))
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
