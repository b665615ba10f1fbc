"""XLSX files people open in spreadsheets: every text is a plain string cell, never a formula.

Shared by every XLSX exporter. A name typed as `=HYPERLINK(...)` reaches the sheet as the text
it is (docs/reliability.md, "Exports"): text gets the CSV exports' rule (`csvfiles.cell`,
a leading apostrophe before =, +, -, @, tab or CR), so it stays text when someone edits the cell
and enters it again, and it is stored as a string cell whatever openpyxl would infer from it.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zipfile import BadZipFile

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from recognition.common.csvfiles import ImportFailed, RowError
from recognition.common.csvfiles import cell as formula_safe
from recognition.common.text import clean

Value = str | int | float | date | None


def text_cell(sheet: Worksheet, value: str) -> Cell:
    """A string cell holding `value`, formula-safe."""
    # XML cannot carry most control characters: openpyxl refuses them with an exception, which
    # would turn a stray character in a name into a failed export.
    cell = Cell(sheet, value=formula_safe(ILLEGAL_CHARACTERS_RE.sub("", value)))
    cell.data_type = "s"
    return cell


def append_row(sheet: Worksheet, values: Iterable[Value]) -> None:
    """Append a row to `sheet`; strings become formula-safe string cells, numbers stay numbers."""
    sheet.append([text_cell(sheet, value) if isinstance(value, str) else value for value in values])


# What openpyxl raises on a file that is not a workbook, or a damaged one.
UNREADABLE = (
    InvalidFileException,
    BadZipFile,
    OSError,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,  # the XML parser's ParseError is one
)


def read_first_sheet(raw: bytes, *, max_rows: int) -> list[tuple[Any, ...]]:
    """The values of the first sheet's rows, at most `max_rows` + 2 of them (the header, and
    one more to tell a file that is too long); ImportFailed on a file that is not an XLSX."""
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0] if book.worksheets else None
        rows = (
            [] if sheet is None else list(sheet.iter_rows(values_only=True, max_row=max_rows + 2))
        )
        book.close()
    except UNREADABLE as exc:
        raise ImportFailed([RowError(1, _("This is not an XLSX file."))]) from exc
    return rows


def text_of(value: Any) -> str:
    """A cell's value as clean text (a whole number typed in a text column loses its '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


@dataclass(frozen=True)
class Column:
    """A column of an exported list: its heading and the widest it may grow (characters)."""

    heading: str
    max_width: int = 50


def _width(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def list_xlsx(
    *, title: str, subtitle: str, columns: Sequence[Column], rows: Iterable[Sequence[Value]]
) -> bytes:
    """An exported list: a title row (what), a subtitle row (when, which filters), the
    headings, then the rows; columns as wide as their content (up to each one's maximum).
    Written in streaming mode: the rows are read once."""
    data = [list(row) for row in rows]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31].translate(_SHEET_NAME))
    for index, column in enumerate(columns, start=1):
        widest = max([len(column.heading), *(_width(row[index - 1]) for row in data)])
        sheet.column_dimensions[get_column_letter(index)].width = min(widest, column.max_width) + 2
    sheet.append([_styled(sheet, title, Font(bold=True, size=13))])
    sheet.append([_styled(sheet, subtitle, Font(italic=True))])
    sheet.append([_styled(sheet, column.heading, Font(bold=True)) for column in columns])
    for row in data:
        sheet.append(
            [
                _styled(sheet, value)
                if isinstance(value, str)
                else _date_cell(sheet, value)
                if isinstance(value, date)
                else value
                for value in row
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Characters a sheet's name may not hold.
_SHEET_NAME = str.maketrans({c: " " for c in "[]:*?/\\"})


def _styled(sheet: Any, value: str, font: Font | None = None) -> WriteOnlyCell:
    """A string cell of a streamed sheet, formula-safe (as `text_cell`)."""
    cell = WriteOnlyCell(sheet, value=formula_safe(ILLEGAL_CHARACTERS_RE.sub("", value)))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _date_cell(sheet: Any, value: date) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def export_note(*filters: str) -> str:
    """The subtitle of an exported list: when it was exported (local time) and its filters."""
    now = to_user_timezone(datetime.now(UTC))
    parts = [f"Xuất lúc {now:%H:%M} ngày {now:%d/%m/%Y}", *(f for f in filters if f)]
    return " · ".join(parts)


def local_day(value: datetime | None) -> date | None:
    """A timestamp's local day, as the pages show it."""
    return None if value is None else to_user_timezone(value).date()
