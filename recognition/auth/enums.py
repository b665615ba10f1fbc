"""Roles granted per unit, an account's states and the actions on accounts and grants."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class Role(LabelledEnum):
    NOMINATOR = "nominator"
    SECRETARIAT = "secretariat"
    COUNCIL_MEMBER = "council_member"
    CHAIR = "chair"
    ADMIN = "admin"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.NOMINATOR: _l("Nominator"),
            cls.SECRETARIAT: _l("Secretariat"),
            cls.COUNCIL_MEMBER: _l("Council member"),
            cls.CHAIR: _l("Chair"),
            cls.ADMIN: _l("Administrator"),
        }


# Roles that act for an awarding body: granting them on a unit that is not one is refused.
AWARDING_BODY_ROLES = frozenset({Role.SECRETARIAT, Role.COUNCIL_MEMBER, Role.CHAIR})
# Roles that sit on (or serve) a council.
COUNCIL_ROLES = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.COUNCIL_MEMBER})


class AccountState(LabelledEnum):
    ACTIVE = "active"
    DISABLED = "disabled"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.ACTIVE: _l("Active"), cls.DISABLED: _l("Disabled")}

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.ACTIVE: "success", cls.DISABLED: "secondary"}


class AccountAction(LabelledEnum):
    """What is done to an account: its state changes (disable, enable) and the audited events
    that leave its state alone. No password or secret is ever recorded."""

    DISABLE = "disable"
    ENABLE = "enable"
    CREATE = "create"
    EDIT = "edit"
    # The names of events, not passwords.
    RESET_PASSWORD = "reset_password"  # noqa: S105  # nosec B105
    CHANGE_PASSWORD = "change_password"  # noqa: S105  # nosec B105
    CHANGE_NOTIFICATIONS = "change_notifications"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.DISABLE: _l("Disable"),
            cls.ENABLE: _l("Enable"),
            cls.CREATE: _l("Create"),
            cls.EDIT: _l("Edit"),
            cls.RESET_PASSWORD: _l("Reset password"),
            cls.CHANGE_PASSWORD: _l("Change password"),
            cls.CHANGE_NOTIFICATIONS: _l("Change how notifications arrive"),
        }


class NotificationDelivery(LabelledEnum):
    """How a user is told: in the app and by e-mail (the default), or in the app only."""

    EMAIL_AND_APP = "email_and_app"
    APP_ONLY = "app_only"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.EMAIL_AND_APP: _l("By e-mail and in the application"),
            cls.APP_ONLY: _l("In the application only"),
        }


class GrantAction(LabelledEnum):
    GRANT = "grant"
    REVOKE = "revoke"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.GRANT: _l("Grant a role"), cls.REVOKE: _l("Remove a role")}
