"""Warehouses and stock (module: inventory). Stock on hand is the sum of the stock
moves; StockLevel keeps that sum per (warehouse, item, variant), updated in the same
transaction as each move by one guarded statement, so "never below zero" is checked
against one row rather than by summing history under a race."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, money_field

QUANTITY_SCALE = 4  # as a document line's quantity
NO_VARIANT = ""  # StockLevel.variant_key of an item's stock without a variant


class MoveReason(str, Enum):
    SALE = "sale"
    PURCHASE = "purchase"
    TRANSFER = "transfer"
    ADJUSTMENT = "adjustment"
    REVERSAL = "reversal"  # a cancelled document's moves, undone
    POS = "pos"


class SourceType(str, Enum):
    """What wrote a move: the type of the row its source_id names."""

    DOCUMENT = "document"
    STOCK_TRANSFER = "stock_transfer"
    STOCK_ADJUSTMENT = "stock_adjustment"
    POS_ORDER = "pos_order"


class Warehouse(Versioned, TenantOwned, table=True):
    __table_args__ = (
        # Exactly one default per company, also under concurrent creation.
        Index(
            "uq_warehouse_company_default",
            "company_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
        Index("ix_warehouse_company_name", "company_id", "name"),
    )

    name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=1000)
    code: str | None = Field(default=None, max_length=40)
    is_default: bool = False


class StockMove(TenantOwned, table=True):
    """One signed change of an item's (variant's) stock in a warehouse. Never updated
    or deleted: a mistake is corrected by another move."""

    __tablename__ = "stock_move"
    __table_args__ = (
        Index("ix_stock_move_company_item_created", "company_id", "item_id", "created_at", "id"),
        Index(
            "ix_stock_move_company_warehouse_created",
            "company_id",
            "warehouse_id",
            "created_at",
            "id",
        ),
        Index("ix_stock_move_company_source", "company_id", "source_type", "source_id"),
    )

    item_id: str = Field(foreign_key="item.id", max_length=24)
    variant_id: str | None = Field(default=None, foreign_key="item_variant.id", max_length=24)
    warehouse_id: str = Field(foreign_key="warehouse.id", max_length=24)
    quantity: Decimal = money_field(scale=QUANTITY_SCALE)
    reason: str = Field(max_length=40)
    source_type: str = Field(max_length=40)
    # Not a foreign key: sources live in several tables (documents, transfers, ...).
    source_id: str | None = Field(default=None, max_length=24)
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)


class StockLevel(TenantOwned, table=True):
    """The sum of the moves of one (warehouse, item, variant)."""

    __tablename__ = "stock_level"
    __table_args__ = (
        UniqueConstraint("company_id", "warehouse_id", "item_id", "variant_key"),
        Index("ix_stock_level_company_item", "company_id", "item_id"),
    )

    warehouse_id: str = Field(foreign_key="warehouse.id", max_length=24)
    item_id: str = Field(foreign_key="item.id", max_length=24)
    variant_id: str | None = Field(default=None, foreign_key="item_variant.id", max_length=24)
    # variant_id or NO_VARIANT: a unique key needs a value where NULLs are all distinct.
    variant_key: str = Field(default=NO_VARIANT, max_length=24)
    quantity: Decimal = money_field(scale=QUANTITY_SCALE)


class StockTransfer(TenantOwned, table=True):
    __tablename__ = "stock_transfer"
    __table_args__ = (Index("ix_stock_transfer_company_created", "company_id", "created_at", "id"),)

    from_warehouse_id: str = Field(foreign_key="warehouse.id", max_length=24)
    to_warehouse_id: str = Field(foreign_key="warehouse.id", max_length=24)
    notes: str | None = Field(default=None, max_length=2000)
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)


class StockAdjustment(TenantOwned, table=True):
    __tablename__ = "stock_adjustment"
    __table_args__ = (
        Index("ix_stock_adjustment_company_created", "company_id", "created_at", "id"),
    )

    warehouse_id: str = Field(foreign_key="warehouse.id", max_length=24)
    reason: str | None = Field(default=None, max_length=500)
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)
