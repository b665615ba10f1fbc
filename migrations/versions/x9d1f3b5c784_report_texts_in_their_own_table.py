"""a dossier's summary and report sections move to a table of their own (nomination_reports),
out of the row every list of dossiers reads

Revision ID: x9d1f3b5c784
Revises: w8c0e2a4b673
Create Date: 2026-12-05 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "x9d1f3b5c784"
down_revision = "w8c0e2a4b673"
branch_labels = None
depends_on = None

TEXTS = ("summary", "report_general", "report_achievements", "report_criteria",
         "report_commendations")  # fmt: skip
COLUMNS = ", ".join(TEXTS)


def upgrade() -> None:
    op.create_table(
        "nomination_reports",
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in TEXTS),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nominations.id"],
            name=op.f("fk_nomination_reports_nomination_id_nominations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("nomination_id", name=op.f("pk_nomination_reports")),
    )
    op.execute(
        f"INSERT INTO nomination_reports (nomination_id, {COLUMNS}) "
        f"SELECT id, {COLUMNS} FROM nominations"
    )
    # Plain ALTER TABLE … DROP COLUMN on both (SQLite 3.35+): none of them is indexed, and a
    # copy of the table would have to rebuild its partial indexes.
    for name in TEXTS:
        op.execute(f"ALTER TABLE nominations DROP COLUMN {name}")


def downgrade() -> None:
    for name in TEXTS:
        op.add_column("nominations", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    for name in TEXTS:
        op.execute(
            f"UPDATE nominations SET {name} = (SELECT r.{name} FROM nomination_reports r "
            "WHERE r.nomination_id = nominations.id) "
            "WHERE id IN (SELECT nomination_id FROM nomination_reports)"
        )
    if op.get_bind().dialect.name == "postgresql":  # SQLite alters no column in place
        for name in TEXTS:
            op.alter_column("nominations", name, server_default=None, existing_type=sa.Text())
    op.drop_table("nomination_reports")
