"""audit trail: audit_event, append-only for the app

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gql.tenancy import (
    append_only_statements,
    drop_row_level_security_statements,
    row_level_security_statements,
)

# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_event"


def _on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"  # SQLite has no row-level security


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=True),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=24), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("operation", sa.String(length=300), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_audit_event_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_company_id"), ["company_id"])
        batch_op.create_index(
            "ix_audit_event_company_entity", ["company_id", "entity_id", "created_at"]
        )
        batch_op.create_index("ix_audit_event_company_created", ["company_id", "created_at"])
    if _on_postgresql():
        for statement in row_level_security_statements(TABLE):
            op.execute(statement)
        for statement in append_only_statements(TABLE):
            op.execute(statement)


def downgrade() -> None:
    if _on_postgresql():
        for statement in drop_row_level_security_statements(TABLE):
            op.execute(statement)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_company_created")
        batch_op.drop_index("ix_audit_event_company_entity")
        batch_op.drop_index(batch_op.f("ix_audit_event_company_id"))
    op.drop_table(TABLE)
