"""Where a person nominated stands, as the documents of the awarding body write it: the unit
and, below the body's own level, the commune it lies in ("Ấp Hòa Thạnh, xã Chợ Lách" in a
province's papers: several communes have an Ấp Hòa Thạnh)."""

from sqlalchemy import select

from recognition.common.text import unit_in_sentence
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.queries import ancestors_of

_PLACES = frozenset({UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP})


def places_between(nomination: Nomination, units: dict[int, Unit] | None = None) -> list[Unit]:
    """The administrative units above a person's unit and below the awarding body, the nearest
    first (from `units` by id when given: see `places_of`)."""
    unit = nomination.person_unit
    body = nomination.campaign.awarding_body
    if unit is None or unit.id == body.id or not unit.is_within(body):
        return []
    if units is None:
        chain = ancestors_of(unit)
    else:
        chain = [units[i] for i in unit.ids_above if i in units]
    between = [u for u in chain if u.depth > body.depth]
    return [u for u in reversed(between) if u.kind in _PLACES]


def places_of(nominations: list[Nomination]) -> dict[int, Unit]:
    """The units of these dossiers' people and the units above them, by id, in two queries (a
    list of many lines)."""
    # The people's own units first, in one query: each dossier's `person_unit` is then read
    # from the session, not loaded line by line.
    own = {n.person_unit_id for n in nominations if n.person_unit_id is not None}
    people = list(db.session.scalars(select(Unit).where(Unit.id.in_(own)))) if own else []
    ids = {i for unit in people for i in unit.ids_above}
    above = list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)))) if ids else []
    # The people's units are kept here too: the session holds its rows only while they are used.
    return {u.id: u for u in [*people, *above]}


def _folded_words(text: str) -> list[str]:
    return [word.casefold() for word in text.split()]


def with_unit(position: str, unit: str) -> str:
    """A position followed by the unit, written once: "Trưởng ấp" and "Ấp Phú Hữu" read
    "Trưởng ấp Phú Hữu", "Chủ tịch Hội Nông dân xã" and "Hội Nông dân xã Chợ Lách" read "Chủ
    tịch Hội Nông dân xã Chợ Lách"; a position that already names the unit stands alone;
    otherwise "position, unit" (the unit's kind in lower case inside the line)."""
    if not unit:
        return position
    if not position:
        return unit
    if _names(position, unit):
        return position
    said, named = position.split(), unit.split()
    folded_said, folded_named = _folded_words(position), _folded_words(unit)
    for overlap in range(min(len(said), len(named)), 0, -1):
        if folded_said[-overlap:] == folded_named[:overlap]:
            return " ".join([*said, *named[overlap:]])
    return f"{position}, {unit_in_sentence(unit)}"


def _names(text: str, name: str) -> bool:
    """Whether `text` names `name` as whole words ("Ấp 1" is not in "Trưởng ấp 10")."""
    words, named = _folded_words(text.replace(",", " ")), _folded_words(name)
    return any(words[i : i + len(named)] == named for i in range(len(words) - len(named) + 1))


def person_line(nomination: Nomination, position: str, units: dict[int, Unit] | None = None) -> str:
    """A person's position and unit, then the communes between it and the awarding body."""
    unit = nomination.person_unit.name if nomination.person_unit else ""
    text = with_unit(position, unit)
    for place in places_between(nomination, units):
        if not _names(text, place.name):
            text = f"{text}, {unit_in_sentence(place.name)}" if text else place.name
    return text


def person_place(nomination: Nomination, units: dict[int, Unit] | None = None) -> str:
    """A person's unit and the communes between it and the awarding body."""
    return person_line(nomination, "", units)
