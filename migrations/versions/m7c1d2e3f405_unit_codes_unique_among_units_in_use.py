"""units: an administrative code is unique among the units in use only

A successor may take up the code of a unit it replaced (after the 2025 reorganisation many new
communes kept a predecessor's code), so the UNIQUE constraint on units.code becomes a partial
unique index over active units, plus a plain index for lookups of any unit by code. The
downgrade restores the constraint and fails while two units share a code.

SQLite cannot drop a UNIQUE constraint in place: the table is rebuilt from its own CREATE
statement with only that clause changed (so its column CHECKs stay as they are), and since other
tables refer to it, foreign keys are switched off for the rebuild (outside a transaction, the
only place SQLite accepts the pragma) and every reference is checked once it is done.

Revision ID: m7c1d2e3f405
Revises: d7f3a9c2e418
Create Date: 2026-12-05 09:45:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "m7c1d2e3f405"
down_revision = "d7f3a9c2e418"
branch_labels = None
depends_on = None

ACTIVE = "state = 'active'"
UNIQUE_CODE = "CONSTRAINT uq_units_code UNIQUE (code)"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _rebuild_sqlite_units(*, unique_code: bool) -> None:
    """Rebuild units on SQLite with or without the UNIQUE (code) clause, keeping the rest of
    its CREATE statement, its rows and its indexes."""
    bind = op.get_bind()
    create = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'units'"
    ).scalar_one()
    indexes = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'units' "
        "AND sql IS NOT NULL"
    ).scalars().all()
    create = re.sub(r",\s*" + re.escape(UNIQUE_CODE), "", create)
    if unique_code:
        create = create[: create.rindex(")")].rstrip() + f",\n\t{UNIQUE_CODE}\n)"
    create = re.sub(r"^CREATE TABLE \"?units\"?", "CREATE TABLE _units_rebuilt", create)
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    bind.exec_driver_sql("BEGIN")
    bind.exec_driver_sql(create)
    bind.exec_driver_sql("INSERT INTO _units_rebuilt SELECT * FROM units")
    bind.exec_driver_sql("DROP TABLE units")
    bind.exec_driver_sql("ALTER TABLE _units_rebuilt RENAME TO units")
    for index in indexes:
        bind.exec_driver_sql(index)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"Rebuilding units broke references: {broken[:5]}")
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=ON")
    bind.exec_driver_sql("BEGIN")


def _indexes() -> None:
    op.create_index("ix_units_code", "units", ["code"])
    op.create_index(
        "uq_units_code_active",
        "units",
        ["code"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )


def upgrade() -> None:
    if _sqlite():
        _rebuild_sqlite_units(unique_code=False)
    else:
        op.drop_constraint(op.f("uq_units_code"), "units", type_="unique")
    _indexes()


def downgrade() -> None:
    op.drop_index("uq_units_code_active", table_name="units")
    op.drop_index("ix_units_code", table_name="units")
    if _sqlite():
        _rebuild_sqlite_units(unique_code=True)
    else:
        op.create_unique_constraint(op.f("uq_units_code"), "units", ["code"])
