"""Writing award records: from a decision when it is issued (withdrawn when it is annulled)
and from an import of earlier awards. Every record is audited; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import NomineeKind as AwardNominee
from recognition.common.audit import ObjectKind, record, record_many, register_vocabulary
from recognition.common.text import clean, fold
from recognition.extensions import db
from recognition.history.enums import NomineeKind, RecordAction, RecordSource
from recognition.history.lookup import standard_from_name
from recognition.history.models import AwardRecord
from recognition.units.models import Unit

if TYPE_CHECKING:
    from recognition.decisions.models import DecisionLine

register_vocabulary(ObjectKind.AWARD_RECORD, RecordAction)


def person_key(name: str, birth_year: int | None, unit: Unit | None) -> str:
    """The stable key of a person: the folded name, the birth year and the unit (the same
    key as a dossier's nominee, so a person's dossiers and awards meet)."""
    return f"person:{fold(clean(name))}|{birth_year or ''}|{unit.id if unit else ''}"


def unit_key(unit: Unit) -> str:
    return f"unit:{unit.id}"


def _audit(item: AwardRecord, action: RecordAction, *, actor: User | None, comment: str) -> None:
    subject = f"{item.nominee_name} — {item.award_name}"
    record(ObjectKind.AWARD_RECORD, item.id, action, actor=actor, subject=subject, comment=comment)


def record_awards(
    lines: Iterable[DecisionLine],
    *,
    body: Unit,
    reference: str,
    issued_on: date | None,
    year: int | None,
    actor: User,
) -> list[AwardRecord]:
    """A record for each line of an issued decision that has none yet (audited)."""
    lines = list(lines)
    known = set(
        db.session.scalars(
            select(AwardRecord.decision_line_id).where(
                AwardRecord.decision_line_id.in_([line.id for line in lines])
            )
        )
    )
    made = []
    for line in lines:
        if line.id in known:
            continue
        item = _from_line(line, body=body, reference=reference, issued_on=issued_on, year=year)
        db.session.add(item)
        db.session.flush()
        _audit(item, RecordAction.RECORD, actor=actor, comment=reference)
        made.append(item)
    return made


def _from_line(
    line: DecisionLine, *, body: Unit, reference: str, issued_on: date | None, year: int | None
) -> AwardRecord:
    nomination = line.nomination
    unit = nomination.nominee_unit
    item = AwardRecord(
        source=RecordSource.DECISION,
        decision_line_id=line.id,
        nomination_id=line.nomination_id,
        award_name=line.award_type.name,
        standard=line.award_type.standard,
        decision_reference=reference,
        decision_on=issued_on,
        awarding_body_id=body.id,
        awarding_body_name=body.name,
        year=year,
        achievement=line.achievement,
    )
    if unit is not None:
        item.nominee_kind = NomineeKind.UNIT
        item.unit_id = unit.id
        item.unit_name = unit.name
        item.nominee_name = unit.name
        item.person_key = unit_key(unit)
    else:
        person_unit = nomination.person_unit
        name = clean(nomination.person_name)
        household = line.award_type.nominee_kind == AwardNominee.HOUSEHOLD
        item.nominee_kind = NomineeKind.HOUSEHOLD if household else NomineeKind.PERSON
        item.unit_id = person_unit.id if person_unit else None
        item.unit_name = person_unit.name if person_unit else ""
        item.person_name = name
        item.person_birth_year = nomination.person_birth_year
        item.person_position = nomination.person_position or ""
        item.nominee_name = name
        item.person_key = person_key(name, nomination.person_birth_year, person_unit)
    item.nominee_folded = fold(item.nominee_name)
    return item


def withdraw_awards(lines: Iterable[DecisionLine], *, actor: User, reason: str) -> int:
    """Mark the records of an annulled decision's lines withdrawn (audited); how many."""
    ids = [line.id for line in lines]
    items = db.session.scalars(
        select(AwardRecord).where(
            AwardRecord.decision_line_id.in_(ids), AwardRecord.is_withdrawn.is_(False)
        )
    ).all()
    for item in items:
        item.is_withdrawn = True
        _audit(item, RecordAction.WITHDRAW, actor=actor, comment=reason)
    db.session.flush()
    return len(items)


@dataclass(frozen=True)
class EarlierAward:
    """One checked row of an import."""

    line: int
    person_name: str
    position: str
    unit: Unit
    award_name: str
    reference: str
    decided_on: date
    citizen_id: str | None = None


def import_awards(
    rows: list[EarlierAward], *, body_name: str, actor: User, file_name: str
) -> list[AwardRecord]:
    """Add the checked rows as imported records (audited, one event each; one flush)."""
    made = []
    for row in rows:
        item = AwardRecord(
            source=RecordSource.IMPORT,
            unit_id=row.unit.id,
            unit_name=row.unit.name,
            person_position=row.position,
            citizen_id=row.citizen_id,
            award_name=row.award_name,
            standard=standard_from_name(row.award_name),
            decision_reference=row.reference,
            decision_on=row.decided_on,
            awarding_body_name=body_name,
            year=row.decided_on.year,
        )
        if row.person_name:
            item.nominee_kind = NomineeKind.PERSON
            item.person_name = row.person_name
            item.nominee_name = row.person_name
            item.person_key = person_key(row.person_name, None, row.unit)
        else:
            item.nominee_kind = NomineeKind.UNIT
            item.nominee_name = row.unit.name
            item.person_key = unit_key(row.unit)
        item.nominee_folded = fold(item.nominee_name)
        made.append(item)
    db.session.add_all(made)
    db.session.flush()
    record_many(
        ObjectKind.AWARD_RECORD,
        RecordAction.IMPORT,
        [(item.id, f"{item.nominee_name} — {item.award_name}", None) for item in made],
        actor=actor,
        comment=file_name,
    )
    return made
