"""nominations: an index for the secretariat's inbox (waiting dossiers, oldest first)

Revision ID: p1b2c3d4e506
Revises: n8d2f4a6c917
Create Date: 2026-12-05 13:00:00
"""

from alembic import op

revision = "p1b2c3d4e506"
down_revision = "n8d2f4a6c917"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_nominations_state_submitted", "nominations", ["state", "submitted_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_nominations_state_submitted", table_name="nominations")
