"""forbix: contact and document fields

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:12:07.406150

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (in case a revision renders a sqlmodel type)
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns only (no new tables, so no new row-level security). Rows already there get
    # the models' defaults: no groups, gateways or attachments; not archived.
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("crm_group_ids", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("avatar_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("employee_title", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("acc_code", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_contact_company_id_acc_code"), ["company_id", "acc_code"]
        )

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gateway_ids", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("attachments", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("payment_description", sa.String(length=2000), nullable=True))
        batch_op.add_column(
            sa.Column("was_estimate", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("archived")
        batch_op.drop_column("was_estimate")
        batch_op.drop_column("payment_description")
        batch_op.drop_column("attachments")
        batch_op.drop_column("gateway_ids")

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_contact_company_id_acc_code"), type_="unique")
        batch_op.drop_column("acc_code")
        batch_op.drop_column("employee_title")
        batch_op.drop_column("avatar_url")
        batch_op.drop_column("crm_group_ids")
