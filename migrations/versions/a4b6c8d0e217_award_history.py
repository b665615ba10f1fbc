"""award history: a record per nominee of every award

award_records: one nominee's award, written when a decision is issued here (withdrawn when it
is annulled) or imported from the officers' spreadsheet of earlier awards; the unit awarded or
the person's unit with its name as it was, the person's key (folded name, birth year, unit),
the citizen ID only where the installation keeps it.

Revision ID: a4b6c8d0e217
Revises: y0e2a4c6d895
Create Date: 2026-12-05 19:34:13
"""

import sqlalchemy as sa
from alembic import op

revision = "a4b6c8d0e217"
down_revision = "y0e2a4c6d895"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "award_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("decision_line_id", sa.Integer(), nullable=True),
        sa.Column("is_withdrawn", sa.Boolean(), nullable=False),
        sa.Column("nominee_kind", sa.String(length=10), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("person_name", sa.String(length=120), nullable=True),
        sa.Column("person_birth_year", sa.Integer(), nullable=True),
        sa.Column("person_position", sa.String(length=200), nullable=False),
        sa.Column("citizen_id", sa.String(length=20), nullable=True),
        sa.Column("nominee_name", sa.String(length=250), nullable=False),
        sa.Column("nominee_folded", sa.String(length=250), nullable=False),
        sa.Column("person_key", sa.String(length=300), nullable=False),
        sa.Column("award_name", sa.String(length=300), nullable=False),
        sa.Column("standard", sa.String(length=30), nullable=True),
        sa.Column("decision_reference", sa.String(length=60), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("awarding_body_id", sa.Integer(), nullable=True),
        sa.Column("awarding_body_name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("achievement", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "nominee_kind <> 'unit' OR unit_id IS NOT NULL",
            name=op.f("ck_award_records_collective_has_unit"),
        ),
        sa.CheckConstraint(
            "nominee_kind IN ('unit', 'person')", name=op.f("ck_award_records_nominee_kind")
        ),
        sa.CheckConstraint(
            "source <> 'decision' OR decision_line_id IS NOT NULL",
            name=op.f("ck_award_records_decision_has_line"),
        ),
        sa.CheckConstraint(
            "source IN ('decision', 'import')", name=op.f("ck_award_records_source")
        ),
        sa.CheckConstraint(
            "standard IN ('giay_khen', 'lao_dong_tien_tien', 'cstd_co_so', 'tap_the_ldtt', 'gia_dinh_van_hoa', 'thon_ap_van_hoa', 'bang_khen_tinh', 'cstd_tinh', 'tap_the_ldxs', 'co_thi_dua_tinh', 'own_title')",
            name=op.f("ck_award_records_standard"),
        ),
        sa.ForeignKeyConstraint(
            ["awarding_body_id"], ["units.id"], name=op.f("fk_award_records_awarding_body_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["decision_line_id"],
            ["decision_lines.id"],
            name=op.f("fk_award_records_decision_line_id_decision_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_award_records_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_records")),
        sa.UniqueConstraint("decision_line_id", name=op.f("uq_award_records_decision_line_id")),
    )
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_award_records_nominee_folded"), ["nominee_folded"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_award_records_person_key"), ["person_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_award_records_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_award_records_unit_id"))
        batch_op.drop_index(batch_op.f("ix_award_records_person_key"))
        batch_op.drop_index(batch_op.f("ix_award_records_nominee_folded"))

    op.drop_table("award_records")
