"""GraphQL types of warehouses, stock levels, moves, transfers and adjustments, their
inputs, filters and orders (module: inventory)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import EdgeConnection, connection_edge, python_only, to_many, to_one
from gql.core.inputs import input_to_dict
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.catalogue.loaders import ItemByIdLoader, ItemVariantByIdLoader
from gql.domains.catalogue.types import ItemNode, ItemVariantNode
from gql.domains.companies.modules import ModuleAlias
from gql.domains.companies.types import UserType, member_user
from gql.domains.documents.loaders import DocumentByIdLoader
from gql.domains.inventory import service
from gql.domains.inventory.loaders import (
    StockAdjustmentByIdLoader,
    StockLevelByIdLoader,
    StockLevelsByWarehouseLoader,
    StockMoveByIdLoader,
    StockTransferByIdLoader,
    WarehouseByIdLoader,
)
from gql.domains.inventory.models import (
    MoveReason,
    SourceType,
    StockAdjustment,
    StockLevel,
    StockMove,
    StockTransfer,
    Warehouse,
)
from gql.domains.pos.loaders import PosOrderByIdLoader

if TYPE_CHECKING:
    from gql.domains.documents.types import DocumentNode
    from gql.domains.pos.types import PosOrderNode

MODULE = ModuleAlias.INVENTORY
_THIS_MODULE = strawberry.lazy("gql.domains.inventory.types")
MOVES = Annotated["StockMoveConnection", _THIS_MODULE]
MEMBER = "a user, not a row of the company's tables"
# What wrote a move, one edge per kind of source over the one source_id column: ids are
# unique across tables, so the edge of every other kind finds no row and is null.
DOCUMENT = Annotated["DocumentNode", strawberry.lazy("gql.domains.documents.types")]
POS_ORDER = Annotated["PosOrderNode", strawberry.lazy("gql.domains.pos.types")]

MoveReasonEnum = strawberry.enum(
    MoveReason,
    name="StockMoveReason",
    description="Why stock moved: SALE (an issued invoice), PURCHASE (an issued bill), "
    "TRANSFER, ADJUSTMENT, REVERSAL (a cancelled document's moves undone), POS.",
)
SourceTypeEnum = strawberry.enum(
    SourceType,
    name="StockMoveSourceType",
    description="What wrote a move; sourceId is that row's object id.",
)


async def _created_by(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.created_by_id)


# --- filters and orders ---------------------------------------------------------------------


@strawberry.enum(description="What warehouses can be sorted by.")
class WarehouseOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort warehouses (by name by default).")
class WarehouseOrder:
    field: WarehouseOrderField = WarehouseOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which warehouses to list; all conditions must hold.")
class WarehouseFilter:
    is_default: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name or code."
    )


@strawberry.enum(description="What stock moves can be sorted by.")
class StockMoveOrderField(Enum):
    CREATED_AT = "created_at"
    QUANTITY = "quantity"


@strawberry.input(description="How to sort stock moves (latest first by default).")
class StockMoveOrder:
    field: StockMoveOrderField = StockMoveOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which stock moves to list; all conditions must hold.")
class StockMoveFilter:
    warehouse_id: strawberry.ID | None = strawberry.UNSET
    item_id: strawberry.ID | None = strawberry.UNSET
    variant_id: strawberry.ID | None = strawberry.UNSET
    reason: MoveReasonEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    source_type: SourceTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    source_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The source row's object id."
    )
    created_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Made on or after this day (UTC)."
    )
    created_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Made on or before this day (UTC)."
    )


@strawberry.enum(description="What transfers and adjustments can be sorted by.")
class StockDocumentOrderField(Enum):
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort transfers or adjustments (latest first by default).")
class StockDocumentOrder:
    field: StockDocumentOrderField = StockDocumentOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which transfers or adjustments to list; all conditions must hold.")
class StockDocumentFilter:
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Its warehouse (a transfer's from or to)."
    )
    created_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Made on or after this day (UTC)."
    )
    created_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Made on or before this day (UTC)."
    )


def warehouse_filter_of(value: WarehouseFilter | None) -> service.WarehouseFilter:
    data = input_to_dict(value) if value else {}
    return service.WarehouseFilter(is_default=data.get("isDefault"), search=data.get("search"))


def stock_move_filter_of(value: StockMoveFilter | None) -> service.StockMoveFilter:
    data = input_to_dict(value) if value else {}
    return service.StockMoveFilter(
        warehouse_id=id_filter(data.get("warehouseId"), "Warehouse"),
        item_id=id_filter(data.get("itemId"), "Item"),
        variant_id=id_filter(data.get("variantId"), "ItemVariant"),
        reason=enum_value(data.get("reason")),
        source_type=enum_value(data.get("sourceType")),
        source_id=data.get("sourceId"),
        created_from=data.get("createdFrom"),
        created_to=data.get("createdTo"),
    )


def transfer_filter_of(value: StockDocumentFilter | None) -> service.StockTransferFilter:
    data = input_to_dict(value) if value else {}
    return service.StockTransferFilter(
        warehouse_id=id_filter(data.get("warehouseId"), "Warehouse"),
        created_from=data.get("createdFrom"),
        created_to=data.get("createdTo"),
    )


def adjustment_filter_of(value: StockDocumentFilter | None) -> service.StockAdjustmentFilter:
    data = input_to_dict(value) if value else {}
    return service.StockAdjustmentFilter(
        warehouse_id=id_filter(data.get("warehouseId"), "Warehouse"),
        created_from=data.get("createdFrom"),
        created_to=data.get("createdTo"),
    )


def warehouse_order_of(value: WarehouseOrder | None) -> tuple[str, str]:
    return order_of(value, WarehouseOrder)


def stock_move_order_of(value: StockMoveOrder | None) -> tuple[str, str]:
    return order_of(value, StockMoveOrder)


def stock_document_order_of(value: StockDocumentOrder | None) -> tuple[str, str]:
    return order_of(value, StockDocumentOrder)


def _moves_by(fk: str) -> EdgeConnection:
    return EdgeConnection(
        StockMove,
        fk,
        stock_move_filter_of,
        stock_move_order_of,
        service.STOCK_MOVE_ORDER_COLUMNS,
        module=MODULE,
    )


# A transfer's or adjustment's moves are those whose source_id is its id (ids are
# unique across tables, so the source type need not be matched too).
SOURCE_MOVES = _moves_by("source_id")
WAREHOUSE_MOVES = _moves_by("warehouse_id")


def _moves_field(edge: EdgeConnection, description: str) -> Any:
    return connection_edge(
        edge, MOVES, filter=StockMoveFilter, order=StockMoveOrder, description=description
    )


# --- nodes ----------------------------------------------------------------------------------


@node_type(
    name="StockLevel",
    model=StockLevel,
    load=load_with(StockLevelByIdLoader),
    module=MODULE,
    description="How much of an item (or one of its variants) a warehouse holds: the sum "
    "of the stock moves there.",
)
class StockLevelNode(Node):
    quantity: Decimal = strawberry.field(description="On hand; negative only where allowed.")
    updated_at: datetime
    warehouse: Annotated[WarehouseNode, _THIS_MODULE] = to_one(WarehouseByIdLoader, "warehouse_id")
    item: ItemNode = to_one(ItemByIdLoader, "item_id")
    variant: ItemVariantNode | None = to_one(ItemVariantByIdLoader, "variant_id")


@node_type(
    name="Warehouse",
    model=Warehouse,
    load=load_with(WarehouseByIdLoader),
    module=MODULE,
    description="A place stock is kept. A company has exactly one default warehouse, "
    "where invoices and bills move their stock.",
)
class WarehouseNode(Node):
    name: str
    address: str | None
    code: str | None
    is_default: bool
    created_at: datetime
    updated_at: datetime
    stock: list[StockLevelNode] = to_many(
        StockLevelsByWarehouseLoader, description="What it holds, per item and variant."
    )
    moves: Annotated[StockMoveConnection, _THIS_MODULE] = _moves_field(
        WAREHOUSE_MOVES, "The stock moves in and out of it, latest first."
    )


@node_type(
    name="StockMove",
    model=StockMove,
    load=load_with(StockMoveByIdLoader),
    module=MODULE,
    description="One signed change of stock; never changed or deleted (a mistake is "
    "corrected by another move).",
)
class StockMoveNode(Node):
    quantity: Decimal = strawberry.field(description="Positive into stock, negative out.")
    reason: MoveReasonEnum  # type: ignore[valid-type]
    source_type: SourceTypeEnum  # type: ignore[valid-type]
    source_id: str | None = strawberry.field(
        description="The object id of what wrote it (a document, transfer, adjustment, "
        "point-of-sale order; Relay: node(id:) with that type's global id)."
    )
    created_at: datetime
    item: ItemNode = to_one(ItemByIdLoader, "item_id")
    variant: ItemVariantNode | None = to_one(ItemVariantByIdLoader, "variant_id")
    warehouse: WarehouseNode = to_one(WarehouseByIdLoader, "warehouse_id")
    created_by: UserType | None = python_only(
        _created_by, MEMBER, description="Who made it; null for a document's moves."
    )
    # Its source (sourceType says which one is set).
    document: DOCUMENT | None = to_one(
        DocumentByIdLoader, "source_id", description="The invoice or bill that moved it."
    )
    transfer: Annotated[StockTransferNode, _THIS_MODULE] | None = to_one(
        StockTransferByIdLoader, "source_id", description="The transfer that moved it."
    )
    adjustment: Annotated[StockAdjustmentNode, _THIS_MODULE] | None = to_one(
        StockAdjustmentByIdLoader, "source_id", description="The adjustment that moved it."
    )
    pos_order: POS_ORDER | None = to_one(
        PosOrderByIdLoader, "source_id", description="The point-of-sale order that sold it."
    )


@node_type(
    name="StockTransfer",
    model=StockTransfer,
    load=load_with(StockTransferByIdLoader),
    module=MODULE,
    description="Stock moved from one warehouse to another (two moves per line).",
)
class StockTransferNode(Node):
    notes: str | None
    created_at: datetime
    from_warehouse: WarehouseNode = to_one(WarehouseByIdLoader, "from_warehouse_id")
    to_warehouse: WarehouseNode = to_one(WarehouseByIdLoader, "to_warehouse_id")
    created_by: UserType | None = python_only(_created_by, MEMBER, description="Who made it.")
    moves: Annotated[StockMoveConnection, _THIS_MODULE] = _moves_field(
        SOURCE_MOVES, "Its moves: out of fromWarehouse and into toWarehouse."
    )


@node_type(
    name="StockAdjustment",
    model=StockAdjustment,
    load=load_with(StockAdjustmentByIdLoader),
    module=MODULE,
    description="Stock counted in or written off in one warehouse (one move per line).",
)
class StockAdjustmentNode(Node):
    reason: str | None
    created_at: datetime
    warehouse: WarehouseNode = to_one(WarehouseByIdLoader, "warehouse_id")
    created_by: UserType | None = python_only(_created_by, MEMBER, description="Who made it.")
    moves: Annotated[StockMoveConnection, _THIS_MODULE] = _moves_field(SOURCE_MOVES, "Its moves.")


@strawberry.type(name="WarehouseConnection")
class WarehouseConnection(Connection[WarehouseNode]):
    pass


@strawberry.type(name="StockMoveConnection")
class StockMoveConnection(Connection[StockMoveNode]):
    pass


@strawberry.type(name="StockTransferConnection")
class StockTransferConnection(Connection[StockTransferNode]):
    pass


@strawberry.type(name="StockAdjustmentConnection")
class StockAdjustmentConnection(Connection[StockAdjustmentNode]):
    pass


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="A warehouse's fields; on update, only the fields sent change.")
class WarehouseFieldsInput:
    address: str | None = strawberry.UNSET
    code: str | None = strawberry.field(default=strawberry.UNSET, description="Optional.")
    is_default: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="true: make it the company's default (the old default no longer is). "
        "The first warehouse is the default anyway.",
    )


@strawberry.input
class WarehouseCreateInput(WarehouseFieldsInput):
    name: str


@strawberry.input
class WarehouseUpdateInput(WarehouseFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input
class WarehouseIdInput:
    id: strawberry.ID


@strawberry.input(description="An item (or variant) and a quantity of it.")
class StockLineInput:
    item_id: strawberry.ID
    variant_id: strawberry.ID | None = strawberry.UNSET
    quantity: Decimal = strawberry.field(
        description="Transfers: more than zero. Adjustments: signed, found (+) or lost (-)."
    )


@strawberry.input(description="Stock from one warehouse to another (not the same one).")
class StockTransferCreateInput:
    from_warehouse_id: strawberry.ID
    to_warehouse_id: strawberry.ID
    notes: str | None = strawberry.UNSET
    items: list[StockLineInput]


@strawberry.input(description="Stock counted in or written off in one warehouse.")
class StockAdjustmentCreateInput:
    warehouse_id: strawberry.ID
    reason: str | None = strawberry.UNSET
    items: list[StockLineInput]


@strawberry.input
class InventorySettingsInput:
    allow_negative_stock: bool = strawberry.field(
        description="Let stock go below zero (sales of stock not booked in yet)."
    )


@strawberry.type
class WarehousePayload:
    warehouse: WarehouseNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WarehouseDeletePayload:
    deleted_warehouse_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StockTransferPayload:
    stock_transfer: StockTransferNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StockAdjustmentPayload:
    stock_adjustment: StockAdjustmentNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InventorySettingsPayload:
    allow_negative_stock: bool | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
