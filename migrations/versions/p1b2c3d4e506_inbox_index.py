"""nominations: a partial index for the secretariat's inbox (waiting dossiers, oldest first,
with the columns its counts read, so that both are answered from the index)

Revision ID: p1b2c3d4e506
Revises: n8d2f4a6c917
Create Date: 2026-12-05 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "p1b2c3d4e506"
down_revision = "n8d2f4a6c917"
branch_labels = None
depends_on = None

WAITING = "state IN ('submitted', 'in_review')"


def upgrade() -> None:
    op.create_index(
        "ix_nominations_waiting",
        "nominations",
        ["submitted_at", "id", "campaign_id", "state"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )


def downgrade() -> None:
    op.drop_index("ix_nominations_waiting", table_name="nominations")
