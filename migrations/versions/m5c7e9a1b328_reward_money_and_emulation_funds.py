"""reward money: each decision line's corrected amount (with its reason) and the amount frozen
at issue; the emulation fund of an awarding body per year

Revision ID: m5c7e9a1b328
Revises: a4b6c8d0e217
Create Date: 2026-12-05 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "m5c7e9a1b328"
down_revision = "a4b6c8d0e217"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "emulation_funds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("awarding_body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("movement_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("budget >= 0", name=op.f("ck_emulation_funds_budget")),
        sa.CheckConstraint(
            "movement_percent >= 0 AND movement_percent <= 100",
            name=op.f("ck_emulation_funds_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["awarding_body_id"],
            ["units.id"],
            name=op.f("fk_emulation_funds_awarding_body_id_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emulation_funds")),
        sa.UniqueConstraint(
            "awarding_body_id", "year", name=op.f("uq_emulation_funds_awarding_body_id_year")
        ),
    )
    op.create_index(
        op.f("ix_emulation_funds_awarding_body_id"),
        "emulation_funds",
        ["awarding_body_id"],
        unique=False,
    )
    # Plain ALTER TABLE … ADD COLUMN on both: no copy of the lines' table.
    op.add_column("decision_lines", sa.Column("amount_override", sa.BigInteger(), nullable=True))
    op.add_column(
        "decision_lines",
        sa.Column("amount_reason", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column("decision_lines", sa.Column("amount", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # SQLite alters no column in place
        op.alter_column(
            "decision_lines", "amount_reason", server_default=None, existing_type=sa.Text()
        )


def downgrade() -> None:
    for name in ("amount", "amount_reason", "amount_override"):
        op.execute(f"ALTER TABLE decision_lines DROP COLUMN {name}")
    op.drop_index(op.f("ix_emulation_funds_awarding_body_id"), table_name="emulation_funds")
    op.drop_table("emulation_funds")
