"""award types: the report sections a dossier fills before it is submitted

Backfilled by the award type's standard: the province's titles, flag and diploma, the emulation
fighters and every model title require all four sections (I-IV); the others the achievements
(II). A body changes them on the award type's form.

SQLite: the column is added in place (ALTER TABLE … ADD/DROP COLUMN); the rows referring to the
table forbid rebuilding it.

Revision ID: n3b8d1f6a274
Revises: p1b2c3d4e506
Create Date: 2026-12-05 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "n3b8d1f6a274"
down_revision = "p1b2c3d4e506"
branch_labels = None
depends_on = None

FULL = '["report_general", "report_achievements", "report_criteria", "report_commendations"]'
ACHIEVEMENTS = '["report_achievements"]'
FULL_STANDARDS = "('bang_khen_tinh', 'co_thi_dua_tinh', 'cstd_tinh', 'cstd_co_so', 'tap_the_ldxs')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        op.execute(
            "ALTER TABLE award_types ADD COLUMN required_report_sections JSON NOT NULL "
            "DEFAULT '[]'"
        )
    else:
        op.add_column(
            "award_types",
            sa.Column(
                "required_report_sections", sa.JSON(), nullable=False, server_default="[]"
            ),
        )
        op.alter_column("award_types", "required_report_sections", server_default=None)
    op.execute(
        f"UPDATE award_types SET required_report_sections = '{FULL}' "
        f"WHERE kind = 'model' OR standard IN {FULL_STANDARDS}"
    )
    op.execute(
        f"UPDATE award_types SET required_report_sections = '{ACHIEVEMENTS}' "
        f"WHERE NOT (kind = 'model' OR standard IN {FULL_STANDARDS})"
    )


def downgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE award_types DROP COLUMN required_report_sections")
        return
    op.drop_column("award_types", "required_report_sections")
