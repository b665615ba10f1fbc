"""API clients: systems around the application that read and send dossiers with a token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.database import Base, utcnow
from recognition.units.models import Unit


class ApiClient(Base):
    """A registered client. It acts through an account of its own (`user`), which holds the
    nominator role on `unit`, so that the API goes through the same permissions, services and
    transitions as a nominator of that unit. Only the token's SHA-256 is kept: the token is
    shown once, when the client is registered."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, to tell clients apart on the admin page.
    token_hint: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def reaches_beyond_its_unit(self) -> bool:
        """Whether its account holds a role other than the one it was registered with (a
        grant given to the account since, such as a council seat): the client is then
        refused rather than reaching further than its unit."""
        return any(
            grant.role != Role.NOMINATOR or grant.unit_id != self.unit_id
            for grant in self.user.grants
        )
