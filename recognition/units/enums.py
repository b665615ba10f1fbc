"""Kinds of unit."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class UnitKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    WARD = "ward"
    TOWNSHIP = "township"
    HAMLET = "hamlet"
    RESIDENTIAL_GROUP = "residential_group"
    DEPARTMENT = "department"
    ASSOCIATION = "association"
    TEAM = "team"
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(UNIT_KIND_LABELS[self])


UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: _l("Province"),
    UnitKind.DISTRICT: _l("District"),
    UnitKind.COMMUNE: _l("Commune"),
    UnitKind.WARD: _l("Ward"),
    UnitKind.TOWNSHIP: _l("Township"),
    UnitKind.HAMLET: _l("Hamlet"),
    UnitKind.RESIDENTIAL_GROUP: _l("Residential group"),
    UnitKind.DEPARTMENT: _l("Department"),
    UnitKind.ASSOCIATION: _l("Association"),
    UnitKind.TEAM: _l("Team"),
    UnitKind.SCHOOL: _l("School"),
    UnitKind.ENTERPRISE: _l("Enterprise"),
    UnitKind.OTHER: _l("Other"),
}
