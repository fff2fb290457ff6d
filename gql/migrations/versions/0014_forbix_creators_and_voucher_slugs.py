"""forbix: creators of contacts, documents and vouchers; voucher line slugs

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:45:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATED_BY = ("contact", "document", "voucher")
SLUGS = ("account_slug2", "account_slug3", "account_slug4")


def _text(length: int) -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    # Nullable columns only (no new tables, so no new row-level security): rows already
    # there have no recorded creator and no further slugs.
    for table in CREATED_BY:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("created_by_id", _text(24), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_created_by_id_user"), "user", ["created_by_id"], ["id"]
            )
    with op.batch_alter_table("voucher_line", schema=None) as batch_op:
        for column in SLUGS:
            batch_op.add_column(sa.Column(column, _text(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voucher_line", schema=None) as batch_op:
        for column in reversed(SLUGS):
            batch_op.drop_column(column)
    for table in reversed(CREATED_BY):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_created_by_id_user"), type_="foreignkey"
            )
            batch_op.drop_column("created_by_id")
