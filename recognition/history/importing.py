"""Import of earlier awards from the spreadsheet officers keep (XLSX): all rows or none, each
wrong row named by its row number; and the template to fill in."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from recognition.auth.models import User
from recognition.common.csvfiles import ImportFailed, RowError
from recognition.common.text import clean, fold
from recognition.common.xlsxfiles import append_row, read_first_sheet
from recognition.database import local_today, string_length
from recognition.extensions import db
from recognition.history.models import AwardRecord
from recognition.history.permissions import can_view_unit_history
from recognition.history.services import EarlierAward, person_key, unit_key
from recognition.units.models import Unit

COLUMNS = ["STT", "Họ tên", "Chức vụ", "Đơn vị", "Hình thức", "Số quyết định", "Ngày"]
CITIZEN_ID_COLUMN = "Số định danh cá nhân"
MAX_ROWS = 20_000
LIMITS = {
    "name": string_length(AwardRecord.person_name),
    "position": string_length(AwardRecord.person_position),
    "award": string_length(AwardRecord.award_name),
    "reference": string_length(AwardRecord.decision_reference),
}

__all__ = ["ImportFailed", "read_awards", "template_xlsx"]


def template_xlsx() -> bytes:
    """The template: the header row and one example row."""
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("Khen thưởng")
    columns = [*COLUMNS, *([CITIZEN_ID_COLUMN] if _citizen_ids_kept() else [])]
    append_row(sheet, columns)
    append_row(
        sheet,
        [
            "1",
            "Nguyễn Văn An",
            "Trưởng ấp",
            "Xã Phú Phụng",
            "Giấy khen",
            "125/QĐ-UBND",
            "15/12/2023",
        ],
    )
    for letter, width in zip("ABCDEFGH", (6, 28, 22, 28, 32, 18, 12, 22), strict=False):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _citizen_ids_kept() -> bool:
    return bool(current_app.config.get("HISTORY_STORE_CITIZEN_ID"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_text(value), "%d/%m/%Y").date()
    except ValueError:
        return None


def _check_header(header: tuple[Any, ...]) -> int:
    """The number of columns to read; refuses a header other than the template's."""
    names = [fold(_text(cell)) for cell in header]
    while names and not names[-1]:
        names.pop()
    expected = [fold(name) for name in COLUMNS]
    with_id = [*expected, fold(CITIZEN_ID_COLUMN)]
    if names in (expected, with_id):
        return len(names)
    message = _("The columns must be, in this order: %(columns)s.", columns=", ".join(COLUMNS))
    raise ImportFailed([RowError(1, message)])


class _Units:
    """Finds a row's unit by its name, among the units the importer may read."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.cache: dict[str, list[Unit]] = {}

    def find(self, name: str) -> tuple[Unit | None, str]:
        key = fold(name)
        if key not in self.cache:
            found = db.session.scalars(select(Unit).where(Unit.name_folded == key)).all()
            self.cache[key] = [u for u in found if can_view_unit_history(self.actor, u)]
        units = self.cache[key]
        if len(units) > 1:
            units = [u for u in units if u.is_active] or units
        if not units:
            return None, _("No unit named “%(name)s” within your scope.", name=name)
        if len(units) > 1:
            return None, _("Several units are named “%(name)s”.", name=name)
        return units[0], ""


def read_awards(raw: bytes, *, actor: User) -> list[EarlierAward]:
    """The file's rows, checked; raises ImportFailed listing every wrong row."""
    rows = read_first_sheet(raw, max_rows=MAX_ROWS)
    if not rows:
        raise ImportFailed([RowError(1, _("The file is empty."))])
    width = _check_header(rows[0])
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed([RowError(1, _("At most %(num)d rows at once.", num=MAX_ROWS))])
    units = _Units(actor)
    existing = _existing_keys()
    seen: dict[tuple[str, str, str], int] = {}
    errors: list[RowError] = []
    awards: list[EarlierAward] = []
    for number, values in enumerate(rows[1:], start=2):
        cells = [*values[:width], *([None] * (width - len(values)))]
        if not any(_text(cell) for cell in cells):
            continue
        award, problems = _row(number, cells, units, today=local_today())
        errors.extend(RowError(number, problem) for problem in problems)
        if award is None:
            continue
        key = _key(award)
        if key in seen:
            errors.append(RowError(number, _("Same award as row %(row)d.", row=seen[key])))
        elif key in existing:
            errors.append(RowError(number, _("This award is already in the history.")))
        else:
            seen[key] = number
            awards.append(award)
    if errors:
        raise ImportFailed(errors)
    if not awards:
        raise ImportFailed([RowError(2, _("The file has no award rows."))])
    return awards


def _key(award: EarlierAward) -> tuple[str, str, str]:
    who = (
        person_key(award.person_name, None, award.unit)
        if award.person_name
        else unit_key(award.unit)
    )
    return who, fold(award.award_name), fold(award.reference)


def _existing_keys() -> set[tuple[str, str, str]]:
    rows = db.session.execute(
        select(AwardRecord.person_key, AwardRecord.award_name, AwardRecord.decision_reference)
    )
    return {(key, fold(award), fold(reference)) for key, award, reference in rows}


def _row(
    number: int, cells: list[Any], units: _Units, *, today: date
) -> tuple[EarlierAward | None, list[str]]:
    name, position, unit_name, award_name, reference = (_text(c) for c in cells[1:6])
    problems = []
    for value, limit in (
        (name, LIMITS["name"]),
        (position, LIMITS["position"]),
        (award_name, LIMITS["award"]),
        (reference, LIMITS["reference"]),
    ):
        if len(value) > limit:
            problems.append(
                _("“%(text)s…” is longer than %(num)d characters.", text=value[:20], num=limit)
            )
    if not unit_name:
        problems.append(_("The unit (Đơn vị) is missing."))
    if not award_name:
        problems.append(_("The award (Hình thức) is missing."))
    if not reference:
        problems.append(_("The decision number (Số quyết định) is missing."))
    decided_on = _date(cells[6])
    if decided_on is None:
        problems.append(_("The date must be a date written dd/mm/yyyy."))
    elif decided_on > today:
        problems.append(_("The date is in the future."))
    unit = None
    if unit_name:
        unit, problem = units.find(unit_name)
        if problem:
            problems.append(problem)
    citizen_id = _text(cells[7]) if len(cells) > 7 and _citizen_ids_kept() else ""
    if citizen_id and not (citizen_id.isdigit() and len(citizen_id) == 12):
        problems.append(_("The personal identification number has 12 digits."))
    if problems or unit is None or decided_on is None:
        return None, problems
    award = EarlierAward(
        line=number,
        person_name=name,
        position=position,
        unit=unit,
        award_name=award_name,
        reference=reference,
        decided_on=decided_on,
        citizen_id=citizen_id or None,
    )
    return award, []
