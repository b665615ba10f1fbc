"""Reading a list of candidates from XLSX (one row a dossier of one campaign): the file's shape,
each cell's value and the lookups (units by name, titles by name or code) done in bulk; and the
template to fill in. The rules of a dossier are the services' (nominations/batch.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import AwardType, Campaign
from recognition.common.csvfiles import ImportFailed, RowError
from recognition.common.text import fold
from recognition.common.xlsxfiles import append_row, read_first_sheet, text_of
from recognition.database import string_length
from recognition.extensions import db
from recognition.nominations.enums import Gender
from recognition.nominations.models import Nomination
from recognition.units.models import Unit
from recognition.units.queries import represented_units

NAME = "Họ và tên"
BIRTH_YEAR = "Năm sinh"
GENDER = "Giới tính"
POSITION = "Chức vụ"
UNIT = "Đơn vị"
AWARD = "Danh hiệu/Hình thức"
SUMMARY = "Tóm tắt thành tích"
COLUMNS = ["STT", NAME, BIRTH_YEAR, GENDER, POSITION, UNIT, AWARD, SUMMARY]
WIDTHS = (6, 28, 10, 10, 24, 28, 32, 60)
MAX_ROWS = 5_000
SUMMARY_LIMIT = 3000  # the form's (forms.ReportFields.summary)
LIMITS = {
    NAME: string_length(Nomination.person_name),
    POSITION: string_length(Nomination.person_position),
}
GENDERS = {"nam": Gender.MALE, "nu": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE}

__all__ = ["COLUMNS", "Candidate", "ImportFailed", "read_candidates", "template_xlsx"]


@dataclass(frozen=True)
class Candidate:
    """One row of the file, its values read (not yet checked by the dossier's rules)."""

    line: int
    award_type: AwardType
    unit: Unit
    person_name: str = ""
    birth_year: int | None = None
    gender: Gender | None = None
    position: str = ""
    summary: str = ""


def template_xlsx(campaign: Campaign) -> bytes:
    """The template: the header row, an example row, and the campaign's titles on a second
    sheet (their codes and names, either of which the file may use)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đề nghị"
    append_row(sheet, COLUMNS)
    offers = [o.award_type for o in campaign.offers]
    example = next((a for a in offers if not a.for_units), offers[0] if offers else None)
    append_row(
        sheet,
        [
            1,
            "Nguyễn Văn An",
            1985,
            "Nam",
            "Trưởng ấp",
            "Ấp Phú Hòa",
            example.name if example else "Lao động tiên tiến",
            "Hoàn thành tốt nhiệm vụ; vận động 20 hộ tham gia mô hình.",
        ],
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    titles = book.create_sheet("Danh hiệu")
    append_row(titles, ["Mã", "Danh hiệu/Hình thức", "Đối tượng"])
    for award in offers:
        append_row(titles, [award.code, award.name, "Tập thể" if award.for_units else "Cá nhân"])
    for letter, width in zip("ABC", (12, 50, 12), strict=True):
        titles.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check_header(header: tuple[Any, ...]) -> None:
    names = [fold(text_of(cell)) for cell in header]
    while names and not names[-1]:
        names.pop()
    if names != [fold(name) for name in COLUMNS]:
        message = _("The columns must be, in this order: %(columns)s.", columns=", ".join(COLUMNS))
        raise ImportFailed([RowError(1, message)])


class _Lookups:
    """The campaign's titles and the units within the actor's reach, read once."""

    def __init__(self, campaign: Campaign, actor: User) -> None:
        self.awards: dict[str, list[AwardType]] = {}
        for offer in campaign.offers:
            award = offer.award_type
            for key in {fold(award.name), fold(award.code)}:
                self.awards.setdefault(key, []).append(award)
        roots = actor.units_with(Role.NOMINATOR)
        self.units: dict[str, list[Unit]] = {}
        if roots:
            # The nominees the actor may propose: down to the next body (proposed as a whole).
            reach = Unit.id.in_(represented_units(roots, nominees=True))
            for unit in db.session.scalars(select(Unit).where(reach)):
                self.units.setdefault(unit.name_folded, []).append(unit)

    def award(self, text: str) -> tuple[AwardType | None, str]:
        found = self.awards.get(fold(text), [])
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("This campaign does not offer “%(award)s”.", award=text)
        return None, _("Several titles are named “%(award)s”: use the code.", award=text)

    def unit(self, text: str) -> tuple[Unit | None, str]:
        found = self.units.get(fold(text), [])
        if len(found) > 1:
            found = [u for u in found if u.is_active] or found
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("No unit named “%(name)s” within your scope.", name=text)
        return None, _("Several units are named “%(name)s”.", name=text)


def _year(value: Any) -> int | None:
    if isinstance(value, (datetime, date)):
        return value.year
    text = text_of(value)
    return int(text) if text.isdigit() and len(text) == 4 else None


def _row(
    number: int, cells: list[Any], lookups: _Lookups
) -> tuple[Candidate | None, list[RowError]]:
    name, _birth, gender_text, position, unit_text, award_text = (text_of(c) for c in cells[1:7])
    summary = str(cells[7] or "").strip() if not isinstance(cells[7], float) else text_of(cells[7])
    errors: list[RowError] = []

    def wrong(column: str, message: str) -> None:
        errors.append(RowError(number, message, column))

    for column, value in ((NAME, name), (POSITION, position)):
        if len(value) > LIMITS[column]:
            wrong(column, _("At most %(num)d characters.", num=LIMITS[column]))
    if len(summary) > SUMMARY_LIMIT:
        wrong(SUMMARY, _("At most %(num)d characters.", num=SUMMARY_LIMIT))
    birth_year = _year(cells[2])
    if text_of(cells[2]) and birth_year is None:
        wrong(BIRTH_YEAR, _("The year of birth is written with four digits, e.g. 1985."))
    gender = GENDERS.get(fold(gender_text)) if gender_text else None
    if gender_text and gender is None:
        wrong(GENDER, _("Write “Nam” or “Nữ”, or leave the cell empty."))
    award, problem = lookups.award(award_text) if award_text else (None, _("Missing."))
    if problem:
        wrong(AWARD, problem)
    unit, problem = lookups.unit(unit_text) if unit_text else (None, _("Missing."))
    if problem:
        wrong(UNIT, problem)
    if award is not None:
        if award.for_units and (name or birth_year or gender or position):
            wrong(
                NAME,
                _(
                    "%(award)s is for a collective: leave the person's columns empty.",
                    award=award.name,
                ),
            )
        elif not award.for_units and not name:
            wrong(NAME, _("Enter the full name of the person."))
    if errors or award is None or unit is None:
        return None, errors
    candidate = Candidate(
        line=number,
        award_type=award,
        unit=unit,
        person_name=name,
        birth_year=birth_year,
        gender=gender,
        position=position,
        summary=summary,
    )
    return candidate, []


def read_candidates(
    raw: bytes, *, campaign: Campaign, actor: User
) -> tuple[list[Candidate], list[RowError]]:
    """The file's rows as candidates and the errors of the rows that could not be read;
    raises ImportFailed when the file itself is wrong (not an XLSX, other columns, too long,
    empty)."""
    rows = read_first_sheet(raw, max_rows=MAX_ROWS)
    if not rows:
        raise ImportFailed([RowError(1, _("The file is empty."))])
    _check_header(rows[0])
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed([RowError(1, _("At most %(num)d rows at once.", num=MAX_ROWS))])
    lookups = _Lookups(campaign, actor)
    candidates: list[Candidate] = []
    errors: list[RowError] = []
    width = len(COLUMNS)
    for number, values in enumerate(rows[1:], start=2):
        cells = [*values[:width], *([None] * (width - len(values)))]
        if not any(text_of(cell) for cell in cells[1:]):
            continue
        candidate, problems = _row(number, cells, lookups)
        errors.extend(problems)
        if candidate is not None:
            candidates.append(candidate)
    if not candidates and not errors:
        raise ImportFailed([RowError(2, _("The file has no candidate rows."))])
    return candidates, errors
