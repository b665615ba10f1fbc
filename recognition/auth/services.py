"""Authentication and own-account operations."""

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.enums import AccountAction, NotificationDelivery
from recognition.auth.models import User
from recognition.auth.passwords import hash_password, password_problems, verify_password
from recognition.auth.sessions import end_all_sessions
from recognition.common.audit import ObjectKind, record
from recognition.common.text import clean
from recognition.database import utcnow
from recognition.errors import DomainError
from recognition.extensions import db


def normalise_username(username: str) -> str:
    """The user name as stored: cleaned (no control or invisible characters, which no user
    name has and PostgreSQL refuses in a query), lower case."""
    return clean(username).lower()


def describe_account(user: User) -> str:
    """How the audit log names an account: full name and user name."""
    return f"{user.full_name} ({user.username})"


def record_account(
    user: User, action: AccountAction, *, actor: User | None, comment: str = ""
) -> None:
    """Audit an event of an account that leaves its state alone (no secret is recorded)."""
    record(
        ObjectKind.ACCOUNT,
        user.id,
        action.value,
        actor=actor,
        subject=describe_account(user),
        comment=comment,
    )


def authenticate(*, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; records the login time on success."""
    user = db.session.scalar(select(User).where(User.username == normalise_username(username)))
    if not verify_password(user, password) or user is None or not user.is_active:
        return None
    if user.is_api_account:  # a registered system acts only through the API
        return None
    user.last_login_at = utcnow()
    return user


def change_own_password(user: User, *, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every other session; audited
    (that it changed, never the password)."""
    if not verify_password(user, current):
        raise DomainError(_("The current password is not correct."), field="current_password")
    problems = password_problems(new, username=user.username, full_name=user.full_name)
    if problems:
        raise DomainError(" ".join(problems), field="new_password")
    if verify_password(user, new):
        raise DomainError(
            _("The new password must differ from the current one."), field="new_password"
        )
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_all_sessions(user)
    record_account(user, AccountAction.CHANGE_PASSWORD, actor=user)


def log_out_everywhere(user: User) -> None:
    """End every session of `user` (this one and any copy of its cookie)."""
    end_all_sessions(user)


def set_notification_delivery(user: User, delivery: NotificationDelivery) -> bool:
    """Tell `user` by e-mail and in the application, or in the application only; audited
    when it changes. Returns whether it changed."""
    delivery = NotificationDelivery(delivery)
    if user.notification_delivery == delivery:
        return False
    user.notification_delivery = delivery
    record_account(user, AccountAction.CHANGE_NOTIFICATIONS, actor=user, comment=delivery.value)
    return True
