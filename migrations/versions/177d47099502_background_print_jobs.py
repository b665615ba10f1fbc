"""background print jobs

Revision ID: 177d47099502
Revises: be8bb228ea72
Create Date: 2026-11-25 03:20:57.800865

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '177d47099502'
down_revision = 'be8bb228ea72'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('line_ids', sa.JSON(), nullable=False),
    sa.Column('base_url', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('result_key', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_print_jobs_state')),
    sa.CheckConstraint('done >= 0 AND done <= total', name=op.f('ck_print_jobs_progress')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_print_jobs_decision_id_decisions')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_print_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_jobs_decision_id'), ['decision_id'], unique=False)



def downgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_jobs_decision_id'))

    op.drop_table('print_jobs')
