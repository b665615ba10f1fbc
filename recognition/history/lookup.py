"""The award history of one nominee, as the eligibility checks, the appraisal and the reward
money read it, and how a record is matched to an award type of the catalogue.

A person is matched by the parts of the person key (`services.person_key`): the folded name,
the unit (or any unit merged into it, so a 2024 award under Xã Sơn Định counts for a person
of Xã Phú Phụng) and the birth year when both sides know it (an imported line has none). A
collective is matched by its unit and the units merged into it. Withdrawn records (their
decision annulled) never count.

A record names its award by text. It matches an award type when
- the award type has a standard of the law and the record's standard is the same: the
  record's own (a decision's line carries its award type's; an import infers it from the
  name, `standard_from_name`), else the one its name reads as;
- the award type is the body's own title (or has no standard) and the record's name is the
  award type's name, compared folded (no case, no diacritics).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload

from recognition.campaigns.models import AwardType
from recognition.common.text import clean, fold
from recognition.extensions import db
from recognition.history.enums import NomineeKind
from recognition.history.models import AwardRecord
from recognition.history.permissions import current_unit
from recognition.history.queries import lineage_ids
from recognition.law.enums import AwardStandard
from recognition.units.models import Unit

A = AwardStandard

# Folded spellings an officer's spreadsheet uses, longest first so that "tập thể lao động
# tiên tiến" is not read as "lao động tiên tiến".
_NAME_PREFIXES: list[tuple[str, AwardStandard]] = [
    ("tap the lao dong xuat sac", A.TAP_THE_LDXS),
    ("tap the lao dong tien tien", A.TAP_THE_LDTT),
    ("chien si thi dua co so", A.CSTD_CO_SO),
    ("chien si thi dua cap co so", A.CSTD_CO_SO),
    ("chien si thi dua cap tinh", A.CSTD_TINH),
    ("chien si thi dua tinh", A.CSTD_TINH),
    ("lao dong tien tien", A.LAO_DONG_TIEN_TIEN),
    ("gia dinh van hoa", A.GIA_DINH_VAN_HOA),
    ("thon van hoa", A.THON_AP_VAN_HOA),
    ("ap van hoa", A.THON_AP_VAN_HOA),
    ("thon, ap van hoa", A.THON_AP_VAN_HOA),
    ("to dan pho van hoa", A.THON_AP_VAN_HOA),
    ("khu pho van hoa", A.THON_AP_VAN_HOA),
    ("giay khen", A.GIAY_KHEN),
]
_ABBREVIATIONS = {
    "ldtt": A.LAO_DONG_TIEN_TIEN,
    "cstdcs": A.CSTD_CO_SO,
    "cstd co so": A.CSTD_CO_SO,
    "ttldtt": A.TAP_THE_LDTT,
    "ttldxs": A.TAP_THE_LDXS,
    "gdvh": A.GIA_DINH_VAN_HOA,
}
# Words that mark a sudden or thematic award: it does not count towards merit awards
# (NĐ 152/2025/NĐ-CP art. 4).
_SUDDEN_WORDS = ("dot xuat", "chuyen de")


def standard_from_name(name: str | None) -> AwardStandard | None:
    """The law's standard an award's name reads as ("Giấy khen của Chủ tịch UBND xã" →
    Giấy khen), or None. A Bằng khen or Cờ thi đua reads as the province's only when the
    name says so ("… UBND tỉnh"): the Prime Minister's is another award."""
    text = fold(clean(name))
    text = text.removeprefix("danh hieu ").strip()
    if text in _ABBREVIATIONS:
        return _ABBREVIATIONS[text]
    for prefix, standard in _NAME_PREFIXES:
        if text.startswith(prefix):
            return standard
    words = f" {text} "
    if text.startswith("bang khen") and " tinh " in words:
        return A.BANG_KHEN_TINH
    if text.startswith("co thi dua") and " tinh " in words:
        return A.CO_THI_DUA_TINH
    return None


def is_sudden_name(name: str | None) -> bool:
    """An imported award whose name says it was sudden or thematic ("đột xuất", "chuyên đề")."""
    text = fold(clean(name))
    return any(word in text for word in _SUDDEN_WORDS)


def standard_of(item: AwardRecord) -> AwardStandard | None:
    return item.standard or standard_from_name(item.award_name)


