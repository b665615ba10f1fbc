"""The public honour board: awarded nominees the awarding body chose to publish.

An entry copies, when it is published, only what the certificate itself shows (the recipient
as named on it, the position and unit as printed, the title, the decision's number and date);
the story and the photos are written for the public by the secretariat. Nothing else of the
dossier is ever read by the public pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.database import Base, binary_string, enum_check, enum_column, utcnow
from recognition.honours.enums import HonourState

if TYPE_CHECKING:
    from recognition.auth.models import User
    from recognition.campaigns.models import AwardType
    from recognition.certificates.models import Certificate
    from recognition.units.models import Unit


class HonourEntry(Base):
    """One awarded nominee on the honour board (or taken down from it)."""

    __tablename__ = "honour_entries"
    __table_args__ = (
        CheckConstraint(enum_check("state", HonourState), name="state"),
        CheckConstraint("state <> 'published' OR published_at IS NOT NULL", name="published_at"),
        CheckConstraint(
            "state <> 'unpublished' OR unpublished_at IS NOT NULL", name="unpublished_at"
        ),
        Index("ix_honour_entries_board", "state", "year", "awarding_body_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), unique=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"))
    # The nominee's unit (the collective itself, or the person's unit), for the filter.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    state: Mapped[HonourState] = enum_column(HonourState, 12, default=HonourState.PUBLISHED)
    # As printed on the certificate.
    recipient: Mapped[str] = mapped_column(String(250))
    detail: Mapped[str] = mapped_column(String(400), default="")
    title: Mapped[str] = mapped_column(String(250))
    unit_name: Mapped[str] = mapped_column(String(250), default="")
    decision_reference: Mapped[str] = mapped_column(String(60))
    decision_on: Mapped[date]
    position: Mapped[int]
    story: Mapped[str] = mapped_column(Text)
    search_folded: Mapped[str] = mapped_column(String(1200), default="")
    recipient_sort: Mapped[str] = mapped_column(binary_string(510), default="")
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unpublished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    certificate: Mapped[Certificate] = relationship()
    awarding_body: Mapped[Unit] = relationship(foreign_keys=[awarding_body_id])
    award_type: Mapped[AwardType] = relationship()
    published_by: Mapped[User | None] = relationship()
    photos: Mapped[list[HonourPhoto]] = relationship(
        back_populates="entry", order_by="HonourPhoto.position", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.state == HonourState.PUBLISHED


class HonourPhoto(Base):
    """A photo of an entry: a checked JPEG or PNG, stored under a generated key."""

    __tablename__ = "honour_photos"
    __table_args__ = (UniqueConstraint("entry_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("honour_entries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    # What the photo shows, for people who cannot see it (its alt text) and as its caption.
    caption: Mapped[str] = mapped_column(String(300))
    original_name: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[HonourEntry] = relationship(back_populates="photos")
