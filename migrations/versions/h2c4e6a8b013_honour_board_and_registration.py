"""the movement's honour board and emulation registration

honours: an entry is an awarded nominee the awarding body published (or took down): a copy of
what the certificate shows, the story written for the public, and up to four photos stored
under generated keys.

registration: a body's call for a year (deadline, pledge), each unit's registration (who
registered, who signed the pledge, when) and its lines (a title, and whom it puts forward); a
body's setting for an unregistered title (warn, or refuse the submission); the notification
kind of the reminder, added to the CHECKs of `notifications` and `sent_reminders` (on SQLite
the two tables are rebuilt; nothing refers to them).

Revision ID: h2c4e6a8b013
Revises: t9a1b3c5d701
Create Date: 2026-12-05 18:15:41
"""

import sqlalchemy as sa
from alembic import op

KINDS = (
    "general",
    "dossier_submitted",
    "dossier_returned",
    "dossier_accepted",
    "dossier_rejected",
    "dossier_passed",
    "dossier_failed",
    "dossier_awarded",
    "award_annulled",
    "dossier_held",
    "dossier_released",
    "vote_opened",
    "consultation_opened",
    "vote_closed",
    "decision_to_sign",
    "certificate_revoked",
    "consultation_closing",
    "posting_ended",
    "appraisal_due",
    "window_closing",
    "annulment_requested",
    "annulment_dismissed",
)
NEW_KINDS = ("registration_reminder",)


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN ({})".format(", ".join(f"'{kind}'" for kind in kinds))


def _set_kinds(kinds: tuple[str, ...]) -> None:
    for table in ("notifications", "sent_reminders"):
        name = op.f(f"ck_{table}_kind")
        with op.batch_alter_table(table, recreate="always") as batch_op:
            batch_op.drop_constraint(name, type_="check")
            batch_op.create_check_constraint(name, _kind_check(kinds))


revision = "h2c4e6a8b013"
down_revision = "t9a1b3c5d701"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "honour_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("awarding_body_id", sa.Integer(), nullable=False),
        sa.Column("award_type_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=250), nullable=False),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.Column("title", sa.String(length=250), nullable=False),
        sa.Column("unit_name", sa.String(length=250), nullable=False),
        sa.Column("decision_reference", sa.String(length=60), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("search_folded", sa.String(length=1200), nullable=False),
        sa.Column(
            "recipient_sort",
            sa.String(length=510).with_variant(sa.String(length=510, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("unpublished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state <> 'published' OR published_at IS NOT NULL",
            name=op.f("ck_honour_entries_published_at"),
        ),
        sa.CheckConstraint(
            "state <> 'unpublished' OR unpublished_at IS NOT NULL",
            name=op.f("ck_honour_entries_unpublished_at"),
        ),
        sa.CheckConstraint(
            "state IN ('published', 'unpublished')", name=op.f("ck_honour_entries_state")
        ),
        sa.ForeignKeyConstraint(
            ["award_type_id"],
            ["award_types.id"],
            name=op.f("fk_honour_entries_award_type_id_award_types"),
        ),
        sa.ForeignKeyConstraint(
            ["awarding_body_id"],
            ["units.id"],
            name=op.f("fk_honour_entries_awarding_body_id_units"),
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_honour_entries_certificate_id_certificates"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_honour_entries_published_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_honour_entries_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_entries")),
        sa.UniqueConstraint("certificate_id", name=op.f("uq_honour_entries_certificate_id")),
    )
    with op.batch_alter_table("honour_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_honour_entries_awarding_body_id"), ["awarding_body_id"], unique=False
        )
        batch_op.create_index(
            "ix_honour_entries_board", ["state", "year", "awarding_body_id"], unique=False
        )

    op.create_table(
        "honour_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["honour_entries.id"],
            name=op.f("fk_honour_photos_entry_id_honour_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_photos")),
        sa.UniqueConstraint(
            "entry_id", "position", name=op.f("uq_honour_photos_entry_id_position")
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_honour_photos_storage_key")),
    )
    with op.batch_alter_table("honour_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_honour_photos_entry_id"), ["entry_id"], unique=False)

    _upgrade_registration()


def _upgrade_registration() -> None:
    op.create_table(
        "registration_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("awarding_body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("pledge", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["awarding_body_id"],
            ["units.id"],
            name=op.f("fk_registration_calls_awarding_body_id_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_calls")),
        sa.UniqueConstraint(
            "awarding_body_id", "year", name=op.f("uq_registration_calls_awarding_body_id_year")
        ),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(signed_at IS NULL) = (signed_by_id IS NULL)", name=op.f("ck_registrations_signed")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["registration_calls.id"],
            name=op.f("fk_registrations_call_id_registration_calls"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_registrations_registered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"], ["users.id"], name=op.f("fk_registrations_signed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_registrations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("call_id", "unit_id", name=op.f("uq_registrations_call_id_unit_id")),
    )
    op.create_index(op.f("ix_registrations_call_id"), "registrations", ["call_id"])
    op.create_table(
        "registration_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("award_type_id", sa.Integer(), nullable=False),
        sa.Column("nominee", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_type_id"],
            ["award_types.id"],
            name=op.f("fk_registration_lines_award_type_id_award_types"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_registration_lines_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_lines")),
        sa.UniqueConstraint(
            "registration_id",
            "position",
            name=op.f("uq_registration_lines_registration_id_position"),
        ),
    )
    op.create_index(
        op.f("ix_registration_lines_registration_id"), "registration_lines", ["registration_id"]
    )
    with op.batch_alter_table("body_settings") as batch_op:
        batch_op.add_column(
            sa.Column(
                "registration_rule", sa.String(length=10), nullable=False, server_default="warn"
            )
        )
        batch_op.create_check_constraint(
            op.f("ck_body_settings_registration_rule"), "registration_rule IN ('warn', 'require')"
        )
    with op.batch_alter_table("body_settings") as batch_op:
        batch_op.alter_column("registration_rule", server_default=None)
    _set_kinds(KINDS + NEW_KINDS)


def downgrade() -> None:
    for kind in NEW_KINDS:
        op.execute(sa.text("DELETE FROM notifications WHERE kind = :kind").bindparams(kind=kind))
        op.execute(sa.text("DELETE FROM sent_reminders WHERE kind = :kind").bindparams(kind=kind))
    _set_kinds(KINDS)
    with op.batch_alter_table("body_settings") as batch_op:
        batch_op.drop_constraint(op.f("ck_body_settings_registration_rule"), type_="check")
        batch_op.drop_column("registration_rule")
    op.drop_index(op.f("ix_registration_lines_registration_id"), table_name="registration_lines")
    op.drop_table("registration_lines")
    op.drop_index(op.f("ix_registrations_call_id"), table_name="registrations")
    op.drop_table("registrations")
    op.drop_table("registration_calls")
    with op.batch_alter_table("honour_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_honour_photos_entry_id"))

    op.drop_table("honour_photos")
    with op.batch_alter_table("honour_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_honour_entries_board")
        batch_op.drop_index(batch_op.f("ix_honour_entries_awarding_body_id"))

    op.drop_table("honour_entries")
