"""nominations on SQLite: the list's index also holds the folded name and the reference, so the
search (LIKE '%…%', no trigram index there) reads the index alone; PostgreSQL keeps its own

Revision ID: v7b9d1f3a562
Revises: u6a8c0e2f451
Create Date: 2026-12-05 16:55:00
"""

from alembic import op

revision = "v7b9d1f3a562"
down_revision = "u6a8c0e2f451"
branch_labels = None
depends_on = None

LIST = ["nominee_sort", "id", "campaign_id", "state", "nominating_unit_id"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index(
        "ix_nominations_list_search", "nominations", [*LIST, "nominee_folded", "reference"]
    )
    op.drop_index("ix_nominations_list", table_name="nominations")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_nominations_list", "nominations", LIST)
    op.drop_index("ix_nominations_list_search", table_name="nominations")
