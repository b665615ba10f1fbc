"""CSV files people make in spreadsheets: decoding, delimiter, line numbers, safe export.

Shared by every importer and exporter; an import reports each bad line and changes nothing.
"""

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from recognition.common.text import clean


@dataclass
class RowError:
    line: int
    message: str
    column: str = ""  # the column's heading, when the error is about one cell


class ImportFailed(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _is_utf16(raw: bytes) -> bool:
    """Excel's "Unicode Text" is UTF-16: a byte order mark, or a NUL byte beside each ASCII
    letter (no text file of ours holds a NUL)."""
    return raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]


def decode(raw: bytes) -> str:
    if _is_utf16(raw):
        # cp1258 would read it as text with a NUL between the letters: "Missing columns".
        raise ImportFailed(
            [
                RowError(
                    0,
                    _(
                        "The file is UTF-16 text (Excel's “Unicode Text”), not CSV. In Excel, "
                        "save it again as “CSV UTF-8 (Comma delimited)”."
                    ),
                )
            ]
        )
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([RowError(0, _("The file is not UTF-8 text. Save it as “CSV UTF-8”."))])


def dict_reader(text: str) -> "csv.DictReader[str]":
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_header(
    reader: "csv.DictReader[str]", *, required: set[str], expected: list[str]
) -> list[str]:
    """Normalise the header row (trimmed, lower case) in place and return it; raises
    ImportFailed on line 1 naming the required columns that are missing."""
    if not reader.fieldnames:
        raise ImportFailed([RowError(0, _("The file is empty."))])
    header = [clean(name).lower() for name in reader.fieldnames]
    missing = required - set(header)
    unknown = [_quoted(name) for name in header if name and name not in expected]
    if missing and unknown:
        # Misnamed columns ("ma,ten,loai"), another kind of file, or a table without its
        # header row: say both what is missing and what was not understood.
        raise ImportFailed(
            [
                RowError(
                    1,
                    _(
                        "Missing columns: %(columns)s. Columns not recognised: %(unknown)s. "
                        "The first line must name the columns: %(expected)s.",
                        columns=", ".join(name for name in expected if name in missing),
                        unknown=", ".join(unknown),
                        expected=", ".join(expected),
                    ),
                )
            ]
        )
    if missing:
        raise ImportFailed(
            [
                RowError(
                    1,
                    _(
                        "Missing columns: %(columns)s. Expected: %(expected)s.",
                        columns=", ".join(sorted(missing)),
                        expected=", ".join(expected),
                    ),
                )
            ]
        )
    reader.fieldnames = header
    return header


def _quoted(value: str) -> str:
    return value if len(value) <= QUOTED else value[:QUOTED] + "…"


def first_line(reader: "csv.DictReader[str]", record: dict[str, str | None]) -> int:
    """The file line a record starts on (the reader skips blank lines; cells may span lines)."""
    cells = [value for key, value in record.items() if key is not None]
    cells += record.get(None) or []  # type: ignore[call-overload]
    return reader.line_num - sum((cell or "").count("\n") for cell in cells)


# How much of a refused cell an error message quotes, so that it can be found in the file.
QUOTED = 30


def check_lengths(
    line: int, values: dict[str, str], limits: dict[str, int], errors: list[RowError]
) -> None:
    """Report each cell longer than its column holds (`limits`: column → characters, from the
    model), as the forms refuse it: PostgreSQL would refuse the row, SQLite store it whole."""
    for column, limit in limits.items():
        value = values.get(column, "")
        if len(value) > limit:
            quoted = _quoted(value)
            errors.append(
                RowError(
                    line,
                    _(
                        "The %(column)s “%(value)s” is longer than %(max)d characters.",
                        column=column,
                        value=quoted,
                        max=limit,
                    ),
                )
            )


def cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in exported text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
