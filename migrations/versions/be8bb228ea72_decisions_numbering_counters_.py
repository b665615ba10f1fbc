"""decisions, numbering counters, certificates, posting feedback, body settings

Revision ID: be8bb228ea72
Revises: 4a5d951ad2e1
Create Date: 2026-11-25 02:55:31.356048

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'be8bb228ea72'
down_revision = '4a5d951ad2e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('body_settings',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('issuer_name', sa.String(length=200), nullable=False),
    sa.Column('superior_name', sa.String(length=200), nullable=False),
    sa.Column('signer_office', sa.String(length=200), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('number_suffix', sa.String(length=30), nullable=False),
    sa.Column('legal_bases', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('paper', sa.String(length=2), nullable=False),
    sa.Column('emblem_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_body_settings_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_body_settings'))
    )
    op.create_table('counters',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('decision', 'golden_book')", name=op.f('ck_counters_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_counters_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', 'kind', name=op.f('pk_counters'))
    )
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('legal_bases', sa.Text(), nullable=False),
    sa.Column('articles', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('posting_starts_on', sa.Date(), nullable=True),
    sa.Column('posting_ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('annulled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('annul_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("state <> 'annulled' OR annulled_at IS NOT NULL", name=op.f('ck_decisions_annulled_at')),
    sa.CheckConstraint("state IN ('draft', 'posted', 'issued', 'annulled')", name=op.f('ck_decisions_state')),
    sa.CheckConstraint("state NOT IN ('issued', 'annulled') OR number IS NOT NULL", name=op.f('ck_decisions_numbered')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_decisions_awarding_body_id_units')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_decisions_issued_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('awarding_body_id', 'year', 'number', name=op.f('uq_decisions_awarding_body_id_year_number'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_awarding_body_id'), ['awarding_body_id'], unique=False)

    op.create_table('posting_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_posting_feedback_decision_id_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_feedback'))
    )
    op.create_table('decision_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=250), nullable=False),
    sa.Column('detail', sa.String(length=400), nullable=False),
    sa.Column('achievement', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_decision_lines_award_type_id_award_types')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_lines_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_decision_lines_nomination_id_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_lines')),
    sa.UniqueConstraint('decision_id', 'nomination_id', name=op.f('uq_decision_lines_decision_id_nomination_id'))
    )
    with op.batch_alter_table('decision_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_lines_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('public_serial', sa.String(length=40), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('pdf_key', sa.String(length=64), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reprints', sa.Integer(), nullable=False),
    sa.CheckConstraint("state <> 'revoked' OR revoked_at IS NOT NULL", name=op.f('ck_certificates_revoked_at')),
    sa.CheckConstraint("state IN ('valid', 'revoked')", name=op.f('ck_certificates_state')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_certificates_awarding_body_id_units')),
    sa.ForeignKeyConstraint(['line_id'], ['decision_lines.id'], name=op.f('fk_certificates_line_id_decision_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('awarding_body_id', 'year', 'serial', name=op.f('uq_certificates_awarding_body_id_year_serial')),
    sa.UniqueConstraint('line_id', name=op.f('uq_certificates_line_id')),
    sa.UniqueConstraint('public_serial', name=op.f('uq_certificates_public_serial'))
    )


def downgrade():
    op.drop_table('certificates')
    with op.batch_alter_table('decision_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_lines_nomination_id'))

    op.drop_table('decision_lines')
    op.drop_table('posting_feedback')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_awarding_body_id'))

    op.drop_table('decisions')
    op.drop_table('counters')
    op.drop_table('body_settings')
