"""one audit log for every object: nomination_events becomes audit_events

The dossier events become the first kind of a log that every object with a life writes to:
each event names its object by kind and id, with the object's name as it was. The chain is
verified, then rehashed over the new content (the kind and name are covered too).

Revision ID: d1a7e3c5b901
Revises: c4f1e2a9d703
Create Date: 2026-12-05 07:00:00
"""

import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "d1a7e3c5b901"
down_revision = "c4f1e2a9d703"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
KINDS = (
    "nomination", "decision", "certificate", "council_session", "agenda_item", "campaign",
    "print_job", "account", "role_grant", "unit", "award_type", "criterion", "body_settings",
    "council",
)


def _fold(value: str) -> str:
    # The application's fold() as of this revision: no diacritics, đ → d, lower case.
    value = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    value = "".join(c for c in value if unicodedata.category(c) != "Mn")
    return " ".join(value.lower().split())


def _digest(row: dict) -> str:
    created = row["created_at"]
    parts = [
        row["object_kind"], str(row["object_id"]), row["subject"],
        "" if row["actor_id"] is None else str(row["actor_id"]), row["action"],
        row["from_state"], row["to_state"], row["comment"],
        "" if row["version"] is None else str(row["version"]),
        created.isoformat(timespec="microseconds") if created else "", row["prev_hash"],
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _drop_triggers(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def _create_triggers(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{table} is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute(f"""
            CREATE TRIGGER {table}_append_only
            BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()
        """)
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER {table}_no_{operation.lower()}
                BEFORE {operation} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END
            """)


def _rehash(table: str, rows: list[dict]) -> None:
    bind = op.get_bind()
    previous = GENESIS
    last_id = None
    for row in rows:
        row["prev_hash"] = previous
        row["hash"] = _digest(row)
        bind.execute(
            sa.text(f"UPDATE {table} SET prev_hash = :prev_hash, hash = :hash WHERE id = :id"),
            {"prev_hash": row["prev_hash"], "hash": row["hash"], "id": row["id"]},
        )
        previous = row["hash"]
        last_id = row["id"]
    bind.execute(
        sa.text("UPDATE audit_head SET last_hash = :hash, last_event_id = :id WHERE id = 1"),
        {"hash": previous, "id": last_id},
    )


def upgrade():
    _drop_triggers("nomination_events")
    with op.batch_alter_table("nomination_events", schema=None) as batch_op:
        batch_op.drop_index("ix_nomination_events_nomination_id")
        batch_op.drop_constraint(op.f("fk_nomination_events_nomination_id_nominations"), type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_nomination_events_action"), type_="check")
    op.rename_table("nomination_events", "audit_events")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events RENAME CONSTRAINT pk_nomination_events TO pk_audit_events")
        op.execute("ALTER SEQUENCE IF EXISTS nomination_events_id_seq RENAME TO audit_events_id_seq")
    with op.batch_alter_table("audit_events", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("uq_nomination_events_hash"), type_="unique")
        batch_op.drop_constraint(op.f("fk_nomination_events_actor_id_users"), type_="foreignkey")
        batch_op.create_unique_constraint(op.f("uq_audit_events_hash"), ["hash"])
        batch_op.create_foreign_key(op.f("fk_audit_events_actor_id_users"), "users", ["actor_id"], ["id"])
        batch_op.alter_column("nomination_id", new_column_name="object_id", existing_type=sa.Integer(), existing_nullable=False)
        batch_op.add_column(sa.Column("object_kind", sa.String(length=30), nullable=False, server_default="nomination"))
        batch_op.add_column(sa.Column("subject", sa.String(length=300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("subject_folded", sa.String(length=300), nullable=False, server_default=""))
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("action", existing_type=sa.String(length=20), type_=sa.String(length=40), existing_nullable=False)
        batch_op.alter_column("from_state", existing_type=sa.String(length=20), type_=sa.String(length=30), existing_nullable=False)
        batch_op.alter_column("to_state", existing_type=sa.String(length=20), type_=sa.String(length=30), existing_nullable=False)
        batch_op.alter_column("version", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f("ck_audit_events_object_kind"), "object_kind IN (" + ", ".join(f"'{k}'" for k in KINDS) + ")")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_object", ["object_kind", "object_id"], unique=False)
        batch_op.alter_column("object_kind", server_default=None, existing_type=sa.String(length=30))
        batch_op.alter_column("subject", server_default=None, existing_type=sa.String(length=300))
        batch_op.alter_column("subject_folded", server_default=None, existing_type=sa.String(length=300))
    rows = [
        dict(row._mapping)
        for row in bind.execute(sa.text(
            "SELECT e.id, e.object_kind, e.object_id, e.actor_id, e.action, e.from_state, "
            "e.to_state, e.comment, e.version, e.created_at, n.reference, n.nominee_name "
            "FROM audit_events e JOIN nominations n ON n.id = e.object_id ORDER BY e.id"
        ))
    ]
    for row in rows:
        if isinstance(row["created_at"], str):  # SQLite returns the text it stored
            from datetime import UTC, datetime

            value = datetime.fromisoformat(row["created_at"])
            row["created_at"] = value if value.tzinfo else value.replace(tzinfo=UTC)
        else:
            from datetime import UTC

            row["created_at"] = row["created_at"].astimezone(UTC)
        row["subject"] = " · ".join(p for p in (row.pop("reference"), row.pop("nominee_name")) if p)[:300]
        bind.execute(
            sa.text("UPDATE audit_events SET subject = :subject, subject_folded = :folded WHERE id = :id"),
            {"subject": row["subject"], "folded": _fold(row["subject"])[:300], "id": row["id"]},
        )
    _rehash("audit_events", rows)
    _create_triggers("audit_events")


def downgrade():
    bind = op.get_bind()
    _drop_triggers("audit_events")
    op.execute("DELETE FROM audit_events WHERE object_kind <> 'nomination'")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_object")
        batch_op.drop_constraint(op.f("ck_audit_events_object_kind"), type_="check")
    with op.batch_alter_table("audit_events", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("uq_audit_events_hash"), type_="unique")
        batch_op.drop_constraint(op.f("fk_audit_events_actor_id_users"), type_="foreignkey")
        batch_op.create_unique_constraint(op.f("uq_nomination_events_hash"), ["hash"])
        batch_op.create_foreign_key(op.f("fk_nomination_events_actor_id_users"), "users", ["actor_id"], ["id"])
        batch_op.drop_column("subject_folded")
        batch_op.drop_column("subject")
        batch_op.drop_column("object_kind")
        batch_op.alter_column("object_id", new_column_name="nomination_id", existing_type=sa.Integer(), existing_nullable=False)
        batch_op.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("to_state", existing_type=sa.String(length=30), type_=sa.String(length=20), existing_nullable=False)
        batch_op.alter_column("from_state", existing_type=sa.String(length=30), type_=sa.String(length=20), existing_nullable=False)
        batch_op.alter_column("action", existing_type=sa.String(length=40), type_=sa.String(length=20), existing_nullable=False)
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=False)
    op.rename_table("audit_events", "nomination_events")
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE nomination_events RENAME CONSTRAINT pk_audit_events TO pk_nomination_events")
        op.execute("ALTER SEQUENCE IF EXISTS audit_events_id_seq RENAME TO nomination_events_id_seq")
    with op.batch_alter_table("nomination_events", schema=None) as batch_op:
        batch_op.create_index("ix_nomination_events_nomination_id", ["nomination_id"], unique=False)
        batch_op.create_foreign_key(op.f("fk_nomination_events_nomination_id_nominations"), "nominations", ["nomination_id"], ["id"])
        actions = ("submit", "take", "send_back", "resubmit", "reject", "accept", "schedule",
                   "pass_simplified", "close_vote", "award", "annul", "withdraw", "reopen", "edit")
        batch_op.create_check_constraint(op.f("ck_nomination_events_action"), "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")")
    # The old digest did not cover the kind and the name: rehash with it.
    rows = [dict(r._mapping) for r in bind.execute(sa.text(
        "SELECT id, nomination_id, actor_id, action, from_state, to_state, comment, version, "
        "created_at FROM nomination_events ORDER BY id"))]
    previous = GENESIS
    last_id = None
    for row in rows:
        created = row["created_at"]
        if isinstance(created, str):
            from datetime import UTC, datetime

            created = datetime.fromisoformat(created)
            created = created if created.tzinfo else created.replace(tzinfo=UTC)
        else:
            from datetime import UTC

            created = created.astimezone(UTC)
        parts = [str(row["nomination_id"]), str(row["actor_id"]), row["action"], row["from_state"],
                 row["to_state"], row["comment"], str(row["version"]),
                 created.isoformat(timespec="microseconds"), previous]
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
        bind.execute(sa.text("UPDATE nomination_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                     {"p": previous, "h": digest, "id": row["id"]})
        previous, last_id = digest, row["id"]
    bind.execute(sa.text("UPDATE audit_head SET last_hash = :h, last_event_id = :id WHERE id = 1"),
                 {"h": previous, "id": last_id})
    _create_triggers("nomination_events")
