"""Print jobs no longer keep the address they were requested from: certificate links are
built from the PUBLIC_URL setting

Revision ID: e5b2c8d4a117
Revises: e3b5c7d9f104
Create Date: 2026-12-05 07:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5b2c8d4a117"
down_revision = "e3b5c7d9f104"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_column("base_url")


def downgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("base_url", sa.String(length=300), nullable=False, server_default="")
        )
