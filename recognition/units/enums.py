"""Kinds of unit, a unit's states and the actions on a unit."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class UnitKind(LabelledEnum):
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

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PROVINCE: _l("Province"),
            cls.DISTRICT: _l("District"),
            cls.COMMUNE: _l("Commune"),
            cls.WARD: _l("Ward"),
            cls.TOWNSHIP: _l("Township"),
            cls.HAMLET: _l("Hamlet"),
            cls.RESIDENTIAL_GROUP: _l("Residential group"),
            cls.DEPARTMENT: _l("Department"),
            cls.ASSOCIATION: _l("Association"),
            cls.TEAM: _l("Team"),
            cls.SCHOOL: _l("School"),
            cls.ENTERPRISE: _l("Enterprise"),
            cls.OTHER: _l("Other"),
        }

    @property
    def level(self) -> int | None:
        """The administrative level (1 the province), or None for an organisation (department,
        association, team, school, enterprise…), which has none."""
        return _LEVELS.get(self)


# Province, district (until 1 July 2025, Law 72/2025/QH15), commune, hamlet or residential
# group: an administrative unit belongs only to one of a higher level.
_LEVELS = {
    UnitKind.PROVINCE: 1,
    UnitKind.DISTRICT: 2,
    UnitKind.COMMUNE: 3,
    UnitKind.WARD: 3,
    UnitKind.TOWNSHIP: 3,
    UnitKind.HAMLET: 4,
    UnitKind.RESIDENTIAL_GROUP: 4,
}


class UnitState(LabelledEnum):
    """Where a unit is in its life: in use, merged into a successor, or dissolved."""

    ACTIVE = "active"
    MERGED = "merged"
    DISSOLVED = "dissolved"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.ACTIVE: _l("Active"),
            cls.MERGED: _l("Merged"),
            cls.DISSOLVED: _l("Deactivated"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.ACTIVE: "success", cls.MERGED: "info", cls.DISSOLVED: "secondary"}


class UnitAction(LabelledEnum):
    """What is done to a unit: its state changes (merge, dissolve, restore) and the audited
    edits that leave its state alone."""

    MERGE = "merge"
    DISSOLVE = "dissolve"
    RESTORE = "restore"
    CREATE = "create"
    EDIT = "edit"
    MOVE = "move"
    IMPORT = "import"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.MERGE: _l("Merge into a successor"),
            cls.DISSOLVE: _l("Deactivate"),
            cls.RESTORE: _l("Reactivate"),
            cls.CREATE: _l("Create"),
            cls.EDIT: _l("Edit"),
            cls.MOVE: _l("Move"),
            cls.IMPORT: _l("Import from CSV"),
        }


class RegistrationRule(LabelledEnum):
    """What an awarding body does with a dossier for a title its unit did not register for the
    year: warn on the dossier (the default), or refuse its submission."""

    WARN = "warn"
    REQUIRE = "require"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.WARN: _l("Warn on the dossier"),
            cls.REQUIRE: _l("Refuse the submission"),
        }
