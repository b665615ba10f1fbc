"""Accounts and their role grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.enums import AccountState, NotificationDelivery, Role
from recognition.database import Base, binary_string, enum_check, enum_column, utcnow
from recognition.units.models import Unit

# The user names of API clients' accounts (recognition.api): no person's account starts so.
API_ACCOUNT_PREFIX = "api-"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("username = lower(username)", name="username_lower"),
        CheckConstraint(
            enum_check("notification_delivery", NotificationDelivery.values()),
            name="notification_delivery",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    full_name_folded: Mapped[str] = mapped_column(String(120), index=True)
    full_name_sort: Mapped[str] = mapped_column(binary_string(250), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    position: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped by logout, password change and disabling: every session that carries an older
    # value is refused at its next request (a copied cookie dies with the session it came from).
    session_version: Mapped[int] = mapped_column(default=1)
    disabled_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(5))
    notification_delivery: Mapped[NotificationDelivery] = enum_column(
        NotificationDelivery, 20, default=NotificationDelivery.EMAIL_AND_APP
    )
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="RoleGrant.id",
        foreign_keys="RoleGrant.user_id",
    )

    # The account's state is its `disabled_at` timestamp (set: disabled), so the two can never
    # disagree; only recognition.auth.workflow assigns it.
    @property
    def state(self) -> AccountState:
        return AccountState.ACTIVE if self.disabled_at is None else AccountState.DISABLED

    @state.setter
    def state(self, value: AccountState) -> None:
        if AccountState(value) == AccountState.ACTIVE:
            self.disabled_at = None
        elif self.disabled_at is None:
            self.disabled_at = utcnow()

    # Flask-Login protocol ------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    # Roles --------------------------------------------------------------------------------
    def units_with(self, role: Role) -> list[Unit]:
        return [grant.unit for grant in self.grants if grant.role == role and grant.unit.is_active]

    def has_role(self, role: Role, unit: Unit | None = None) -> bool:
        """Whether the user holds `role` (on `unit` or one of its ancestors, when given)."""
        for grant in self.grants:
            if grant.role != role or not grant.unit.is_active:
                continue
            if unit is None or unit.is_within(grant.unit):
                return True
        return False

    def holds(self, role: Role, unit: Unit) -> bool:
        """Whether the user holds `role` on exactly `unit` (awarding-body roles)."""
        return any(
            grant.role == role and grant.unit_id == unit.id and grant.unit.is_active
            for grant in self.grants
        )

    @hybrid_property
    def is_api_account(self) -> bool:
        """The account a registered system acts through (recognition.api), not a person's: no
        one logs in as it, and the administration of people's accounts leaves it out."""
        return self.username.startswith(API_ACCOUNT_PREFIX)

    @is_api_account.inplace.expression
    @classmethod
    def _is_api_account_expression(cls) -> ColumnElement[bool]:
        return cls.username.startswith(API_ACCOUNT_PREFIX)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def roles(self) -> set[Role]:
        return {grant.role for grant in self.grants if grant.unit.is_active}

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(Base):
    """`user` holds `role` for `unit` (and, for nominators and admins, the unit's subtree)."""

    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "unit_id", "role"),
        CheckConstraint(enum_check("role", Role.values()), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[Role] = enum_column(Role, 30)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    unit: Mapped[Unit] = relationship(lazy="joined")

    def describe(self) -> str:
        """How the audit log names a grant: "role of user at unit"."""
        return (
            f"{self.role.label} · {self.user.full_name} ({self.user.username}) · {self.unit.name}"
        )


class LoginThrottle(Base):
    """The failed log-ins of one user name from one client address (recognition.auth.throttle).

    The user name is the one typed, normalised, whether or not an account has it: known and
    unknown names are throttled alike, so the table says nothing about which accounts exist.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (
        UniqueConstraint("username", "address"),
        CheckConstraint("failures >= 0", name="failures"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]
