"""sealed ballots, receipts, the chair's own approval, written votes

Revision ID: 73c90df529b8
Revises: 6e14ca0595fb
Create Date: 2026-12-01 20:17:19.100625

The ballots already counted are given receipts and written again in a random order, so that
neither their physical order nor their system columns follow the order of the participations
any more (on PostgreSQL, run VACUUM FULL ballots afterwards to drop the old row versions).
"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '73c90df529b8'
down_revision = '6e14ca0595fb'
branch_labels = None
depends_on = None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

ballots = sa.table(
    'ballots',
    sa.column('id', sa.String),
    sa.column('item_id', sa.Integer),
    sa.column('choice', sa.String),
    sa.column('tracker', sa.String),
)


def _reshuffle_counted_ballots(with_tracker: bool):
    connection = op.get_bind()
    rows = [(row.item_id, row.choice) for row in connection.execute(sa.select(ballots.c.item_id, ballots.c.choice))]
    if not rows:
        return
    connection.execute(ballots.delete())
    secrets.SystemRandom().shuffle(rows)
    used = set()
    values = []
    for item_id, choice in rows:
        value = {'id': secrets.token_hex(16), 'item_id': item_id, 'choice': choice}
        if with_tracker:
            tracker = None
            while tracker is None or (item_id, tracker) in used:
                tracker = "".join(secrets.choice(ALPHABET) for _ in range(12))
            used.add((item_id, tracker))
            value['tracker'] = tracker
        values.append(value)
    table = ballots if with_tracker else sa.table(
        'ballots', sa.column('id', sa.String), sa.column('item_id', sa.Integer), sa.column('choice', sa.String)
    )
    connection.execute(table.insert(), values)


def upgrade():
    op.create_table('sealed_ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_sealed_ballots_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_ballots'))
    )
    with op.batch_alter_table('sealed_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_ballots_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written_count', sa.Integer(), nullable=True))

    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('absentees_vote_in_writing', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.alter_column('absentees_vote_in_writing', server_default=None)

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracker', sa.String(length=12), nullable=True))
    _reshuffle_counted_ballots(with_tracker=True)
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.alter_column('tracker', existing_type=sa.String(length=12), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_ballots_item_id_tracker'), ['item_id', 'tracker'])

    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chair_approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chair_approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ballot_key_id', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('ballot_key_fingerprint', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_council_sessions_chair_approved_by_id_users'), 'users', ['chair_approved_by_id'], ['id'])
    # Approvals recorded before they had an actor cannot be attributed: they are kept as the
    # closing user's (the only user the record names).
    op.execute(
        "UPDATE council_sessions SET chair_approved_by_id = closed_by_id, chair_approved_at = closed_at "
        "WHERE chair_approved AND closed_by_id IS NOT NULL"
    )
    op.execute("UPDATE council_sessions SET chair_approved = false WHERE chair_approved AND chair_approved_by_id IS NULL")
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_council_sessions_chair_approval'),
            "NOT chair_approved OR (chair_approved_by_id IS NOT NULL AND chair_approved_at IS NOT NULL)",
        )

    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_writing', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.alter_column('in_writing', server_default=None)


def downgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_column('in_writing')

    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_council_sessions_chair_approval'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_council_sessions_chair_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('ballot_key_fingerprint')
        batch_op.drop_column('ballot_key_id')
        batch_op.drop_column('chair_approved_at')
        batch_op.drop_column('chair_approved_by_id')

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ballots_item_id_tracker'), type_='unique')
        batch_op.drop_column('tracker')

    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.drop_column('absentees_vote_in_writing')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('written_count')

    with op.batch_alter_table('sealed_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_ballots_item_id'))

    op.drop_table('sealed_ballots')
