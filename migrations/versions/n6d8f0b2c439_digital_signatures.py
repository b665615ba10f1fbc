"""digital signatures: where an awarding body's signing key is (a PKCS#12 file's name or a
PKCS#11 module, token and key label; never the key), and a decision's signed PDF; certificates
found by their PDF's digest

Revision ID: n6d8f0b2c439
Revises: z1f3b5d7e906
Create Date: 2026-12-05 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "n6d8f0b2c439"
down_revision = "z1f3b5d7e906"
branch_labels = None
depends_on = None

TEXTS = (
    ("signing_key_file", 200),
    ("signing_module", 300),
    ("signing_token_label", 100),
    ("signing_key_label", 100),
)


def upgrade() -> None:
    with op.batch_alter_table("body_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signing_kind", sa.String(length=10), nullable=False, server_default="none")
        )
        for name, length in TEXTS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.create_check_constraint(
            op.f("ck_body_settings_signing_kind"), "signing_kind IN ('none', 'pkcs12', 'pkcs11')"
        )
    with op.batch_alter_table("body_settings", schema=None) as batch_op:
        batch_op.alter_column("signing_kind", server_default=None, existing_type=sa.String(10))
        for name, length in TEXTS:
            batch_op.alter_column(name, server_default=None, existing_type=sa.String(length))
    op.add_column("decisions", sa.Column("pdf_key", sa.String(length=64), nullable=True))
    op.add_column("decisions", sa.Column("pdf_sha256", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_certificates_pdf_sha256"), "certificates", ["pdf_sha256"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_certificates_pdf_sha256"), table_name="certificates")
    op.execute("ALTER TABLE decisions DROP COLUMN pdf_sha256")
    op.execute("ALTER TABLE decisions DROP COLUMN pdf_key")
    with op.batch_alter_table("body_settings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_body_settings_signing_kind"), type_="check")
        for name, _length in reversed(TEXTS):
            batch_op.drop_column(name)
        batch_op.drop_column("signing_kind")
