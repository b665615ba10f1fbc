"""nominations: a partial index of the passed dossiers, in the decision page's order (a body's
dossiers waiting for a decision are counted and listed from the index alone); the campaign and
state index also holds the submission time (the inbox's counts from the index alone)

Revision ID: u6a8c0e2f451
Revises: t5f7b9d1e340
Create Date: 2026-12-05 16:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "u6a8c0e2f451"
down_revision = "t5f7b9d1e340"
branch_labels = None
depends_on = None

PASSED = sa.text("state = 'passed'")


def upgrade() -> None:
    op.create_index(
        "ix_nominations_passed",
        "nominations",
        ["award_type_id", "nominee_sort", "id", "campaign_id"],
        sqlite_where=PASSED,
        postgresql_where=PASSED,
    )
    op.drop_index("ix_nominations_campaign_state", table_name="nominations")
    op.create_index(
        "ix_nominations_campaign_state", "nominations", ["campaign_id", "state", "submitted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_nominations_campaign_state", table_name="nominations")
    op.create_index("ix_nominations_campaign_state", "nominations", ["campaign_id", "state"])
    op.drop_index("ix_nominations_passed", table_name="nominations")