def matches_award(item: AwardRecord, award: AwardType) -> bool:
    """Whether the record is an award of `award` (see the module's docstring)."""
    if award.standard is not None and award.standard != AwardStandard.OWN_TITLE:
        return standard_of(item) == award.standard
    return fold(clean(item.award_name)) == fold(clean(award.name))


class Nominee(Protocol):
    """What a dossier says of its nominee (a unit, or a person of a unit)."""

    @property
    def nominee_unit(self) -> Unit | None: ...

    @property
    def person_name(self) -> str | None: ...

    @property
    def person_birth_year(self) -> int | None: ...

    @property
    def person_unit(self) -> Unit | None: ...


@dataclass(frozen=True)
class RecordedPerson:
    """The person a record names, in the unit that carries the record's unit today."""

    person_name: str | None
    person_birth_year: int | None
    person_unit: Unit | None
    nominee_unit: Unit | None = None


def person_of(item: AwardRecord) -> RecordedPerson:
    unit = current_unit(item.unit) if item.unit is not None else None
    return RecordedPerson(item.person_name, item.person_birth_year, unit)


def nominee_records(nominee: Nominee, *, withdrawn: bool = False) -> list[AwardRecord]:
    """The nominee's award records that count (with `withdrawn`, those of annulled decisions
    too), newest first."""
    return records_for_nominees([nominee], withdrawn=withdrawn)[0]


def records_for_nominees(
    nominees: Sequence[Nominee], *, withdrawn: bool = False
) -> list[list[AwardRecord]]:
    """Each nominee's award records (as `nominee_records`), newest first, in as many queries
    however many nominees there are (and one more per level of mergers)."""
    units = {u.id for n in nominees if (u := _unit_of(n)) is not None}
    lineage = lineage_ids(units)
    successor_of: dict[int, int | None] = {
        unit_id: successor_id
        for unit_id, successor_id in db.session.execute(
            select(Unit.id, Unit.successor_id).where(Unit.id.in_(lineage))
        )
    }
    where: list[ColumnElement[bool]] = [AwardRecord.unit_id.in_(lineage)]
    unattached = {fold(clean(n.person_name)) for n in nominees if _unit_of(n) is None}
    if unattached:
        where.append(AwardRecord.unit_id.is_(None) & AwardRecord.nominee_folded.in_(unattached))
    query = select(AwardRecord).where(or_(*where)).options(selectinload(AwardRecord.unit))
    if not withdrawn:
        query = query.where(AwardRecord.is_withdrawn.is_(False))
    rows = sorted(db.session.scalars(query), key=_newest_first)
    return [[r for r in rows if _is_of(r, n, successor_of)] for n in nominees]


def _unit_of(nominee: Nominee) -> Unit | None:
    return nominee.nominee_unit if nominee.nominee_unit is not None else nominee.person_unit


def _newest_first(item: AwardRecord) -> tuple[int, int, int, int]:
    day = item.decision_on.toordinal() if item.decision_on else 0
    return (item.decision_on is None, -day, -(item.year or 0), -item.id)


def _carried_by(unit_id: int | None, target: int, successor_of: dict[int, int | None]) -> bool:
    """Whether `unit_id` is `target` or was merged into it (at any depth)."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        if unit_id == target:
            return True
        seen.add(unit_id)
        unit_id = successor_of.get(unit_id)
    return False


def _is_of(item: AwardRecord, nominee: Nominee, successor_of: dict[int, int | None]) -> bool:
    if nominee.nominee_unit is not None:
        return item.nominee_kind == NomineeKind.UNIT and _carried_by(
            item.unit_id, nominee.nominee_unit.id, successor_of
        )
    if item.nominee_kind == NomineeKind.UNIT:
        return False
    if item.nominee_folded != fold(clean(nominee.person_name)):
        return False
    unit = nominee.person_unit
    same_unit = (
        item.unit_id is None if unit is None else _carried_by(item.unit_id, unit.id, successor_of)
    )
    return same_unit and may_be_born_alike(item.person_birth_year, nominee.person_birth_year)


def may_be_born_alike(year: int | None, other: int | None) -> bool:
    """Whether two records of one name may be one person by their years of birth: the same
    year, or either not given (an imported line gives none)."""
    return not year or not other or year == other
