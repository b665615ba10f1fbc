"""API clients: a registered system's name, hashed token, scopes, unit and own account; the
audit log's kind for them

Revision ID: a7c9e1f3b520
Revises: n6d8f0b2c439
Create Date: 2026-12-06 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c9e1f3b520"
down_revision = "n6d8f0b2c439"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "nomination", "decision", "certificate", "council_session", "agenda_item", "campaign",
    "print_job", "account", "role_grant", "unit", "award_type", "criterion", "body_settings",
    "council", "law_rule", "target", "registration", "cluster", "honour_entry", "award_record",
    "emulation_fund",
)  # fmt: skip
ADDED = ("api_client",)
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
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hint", sa.String(length=12), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_api_clients_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_api_clients_revoked_by_id_users")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_api_clients_unit_id_units")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_clients_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("name", name=op.f("uq_api_clients_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_clients_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_api_clients_user_id")),
    )
    op.create_index(op.f("ix_api_clients_unit_id"), "api_clients", ["unit_id"], unique=False)
    _audit_kinds(NEW_KINDS)


def downgrade() -> None:
    # The audit log is append-only and hash-chained: its events are never deleted, so the
    # log's kinds narrow only while no client was ever recorded.
    events = op.get_bind().execute(
        sa.text(f"SELECT COUNT(*) FROM audit_events WHERE object_kind IN ({_in(ADDED)})")
    )
    if events.scalar():
        raise RuntimeError("The audit log has events of API clients: it cannot be downgraded.")
    _audit_kinds(OLD_KINDS)
    op.drop_index(op.f("ix_api_clients_unit_id"), table_name="api_clients")
    op.drop_table("api_clients")
