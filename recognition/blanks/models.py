"""Layouts for printing certificates on pre-printed blanks (phôi)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from recognition.database import Base, enum_check, utcnow

BLANK_PAPERS = ("A4", "A3")


class BlankLayout(Base):
    """Where the text of a certificate goes on an awarding body's pre-printed blanks (phôi) of
    one paper size: a box per field (JSON, checked by the service), the printer's calibration
    offset, and a scan of the blank for the on-screen preview."""

    __tablename__ = "blank_layouts"
    __table_args__ = (
        UniqueConstraint("unit_id", "paper"),
        CheckConstraint(enum_check("paper", list(BLANK_PAPERS)), name="paper"),
        CheckConstraint(
            "offset_x_mm BETWEEN -20 AND 20 AND offset_y_mm BETWEEN -20 AND 20", name="offset"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    paper: Mapped[str] = mapped_column(String(2))
    # {"office": {"x": 33.5, "y": 60.25, "width": 230, "size": 19, "align": "center",
    #  "shown": true}, ...}: millimetres from the sheet's top-left corner, points.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    offset_x_mm: Mapped[float] = mapped_column(default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(default=0.0)
    scan_key: Mapped[str | None] = mapped_column(String(64))
    scan_name: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
