"""award records name the dossier a decision's record awards (nomination_id), so the
eligibility checks read its period and procedure without going through the decisions; a
household's award is recorded as a household's, not an individual's

Revision ID: z1f3b5d7e906
Revises: m5c7e9a1b328
Create Date: 2026-12-05 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "z1f3b5d7e906"
down_revision = "m5c7e9a1b328"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nomination_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_award_records_nomination_id_nominations"),
            "nominations",
            ["nomination_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(
            batch_op.f("ix_award_records_nomination_id"), ["nomination_id"], unique=False
        )
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_award_records_nominee_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_award_records_nominee_kind"),
            "nominee_kind IN ('unit', 'person', 'household')",
        )
    op.execute(
        "UPDATE award_records SET nomination_id = (SELECT decision_lines.nomination_id "
        "FROM decision_lines WHERE decision_lines.id = award_records.decision_line_id) "
        "WHERE decision_line_id IS NOT NULL"
    )
    op.execute(
        "UPDATE award_records SET nominee_kind = 'household' WHERE nomination_id IN ("
        "SELECT nominations.id FROM nominations JOIN award_types "
        "ON award_types.id = nominations.award_type_id "
        "WHERE award_types.nominee_kind = 'household')"
    )


def downgrade() -> None:
    op.execute("UPDATE award_records SET nominee_kind = 'person' WHERE nominee_kind = 'household'")
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_award_records_nominee_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_award_records_nominee_kind"), "nominee_kind IN ('unit', 'person')"
        )
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_award_records_nomination_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_award_records_nomination_id_nominations"), type_="foreignkey"
        )
        batch_op.drop_column("nomination_id")
