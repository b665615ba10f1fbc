"""council members, sessions, agenda, attendance, participations and ballots

Revision ID: 4a5d951ad2e1
Revises: 574dbcc4f51f
Create Date: 2026-11-25 02:42:53.594645

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a5d951ad2e1'
down_revision = '574dbcc4f51f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('council_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.CheckConstraint("role IN ('chair', 'vice_chair', 'standing', 'member', 'secretary')", name=op.f('ck_council_members_role')),
    sa.CheckConstraint('term_end IS NULL OR term_end >= term_start', name=op.f('ck_council_members_term')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_council_members_awarding_body_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_council_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_members')),
    sa.UniqueConstraint('awarding_body_id', 'user_id', name=op.f('uq_council_members_awarding_body_id_user_id'))
    )
    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_members_awarding_body_id'), ['awarding_body_id'], unique=False)

    op.create_table('council_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('consultation_closes_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('chair_approved', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('meeting', 'written')", name=op.f('ck_council_sessions_kind')),
    sa.CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name=op.f('ck_council_sessions_closed_at')),
    sa.CheckConstraint("state IN ('planned', 'voting', 'closed')", name=op.f('ck_council_sessions_state')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_council_sessions_awarding_body_id_units')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_council_sessions_closed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_sessions'))
    )
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_sessions_awarding_body_id'), ['awarding_body_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('in_writing', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['council_members.id'], name=op.f('fk_attendance_member_id_council_members')),
    sa.ForeignKeyConstraint(['session_id'], ['council_sessions.id'], name=op.f('fk_attendance_session_id_council_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'member_id', name=op.f('uq_attendance_session_id_member_id'))
    )
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('hands_agree', sa.Integer(), nullable=True),
    sa.Column('hands_disagree', sa.Integer(), nullable=True),
    sa.Column('hands_abstain', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('members_count', sa.Integer(), nullable=True),
    sa.Column('participants_count', sa.Integer(), nullable=True),
    sa.Column('agree_count', sa.Integer(), nullable=True),
    sa.Column('disagree_count', sa.Integer(), nullable=True),
    sa.Column('abstain_count', sa.Integer(), nullable=True),
    sa.Column('base_count', sa.Integer(), nullable=True),
    sa.Column('required_count', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('passed', 'failed')", name=op.f('ck_agenda_items_outcome')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_agenda_items_nomination_id_nominations')),
    sa.ForeignKeyConstraint(['session_id'], ['council_sessions.id'], name=op.f('fk_agenda_items_session_id_council_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_session_id'), ['session_id'], unique=False)
        batch_op.create_index('uq_agenda_items_open_nomination', ['nomination_id'], unique=True, sqlite_where=sa.text('outcome IS NULL'), postgresql_where=sa.text('outcome IS NULL'))

    op.create_table('ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.CheckConstraint("choice IN ('agree', 'disagree', 'abstain')", name=op.f('ck_ballots_choice')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_ballots_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_item_id'), ['item_id'], unique=False)

    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_conflicts_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['council_members.id'], name=op.f('fk_conflicts_member_id_council_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts')),
    sa.UniqueConstraint('item_id', 'member_id', name=op.f('uq_conflicts_item_id_member_id'))
    )
    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_participations_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['council_members.id'], name=op.f('fk_participations_member_id_council_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('item_id', 'member_id', name=op.f('uq_participations_item_id_member_id'))
    )


def downgrade():
    op.drop_table('participations')
    op.drop_table('conflicts')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballots_item_id'))

    op.drop_table('ballots')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('uq_agenda_items_open_nomination', sqlite_where=sa.text('outcome IS NULL'), postgresql_where=sa.text('outcome IS NULL'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_session_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_nomination_id'))

    op.drop_table('agenda_items')
    op.drop_table('attendance')
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_sessions_awarding_body_id'))

    op.drop_table('council_sessions')
    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_members_awarding_body_id'))

    op.drop_table('council_members')
