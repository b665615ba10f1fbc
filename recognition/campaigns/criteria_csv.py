"""Criteria of an award type as CSV: export, and import that applies all rows or none."""

import csv
import io

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.campaigns.enums import CatalogueAction, MeasureKind
from recognition.campaigns.models import AwardType, Criterion
from recognition.campaigns.services import CriterionData, describe_award_type, write_criterion
from recognition.common.audit import ObjectKind, record
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
from recognition.common.numbers import format_number, parse_number
from recognition.common.text import clean, clean_multiline, fold
from recognition.database import string_length
from recognition.errors import DomainError
from recognition.extensions import db

COLUMNS = ["code", "group", "text", "required", "measure", "target", "unit", "evidence_required"]
# What each text column holds: its String(n), and for the text (a Text column) the limit of the
# criterion form.
LIMITS = {
    "code": string_length(Criterion.code),
    "group": string_length(Criterion.group),
    "text": 2000,
    "unit": string_length(Criterion.unit_label),
}
_TRUE = {"1", "x", "yes", "y", "true", "co", "bat buoc"}
_FALSE = {"", "0", "no", "n", "false", "khong"}
_MEASURES = {
    "yes_no": MeasureKind.YES_NO,
    "dat/khong dat": MeasureKind.YES_NO,
    "dat": MeasureKind.YES_NO,
    "number": MeasureKind.NUMBER,
    "so": MeasureKind.NUMBER,
    "text": MeasureKind.TEXT,
    "van ban": MeasureKind.TEXT,
}


def _flag(value: str, column: str, line: int, errors: list[RowError]) -> bool:
    key = fold(value)
    if key not in _TRUE | _FALSE:
        errors.append(
            RowError(
                line, _("%(column)s must be 1 or 0, not “%(value)s”.", column=column, value=value)
            )
        )
    return key in _TRUE


def _row(line: int, record: dict[str, str | None], errors: list[RowError]) -> CriterionData | None:
    values = {key: clean(record.get(key) or "") for key in COLUMNS}
    values["text"] = clean_multiline(record.get("text") or "")  # as the form keeps it
    before = len(errors)
    if not values["code"]:
        errors.append(RowError(line, _("The criterion code is empty.")))
    if not values["text"]:
        errors.append(RowError(line, _("The criterion text is empty.")))
    check_lengths(line, values, LIMITS, errors)
    measure = _MEASURES.get(fold(values["measure"]) or "yes_no")
    if measure is None:
        errors.append(
            RowError(
                line,
                _("Unknown measure “%(value)s” (yes_no, number or text).", value=values["measure"]),
            )
        )
    target = None
    if values["target"]:
        try:  # as the user's language writes numbers ("1.210" is 1210 in Vietnamese)
            target = parse_number(values["target"])
        except ValueError:
            errors.append(
                RowError(line, _("The target “%(value)s” is not a number.", value=values["target"]))
            )
    required = _flag(values["required"] or "1", "required", line, errors)
    evidence = _flag(values["evidence_required"], "evidence_required", line, errors)
    if len(errors) > before or measure is None:
        return None
    return CriterionData(
        code=values["code"],
        text=values["text"],
        group=values["group"],
        required=required,
        measure=measure,
        target=target,
        unit_label=values["unit"],
        evidence_required=evidence,
    )


def _parse(reader: "csv.DictReader[str]") -> list[tuple[int, CriterionData]]:
    """Every row of the file as criterion data, or ImportFailed listing each bad line."""
    errors: list[RowError] = []
    rows: list[tuple[int, CriterionData]] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = first_line(reader, cells)  # blank lines and multi-line cells count
        if not any((value or "").strip() for key, value in cells.items() if key):
            continue
        data = _row(line, cells, errors)
        if data is None:
            continue
        if data.code in seen:
            errors.append(
                RowError(
                    line,
                    _(
                        "The code %(code)s is repeated (first on line %(first)d).",
                        code=data.code,
                        first=seen[data.code],
                    ),
                )
            )
            continue
        seen[data.code] = line
        rows.append((line, data))
    if not rows and not errors:
        errors.append(RowError(2, _("The file has no rows to import.")))
    if errors:
        raise ImportFailed(errors)
    return rows


def import_criteria_csv(award_type: AwardType, raw: bytes, *, actor: User | None = None) -> int:
    """Create or update (by code) every criterion in the file, or none; returns the count.
    Audited as one event of the award type naming the codes created or changed."""
    reader = dict_reader(decode(raw))
    read_header(reader, required={"code", "text"}, expected=COLUMNS)
    rows = _parse(reader)
    by_code = {criterion.code: criterion for criterion in award_type.criteria}
    errors: list[RowError] = []
    touched: list[str] = []
    # A savepoint, so that "none" holds for the caller too: rows saved before a refused one
    # are undone here, not only when the view rolls back.
    savepoint = db.session.begin_nested()
    for line, data in rows:
        try:
            criterion, changed = write_criterion(award_type, by_code.get(data.code), data)
        except DomainError as error:
            errors.append(RowError(line, error.message))
        else:
            if changed:
                touched.append(criterion.code)
    if errors:
        savepoint.rollback()
        raise ImportFailed(errors)
    savepoint.commit()
    record(
        ObjectKind.AWARD_TYPE,
        award_type.id,
        CatalogueAction.IMPORTED,
        actor=actor,
        subject=describe_award_type(award_type),
        comment=", ".join(touched),
    )
    return len(rows)


def export_criteria_csv(award_type: AwardType) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for criterion in award_type.criteria:
        writer.writerow(
            [
                cell(criterion.code),
                cell(criterion.group),
                cell(criterion.text),
                "1" if criterion.required else "0",
                criterion.measure,
                format_number(criterion.target) if criterion.target is not None else "",
                cell(criterion.unit_label),
                "1" if criterion.evidence_required else "0",
            ]
        )
    return "\ufeff" + out.getvalue()
