"""row-level security on tenant-owned tables (PostgreSQL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 11:30:00.000000

"""

from collections.abc import Sequence

from alembic import op

from gql.tenancy import drop_row_level_security_statements, row_level_security_statements

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tenant-owned tables as of this revision (frozen: a later TenantOwned table gets
# its policy in the revision that creates it; tests/test_migrations.py checks head).
TABLES = (
    "account",
    "category",
    "contact",
    "currency",
    "document",
    "document_line",
    "financial_year",
    "item",
    "item_variant",
    "ledger_account",
    "module_license",
    "number_series",
    "tax",
    "transaction",
    "transfer",
    "voucher",
    "voucher_line",
)


def _on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"  # SQLite has no row-level security


def upgrade() -> None:
    if _on_postgresql():
        for table in TABLES:
            for statement in row_level_security_statements(table):
                op.execute(statement)


def downgrade() -> None:
    if _on_postgresql():
        for table in TABLES:
            for statement in drop_row_level_security_statements(table):
                op.execute(statement)
