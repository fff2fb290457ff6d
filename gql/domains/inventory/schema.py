"""Query and Mutation fields of warehouses, stock moves, transfers and adjustments
(module: inventory)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.inventory import service
from gql.domains.inventory.models import StockAdjustment, StockMove, StockTransfer, Warehouse
from gql.domains.inventory.types import (
    MODULE,
    InventorySettingsInput,
    InventorySettingsPayload,
    StockAdjustmentConnection,
    StockAdjustmentCreateInput,
    StockAdjustmentNode,
    StockAdjustmentPayload,
    StockDocumentFilter,
    StockDocumentOrder,
    StockMoveConnection,
    StockMoveFilter,
    StockMoveNode,
    StockMoveOrder,
    StockTransferConnection,
    StockTransferCreateInput,
    StockTransferNode,
    StockTransferPayload,
    WarehouseConnection,
    WarehouseCreateInput,
    WarehouseDeletePayload,
    WarehouseFilter,
    WarehouseIdInput,
    WarehouseNode,
    WarehouseOrder,
    WarehousePayload,
    WarehouseUpdateInput,
    adjustment_filter_of,
    stock_document_order_of,
    stock_move_filter_of,
    stock_move_order_of,
    transfer_filter_of,
    warehouse_filter_of,
    warehouse_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

WAREHOUSES = RootConnection(
    Warehouse, warehouse_filter_of, warehouse_order_of, service.WAREHOUSE_ORDER_COLUMNS
)
STOCK_MOVES = RootConnection(
    StockMove, stock_move_filter_of, stock_move_order_of, service.STOCK_MOVE_ORDER_COLUMNS
)
STOCK_TRANSFERS = RootConnection(
    StockTransfer, transfer_filter_of, stock_document_order_of, service.STOCK_TRANSFER_ORDER_COLUMNS
)
STOCK_ADJUSTMENTS = RootConnection(
    StockAdjustment,
    adjustment_filter_of,
    stock_document_order_of,
    service.STOCK_ADJUSTMENT_ORDER_COLUMNS,
)


@strawberry.type
class Query:
    warehouse: WarehouseNode | None = root_get(Warehouse, "Warehouse", permission_classes=READ)
    warehouses: WarehouseConnection = root_connection(
        WAREHOUSES,
        WarehouseConnection,
        filter=WarehouseFilter,
        order=WarehouseOrder,
        permission_classes=READ,
        description="The company's warehouses, by name unless ordered otherwise.",
    )
    stock_move: StockMoveNode | None = root_get(StockMove, "StockMove", permission_classes=READ)
    stock_moves: StockMoveConnection = root_connection(
        STOCK_MOVES,
        StockMoveConnection,
        filter=StockMoveFilter,
        order=StockMoveOrder,
        permission_classes=READ,
        description="Every stock move, latest first unless ordered otherwise.",
    )
    stock_transfer: StockTransferNode | None = root_get(
        StockTransfer, "StockTransfer", permission_classes=READ
    )
    stock_transfers: StockTransferConnection = root_connection(
        STOCK_TRANSFERS,
        StockTransferConnection,
        filter=StockDocumentFilter,
        order=StockDocumentOrder,
        permission_classes=READ,
        description="Stock transfers between warehouses, latest first.",
    )
    stock_adjustment: StockAdjustmentNode | None = root_get(
        StockAdjustment, "StockAdjustment", permission_classes=READ
    )
    stock_adjustments: StockAdjustmentConnection = root_connection(
        STOCK_ADJUSTMENTS,
        StockAdjustmentConnection,
        filter=StockDocumentFilter,
        order=StockDocumentOrder,
        permission_classes=READ,
        description="Stock adjustments, latest first.",
    )


@strawberry.type
class Mutation:
    warehouse_create = mutation(
        input=WarehouseCreateInput,
        payload=WarehousePayload,
        field="warehouse",
        run=service.create_warehouse,
        permission=WRITE,
        description="Add a warehouse; the company's first is its default.",
    )
    warehouse_update = mutation(
        input=WarehouseUpdateInput,
        payload=WarehousePayload,
        field="warehouse",
        run=service.update_warehouse,
        permission=WRITE,
        description="Change a warehouse; isDefault true moves the default here.",
    )
    warehouse_delete = mutation(
        input=WarehouseIdInput,
        payload=WarehouseDeletePayload,
        field="deleted_warehouse_id",
        returns="deleted_id",
        run=service.delete_warehouse,
        permission=WRITE,
        description="Delete a warehouse that never held stock and is not the default "
        "(IN_USE otherwise).",
    )
    stock_transfer_create = mutation(
        input=StockTransferCreateInput,
        payload=StockTransferPayload,
        field="stock_transfer",
        run=service.create_transfer,
        permission=WRITE,
        description="Move stock between two different warehouses (INVALID on toWarehouseId "
        "for the same one); INSUFFICIENT_STOCK on items when the source has too little "
        "and the company does not allow negative stock.",
    )
    stock_adjustment_create = mutation(
        input=StockAdjustmentCreateInput,
        payload=StockAdjustmentPayload,
        field="stock_adjustment",
        run=service.create_adjustment,
        permission=WRITE,
        description="Book stock found (+) or lost (-) in a warehouse; INSUFFICIENT_STOCK on "
        "items when it would go below zero and the company does not allow that.",
    )
    inventory_settings_update = mutation(
        input=InventorySettingsInput,
        payload=InventorySettingsPayload,
        run=service.update_settings,
        permission=WRITE,
        description="The company's inventory settings: whether stock may go below zero.",
    )
