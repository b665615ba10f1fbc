"""the audit log is searched by period: an index on its events' time

Revision ID: b8d0f2a4c631
Revises: a7c9e1f3b520
Create Date: 2026-12-07 09:20:00
"""

from alembic import op

revision = "b8d0f2a4c631"
down_revision = "a7c9e1f3b520"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_created_at", "audit_events", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_created_at", table_name="audit_events")
