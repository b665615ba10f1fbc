"""The secretariat's inbox as XLSX: every dossier waiting for appraisal, oldest first, with
its round and deadline, as the inbox shows them (common/xlsxfiles.py: formula-safe)."""

from collections.abc import Iterator
from datetime import date

from flask_babel import force_locale
from sqlalchemy import Select

from recognition.common.xlsxfiles import Column, Value, export_note, list_xlsx, local_day
from recognition.extensions import db
from recognition.review.queries import dossiers_in_order, inbox_rows

# Rows loaded at a time.
CHUNK = 500

COLUMNS = (
    Column("STT", 6),
    Column("Ngày nhận", 12),
    Column("Đối tượng đề nghị", 40),
    Column("Số hồ sơ", 20),
    Column("Danh hiệu/Hình thức", 40),
    Column("Đơn vị đề nghị", 36),
    Column("Lần gửi", 8),
    Column("Hạn thẩm định", 14),
    Column("Quá hạn", 8),
    Column("Trạng thái", 24),
)


def _rows(ids: list[int], today: date) -> Iterator[list[Value]]:
    number = 0
    for start in range(0, len(ids), CHUNK):
        for row in inbox_rows(dossiers_in_order(ids[start : start + CHUNK]), today=today):
            number += 1
            n = row.nomination
            yield [
                number,
                local_day(n.submitted_at),
                n.nominee_name,
                n.reference or "",
                n.award_type.name,
                n.nominating_unit.name,
                row.round,
                row.deadline,
                "Quá hạn" if row.overdue else "",
                n.state.label,
            ]


def inbox_xlsx(query: Select[int], *, today: date) -> bytes:
    """The inbox whose ids `query` selects, in its order."""
    ids = list(db.session.scalars(query))
    with force_locale("vi"):
        return list_xlsx(
            title="HỒ SƠ CHỜ THẨM ĐỊNH",
            subtitle=export_note(),
            columns=COLUMNS,
            rows=_rows(ids, today),
        )
