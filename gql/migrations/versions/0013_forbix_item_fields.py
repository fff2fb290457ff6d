"""forbix: item and variant fields

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _decimal() -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sa.Numeric(precision=20, scale=4).with_variant(sa.BigInteger(), "sqlite")


def _text(length: int) -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    # Columns only (no new tables, so no new row-level security). Rows already there get
    # the models' defaults: no images, attachments, plans or attributes; for sale, shown.
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gov_id", _text(100), nullable=True))
        batch_op.add_column(sa.Column("barcode_type", _text(30), nullable=True))
        batch_op.add_column(sa.Column("barcode_url", _text(500), nullable=True))
        batch_op.add_column(sa.Column("image_url", _text(500), nullable=True))
        batch_op.add_column(sa.Column("images", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("attachments", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("catalog_description", _text(5000), nullable=True))
        batch_op.add_column(sa.Column("sub_category", _text(200), nullable=True))
        batch_op.add_column(sa.Column("discount_rate", _decimal(), nullable=True))
        batch_op.add_column(sa.Column("discount_amount", _decimal(), nullable=True))
        batch_op.add_column(sa.Column("opening_stock_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("internal_use_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("hide_in_catalog", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("appointment_plans", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("created_by_id", _text(24), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_item_created_by_id_user"), "user", ["created_by_id"], ["id"]
        )

    with op.batch_alter_table("item_variant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attributes", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("barcode_type", _text(30), nullable=True))
        batch_op.add_column(sa.Column("discount_rate", _decimal(), nullable=True))
        batch_op.add_column(sa.Column("discount_amount", _decimal(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item_variant", schema=None) as batch_op:
        batch_op.drop_column("discount_amount")
        batch_op.drop_column("discount_rate")
        batch_op.drop_column("barcode_type")
        batch_op.drop_column("attributes")

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_item_created_by_id_user"), type_="foreignkey")
        for column in (
            "created_by_id",
            "appointment_plans",
            "hide_in_catalog",
            "internal_use_only",
            "opening_stock_date",
            "discount_amount",
            "discount_rate",
            "sub_category",
            "catalog_description",
            "attachments",
            "images",
            "image_url",
            "barcode_url",
            "barcode_type",
            "gov_id",
        ):
            batch_op.drop_column(column)
