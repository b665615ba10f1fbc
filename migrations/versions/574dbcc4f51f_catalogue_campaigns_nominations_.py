"""catalogue, campaigns, nominations, appraisal, audit chain, notifications

Revision ID: 574dbcc4f51f
Revises: 2723b41c5030
Create Date: 2026-11-25 02:32:07.587043

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '574dbcc4f51f'
down_revision = '2723b41c5030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=True),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_head_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['sent_at', 'next_attempt_at'], unique=False)

    op.create_table('award_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('certificate_title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('nominee_kind', sa.String(length=20), nullable=False),
    sa.Column('eligible_unit_kinds', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('vote_method', sa.String(length=30), nullable=False),
    sa.Column('vote_threshold_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('vote_base', sa.String(length=20), nullable=False),
    sa.Column('quorum_numerator', sa.Integer(), nullable=False),
    sa.Column('quorum_denominator', sa.Integer(), nullable=False),
    sa.Column('chair_must_approve', sa.Boolean(), nullable=False),
    sa.Column('abstain_allowed', sa.Boolean(), nullable=False),
    sa.Column('public_posting_days', sa.Integer(), nullable=False),
    sa.Column('simplified_allowed', sa.Boolean(), nullable=False),
    sa.Column('cap_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('cap_base_id', sa.Integer(), nullable=True),
    sa.Column('history_award_id', sa.Integer(), nullable=True),
    sa.Column('history_years', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('title', 'commendation', 'model')", name=op.f('ck_award_types_kind')),
    sa.CheckConstraint("nominee_kind IN ('collective', 'individual', 'household')", name=op.f('ck_award_types_nominee_kind')),
    sa.CheckConstraint("vote_base IN ('all_members', 'present', 'consulted')", name=op.f('ck_award_types_vote_base')),
    sa.CheckConstraint("vote_method IN ('show_of_hands', 'secret_ballot', 'written_consultation')", name=op.f('ck_award_types_vote_method')),
    sa.CheckConstraint('cap_percent IS NULL OR (cap_percent > 0 AND cap_percent <= 100)', name=op.f('ck_award_types_cap_percent')),
    sa.CheckConstraint('history_years IS NULL OR history_years > 0', name=op.f('ck_award_types_history_years')),
    sa.CheckConstraint('public_posting_days >= 0', name=op.f('ck_award_types_posting_days')),
    sa.CheckConstraint('quorum_numerator > 0 AND quorum_denominator > 0 AND quorum_numerator <= quorum_denominator', name=op.f('ck_award_types_quorum')),
    sa.CheckConstraint('vote_threshold_percent > 0 AND vote_threshold_percent <= 100', name=op.f('ck_award_types_threshold')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_award_types_awarding_body_id_units')),
    sa.ForeignKeyConstraint(['cap_base_id'], ['award_types.id'], name=op.f('fk_award_types_cap_base_id_award_types')),
    sa.ForeignKeyConstraint(['history_award_id'], ['award_types.id'], name=op.f('fk_award_types_history_award_id_award_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_types')),
    sa.UniqueConstraint('awarding_body_id', 'code', name=op.f('uq_award_types_awarding_body_id_code'))
    )
    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_types_awarding_body_id'), ['awarding_body_id'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('awarding_body_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('name_sort', sa.String(length=610).with_variant(sa.String(length=610, collation='C'), 'postgresql'), nullable=False),
    sa.Column('directive_reference', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'open', 'closed', 'archived')", name=op.f('ck_campaigns_status')),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_campaigns_window')),
    sa.CheckConstraint('period_end IS NULL OR period_start IS NULL OR period_end >= period_start', name=op.f('ck_campaigns_period')),
    sa.ForeignKeyConstraint(['awarding_body_id'], ['units.id'], name=op.f('fk_campaigns_awarding_body_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_awarding_body_id'), ['awarding_body_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('campaign_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=True),
    sa.CheckConstraint('quota IS NULL OR quota > 0', name=op.f('ck_campaign_awards_quota')),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_campaign_awards_award_type_id_award_types')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_awards_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_awards')),
    sa.UniqueConstraint('campaign_id', 'award_type_id', name=op.f('uq_campaign_awards_campaign_id_award_type_id'))
    )
    with op.batch_alter_table('campaign_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_awards_award_type_id'), ['award_type_id'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('group', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('measure', sa.String(length=10), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('unit_label', sa.String(length=40), nullable=False),
    sa.Column('evidence_required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("measure IN ('yes_no', 'number', 'text')", name=op.f('ck_criteria_measure')),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_criteria_award_type_id_award_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('award_type_id', 'code', name=op.f('uq_criteria_award_type_id_code'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_award_type_id'), ['award_type_id'], unique=False)

    op.create_table('nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('nominating_unit_id', sa.Integer(), nullable=False),
    sa.Column('nominee_unit_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=120), nullable=True),
    sa.Column('person_position', sa.String(length=200), nullable=True),
    sa.Column('person_unit_id', sa.Integer(), nullable=True),
    sa.Column('person_birth_year', sa.Integer(), nullable=True),
    sa.Column('person_gender', sa.String(length=10), nullable=True),
    sa.Column('nominee_name', sa.String(length=250), nullable=False),
    sa.Column('nominee_folded', sa.String(length=250), nullable=False),
    sa.Column('nominee_sort', sa.String(length=510).with_variant(sa.String(length=510, collation='C'), 'postgresql'), nullable=False),
    sa.Column('nominee_key', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('report_general', sa.Text(), nullable=False),
    sa.Column('report_achievements', sa.Text(), nullable=False),
    sa.Column('report_criteria', sa.Text(), nullable=False),
    sa.Column('report_commendations', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("person_gender IS NULL OR person_gender IN ('male', 'female')", name=op.f('ck_nominations_gender')),
    sa.CheckConstraint("state <> 'withdrawn' OR withdrawn_at IS NOT NULL", name=op.f('ck_nominations_withdrawn_at')),
    sa.CheckConstraint("state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL", name=op.f('ck_nominations_submitted_at')),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'in_review', 'returned', 'accepted', 'rejected', 'on_agenda', 'passed', 'failed', 'awarded', 'annulled', 'withdrawn')", name=op.f('ck_nominations_state')),
    sa.CheckConstraint('(nominee_unit_id IS NULL) <> (person_name IS NULL)', name=op.f('ck_nominations_one_nominee')),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_nominations_award_type_id_award_types')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_nominations_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_nominations_created_by_id_users')),
    sa.ForeignKeyConstraint(['nominating_unit_id'], ['units.id'], name=op.f('fk_nominations_nominating_unit_id_units')),
    sa.ForeignKeyConstraint(['nominee_unit_id'], ['units.id'], name=op.f('fk_nominations_nominee_unit_id_units')),
    sa.ForeignKeyConstraint(['person_unit_id'], ['units.id'], name=op.f('fk_nominations_person_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations')),
    sa.UniqueConstraint('reference', name=op.f('uq_nominations_reference'))
    )
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_award_type_id'), ['award_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_nominating_unit_id'), ['nominating_unit_id'], unique=False)
        batch_op.create_index('ix_nominations_nominee_sort', ['nominee_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_nominee_unit_id'), ['nominee_unit_id'], unique=False)
        batch_op.create_index('ix_nominations_state', ['state'], unique=False)
        batch_op.create_index('uq_nominations_active_nominee', ['campaign_id', 'award_type_id', 'nominee_key'], unique=True, sqlite_where=sa.text("state <> 'withdrawn'"), postgresql_where=sa.text("state <> 'withdrawn'"))

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_attachments_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_attachments_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachments_storage_key'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('criterion_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('evidence_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_criterion_answers_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_criterion_answers_nomination_id_nominations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_answers')),
    sa.UniqueConstraint('nomination_id', 'criterion_id', name=op.f('uq_criterion_answers_nomination_id_criterion_id'))
    )
    with op.batch_alter_table('criterion_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_answers_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_criterion_answers_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('criterion_appraisals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("verdict IN ('agree', 'disagree')", name=op.f('ck_criterion_appraisals_verdict')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_criterion_appraisals_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_criterion_appraisals_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_criterion_appraisals_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_appraisals')),
    sa.UniqueConstraint('nomination_id', 'criterion_id', name=op.f('uq_criterion_appraisals_nomination_id_criterion_id'))
    )
    with op.batch_alter_table('criterion_appraisals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_appraisals_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('nomination_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=False),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("action IN ('submit', 'take', 'send_back', 'resubmit', 'reject', 'accept', 'schedule', 'pass_simplified', 'close_vote', 'award', 'annul', 'withdraw', 'reopen', 'edit')", name=op.f('ck_nomination_events_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_nomination_events_actor_id_users')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_nomination_events_nomination_id_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_nomination_events_hash'))
    )
    with op.batch_alter_table('nomination_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_events_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('nomination_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_nomination_snapshots_nomination_id_nominations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_snapshots')),
    sa.UniqueConstraint('nomination_id', 'round', name=op.f('uq_nomination_snapshots_nomination_id_round'))
    )
    with op.batch_alter_table('nomination_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_snapshots_nomination_id'), ['nomination_id'], unique=False)


    # The audit log is append-only: the database itself refuses to change or delete an event.
    op.execute(sa.text("INSERT INTO audit_head (id, last_event_id, last_hash) VALUES (1, NULL, '" + "0" * 64 + "')"))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION nomination_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'nomination_events is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER nomination_events_append_only
            BEFORE UPDATE OR DELETE ON nomination_events
            FOR EACH ROW EXECUTE FUNCTION nomination_events_append_only()
        """)
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER nomination_events_no_{operation.lower()}
                BEFORE {operation} ON nomination_events
                BEGIN SELECT RAISE(ABORT, 'nomination_events is append-only'); END
            """)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS nomination_events_append_only ON nomination_events")
        op.execute("DROP FUNCTION IF EXISTS nomination_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS nomination_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS nomination_events_no_delete")
    with op.batch_alter_table('nomination_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_snapshots_nomination_id'))

    op.drop_table('nomination_snapshots')
    with op.batch_alter_table('nomination_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_events_nomination_id'))

    op.drop_table('nomination_events')
    with op.batch_alter_table('criterion_appraisals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_appraisals_nomination_id'))

    op.drop_table('criterion_appraisals')
    with op.batch_alter_table('criterion_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_answers_nomination_id'))
        batch_op.drop_index(batch_op.f('ix_criterion_answers_criterion_id'))

    op.drop_table('criterion_answers')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_nomination_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index('uq_nominations_active_nominee', sqlite_where=sa.text("state <> 'withdrawn'"), postgresql_where=sa.text("state <> 'withdrawn'"))
        batch_op.drop_index('ix_nominations_state')
        batch_op.drop_index(batch_op.f('ix_nominations_nominee_unit_id'))
        batch_op.drop_index('ix_nominations_nominee_sort')
        batch_op.drop_index(batch_op.f('ix_nominations_nominating_unit_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_award_type_id'))

    op.drop_table('nominations')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_award_type_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('campaign_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_awards_award_type_id'))

    op.drop_table('campaign_awards')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')

    op.drop_table('notifications')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_awarding_body_id'))

    op.drop_table('campaigns')
    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_types_awarding_body_id'))

    op.drop_table('award_types')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox_messages')
    op.drop_table('audit_head')
