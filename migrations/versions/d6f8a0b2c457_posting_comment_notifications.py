"""notifications: the secretariat is told of each comment on a publicly posted list

One notification kind, `posting_comment`, added to the CHECKs of `notifications` and
`sent_reminders` (on SQLite the two tables are rebuilt; nothing refers to them).

Revision ID: d6f8a0b2c457
Revises: c5e7a9b1d346
Create Date: 2026-12-08 05:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d6f8a0b2c457"
down_revision = "c5e7a9b1d346"
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
    "annulment_requested",
    "annulment_dismissed",
    "certificate_revoked",
    "consultation_closing",
    "posting_ended",
    "appraisal_due",
    "window_closing",
    "registration_reminder",
)
NEW_KINDS = ("posting_comment",)


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN ({})".format(", ".join(f"'{kind}'" for kind in kinds))


def _set_kinds(kinds: tuple[str, ...]) -> None:
    for table in ("notifications", "sent_reminders"):
        name = op.f(f"ck_{table}_kind")
        with op.batch_alter_table(table, recreate="always") as batch_op:
            batch_op.drop_constraint(name, type_="check")
            batch_op.create_check_constraint(name, _kind_check(kinds))


def upgrade() -> None:
    _set_kinds(KINDS + NEW_KINDS)


def downgrade() -> None:
    for kind in NEW_KINDS:
        op.execute(sa.text("DELETE FROM notifications WHERE kind = :kind").bindparams(kind=kind))
        op.execute(sa.text("DELETE FROM sent_reminders WHERE kind = :kind").bindparams(kind=kind))
    _set_kinds(KINDS)
