"""CSV import and export of the unit tree: all rows or none."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.common.csvfiles import (
    ImportFailed,
    RowError,
    cell,
    check_lengths,
    decode,
    dict_reader,
    first_line,
    read_header,
)
from recognition.common.text import clean, fold
from recognition.database import string_length
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitAction, UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, check_name_free, create_unit, units_by_code

COLUMNS = [
    "code",
    "name",
    "kind",
    "parent_code",
    "valid_from",
    "valid_to",
    "awarding_body",
    "successor_code",
]
REQUIRED_COLUMNS = {"code", "name", "kind"}
# What each text column holds (a longer parent or successor code cannot exist either).
LIMITS = {
    "code": string_length(Unit.code),
    "name": string_length(Unit.name),
    "parent_code": string_length(Unit.code),
    "successor_code": string_length(Unit.code),
}
MAX_ROWS = 20_000
_TRUE = {"1", "x", "yes", "y", "true", "co", "dung"}
_FALSE = {"", "0", "no", "n", "false", "khong", "sai"}


@dataclass
class _Row:
    line: int
    code: str
    name: str
    kind: UnitKind
    parent_code: str
    valid_from: date | None
    valid_to: date | None
    awarding_body: bool
    successor_code: str


def _kind(value: str) -> UnitKind | None:
    key = fold(value)
    for kind in UnitKind:
        if key in {kind.value, fold(kind.label)}:
            return kind
    return _VIETNAMESE_KINDS.get(key)


# Accept the Vietnamese names a commune officer would type, whatever the interface language.
_VIETNAMESE_KINDS = {
    "tinh": UnitKind.PROVINCE,
    "thanh pho": UnitKind.PROVINCE,
    "huyen": UnitKind.DISTRICT,
    "xa": UnitKind.COMMUNE,
    "phuong": UnitKind.WARD,
    "thi tran": UnitKind.TOWNSHIP,
    "ap": UnitKind.HAMLET,
    "thon": UnitKind.HAMLET,
    "khom": UnitKind.HAMLET,
    "to dan pho": UnitKind.RESIDENTIAL_GROUP,
    "phong": UnitKind.DEPARTMENT,
    "phong ban": UnitKind.DEPARTMENT,
    "hoi": UnitKind.ASSOCIATION,
    "doan the": UnitKind.ASSOCIATION,
    "to": UnitKind.TEAM,
    "doi": UnitKind.TEAM,
    "truong": UnitKind.SCHOOL,
    "doanh nghiep": UnitKind.ENTERPRISE,
    "khac": UnitKind.OTHER,
}


def _date(value: str) -> date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _has_administrative_code(kind: UnitKind) -> bool:
    """A province, district, commune, ward or township has a code in the national list; a
    hamlet, residential group or organisation has none."""
    return kind.level is not None and kind.level <= 3


# How a code made up for a row without one names its kind: the parent's code, then this and a
# number (28879-AP01: the first hamlet of commune 28879 given a code by an import).
_MADE_UP_PREFIXES = {
    UnitKind.HAMLET: "AP",
    UnitKind.RESIDENTIAL_GROUP: "TDP",
    UnitKind.DEPARTMENT: "PB",
    UnitKind.ASSOCIATION: "HOI",
    UnitKind.TEAM: "TO",
    UnitKind.SCHOOL: "TR",
    UnitKind.ENTERPRISE: "DN",
    UnitKind.OTHER: "DV",
}


def _parse_row(line: int, record: dict[str, str | None], errors: list[RowError]) -> _Row | None:
    values = {key: clean(record.get(key) or "") for key in COLUMNS}
    before = len(errors)
    if None in record:
        errors.append(RowError(line, _("The row has more cells than the header.")))
    kind = _kind(values["kind"])
    if not values["code"] and kind is not None and _has_administrative_code(kind):
        # A hamlet or an organisation without a code is given one (_make_up_codes).
        errors.append(RowError(line, _("The administrative code is empty.")))
    if not values["name"]:
        errors.append(RowError(line, _("The name is empty.")))
    check_lengths(line, values, LIMITS, errors)
    if kind is None:
        errors.append(RowError(line, _("Unknown kind “%(kind)s”.", kind=values["kind"])))
    dates: dict[str, date | None] = {}
    for key in ("valid_from", "valid_to"):
        try:
            dates[key] = _date(values[key]) if values[key] else None
        except ValueError:
            errors.append(
                RowError(
                    line,
                    _(
                        "“%(value)s” in %(column)s is not a date (use dd/mm/yyyy or yyyy-mm-dd).",
                        value=values[key],
                        column=key,
                    ),
                )
            )
    start, end = dates.get("valid_from"), dates.get("valid_to")
    if start is not None and end is not None and end < start:
        errors.append(RowError(line, _("valid_to is before valid_from.")))
    flag = fold(values["awarding_body"])
    if flag not in _TRUE | _FALSE:
        errors.append(
            RowError(
                line,
                _("awarding_body must be 1 or 0, not “%(value)s”.", value=values["awarding_body"]),
            )
        )
    if len(errors) > before or kind is None:
        return None
    return _Row(
        line,
        values["code"],
        values["name"],
        kind,
        values["parent_code"],
        dates.get("valid_from"),
        dates.get("valid_to"),
        flag in _TRUE,
        values["successor_code"],
    )


def _make_up_codes(rows: list[_Row], errors: list[RowError]) -> list[_Row]:
    """Give each row without a code one of its own, from its parent's code and its kind
    (28879-AP01, 28879-AP02…; HOI01 for a top unit), taken by no row of the file and no unit
    of the tree, whatever its state. Returns the rows given one. A row below names its parent
    by code, so a row that others name needs a code in the file."""
    wanting = [row for row in rows if not row.code]
    if not wanting:
        return []
    taken = {code for row in rows for code in (row.code, row.parent_code, row.successor_code)}
    taken |= set(db.session.scalars(select(Unit.code).where(Unit.code.is_not(None))))
    given = []
    last: dict[str, int] = {}  # each stem's last number tried: thousands of rows, one pass
    for row in wanting:
        stem = _MADE_UP_PREFIXES.get(row.kind, "DV")
        if row.parent_code:
            stem = f"{row.parent_code}-{stem}"
        number = last.get(stem, 0) + 1
        while f"{stem}{number:02d}" in taken:
            number += 1
        last[stem] = number
        code = f"{stem}{number:02d}"
        if len(code) > LIMITS["code"]:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "The code is empty, and the one made from the parent's code "
                        "(%(code)s) would be longer than %(limit)d characters: give the row a "
                        "code of its own.",
                        code=code,
                        limit=LIMITS["code"],
                    ),
                )
            )
            continue
        taken.add(code)
        row.code = code
        given.append(row)
    return given


def _check_references(rows: list[_Row], errors: list[RowError], *, rejected: set[str]) -> None:
    in_file: dict[str, int] = {}
    for row in rows:
        if row.code in in_file:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "The code %(code)s is repeated (first on line %(first)d).",
                        code=row.code,
                        first=in_file[row.code],
                    ),
                )
            )
        else:
            in_file[row.code] = row.line
    codes = (
        [row.code for row in rows]
        + [row.parent_code for row in rows]
        + [row.successor_code for row in rows]
    )
    # Codes are unique among the units in use; a merged or dissolved unit's code may be
    # taken up by a new unit, and a reference to it names the unit in use first.
    existing = set(units_by_code(codes))
    in_use = {
        code: name
        for code, name in db.session.execute(
            select(Unit.code, Unit.name).where(
                Unit.code.in_([row.code for row in rows]), Unit.is_active
            )
        )
    }
    for row in rows:
        if row.code in in_use:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "The code %(code)s is already used by %(name)s: the import adds new "
                        "units only.",
                        code=row.code,
                        name=in_use[row.code],
                    ),
                )
            )
        for ref, label in (
            (row.parent_code, "parent_code"),
            (row.successor_code, "successor_code"),
        ):
            if ref and ref not in existing and ref not in in_file and ref not in rejected:
                errors.append(
                    RowError(
                        row.line,
                        _(
                            "%(column)s %(code)s is neither in the file nor in the tree.",
                            column=label,
                            code=ref,
                        ),
                    )
                )
            elif ref and ref == row.code:
                errors.append(
                    RowError(row.line, _("%(column)s refers to the row itself.", column=label))
                )


def _in_parent_order(rows: list[_Row], errors: list[RowError]) -> list[_Row]:
    """Rows ordered so that every parent comes before its children; reports cycles."""
    by_code = {row.code: row for row in rows}
    ordered: list[_Row] = []
    state: dict[str, str] = {}
    for row in rows:
        chain: list[_Row] = []
        current: _Row | None = row
        while current is not None and state.get(current.code) is None:
            state[current.code] = "visiting"
            chain.append(current)
            current = by_code.get(current.parent_code)
        if current is not None and state.get(current.code) == "visiting":
            errors.append(RowError(row.line, _("The parent codes form a loop.")))
        for item in reversed(chain):
            state[item.code] = "done"
            ordered.append(item)
    return ordered


class ImportedUnits(list[Unit]):
    """The units an import created; `made_up` those of rows without a code, given one."""

    def __init__(self, units: list[Unit], made_up: list[Unit]) -> None:
        super().__init__(units)
        self.made_up = made_up


def import_units_csv(raw: bytes, *, actor: Any = None) -> ImportedUnits:
    """Create every unit of a CSV file, or none: raises ImportFailed listing each bad line.
    A hamlet or organisation without a code is given one (`ImportedUnits.made_up`). Each unit
    created is audited (as imported) when an `actor` imports the file."""
    reader = dict_reader(decode(raw))
    read_header(reader, required=REQUIRED_COLUMNS, expected=COLUMNS)
    errors: list[RowError] = []
    rows: list[_Row] = []
    rejected: set[str] = set()  # codes of rows already reported, so no "unknown parent" follows
    for count, record in enumerate(reader, start=1):
        number = first_line(reader, record)
        if count > MAX_ROWS:
            errors.append(RowError(number, _("Too many rows (at most %(count)d).", count=MAX_ROWS)))
            break
        if not any((value or "").strip() for key, value in record.items() if key):
            continue
        row = _parse_row(number, record, errors)
        if row is not None:
            rows.append(row)
        else:
            rejected.add(clean(record.get("code") or ""))
    if not rows and not errors:
        errors.append(RowError(0, _("The file has no rows to import.")))  # of the whole file
    given = _make_up_codes(rows, errors)
    rows = [row for row in rows if row.code]  # a row whose code could not be made is reported
    _check_references(rows, errors, rejected=rejected)
    ordered = _in_parent_order(rows, errors)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda error: error.line))
    # The tree's rules are checked as each unit is made: a refusal undoes the units before it.
    savepoint = db.session.begin_nested()
    created, refused = _create_all(ordered, actor=actor)
    if refused:
        savepoint.rollback()
        raise ImportFailed(sorted(refused, key=lambda error: error.line))
    savepoint.commit()
    by_code = {unit.code: unit for unit in created}
    return ImportedUnits(created, [by_code[row.code] for row in given])


def _create_all(rows: list[_Row], *, actor: Any) -> tuple[list[Unit], list[RowError]]:
    """Create the rows, parents first; the rules of the tree (a kind its parent may hold, a
    name once under a parent) refuse a row as they refuse the form, by its line."""
    all_codes = (
        {row.code for row in rows}
        | {row.parent_code for row in rows}
        | {row.successor_code for row in rows}
    )
    by_code = units_by_code(all_codes)
    created, refused = [], []
    failed: set[str] = set()
    for row in rows:
        if row.parent_code in failed:
            failed.add(row.code)  # its parent's line says why
            continue
        data = UnitData(
            name=row.name,
            kind=row.kind,
            code=row.code,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            is_awarding_body=row.awarding_body,
        )
        parent = by_code.get(row.parent_code) if row.parent_code else None
        try:
            check_name_free(row.name, parent)
            unit = create_unit(data, parent=parent, actor=actor, action=UnitAction.IMPORT)
        except DomainError as error:
            refused.append(RowError(row.line, error.message))
            failed.add(row.code)
            continue
        by_code[row.code] = unit
        created.append(unit)
    if refused:
        return created, refused
    for row in rows:
        if row.successor_code:
            by_code[row.code].successor = by_code[row.successor_code]
    db.session.flush()
    return created, []


def export_units_csv() -> str:
    """The whole tree as CSV in the import format (UTF-8 with BOM, so Excel reads it)."""
    units = db.session.scalars(select(Unit).order_by(Unit.depth, Unit.name_sort)).all()
    by_id = {unit.id: unit for unit in units}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for unit in units:
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        successor = by_id.get(unit.successor_id) if unit.successor_id else None
        writer.writerow(
            [
                cell(unit.code or ""),
                cell(unit.name),
                unit.kind,
                cell(parent.code or "") if parent else "",
                unit.valid_from.isoformat() if unit.valid_from else "",
                unit.valid_to.isoformat() if unit.valid_to else "",
                "1" if unit.is_awarding_body else "0",
                cell(successor.code or "") if successor else "",
            ]
        )
    return "\ufeff" + out.getvalue()
