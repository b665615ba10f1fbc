"""Roles, granted per unit."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    NOMINATOR = "nominator"
    SECRETARIAT = "secretariat"
    COUNCIL_MEMBER = "council_member"
    CHAIR = "chair"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.NOMINATOR: _l("Nominator"),
    Role.SECRETARIAT: _l("Secretariat"),
    Role.COUNCIL_MEMBER: _l("Council member"),
    Role.CHAIR: _l("Chair"),
    Role.ADMIN: _l("Administrator"),
}

# Roles that act for an awarding body: granting them on a unit that is not one is refused.
AWARDING_BODY_ROLES = frozenset({Role.SECRETARIAT, Role.COUNCIL_MEMBER, Role.CHAIR})
