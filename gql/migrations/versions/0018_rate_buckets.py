"""throttle: each company's leaky bucket of query cost

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 23:15:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gql.tenancy import drop_row_level_security_statements, row_level_security_statements

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "rate_bucket"


def _on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"  # SQLite has no row-level security


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("company_id", sa.String(length=24), nullable=False),
        sa.Column(
            "available",
            sa.Numeric(precision=20, scale=3).with_variant(sa.BigInteger(), "sqlite"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_rate_bucket_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_rate_bucket")),
    )
    if _on_postgresql():
        for statement in row_level_security_statements(TABLE):
            op.execute(statement)


def downgrade() -> None:
    if _on_postgresql():
        for statement in drop_row_level_security_statements(TABLE):
            op.execute(statement)
    op.drop_table(TABLE)
