"""decisions: proposals to annul an issued decision, and the notification kinds they add

The secretariat proposes to annul an issued decision; the chair grants (annuls) or dismisses
the proposal. At most one proposal per decision waits: a unique index on the decision, over
the pending rows only. Two notification kinds are added to the CHECKs of `notifications` and
`sent_reminders` (on SQLite the two tables are rebuilt; nothing refers to them).

Revision ID: t5f7b9d1e340
Revises: s4e6a8c0d239
Create Date: 2026-12-05 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "t5f7b9d1e340"
down_revision = "s4e6a8c0d239"
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
NEW_KINDS = ("annulment_requested", "annulment_dismissed")
PENDING = "state = 'pending'"


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN ({})".format(", ".join(f"'{kind}'" for kind in kinds))


def _set_kinds(kinds: tuple[str, ...], tables: tuple[str, ...]) -> None:
    for table in tables:
        name = op.f(f"ck_{table}_kind")
        with op.batch_alter_table(table, recreate="always") as batch_op:
            batch_op.drop_constraint(name, type_="check")
            batch_op.create_check_constraint(name, _kind_check(kinds))


def _sqlite_kind_column_back(kinds: tuple[str, ...]) -> None:
    """On SQLite, `notifications.kind` goes back to a column with its own CHECK, as the
    revision that added it made it (whose downgrade drops the column in place)."""
    with op.batch_alter_table("notifications", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_kind"), type_="check")
    op.execute("ALTER TABLE notifications RENAME COLUMN kind TO kind_before")
    op.execute(
        "ALTER TABLE notifications ADD COLUMN kind VARCHAR(30) NOT NULL DEFAULT 'general' "
        f"CONSTRAINT ck_notifications_kind CHECK ({_kind_check(kinds)})"
    )
    op.execute("UPDATE notifications SET kind = kind_before")
    op.execute("ALTER TABLE notifications DROP COLUMN kind_before")


def upgrade() -> None:
    op.create_table(
        "annulment_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'granted', 'dismissed')", name=op.f("ck_annulment_requests_state")
        ),
        sa.CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_annulment_requests_decided_at"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_annulment_requests_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_annulment_requests_requested_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_annulment_requests_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annulment_requests")),
    )
    op.create_index(
        op.f("ix_annulment_requests_decision_id"), "annulment_requests", ["decision_id"]
    )
    op.create_index(
        "uq_annulment_requests_pending",
        "annulment_requests",
        ["decision_id"],
        unique=True,
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )
    _set_kinds(KINDS + NEW_KINDS, ("notifications", "sent_reminders"))


def downgrade() -> None:
    for kind in NEW_KINDS:
        op.execute(sa.text("DELETE FROM notifications WHERE kind = :kind").bindparams(kind=kind))
        op.execute(sa.text("DELETE FROM sent_reminders WHERE kind = :kind").bindparams(kind=kind))
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_kind_column_back(KINDS)
        _set_kinds(KINDS, ("sent_reminders",))
    else:
        _set_kinds(KINDS, ("notifications", "sent_reminders"))
    op.drop_index("uq_annulment_requests_pending", table_name="annulment_requests")
    op.drop_index(op.f("ix_annulment_requests_decision_id"), table_name="annulment_requests")
    op.drop_table("annulment_requests")
