"""The unit tree: provinces, communes, hamlets, departments, associations, teams…"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.database import Base, binary_string, enum_check, enum_column, utcnow
from recognition.units.enums import UnitKind, UnitState


class Unit(Base):
    """A node of the administrative tree.

    `path` is the materialised list of ancestor ids ("/1/4/17/"), so a subtree is one indexed
    prefix query on both SQLite and PostgreSQL; `parent_id` stays the source of truth.
    """

    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(enum_check("kind", UnitKind.values()), name="kind"),
        CheckConstraint(enum_check("state", UnitState.values()), name="state"),
        # A merged unit names the unit it was merged into.
        CheckConstraint("state <> 'merged' OR successor_id IS NOT NULL", name="merged_successor"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="validity"
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
        Index("ix_units_name_sort", "name_sort"),
        # An administrative code names a unit within its validity period: a successor may take
        # up its predecessor's code (NQ 1687/NQ-UBTVQH15 kept many commune codes), so the code
        # is unique among the units in use only.
        Index(
            "uq_units_code_active",
            "code",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
        Index("ix_units_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    name_sort: Mapped[str] = mapped_column(binary_string(410))
    kind: Mapped[UnitKind] = enum_column(UnitKind, 30)
    code: Mapped[str | None] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(binary_string(500), default="/")
    depth: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    is_awarding_body: Mapped[bool] = mapped_column(default=False)
    # Changed only by recognition.units.workflow (merge, dissolve, restore).
    state: Mapped[UnitState] = enum_column(UnitState, 20, default=UnitState.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Unit | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[Unit]] = relationship(foreign_keys=[parent_id], back_populates="parent")
    successor: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    @hybrid_property
    def is_active(self) -> bool:
        """In use: neither merged nor dissolved (also usable in queries)."""
        return self.state == UnitState.ACTIVE

    @is_active.inplace.expression
    @classmethod
    def _is_active_expression(cls) -> ColumnElement[bool]:
        return cls.state == UnitState.ACTIVE

    @property
    def ids_above(self) -> list[int]:
        """The ids of the units above this one, from the root down (read off `path`)."""
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def is_within(self, ancestor: Unit) -> bool:
        """True when this unit is `ancestor` or lies below it."""
        return self.path.startswith(ancestor.path)

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"
