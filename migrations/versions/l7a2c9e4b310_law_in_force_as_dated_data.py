"""The law in force as dated data: the administrator's dated values of the legal rules, the
legal standard of each award type, the day a decision's legal bases were generated for, and
the audit log's kind for a legal rule; a body's legal bases become its own additional lines

Revision ID: l7a2c9e4b310
Revises: e5b2c8d4a117
Create Date: 2026-12-05 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "l7a2c9e4b310"
down_revision = "e5b2c8d4a117"
branch_labels = None
depends_on = None

STANDARDS = (
    "giay_khen", "lao_dong_tien_tien", "cstd_co_so", "tap_the_ldtt", "gia_dinh_van_hoa",
    "thon_ap_van_hoa", "bang_khen_tinh", "cstd_tinh", "tap_the_ldxs", "co_thi_dua_tinh",
    "own_title",
)
OLD_KINDS = (
    "nomination", "decision", "certificate", "council_session", "agenda_item", "campaign",
    "print_job", "account", "role_grant", "unit", "award_type", "criterion", "body_settings",
    "council",
)
NEW_KINDS = (*OLD_KINDS, "law_rule")

# The default legal bases of a body's settings before they became the body's own additional
# lines (the law's bases now come from the dated rules): stored copies of it are emptied.
OLD_DEFAULT_BASES = "\n".join(
    [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy "
        "định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
    ]
)

# Award types whose code says which standard of the law they are.
BY_CODE = {
    "LDTT": "lao_dong_tien_tien",
    "CSTDCS": "cstd_co_so",
    "TTLDTT": "tap_the_ldtt",
    "GDVH": "gia_dinh_van_hoa",
    "APVH": "thon_ap_van_hoa",
    "CSTD-TINH": "cstd_tinh",
    "TTLDXS": "tap_the_ldxs",
    "CO-THI-DUA": "co_thi_dua_tinh",
}


STANDARD_CHECK = "standard IN (" + ", ".join(f"'{value}'" for value in STANDARDS) + ")"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


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
        "law_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_law_values_entered_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_values")),
        sa.UniqueConstraint("key", "valid_from", name=op.f("uq_law_values_key_valid_from")),
    )
    if _sqlite():
        # Added in place: recreating award_types would break its dossiers' foreign keys.
        op.execute(
            "ALTER TABLE award_types ADD COLUMN standard VARCHAR(30) NOT NULL "
            f"DEFAULT 'own_title' CONSTRAINT ck_award_types_standard CHECK ({STANDARD_CHECK})"
        )
    else:
        op.add_column(
            "award_types",
            sa.Column(
                "standard", sa.String(length=30), nullable=False, server_default="own_title"
            ),
        )
        op.create_check_constraint(op.f("ck_award_types_standard"), "award_types", STANDARD_CHECK)
    bind = op.get_bind()
    for code, standard in BY_CODE.items():
        bind.execute(
            sa.text("UPDATE award_types SET standard = :standard WHERE code = :code"),
            {"standard": standard, "code": code},
        )
    bind.execute(sa.text("UPDATE award_types SET standard = 'giay_khen' WHERE code LIKE 'GK-%'"))
    bind.execute(
        sa.text("UPDATE award_types SET standard = 'bang_khen_tinh' WHERE code LIKE 'BK-%'")
    )
    if not _sqlite():
        op.alter_column("award_types", "standard", server_default=None)
    op.add_column("decisions", sa.Column("legal_bases_on", sa.Date(), nullable=True))
    bind.execute(
        sa.text("UPDATE body_settings SET legal_bases = '' WHERE legal_bases = :old"),
        {"old": OLD_DEFAULT_BASES},
    )
    _audit_kinds(NEW_KINDS)


def downgrade() -> None:
    # The audit log is append-only and hash-chained: its legal-rule events are never deleted,
    # so the log's kinds narrow only while there are none.
    events = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM audit_events WHERE object_kind = 'law_rule'")
    )
    if events.scalar():
        raise RuntimeError("The audit log has events of legal rules: it cannot be downgraded.")
    _audit_kinds(OLD_KINDS)
    if _sqlite():
        op.execute("ALTER TABLE decisions DROP COLUMN legal_bases_on")
        op.execute("ALTER TABLE award_types DROP COLUMN standard")
    else:
        op.drop_column("decisions", "legal_bases_on")
        op.drop_constraint(op.f("ck_award_types_standard"), "award_types", type_="check")
        op.drop_column("award_types", "standard")
    op.drop_table("law_values")
