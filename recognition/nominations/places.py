"""Where a person nominated stands, as the documents of the awarding body write it: the unit
and, below the body's own level, the commune it lies in ("Ấp Hòa Thạnh, xã Chợ Lách" in a
province's papers: several communes have an Ấp Hòa Thạnh)."""

from recognition.common.text import unit_in_sentence
from recognition.nominations.models import Nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.queries import ancestors_of

_PLACES = frozenset({UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP})


def places_between(nomination: Nomination) -> list[Unit]:
    """The administrative units above a person's unit and below the awarding body, the nearest
    first."""
    unit = nomination.person_unit
    body = nomination.campaign.awarding_body
    if unit is None or unit.id == body.id or not unit.is_within(body):
        return []
    between = [u for u in ancestors_of(unit) if u.depth > body.depth]
    return [u for u in reversed(between) if u.kind in _PLACES]


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
    if unit.casefold() in position.casefold():
        return position
    said, named = position.split(), unit.split()
    folded_said, folded_named = _folded_words(position), _folded_words(unit)
    for overlap in range(min(len(said), len(named)), 0, -1):
        if folded_said[-overlap:] == folded_named[:overlap]:
            return " ".join([*said, *named[overlap:]])
    return f"{position}, {unit_in_sentence(unit)}"


def person_line(nomination: Nomination, position: str) -> str:
    """A person's position and unit, then the communes between it and the awarding body."""
    unit = nomination.person_unit.name if nomination.person_unit else ""
    text = with_unit(position, unit)
    for place in places_between(nomination):
        if place.name.casefold() not in text.casefold():
            text = f"{text}, {unit_in_sentence(place.name)}" if text else place.name
    return text


def person_place(nomination: Nomination) -> str:
    """A person's unit and the communes between it and the awarding body."""
    return person_line(nomination, "")
