"""honours: the public honour board, its entries and their photos

An entry is an awarded nominee the awarding body published (or took down): a copy of what
the certificate shows, the story written for the public, and up to four photos stored under
generated keys.

Revision ID: h2c4e6a8b013
Revises: w8c0e2a4b673
Create Date: 2026-12-05 18:15:41
"""

import sqlalchemy as sa
from alembic import op

revision = "h2c4e6a8b013"
down_revision = "w8c0e2a4b673"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "honour_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("awarding_body_id", sa.Integer(), nullable=False),
        sa.Column("award_type_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=250), nullable=False),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.Column("title", sa.String(length=250), nullable=False),
        sa.Column("unit_name", sa.String(length=250), nullable=False),
        sa.Column("decision_reference", sa.String(length=60), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("search_folded", sa.String(length=1200), nullable=False),
        sa.Column(
            "recipient_sort",
            sa.String(length=510).with_variant(sa.String(length=510, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("unpublished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state <> 'published' OR published_at IS NOT NULL",
            name=op.f("ck_honour_entries_published_at"),
        ),
        sa.CheckConstraint(
            "state <> 'unpublished' OR unpublished_at IS NOT NULL",
            name=op.f("ck_honour_entries_unpublished_at"),
        ),
        sa.CheckConstraint(
            "state IN ('published', 'unpublished')", name=op.f("ck_honour_entries_state")
        ),
        sa.ForeignKeyConstraint(
            ["award_type_id"],
            ["award_types.id"],
            name=op.f("fk_honour_entries_award_type_id_award_types"),
        ),
        sa.ForeignKeyConstraint(
            ["awarding_body_id"],
            ["units.id"],
            name=op.f("fk_honour_entries_awarding_body_id_units"),
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_honour_entries_certificate_id_certificates"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_honour_entries_published_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_honour_entries_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_entries")),
        sa.UniqueConstraint("certificate_id", name=op.f("uq_honour_entries_certificate_id")),
    )
    with op.batch_alter_table("honour_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_honour_entries_awarding_body_id"), ["awarding_body_id"], unique=False
        )
        batch_op.create_index(
            "ix_honour_entries_board", ["state", "year", "awarding_body_id"], unique=False
        )

    op.create_table(
        "honour_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["honour_entries.id"],
            name=op.f("fk_honour_photos_entry_id_honour_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_photos")),
        sa.UniqueConstraint(
            "entry_id", "position", name=op.f("uq_honour_photos_entry_id_position")
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_honour_photos_storage_key")),
    )
    with op.batch_alter_table("honour_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_honour_photos_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("honour_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_honour_photos_entry_id"))

    op.drop_table("honour_photos")
    with op.batch_alter_table("honour_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_honour_entries_board")
        batch_op.drop_index(batch_op.f("ix_honour_entries_awarding_body_id"))

    op.drop_table("honour_entries")
