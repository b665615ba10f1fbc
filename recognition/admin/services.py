"""Accounts and role grants, kept by administrators."""

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.auth.enums import AWARDING_BODY_ROLES, AccountAction, GrantAction, Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.passwords import hash_password, password_problems
from recognition.auth.services import normalise_username, record_account
from recognition.auth.sessions import end_all_sessions
from recognition.auth.workflow import last_admin_refusal
from recognition.common.audit import ObjectKind, record, register_vocabulary
from recognition.common.text import clean, fold, sort_string
from recognition.database import utcnow
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit

register_vocabulary(ObjectKind.ROLE_GRANT, GrantAction)

# Letters and digits that cannot be confused when read aloud or copied from paper.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class UserData:
    username: str
    full_name: str
    email: str | None = None
    position: str | None = None


def temporary_password() -> str:
    """A 12-character one-time password, given to the user on paper or by phone."""
    raw = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _apply(user: User, data: UserData) -> None:
    username = normalise_username(data.username)
    if not username:
        raise DomainError(_("The user name is required."), field="username")
    taken = db.session.scalar(
        select(User.id).where(func.lower(User.username) == username, User.id != (user.id or 0))
    )
    if taken is not None:
        raise DomainError(
            _("The user name %(name)s is already taken.", name=username), field="username"
        )
    full_name = clean(data.full_name)
    if not full_name:
        raise DomainError(_("The full name is required."), field="full_name")
    user.username = username
    user.full_name = full_name
    user.full_name_folded = fold(full_name)
    user.full_name_sort = sort_string(full_name)
    user.email = clean(data.email) or None
    user.position = clean(data.position) or None


def create_user(
    data: UserData, *, password: str | None = None, actor: User | None = None
) -> tuple[User, str | None]:
    """A new account; without `password` a temporary one is made and returned (shown once).
    Audited (without the password); `actor` None is the command line or the first setup."""
    user = User(session_version=1)
    _apply(user, data)
    temporary = None
    if password:
        problems = password_problems(password, username=user.username, full_name=user.full_name)
        if problems:
            raise DomainError(" ".join(problems), field="password")
    else:
        temporary = password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    db.session.add(user)
    db.session.flush()
    record_account(user, AccountAction.CREATE, actor=actor)
    return user, temporary


def update_user(user: User, data: UserData, *, actor: User) -> None:
    """Change an account's name, e-mail and position; audited."""
    _apply(user, data)
    db.session.flush()
    record_account(user, AccountAction.EDIT, actor=actor)


def reset_password(user: User, *, actor: User) -> str:
    """Replace the password by a temporary one (returned, shown once); ends every session.
    Audited: that it was reset and by whom, never the password."""
    temporary = temporary_password()
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    db.session.flush()
    record_account(user, AccountAction.RESET_PASSWORD, actor=actor)
    return temporary


def grant_role(user: User, *, role: Role, unit: Unit, actor: User | None) -> RoleGrant:
    """Give `user` the `role` for `unit`; audited ("role of user at unit"). `actor` None is
    the command line."""
    if not unit.is_active:
        raise DomainError(_("Roles cannot be granted on a deactivated unit."), field="unit_id")
    if role in AWARDING_BODY_ROLES and not unit.is_awarding_body:
        raise DomainError(
            _(
                "%(role)s can only be granted on an awarding body; %(unit)s is not one.",
                role=role.label,
                unit=unit.name,
            ),
            field="unit_id",
        )
    exists = db.session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id, RoleGrant.unit_id == unit.id, RoleGrant.role == role
        )
    )
    if exists is not None:
        raise DomainError(
            _("%(name)s already has this role on %(unit)s.", name=user.full_name, unit=unit.name)
        )
    grant = RoleGrant(user=user, unit=unit, role=role, granted_by_id=actor.id if actor else None)
    db.session.add(grant)
    db.session.flush()
    _record_grant(grant, GrantAction.GRANT, actor=actor)
    return grant


def _record_grant(grant: RoleGrant, action: GrantAction, *, actor: User | None) -> None:
    # Filed under the account that holds the grant: a revoked grant's row is gone, the account
    # (and its page) remains.
    record(
        ObjectKind.ROLE_GRANT, grant.user_id, action.value, actor=actor, subject=grant.describe()
    )


def revoke_grant(grant: RoleGrant, *, actor: User) -> None:
    """Remove a role grant (the last administrator keeps theirs); audited."""
    if grant.role == Role.ADMIN and grant.unit.is_active:
        others = [
            g
            for g in grant.user.grants
            if g is not grant and g.role == Role.ADMIN and g.unit.is_active
        ]
        refusal = None if others else last_admin_refusal(grant.user)
        if refusal:
            raise DomainError(refusal)
    _record_grant(grant, GrantAction.REVOKE, actor=actor)
    grant.user.grants.remove(grant)
    db.session.flush()
