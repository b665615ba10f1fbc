"""The golden book (sổ vàng) of an awarding body as XLSX."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate
from recognition.common.xlsxfiles import append_row
from recognition.units.models import Unit


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
            "Mã tra cứu",
            "Năm",
            # The book's own running number: gapless per body and year.
            "Số thứ tự trong năm",
            "Người/tập thể được khen",
            "Chức vụ, đơn vị",
            "Danh hiệu, hình thức",
            "Quyết định",
            "Ngày",
            "Trạng thái",
            # The number printed on the certificate: the recipient's number in the decision.
            "Số sổ vàng",
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
                certificate.serial,
                line.recipient,
                line.detail,
                line.award_type.name,
                line.decision.reference,
                line.decision.issued_on,  # a date cell, sortable and filterable as one
                "Hiệu lực" if certificate.state == CertificateState.VALID else "Đã thu hồi",
                line.position,
            ],
        )
    for column, width in zip("ABCDEFGHIJ", (18, 7, 10, 32, 32, 36, 16, 12, 12, 11), strict=True):
        sheet.column_dimensions[column].width = width
    for (cell,) in sheet.iter_rows(min_row=4, min_col=8, max_col=8):
        cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
