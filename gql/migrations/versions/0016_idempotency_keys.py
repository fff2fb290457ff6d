"""idempotency keys: the first answer of a write, kept for safe retries

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 23:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gql.tenancy import drop_row_level_security_statements, row_level_security_statements

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "idempotency_key"


def _on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"  # SQLite has no row-level security


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("operation", sa.String(length=300), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_idempotency_key_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_idempotency_key_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_key")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_key_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "ix_idempotency_key_company_expires", ["company_id", "expires_at"], unique=False
        )
        batch_op.create_index(
            "uq_idempotency_key_claim", ["company_id", "key", "operation"], unique=True
        )
    if _on_postgresql():
        for statement in row_level_security_statements(TABLE):
            op.execute(statement)


def downgrade() -> None:
    if _on_postgresql():
        for statement in drop_row_level_security_statements(TABLE):
            op.execute(statement)
    op.drop_table(TABLE)
