"""The award history's search as XLSX: the records the search finds for this user, newest
first, as the page lists them (common/xlsxfiles.py: formula-safe)."""

from collections.abc import Iterator

from flask_babel import force_locale
from sqlalchemy import Select

from recognition.common.xlsxfiles import Column, Value, export_note, list_xlsx
from recognition.extensions import db
from recognition.history.models import AwardRecord

# Records read at a time.
CHUNK = 1000

COLUMNS = (
    Column("STT", 6),
    Column("Đối tượng", 36),
    Column("Loại", 10),
    Column("Chức vụ", 24),
    Column("Đơn vị", 30),
    Column("Năm sinh", 8),
    Column("Danh hiệu/Hình thức", 40),
    Column("Số quyết định", 18),
    Column("Ngày quyết định", 12),
    Column("Cơ quan khen thưởng", 30),
    Column("Năm", 6),
    Column("Ghi chú", 30),
)


def _note(record: AwardRecord) -> str:
    notes = []
    if record.is_withdrawn:
        notes.append("Đã thu hồi: quyết định bị hủy bỏ")
    if record.source == "import":
        notes.append(str(record.source.label))
    return "; ".join(notes)


def _rows(query: Select[AwardRecord]) -> Iterator[list[Value]]:
    number = 0
    offset = 0
    while True:
        records = list(db.session.scalars(query.offset(offset).limit(CHUNK)))
        for record in records:
            number += 1
            yield [
                number,
                record.nominee_name,
                record.nominee_kind.label,
                record.person_position or "",
                record.unit_name or "",
                record.person_birth_year,
                record.award_name,
                record.decision_reference or "",
                record.decision_on,
                record.awarding_body_name or "",
                record.year,
                _note(record),
            ]
        if len(records) < CHUNK:
            return
        offset += CHUNK


def history_xlsx(query: Select[AwardRecord], *, text: str, year: int | None) -> bytes:
    """The records `query` selects, in its order, with the search's words and year."""
    with force_locale("vi"):
        return list_xlsx(
            title="TRA CỨU KHEN THƯỞNG",
            subtitle=export_note(f"Tên: {text}" if text else "", f"Năm: {year}" if year else ""),
            columns=COLUMNS,
            rows=_rows(query),
        )
