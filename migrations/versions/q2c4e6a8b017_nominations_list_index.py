"""nominations: the list's covering index (name order, with the columns its visibility rule
and filters read), in place of the index on the name alone

Revision ID: q2c4e6a8b017
Revises: n3b8d1f6a274
Create Date: 2026-12-05 13:20:00
"""

from alembic import op

revision = "q2c4e6a8b017"
down_revision = "n3b8d1f6a274"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_nominations_list",
        "nominations",
        ["nominee_sort", "id", "campaign_id", "state", "nominating_unit_id"],
    )
    op.drop_index("ix_nominations_nominee_sort", table_name="nominations")


def downgrade() -> None:
    op.create_index("ix_nominations_nominee_sort", "nominations", ["nominee_sort"])
    op.drop_index("ix_nominations_list", table_name="nominations")
