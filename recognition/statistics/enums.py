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
