"""units: a state (active, merged, dissolved) replaces the is_active flag

A deactivated unit that names a successor was merged into it; any other deactivated unit was
dissolved. A merged unit must name its successor (CHECK). The downgrade folds the state back
into the flag.

SQLite: the column and its CHECKs are added and dropped in place (ALTER TABLE … ADD/DROP
COLUMN), not by rebuilding the table, which the rows referring to units would forbid.

Revision ID: e3b5c7d9f104
Revises: d1a7e3c5b901
Create Date: 2026-12-05 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e3b5c7d9f104"
down_revision = "d1a7e3c5b901"
branch_labels = None
depends_on = None

STATES = "state IN ('active', 'merged', 'dissolved')"
MERGED = "state <> 'merged' OR successor_id IS NOT NULL"
DERIVE = (
    "UPDATE units SET state = CASE WHEN is_active THEN 'active' "
    "WHEN successor_id IS NOT NULL THEN 'merged' ELSE 'dissolved' END"
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        op.execute(
            "ALTER TABLE units ADD COLUMN state VARCHAR(20) NOT NULL DEFAULT 'active' "
            f"CONSTRAINT ck_units_state CHECK ({STATES}) "
            f"CONSTRAINT ck_units_merged_successor CHECK ({MERGED})"
        )
        op.execute(DERIVE)
        op.execute("ALTER TABLE units DROP COLUMN is_active")
        return
    op.add_column(
        "units", sa.Column("state", sa.String(length=20), nullable=False, server_default="active")
    )
    op.execute(DERIVE)
    op.alter_column("units", "state", server_default=None)
    op.drop_column("units", "is_active")
    op.create_check_constraint(op.f("ck_units_state"), "units", STATES)
    op.create_check_constraint(op.f("ck_units_merged_successor"), "units", MERGED)


def downgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE units ADD COLUMN is_active BOOLEAN NOT NULL DEFAULT 1")
        op.execute("UPDATE units SET is_active = (state = 'active')")
        op.execute("ALTER TABLE units DROP COLUMN state")
        return
    op.add_column(
        "units", sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.execute("UPDATE units SET is_active = (state = 'active')")
    op.alter_column("units", "is_active", server_default=None)
    op.drop_constraint(op.f("ck_units_merged_successor"), "units", type_="check")
    op.drop_constraint(op.f("ck_units_state"), "units", type_="check")
    op.drop_column("units", "state")
