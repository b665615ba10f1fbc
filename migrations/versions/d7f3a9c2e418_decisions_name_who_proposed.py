"""Decisions name who proposed them ("Theo đề nghị của …"), with a default per awarding body

Revision ID: d7f3a9c2e418
Revises: h4c2e9a7b310
Create Date: 2026-12-05 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d7f3a9c2e418"
down_revision = "h4c2e9a7b310"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("body_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proposer", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proposal", sa.String(length=300), nullable=False, server_default="")
        )
    # Saved settings get the default of their body's level (recognition.units.settings).
    op.execute(
        "UPDATE body_settings SET proposer = CASE "
        "(SELECT kind FROM units WHERE units.id = body_settings.unit_id) "
        "WHEN 'province' THEN 'Giám đốc Sở Nội vụ' "
        "WHEN 'district' THEN 'Trưởng phòng Nội vụ' "
        "WHEN 'commune' THEN 'Trưởng phòng Văn hóa - Xã hội' "
        "WHEN 'ward' THEN 'Trưởng phòng Văn hóa - Xã hội' "
        "WHEN 'township' THEN 'Trưởng phòng Văn hóa - Xã hội' "
        "ELSE 'Thường trực Hội đồng Thi đua - Khen thưởng' END"
    )


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("proposal")
    with op.batch_alter_table("body_settings", schema=None) as batch_op:
        batch_op.drop_column("proposer")
