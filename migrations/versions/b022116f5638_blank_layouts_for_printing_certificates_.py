"""blank layouts: where certificate text goes on pre-printed blanks (phôi), per body and paper

Revision ID: b022116f5638
Revises: 177d47099502
Create Date: 2026-11-25 03:24:34.847534

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b022116f5638'
down_revision = '177d47099502'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blank_layouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('paper', sa.String(length=2), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('offset_x_mm', sa.Double(), nullable=False),
    sa.Column('offset_y_mm', sa.Double(), nullable=False),
    sa.Column('scan_key', sa.String(length=64), nullable=True),
    sa.Column('scan_name', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("paper IN ('A4', 'A3')", name=op.f('ck_blank_layouts_paper')),
    sa.CheckConstraint('offset_x_mm BETWEEN -20 AND 20 AND offset_y_mm BETWEEN -20 AND 20', name=op.f('ck_blank_layouts_offset')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_blank_layouts_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_blank_layouts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blank_layouts')),
    sa.UniqueConstraint('unit_id', 'paper', name=op.f('uq_blank_layouts_unit_id_paper'))
    )


def downgrade():
    op.drop_table('blank_layouts')
