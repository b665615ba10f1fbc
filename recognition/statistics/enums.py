"""The levels an award is counted at in the yearly statistics."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class AwardLevel(LabelledEnum):
    """The level of the authority that conferred an award, highest first (the yearly report
    counts state, ministry/province and grassroots awards apart)."""

    STATE = "state"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.STATE: _l("State level"),
            cls.PROVINCE: _l("Ministry, sector or province level"),
            cls.DISTRICT: _l("District level"),
            cls.COMMUNE: _l("Commune level"),
        }


class Scope(LabelledEnum):
    """Whose award it is, as the body's statistics count it: its own (conferred by the body or
    a body of its level merged into it), the levels below within its territory (the communes,
    and the districts dissolved into it), or a higher level's award to a unit of its territory.
    Each award is counted at one level only."""

    OWN = "own"
    BELOW = "below"
    ABOVE = "above"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.OWN: _l("Awarded by this body"),
            cls.BELOW: _l("Awarded by the levels below, within its territory"),
            cls.ABOVE: _l("Awarded by higher levels to units of its territory"),
        }
