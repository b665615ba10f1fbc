"""the audit log's kinds for award records (a nominee's history, imported or issued here) and
for a body's emulation fund

Revision ID: y0e2a4c6d895
Revises: h2c4e6a8b013
Create Date: 2026-12-05 19:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "y0e2a4c6d895"
down_revision = "h2c4e6a8b013"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "nomination", "decision", "certificate", "council_session", "agenda_item", "campaign",
    "print_job", "account", "role_grant", "unit", "award_type", "criterion", "body_settings",
    "council", "law_rule", "target", "registration", "cluster", "honour_entry",
)  # fmt: skip
ADDED = ("award_record", "emulation_fund")
NEW_KINDS = (*OLD_KINDS, *ADDED)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_events_append_only
            BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
        """)
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_events_no_{operation.lower()}
                BEFORE {operation} ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
            """)


def _audit_kinds(kinds: tuple[str, ...]) -> None:
    _drop_triggers()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_object_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_object_kind"), f"object_kind IN ({_in(kinds)})"
        )
    _create_triggers()


def upgrade() -> None:
    _audit_kinds(NEW_KINDS)


def downgrade() -> None:
    # The audit log is append-only and hash-chained: its events are never deleted, so the
    # log's kinds narrow only while none of the added kinds is used.
    events = op.get_bind().execute(
        sa.text(f"SELECT COUNT(*) FROM audit_events WHERE object_kind IN ({_in(ADDED)})")
    )
    if events.scalar():
        raise RuntimeError(
            "The audit log has events of award records or funds: it cannot be downgraded."
        )
    _audit_kinds(OLD_KINDS)
