"""reprints are logged, not counted

Revision ID: 6e14ca0595fb
Revises: b022116f5638
Create Date: 2026-11-25 03:50:49.902683

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e14ca0595fb'
down_revision = 'b022116f5638'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('reprints')



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reprints', sa.INTEGER(), nullable=False, server_default='0'))

