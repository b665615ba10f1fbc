"""nominations: the campaign's index also holds the state (a body's passed or waiting dossiers
are found without reading every dossier of its campaigns)

Revision ID: s4e6a8c0d239
Revises: r3d5f7b9c128
Create Date: 2026-12-05 13:40:00
"""

from alembic import op

revision = "s4e6a8c0d239"
down_revision = "r3d5f7b9c128"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_nominations_campaign_state", "nominations", ["campaign_id", "state"])
    op.drop_index("ix_nominations_campaign_id", table_name="nominations")


def downgrade() -> None:
    op.create_index("ix_nominations_campaign_id", "nominations", ["campaign_id"])
    op.drop_index("ix_nominations_campaign_state", table_name="nominations")
