"""Emulation registration and pledges (đăng ký, giao ước thi đua): at the start of a year each
unit below an awarding body registers the titles it aims for and whom it will put forward, and
signs the pledge the body set for the year."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.database import Base, utcnow

if TYPE_CHECKING:
    from recognition.auth.models import User
    from recognition.campaigns.models import AwardType
    from recognition.units.models import Unit


class RegistrationCall(Base):
    """An awarding body's registration for one year: its deadline and its pledge."""

    __tablename__ = "registration_calls"
    __table_args__ = (UniqueConstraint("awarding_body_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    deadline: Mapped[date]
    pledge: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    awarding_body: Mapped[Unit] = relationship()
    registrations: Mapped[list[Registration]] = relationship(back_populates="call")


class Registration(Base):
    """One unit's registration in a call, and its signature of the pledge."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("call_id", "unit_id"),
        CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="signed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("registration_calls.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None]

    call: Mapped[RegistrationCall] = relationship(back_populates="registrations")
    unit: Mapped[Unit] = relationship()
    registered_by: Mapped[User] = relationship(foreign_keys=[registered_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    lines: Mapped[list[RegistrationLine]] = relationship(
        back_populates="registration",
        order_by="RegistrationLine.position",
        cascade="all, delete-orphan",
    )


class RegistrationLine(Base):
    """A title the unit aims for, with the collective or person it will put forward for it
    (empty: the unit itself)."""

    __tablename__ = "registration_lines"
    __table_args__ = (UniqueConstraint("registration_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"))
    nominee: Mapped[str] = mapped_column(String(250), default="")

    registration: Mapped[Registration] = relationship(back_populates="lines")
    award_type: Mapped[AwardType] = relationship()
