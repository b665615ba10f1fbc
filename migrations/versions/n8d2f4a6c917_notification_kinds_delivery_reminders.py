"""notifications: a kind on each, a user's choice of e-mail or in-app only, reminders sent

Every notification says what it is about (`kind`; rows written before are `general`). A user
chooses to be told by e-mail and in the application (the default) or in the application only.
`sent_reminders` records each reminder told, UNIQUE on (kind, object, user, day), so the
scheduled job tells nobody twice across runs and workers.

SQLite: the columns and their CHECKs are added and dropped in place (ALTER TABLE … ADD/DROP
COLUMN), not by rebuilding the tables, which the rows referring to users would forbid.

Revision ID: n8d2f4a6c917
Revises: m7c1d2e3f405
Create Date: 2026-12-05 12:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "n8d2f4a6c917"
down_revision = "m7c1d2e3f405"
branch_labels = None
depends_on = None

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
)
KIND_CHECK = "kind IN ({})".format(", ".join(f"'{kind}'" for kind in KINDS))
DELIVERY_CHECK = "notification_delivery IN ('email_and_app', 'app_only')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(KIND_CHECK, name=op.f("ck_sent_reminders_kind")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sent_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint(
            "kind",
            "object_id",
            "user_id",
            "day",
            name=op.f("uq_sent_reminders_kind_object_id_user_id_day"),
        ),
    )
    op.create_index(op.f("ix_sent_reminders_user_id"), "sent_reminders", ["user_id"], unique=False)
    if _sqlite():
        op.execute(
            "ALTER TABLE notifications ADD COLUMN kind VARCHAR(30) NOT NULL DEFAULT 'general' "
            f"CONSTRAINT ck_notifications_kind CHECK ({KIND_CHECK})"
        )
        op.execute(
            "ALTER TABLE users ADD COLUMN notification_delivery VARCHAR(20) NOT NULL "
            "DEFAULT 'email_and_app' "
            f"CONSTRAINT ck_users_notification_delivery CHECK ({DELIVERY_CHECK})"
        )
        return
    op.add_column(
        "notifications",
        sa.Column("kind", sa.String(length=30), nullable=False, server_default="general"),
    )
    op.alter_column("notifications", "kind", server_default=None)
    op.create_check_constraint(op.f("ck_notifications_kind"), "notifications", KIND_CHECK)
    op.add_column(
        "users",
        sa.Column(
            "notification_delivery",
            sa.String(length=20),
            nullable=False,
            server_default="email_and_app",
        ),
    )
    op.alter_column("users", "notification_delivery", server_default=None)
    op.create_check_constraint(op.f("ck_users_notification_delivery"), "users", DELIVERY_CHECK)


def downgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE users DROP COLUMN notification_delivery")
        op.execute("ALTER TABLE notifications DROP COLUMN kind")
    else:
        op.drop_constraint(op.f("ck_users_notification_delivery"), "users", type_="check")
        op.drop_column("users", "notification_delivery")
        op.drop_constraint(op.f("ck_notifications_kind"), "notifications", type_="check")
        op.drop_column("notifications", "kind")
    op.drop_index(op.f("ix_sent_reminders_user_id"), table_name="sent_reminders")
    op.drop_table("sent_reminders")
