"""Searches that stay quick at a province's volume: the audit log's events by actor, and on
PostgreSQL trigram indexes (pg_trgm) for the folded names that the dossier list and the audit
log search with LIKE '%…%'

Revision ID: r3d5f7b9c128
Revises: q2c4e6a8b017
Create Date: 2026-12-05 13:30:00
"""

from alembic import op

revision = "r3d5f7b9c128"
down_revision = "q2c4e6a8b017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_actor", "audit_events", ["actor_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_audit_events_subject_trgm",
        "audit_events",
        ["subject_folded"],
        postgresql_using="gin",
        postgresql_ops={"subject_folded": "gin_trgm_ops"},
    )
    for column in ("nominee_folded", "reference"):
        op.create_index(
            f"ix_nominations_{column.split('_')[0]}_trgm",
            "nominations",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_nominations_reference_trgm", table_name="nominations")
        op.drop_index("ix_nominations_nominee_trgm", table_name="nominations")
        op.drop_index("ix_audit_events_subject_trgm", table_name="audit_events")
    op.drop_index("ix_audit_events_actor", table_name="audit_events")
