"""login throttles per user name and client address

Revision ID: c4f1e2a9d703
Revises: 73c90df529b8
Create Date: 2026-12-01 20:30:00.000000

Failed log-ins were counted per account alone, so anyone who knew a user name could lock its
owner out; they are now counted per (user name, client address) pair, in this table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1e2a9d703'
down_revision = '73c90df529b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('failures >= 0', name=op.f('ck_login_throttles_failures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('username', 'address', name=op.f('uq_login_throttles_username_address'))
    )
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttles_last_failed_at'), ['last_failed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttles_last_failed_at'))

    op.drop_table('login_throttles')
