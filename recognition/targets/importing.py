"""A campaign's targets from a CSV file (a resolution's list of targets typed in a spreadsheet):
every row is created or updated by its code, or none is."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.common.csvfiles import (
    ImportFailed,
    RowError,
    check_lengths,
    decode,
    dict_reader,
    first_line,
    read_header,
)
from recognition.common.numbers import parse_number
from recognition.common.text import clean, clean_multiline, fold, upper
from recognition.database import string_length
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.targets.enums import AssessmentTiming, TargetDirection, TargetSector
from recognition.targets.models import Target
from recognition.targets.services import TargetData, save_target
from recognition.units.models import Unit

COLUMNS = [
    "code",
    "sector",
    "text",
    "unit",
    "direction",
    "baseline",
    "target",
    "responsible",
    "timing",
]
LIMITS = {
    "code": string_length(Target.code),
    "text": 2000,
    "unit": string_length(Target.measure_unit),
}
# Besides each value, what people write: the Vietnamese labels without their marks.
_DIRECTIONS = {
    "cao": TargetDirection.HIGHER,
    "thap": TargetDirection.LOWER,
    "co/khong": TargetDirection.YES_NO,
}
_TIMINGS = {"cuoi nhiem ky": AssessmentTiming.TERM_END}


def _words(enum: type, extra: Mapping[str, object]) -> dict[str, object]:
    words: dict[str, object] = dict(extra)
    with force_locale("vi"):
        for member in enum:  # type: ignore[attr-defined]
            words[member.value] = member
            words[fold(member.label)] = member
    return words


def _choice(
    value: str,
    words: dict[str, object],
    default: object,
    column: str,
    line: int,
    errors: list[RowError],
) -> object:
    if not value:
        return default
    found = words.get(fold(value))
    if found is None:
        errors.append(
            RowError(line, _("Unknown %(column)s “%(value)s”.", column=column, value=value[:30]))
        )
    return found


def _number(value: str, column: str, line: int, errors: list[RowError]) -> Decimal | None:
    if not value:
        return None
    try:
        number: Decimal | None = parse_number(value, "vi")  # the file is in Vietnamese
    except ValueError:
        number = None
    if number is None:
        errors.append(
            RowError(
                line,
                _("The %(column)s “%(value)s” is not a number.", column=column, value=value[:30]),
            )
        )
        return None
    return number


def _units(campaign: Campaign) -> dict[str, Unit]:
    """The body and its active units, by code and by name (folded)."""
    body = campaign.awarding_body
    units = db.session.scalars(
        select(Unit).where(Unit.path.startswith(body.path), Unit.is_active)
    ).all()
    found: dict[str, Unit] = {}
    for unit in units:
        found.setdefault(fold(unit.name), unit)
        if unit.code:
            found[fold(unit.code)] = unit
    return found


def _row(
    line: int,
    record: dict[str, str | None],
    campaign: Campaign,
    units: dict[str, Unit],
    errors: list[RowError],
) -> TargetData | None:
    values = {key: clean(record.get(key) or "") for key in COLUMNS}
    values["text"] = clean_multiline(record.get("text") or "")
    before = len(errors)
    if not values["code"] or not values["text"]:
        errors.append(RowError(line, _("A target needs a code and a text.")))
    check_lengths(line, values, LIMITS, errors)
    sector = _choice(values["sector"], _words(TargetSector, {}), None, "sector", line, errors)
    if not values["sector"]:
        errors.append(RowError(line, _("The sector is empty.")))
    direction = _choice(
        values["direction"],
        _words(TargetDirection, _DIRECTIONS),
        TargetDirection.HIGHER,
        "direction",
        line,
        errors,
    )
    timing = _choice(
        values["timing"],
        _words(AssessmentTiming, _TIMINGS),
        AssessmentTiming.PERIODIC,
        "timing",
        line,
        errors,
    )
    baseline = _number(values["baseline"], "baseline", line, errors)
    target = _number(values["target"], "target", line, errors)
    responsible = (
        units.get(fold(values["responsible"])) if values["responsible"] else campaign.awarding_body
    )
    if responsible is None:
        errors.append(
            RowError(
                line,
                _(
                    "No unit “%(value)s” in %(body)s.",
                    value=values["responsible"][:30],
                    body=campaign.awarding_body.name,
                ),
            )
        )
    if len(errors) > before or responsible is None:
        return None
    return TargetData(
        code=values["code"],
        text=values["text"],
        sector=TargetSector(str(sector)),
        responsible_unit=responsible,
        direction=TargetDirection(str(direction)),
        target_value=target,
        baseline=baseline,
        measure_unit=values["unit"],
        timing=AssessmentTiming(str(timing)),
    )


def _parse(reader: csv.DictReader[str], campaign: Campaign) -> list[tuple[int, TargetData]]:
    errors: list[RowError] = []
    rows: list[tuple[int, TargetData]] = []
    seen: dict[str, int] = {}
    units = _units(campaign)
    for cells in reader:
        line = first_line(reader, cells)
        if not any((value or "").strip() for key, value in cells.items() if key):
            continue
        data = _row(line, cells, campaign, units, errors)
        if data is None:
            continue
        code = upper(clean(data.code))
        if code in seen:
            errors.append(
                RowError(
                    line,
                    _(
                        "The code %(code)s is repeated (first on line %(first)d).",
                        code=code,
                        first=seen[code],
                    ),
                )
            )
            continue
        seen[code] = line
        rows.append((line, data))
    if not rows and not errors:
        errors.append(RowError(2, _("The file has no rows to import.")))
    if errors:
        raise ImportFailed(errors)
    return rows


def import_targets_csv(campaign: Campaign, raw: bytes, *, actor: User) -> int:
    """Create or update (by code) every target in the file, or none; returns the count. Each
    target created or changed is audited (save_target)."""
    reader = dict_reader(decode(raw))
    read_header(reader, required={"code", "text", "sector"}, expected=COLUMNS)
    rows = _parse(reader, campaign)
    existing = {
        t.code: t
        for t in db.session.scalars(select(Target).where(Target.campaign_id == campaign.id))
    }
    errors: list[RowError] = []
    savepoint = db.session.begin_nested()
    for line, data in rows:
        try:
            save_target(existing.get(upper(clean(data.code))), data, campaign=campaign, actor=actor)
        except DomainError as error:
            errors.append(RowError(line, error.message))
    if errors:
        savepoint.rollback()
        raise ImportFailed(errors)
    savepoint.commit()
    return len(rows)
