"""dossiers: a hold (kind, reason, since, by whom) and a collective's share of women; award
types: an occasion (regular, sudden, thematic) — the principles of NĐ 152/2025/NĐ-CP art. 4

A hold's kind, time and author go together (CHECK). Every existing award type is regular.

SQLite: the columns and their CHECKs are added and dropped in place (ALTER TABLE … ADD/DROP
COLUMN), not by rebuilding the tables, which the rows referring to them would forbid. A CHECK
that names two columns sits on the column added last and is dropped with it first.

Revision ID: h4c2e9a7b310
Revises: l7a2c9e4b310
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "h4c2e9a7b310"
down_revision = "l7a2c9e4b310"
branch_labels = None
depends_on = None

HOLD_KIND = "hold_kind IS NULL OR hold_kind IN ('discipline', 'inspection', 'complaint')"
HOLD = "(hold_kind IS NULL) = (held_at IS NULL) AND (held_at IS NULL) = (held_by_id IS NULL)"
WOMEN = "women_percent IS NULL OR (women_percent >= 0 AND women_percent <= 100)"
OCCASION = "occasion IN ('regular', 'sudden', 'thematic')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _upgrade_sqlite() -> None:
    op.execute(
        "ALTER TABLE nominations ADD COLUMN women_percent INTEGER "
        f"CONSTRAINT ck_nominations_women_percent CHECK ({WOMEN})"
    )
    op.execute(
        "ALTER TABLE nominations ADD COLUMN hold_kind VARCHAR(20) "
        f"CONSTRAINT ck_nominations_hold_kind CHECK ({HOLD_KIND})"
    )
    op.execute("ALTER TABLE nominations ADD COLUMN hold_reason TEXT")
    op.execute(
        "ALTER TABLE nominations ADD COLUMN held_by_id INTEGER "
        "CONSTRAINT fk_nominations_held_by_id_users REFERENCES users (id)"
    )
    op.execute(
        "ALTER TABLE nominations ADD COLUMN held_at DATETIME "
        f"CONSTRAINT ck_nominations_hold CHECK ({HOLD})"
    )
    op.execute(
        "ALTER TABLE award_types ADD COLUMN occasion VARCHAR(20) NOT NULL DEFAULT 'regular' "
        f"CONSTRAINT ck_award_types_occasion CHECK ({OCCASION})"
    )


def upgrade() -> None:
    if _sqlite():
        _upgrade_sqlite()
        return
    op.add_column("nominations", sa.Column("women_percent", sa.Integer(), nullable=True))
    op.add_column("nominations", sa.Column("hold_kind", sa.String(length=20), nullable=True))
    op.add_column("nominations", sa.Column("hold_reason", sa.Text(), nullable=True))
    op.add_column("nominations", sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("nominations", sa.Column("held_by_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_nominations_held_by_id_users"), "nominations", "users", ["held_by_id"], ["id"]
    )
    op.create_check_constraint(op.f("ck_nominations_women_percent"), "nominations", WOMEN)
    op.create_check_constraint(op.f("ck_nominations_hold_kind"), "nominations", HOLD_KIND)
    op.create_check_constraint(op.f("ck_nominations_hold"), "nominations", HOLD)
    op.add_column(
        "award_types",
        sa.Column("occasion", sa.String(length=20), nullable=False, server_default="regular"),
    )
    op.alter_column("award_types", "occasion", server_default=None)
    op.create_check_constraint(op.f("ck_award_types_occasion"), "award_types", OCCASION)


def downgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE award_types DROP COLUMN occasion")
        for column in ("held_at", "held_by_id", "hold_reason", "hold_kind", "women_percent"):
            op.execute(f"ALTER TABLE nominations DROP COLUMN {column}")
        return
    op.drop_constraint(op.f("ck_award_types_occasion"), "award_types", type_="check")
    op.drop_column("award_types", "occasion")
    op.drop_constraint(op.f("ck_nominations_hold"), "nominations", type_="check")
    op.drop_constraint(op.f("ck_nominations_hold_kind"), "nominations", type_="check")
    op.drop_constraint(op.f("ck_nominations_women_percent"), "nominations", type_="check")
    op.drop_constraint(op.f("fk_nominations_held_by_id_users"), "nominations", type_="foreignkey")
    for column in ("held_by_id", "held_at", "hold_reason", "hold_kind", "women_percent"):
        op.drop_column("nominations", column)
