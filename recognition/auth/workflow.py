"""An account's life: disabled and enabled again — one table, one entry point.

An account is never deleted (its name stays on what it did). Disabling it ends every session
it has at its next request; the last active administrator cannot be disabled, nor can one
disable their own account. Only administrators do either, and each change is in the audit log.
"""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.auth.enums import AccountAction, AccountState, Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.permissions import can_manage_users
from recognition.auth.services import describe_account
from recognition.auth.sessions import end_all_sessions
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.lifecycle import Lifecycle, Transition
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit

S = AccountState
A = AccountAction


def last_admin_refusal(user: User) -> str | None:
    """Why `user` cannot lose their administrator role now (the last active one), or None."""
    if not user.is_admin:
        return None
    # Only grants on active units make an administrator (as User.is_admin says).
    admins = db.session.scalar(
        select(func.count(func.distinct(RoleGrant.user_id)))
        .join(User, User.id == RoleGrant.user_id)
        .join(Unit, Unit.id == RoleGrant.unit_id)
        .where(RoleGrant.role == Role.ADMIN, User.disabled_at.is_(None), Unit.is_active)
    )
    if (admins or 0) <= 1:
        return _("This is the last active administrator; keep at least one.")
    return None


def _not_last_admin(user: User, today: date) -> str | None:
    return last_admin_refusal(user)


def _may_manage(actor: Any, user: User) -> bool:
    return can_manage_users(actor)


def _on_enter(user: User, source: AccountState, target: AccountState, now: datetime) -> None:
    if target == S.DISABLED:
        end_all_sessions(user)


_TABLE: list[Transition[AccountState, AccountAction]] = [
    Transition(A.DISABLE, frozenset({S.ACTIVE}), S.DISABLED, _may_manage, _not_last_admin),
    Transition(A.ENABLE, frozenset({S.DISABLED}), S.ACTIVE, _may_manage),
]

LIFECYCLE: Lifecycle[AccountState, AccountAction] = Lifecycle(
    kind=ObjectKind.ACCOUNT,
    states=AccountState,
    actions=AccountAction,
    transitions=_TABLE,
    describe=describe_account,
    on_enter=_on_enter,
    not_possible=lambda action, state: _(
        "“%(action)s” is not possible while the account is “%(state)s”.",
        action=action.label,
        state=state.label,
    ),
    not_allowed=lambda action: _(
        "You may not do “%(action)s” on this account.", action=action.label
    ),
)

PAGE_ACTIONS = (A.DISABLE, A.ENABLE)


def available_actions(actor: Any, user: User) -> list[AccountAction]:
    """The state changes this actor may make to this account now."""
    return [
        action
        for action in LIFECYCLE.available(actor, user, PAGE_ACTIONS)
        if not (action == A.DISABLE and actor.id == user.id)
    ]


def disable_user(user: User, *, actor: User, comment: str = "") -> AuditEvent:
    """Disable an account; every session it has ends at its next request."""
    if user.id == actor.id and LIFECYCLE.is_possible(user, A.DISABLE):
        raise DomainError(_("You cannot disable your own account."))
    return LIFECYCLE.apply(user, A.DISABLE, actor=actor, comment=comment)


def enable_user(user: User, *, actor: User, comment: str = "") -> AuditEvent:
    """Let a disabled account log in again."""
    return LIFECYCLE.apply(user, A.ENABLE, actor=actor, comment=comment)
