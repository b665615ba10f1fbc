"""The XLSX helper every export writes through: text is a formula-safe string cell."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from recognition.common.xlsxfiles import append_row

pytestmark = pytest.mark.unit


def test_text_is_a_string_cell_and_other_values_keep_their_type() -> None:
    book = Workbook()
    append_row(book.active, ["=1+1", "Nguyễn Thị Ánh", "tên\x01\x1fcó ký tự điều khiển", 7, 2.5])
    out = io.BytesIO()
    book.save(out)

    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())

    assert [(cell.data_type, cell.value) for cell in row] == [
        ("s", "'=1+1"),
        ("s", "Nguyễn Thị Ánh"),
        ("s", "têncó ký tự điều khiển"),
        ("n", 7),
        ("n", 2.5),
    ]
