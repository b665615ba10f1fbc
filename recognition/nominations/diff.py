"""A dossier's content as plain data (the snapshot of each submission), and what changed
between two such snapshots."""

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.nominations.models import Nomination

FIELD_LABELS = {
    "nominee_name": _l("Nominee"),
    "person_position": _l("Position"),
    "person_birth_year": _l("Year of birth"),
    "summary": _l("Summary of achievements"),
    "report_general": _l("I. General information"),
    "report_achievements": _l("II. Achievements"),
    "report_criteria": _l("III. Meeting the criteria"),
    "report_commendations": _l("IV. Titles and commendations already received"),
}


def snapshot_data(nomination: Nomination) -> dict[str, Any]:
    """The dossier's content as plain data (texts, answers, files)."""
    return {
        "version": nomination.version,
        "fields": {
            "nominee_name": nomination.nominee_name,
            "person_position": nomination.person_position or "",
            "person_birth_year": nomination.person_birth_year,
            "summary": nomination.summary,
            "report_general": nomination.report_general,
            "report_achievements": nomination.report_achievements,
            "report_criteria": nomination.report_criteria,
            "report_commendations": nomination.report_commendations,
        },
        "answers": {
            answer.criterion.code: {
                "met": answer.met,
                "value": str(answer.value) if answer.value is not None else None,
                "text": answer.text,
                "evidence_note": answer.evidence_note,
            }
            for answer in nomination.answers
        },
        "files": [
            {
                "id": a.id,
                "name": a.original_name,
                "sha256": a.sha256,
                "criterion": a.criterion.code if a.criterion else None,
            }
            for a in nomination.attachments
        ],
    }


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class DossierDiff:
    fields: list[FieldChange]
    added_files: list[str]
    removed_files: list[str]

    @property
    def empty(self) -> bool:
        return not (self.fields or self.added_files or self.removed_files)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if value is True:
        return str(_l("Met"))
    if value is False:
        return str(_l("Not met"))
    return str(value)


def _given(value: Any) -> Any:
    """An answer's value, with "" and None both meaning "not given" (False is "not met")."""
    return None if value is None or value == "" else value


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> DossierDiff:
    """Field changes, criterion changes and files added or removed from `before` to `after`."""
    changes: list[FieldChange] = []
    for key, label in FIELD_LABELS.items():
        old, new = before["fields"].get(key), after["fields"].get(key)
        if old != new:
            changes.append(FieldChange(str(label), _text(old), _text(new)))
    codes = sorted(set(before["answers"]) | set(after["answers"]))
    for code in codes:
        old_answer = before["answers"].get(code, {})
        new_answer = after["answers"].get(code, {})
        for key, label in (
            ("met", _l("self-assessment")),
            ("value", _l("value")),
            ("text", _l("self-assessment")),
            ("evidence_note", _l("evidence")),
        ):
            old, new = _given(old_answer.get(key)), _given(new_answer.get(key))
            if old != new:
                changes.append(FieldChange(f"{code} — {label}", _text(old), _text(new)))
    old_files = {f["sha256"] + f["name"]: f["name"] for f in before["files"]}
    new_files = {f["sha256"] + f["name"]: f["name"] for f in after["files"]}
    return DossierDiff(
        fields=changes,
        added_files=[new_files[k] for k in new_files if k not in old_files],
        removed_files=[old_files[k] for k in old_files if k not in new_files],
    )
