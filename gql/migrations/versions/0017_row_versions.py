"""row versions: a `version` counter on every mutable entity (conflict detection)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 23:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables of gql.core.versions.Versioned models (append-only rows have no version).
VERSIONED = (
    "account",
    "activity",
    "article",
    "bank_connection",
    "bank_feed_transaction",
    "bank_rule",
    "campaign",
    "category",
    "company",
    "contact",
    "contract",
    "currency",
    "deal",
    "department",
    "document",
    "employee",
    "financial_year",
    "item",
    "item_variant",
    "job_position",
    "lead",
    "ledger_account",
    "loyalty_program",
    "module_license",
    "pay_run",
    "payslip",
    "pipeline",
    "pipeline_stage",
    "pos_session",
    "pos_terminal",
    "project",
    "project_task",
    "proposal",
    "sla",
    "tax",
    "ticket",
    "ticket_category",
    "time_entry",
    "transaction",
    "transfer",
    "voucher",
    "warehouse",
)


def upgrade() -> None:
    # No new tables, so no new row-level security; rows already there start at 1.
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
