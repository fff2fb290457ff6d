"""Inventory loaders: rows by id, and an item's or a warehouse's stock levels."""

from __future__ import annotations

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
from gql.domains.inventory.models import (
    StockAdjustment,
    StockLevel,
    StockMove,
    StockTransfer,
    Warehouse,
)


class WarehouseByIdLoader(ByIdLoader[Warehouse]):
    model = Warehouse


class StockMoveByIdLoader(ByIdLoader[StockMove]):
    model = StockMove


class StockTransferByIdLoader(ByIdLoader[StockTransfer]):
    model = StockTransfer


class StockAdjustmentByIdLoader(ByIdLoader[StockAdjustment]):
    model = StockAdjustment


class StockLevelByIdLoader(ByIdLoader[StockLevel]):
    model = StockLevel


class StockLevelsByItemLoader(ByForeignKeyLoader[StockLevel]):
    model = StockLevel
    foreign_key = "item_id"
    order_by = ("warehouse_id", "variant_key", "id")


class StockLevelsByWarehouseLoader(ByForeignKeyLoader[StockLevel]):
    model = StockLevel
    foreign_key = "warehouse_id"
    order_by = ("item_id", "variant_key", "id")
