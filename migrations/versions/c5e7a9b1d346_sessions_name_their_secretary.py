"""A council session names who keeps its minutes (thư ký phiên họp), chosen by the secretariat

Revision ID: c5e7a9b1d346
Revises: b8d0f2a4c631
Create Date: 2026-12-08 09:00:00

Nobody is chosen for the sessions already held: their minutes name the default (the council's
secretary if present, otherwise the first member present after the chair in the council's order).
"""

import sqlalchemy as sa
from alembic import op

revision = "c5e7a9b1d346"
down_revision = "b8d0f2a4c631"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("council_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secretary_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_council_sessions_secretary_id_council_members"),
            "council_members",
            ["secretary_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("council_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_council_sessions_secretary_id_council_members"), type_="foreignkey"
        )
        batch_op.drop_column("secretary_id")
