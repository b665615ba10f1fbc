"""units: a state (active, merged, dissolved) replaces the is_active flag

A deactivated unit that names a successor was merged into it; any other deactivated unit was
dissolved. A merged unit must name its successor (CHECK). The downgrade folds the state back
into the flag.

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


def upgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=20), nullable=False, server_default="active")
        )
    op.execute(
        "UPDATE units SET state = CASE WHEN is_active THEN 'active' "
        "WHEN successor_id IS NOT NULL THEN 'merged' ELSE 'dissolved' END"
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.alter_column("state", server_default=None)
        batch_op.drop_column("is_active")
        batch_op.create_check_constraint(
            op.f("ck_units_state"), "state IN ('active', 'merged', 'dissolved')"
        )
        batch_op.create_check_constraint(
            op.f("ck_units_merged_successor"), "state <> 'merged' OR successor_id IS NOT NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute("UPDATE units SET is_active = (state = 'active')")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.alter_column("is_active", server_default=None)
        batch_op.drop_constraint(batch_op.f("ck_units_merged_successor"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_units_state"), type_="check")
        batch_op.drop_column("state")
