"""XLSX files people open in spreadsheets: every text is a plain string cell, never a formula.

Shared by every XLSX exporter. A name typed as `=HYPERLINK(...)` reaches the sheet as the text
it is (docs/reliability.md, "Exports"): text gets the CSV exports' rule (`csvfiles.cell`,
a leading apostrophe before =, +, -, @, tab or CR), so it stays text when someone edits the cell
and enters it again, and it is stored as a string cell whatever openpyxl would infer from it.
"""

from collections.abc import Iterable
from datetime import date

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

from recognition.common.csvfiles import cell as formula_safe

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
