"""emulation clusters and blocks of a year: members, the rotation of the lead and deputy,
the scoring table and the scores

Revision ID: c3d5f7a9b124
Revises: x9d1f3b5c784
Create Date: 2026-12-05 18:15:07.676337

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3d5f7a9b124"
down_revision = "x9d1f3b5c784"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("awarding_body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column(
            "name_sort",
            sa.String(length=410).with_variant(sa.String(length=410, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("tie_breaks", sa.JSON(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('cluster', 'block')", name=op.f("ck_clusters_kind")),
        sa.CheckConstraint(
            "(locked_at IS NULL) = (locked_by_id IS NULL)", name=op.f("ck_clusters_locked")
        ),
        sa.CheckConstraint("year >= 2000 AND year <= 2100", name=op.f("ck_clusters_year")),
        sa.ForeignKeyConstraint(
            ["awarding_body_id"], ["units.id"], name=op.f("fk_clusters_awarding_body_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["locked_by_id"], ["users.id"], name=op.f("fk_clusters_locked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
        sa.UniqueConstraint(
            "awarding_body_id",
            "year",
            "name_folded",
            name=op.f("uq_clusters_awarding_body_id_year_name_folded"),
        ),
    )
    with op.batch_alter_table("clusters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clusters_awarding_body_id"), ["awarding_body_id"], unique=False
        )

    op.create_table(
        "cluster_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("max_points", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("evidence_note", sa.Text(), nullable=False),
        sa.Column("is_deduction", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("max_points >= 0", name=op.f("ck_cluster_criteria_max_points")),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_criteria_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["cluster_criteria.id"],
            name=op.f("fk_cluster_criteria_parent_id_cluster_criteria"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_criteria")),
        sa.UniqueConstraint("cluster_id", "code", name=op.f("uq_cluster_criteria_cluster_id_code")),
    )
    with op.batch_alter_table("cluster_criteria", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cluster_criteria_cluster_id"), ["cluster_id"], unique=False
        )

    op.create_table(
        "cluster_officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint("role IN ('lead', 'deputy')", name=op.f("ck_cluster_officers_role")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_cluster_officers_validity")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_officers_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_cluster_officers_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_officers")),
    )
    with op.batch_alter_table("cluster_officers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cluster_officers_cluster_id"), ["cluster_id"], unique=False
        )

    op.create_table(
        "cluster_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column(
            "unit_sort",
            sa.String(length=410).with_variant(sa.String(length=410, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("votes IS NULL OR votes >= 0", name=op.f("ck_cluster_members_votes")),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_members_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nominations.id"],
            name=op.f("fk_cluster_members_nomination_id_nominations"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_cluster_members_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_members")),
        sa.UniqueConstraint(
            "cluster_id", "unit_id", name=op.f("uq_cluster_members_cluster_id_unit_id")
        ),
    )
    with op.batch_alter_table("cluster_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cluster_members_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "cluster_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("self_points", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("self_note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("agreed_points", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("agreed_note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "agreed_points IS NULL OR agreed_points >= 0",
            name=op.f("ck_cluster_scores_agreed_points"),
        ),
        sa.CheckConstraint(
            "self_points IS NULL OR self_points >= 0", name=op.f("ck_cluster_scores_self_points")
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["cluster_criteria.id"],
            name=op.f("fk_cluster_scores_criterion_id_cluster_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["cluster_members.id"],
            name=op.f("fk_cluster_scores_member_id_cluster_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_scores")),
        sa.UniqueConstraint(
            "member_id", "criterion_id", name=op.f("uq_cluster_scores_member_id_criterion_id")
        ),
    )
    with op.batch_alter_table("cluster_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cluster_scores_criterion_id"), ["criterion_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("cluster_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_scores_criterion_id"))

    op.drop_table("cluster_scores")
    with op.batch_alter_table("cluster_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_members_unit_id"))

    op.drop_table("cluster_members")
    with op.batch_alter_table("cluster_officers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_officers_cluster_id"))

    op.drop_table("cluster_officers")
    with op.batch_alter_table("cluster_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_criteria_cluster_id"))

    op.drop_table("cluster_criteria")
    with op.batch_alter_table("clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clusters_awarding_body_id"))

    op.drop_table("clusters")
