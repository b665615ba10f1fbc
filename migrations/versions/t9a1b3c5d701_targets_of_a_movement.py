"""a movement's targets (chỉ tiêu), the values units report against them with their evidence
files, and each awarding body's classification rules (bands of progress)

Revision ID: t9a1b3c5d701
Revises: c3d5f7a9b124
Create Date: 2026-12-05 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = 't9a1b3c5d701'
down_revision = "c3d5f7a9b124"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('target_bands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('min_percent', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.CheckConstraint('min_percent >= 0 AND min_percent <= 1000', name=op.f('ck_target_bands_min_percent')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_target_bands_awarding_body_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_bands')),
    sa.UniqueConstraint('awarding_body_id', 'min_percent', name=op.f('uq_target_bands_awarding_body_id_min_percent')),
    sa.UniqueConstraint('awarding_body_id', 'name', name=op.f('uq_target_bands_awarding_body_id_name'))
    )
    with op.batch_alter_table('target_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_bands_awarding_body_id'), ['awarding_body_id'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=30), nullable=False),
    sa.Column('measure_unit', sa.String(length=60), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('responsible_unit_id', sa.Integer(), nullable=False),
    sa.Column('timing', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("direction = 'yes_no' OR target_value IS NOT NULL", name=op.f('ck_targets_target_value')),
    sa.CheckConstraint("direction IN ('higher', 'lower', 'yes_no')", name=op.f('ck_targets_direction')),
    sa.CheckConstraint("sector IN ('economy', 'society', 'culture', 'environment', 'party_government', 'defence_security')", name=op.f('ck_targets_sector')),
    sa.CheckConstraint("timing IN ('periodic', 'term_end')", name=op.f('ck_targets_timing')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_targets_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_unit_id'], ['units.id'], name=op.f('fk_targets_responsible_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('campaign_id', 'code', name=op.f('uq_targets_campaign_id_code'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_responsible_unit_id'), ['responsible_unit_id'], unique=False)

    op.create_table('target_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('as_of_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(state = 'reported') = (decided_at IS NULL)", name=op.f('ck_target_values_decided_when_not_reported')),
    sa.CheckConstraint("state <> 'rejected' OR reason <> ''", name=op.f('ck_target_values_rejected_with_reason')),
    sa.CheckConstraint("state IN ('reported', 'confirmed', 'rejected')", name=op.f('ck_target_values_state')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_target_values_decided_by_id_users')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_target_values_reported_by_id_users')),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_target_values_target_id_targets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_values'))
    )
    with op.batch_alter_table('target_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_values_target_id'), ['target_id'], unique=False)

    op.create_table('target_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_target_evidence_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['value_id'], ['target_values.id'], name=op.f('fk_target_evidence_value_id_target_values'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_evidence')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_target_evidence_storage_key'))
    )
    with op.batch_alter_table('target_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_evidence_value_id'), ['value_id'], unique=False)



def downgrade():
    with op.batch_alter_table('target_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_evidence_value_id'))

    op.drop_table('target_evidence')
    with op.batch_alter_table('target_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_values_target_id'))

    op.drop_table('target_values')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_responsible_unit_id'))
        batch_op.drop_index(batch_op.f('ix_targets_campaign_id'))

    op.drop_table('targets')
    with op.batch_alter_table('target_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_bands_awarding_body_id'))

    op.drop_table('target_bands')
