"""GraphQL types of the catalogue: categories, taxes, currencies, items and variants."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from gql.core.filter_values import enum_value, order_of
from gql.core.graph import EdgeConnection, computed, connection_edge, to_many, to_one
from gql.core.ids import decode_id
from gql.core.inputs import input_to_dict
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.audit.types import AuditEventConnection, audit_events_edge
from gql.domains.catalogue import service
from gql.domains.catalogue.loaders import (
    CategoryByIdLoader,
    CurrencyByIdLoader,
    ItemByIdLoader,
    ItemVariantByIdLoader,
    ItemVariantsByItemIdLoader,
    TaxByIdLoader,
)
from gql.domains.catalogue.models import (
    Category,
    CategoryType,
    Currency,
    Item,
    ItemType,
    ItemVariant,
    Tax,
    TaxType,
)
from gql.domains.inventory.computed import LOW_STOCK, ON_HAND
from gql.domains.inventory.loaders import StockLevelsByItemLoader

if TYPE_CHECKING:
    from gql.domains.inventory.types import StockLevelNode

CategoryTypeEnum = strawberry.enum(CategoryType, name="CategoryType")
TaxTypeEnum = strawberry.enum(TaxType, name="TaxType")
ItemTypeEnum = strawberry.enum(ItemType, name="ItemType")


# Category.items names types declared further down this module.
_THIS_MODULE = strawberry.lazy("gql.domains.catalogue.types")
# Item.stock: inventory's types import these.
_INVENTORY_TYPES = strawberry.lazy("gql.domains.inventory.types")


@node_type(name="Category", model=Category, load=load_with(CategoryByIdLoader))
class CategoryNode(Node):
    name: str
    type: CategoryTypeEnum  # type: ignore[valid-type]
    color: str | None
    enabled: bool
    created_at: datetime

    items: Annotated[ItemConnection, _THIS_MODULE] = connection_edge(
        EdgeConnection(
            Item,
            "category_id",
            filter_of=lambda value: item_filter_of(value),
            order_of=lambda value: item_order_of(value),
            order_columns=service.ITEM_ORDER_COLUMNS,
        ),
        Annotated["ItemConnection", _THIS_MODULE],
        filter=Annotated["ItemFilter", _THIS_MODULE],
        order=Annotated["ItemOrder", _THIS_MODULE],
        description="The items in this category.",
    )


@node_type(name="Tax", model=Tax, load=load_with(TaxByIdLoader), description="A tax rate.")
class TaxNode(Node):
    name: str
    rate: Decimal = strawberry.field(description="A percentage: 20 means 20%.")
    type: TaxTypeEnum  # type: ignore[valid-type]
    enabled: bool
    created_at: datetime


@node_type(name="Currency", model=Currency, load=load_with(CurrencyByIdLoader))
class CurrencyNode(Node):
    code: str
    name: str
    rate: Decimal = strawberry.field(
        description="Units of this currency per one unit of the base currency."
    )
    symbol: str | None
    precision: int
    enabled: bool
    created_at: datetime


@strawberry.type(description="One attribute of a variant (color: Red).")
class VariantAttribute:
    name: str
    value: str


@node_type(name="ItemVariant", model=ItemVariant, load=load_with(ItemVariantByIdLoader))
class ItemVariantNode(Node):
    name: str
    sku: str | None
    barcode: str | None
    barcode_type: str | None
    sale_price: Decimal | None
    purchase_price: Decimal | None
    discount_rate: Decimal | None = strawberry.field(description="A percentage.")
    discount_amount: Decimal | None
    enabled: bool
    attributes: list[VariantAttribute] = strawberry.field(
        resolver=lambda root: [
            VariantAttribute(name=k, value=str(v)) for k, v in (root.attributes or {}).items()
        ],
        description="What tells it from the item's other variants (its name joins the values).",
    )
    item: ItemNode | None = to_one(ItemByIdLoader, "item_id")


@node_type(
    name="Item", model=Item, load=load_with(ItemByIdLoader), description="A product or service."
)
class ItemNode(Node):
    type: ItemTypeEnum  # type: ignore[valid-type]
    name: str
    sku: str | None
    barcode: str | None
    description: str | None
    sale_price: Decimal | None
    purchase_price: Decimal | None
    unit: str | None
    enabled: bool
    created_at: datetime
    updated_at: datetime
    gov_id: str | None = strawberry.field(description="The tax authority's id of the item.")
    barcode_type: str | None = strawberry.field(description="EAN-13, QR, ...")
    barcode_url: str | None
    image_url: str | None
    images: list[str]
    attachments: list[str]
    catalog_description: str | None
    sub_category: str | None = strawberry.field(description="Within its category.")
    discount_rate: Decimal | None = strawberry.field(description="A percentage.")
    discount_amount: Decimal | None
    opening_stock_date: date | None
    internal_use_only: bool = strawberry.field(description="Not for sale.")
    hide_in_catalog: bool
    category: CategoryNode | None = to_one(CategoryByIdLoader, "category_id")
    tax: TaxNode | None = to_one(
        TaxByIdLoader, "tax_id", description="The tax document lines use by default."
    )
    variants: list[ItemVariantNode] = to_many(ItemVariantsByItemIdLoader)
    # inventory
    min_stock_alert: Decimal | None = strawberry.field(
        description="Stock on hand (all warehouses) below this is low stock; null: no alert."
    )
    stock_on_hand: Decimal = computed(
        ON_HAND, description="Stock in every warehouse (module: inventory's moves)."
    )
    low_stock: bool = computed(
        LOW_STOCK, description="stockOnHand is below minStockAlert (false without one)."
    )
    stock: list[Annotated[StockLevelNode, _INVENTORY_TYPES]] = to_many(
        StockLevelsByItemLoader,
        description="Stock on hand per warehouse (and variant); module: inventory.",
    )
    audit_events: AuditEventConnection = audit_events_edge()


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="CategoryConnection")
class CategoryConnection(Connection[CategoryNode]):
    pass


@strawberry.type(name="TaxConnection")
class TaxConnection(Connection[TaxNode]):
    pass


@strawberry.type(name="CurrencyConnection")
class CurrencyConnection(Connection[CurrencyNode]):
    pass


@strawberry.type(name="ItemConnection")
class ItemConnection(Connection[ItemNode]):
    pass


@strawberry.enum(description="What categories can be sorted by.")
class CategoryOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort categories.")
class CategoryOrder:
    field: CategoryOrderField = CategoryOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.enum(description="What taxes can be sorted by.")
class TaxOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort taxes.")
class TaxOrder:
    field: TaxOrderField = TaxOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.enum(description="What currencies can be sorted by.")
class CurrencyOrderField(Enum):
    CODE = "code"
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort currencies.")
class CurrencyOrder:
    field: CurrencyOrderField = CurrencyOrderField.CODE
    direction: OrderDirection = OrderDirection.ASC


@strawberry.enum(description="What items can be sorted by.")
class ItemOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="How to sort items.")
class ItemOrder:
    field: ItemOrderField = ItemOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which categories to list; all conditions must hold.")
class CategoryFilter:
    type: CategoryTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    enabled: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.input(description="Which taxes to list; all conditions must hold.")
class TaxFilter:
    type: TaxTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    enabled: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.input(description="Which currencies to list; all conditions must hold.")
class CurrencyFilter:
    enabled: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the code or name."
    )


@strawberry.input(description="Which items to list; all conditions must hold.")
class ItemFilter:
    type: ItemTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    enabled: bool | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name, SKU or barcode."
    )
    low_stock: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Below its minimum stock alert (or not)."
    )


def category_filter_of(value: CategoryFilter | None) -> service.CategoryFilter:
    data = input_to_dict(value) if value else {}
    return service.CategoryFilter(
        type=enum_value(data.get("type")), enabled=data.get("enabled"), search=data.get("search")
    )


def tax_filter_of(value: TaxFilter | None) -> service.TaxFilter:
    data = input_to_dict(value) if value else {}
    return service.TaxFilter(
        type=enum_value(data.get("type")), enabled=data.get("enabled"), search=data.get("search")
    )


def currency_filter_of(value: CurrencyFilter | None) -> service.CurrencyFilter:
    data = input_to_dict(value) if value else {}
    return service.CurrencyFilter(enabled=data.get("enabled"), search=data.get("search"))


def item_filter_of(value: ItemFilter | None) -> service.ItemFilter:
    data = input_to_dict(value) if value else {}
    category = data.get("categoryId")
    return service.ItemFilter(
        type=enum_value(data.get("type")),
        enabled=data.get("enabled"),
        # An id that is not a category's matches nothing, like another company's.
        category_id=(decode_id(category, "Category") or "-") if category else None,
        search=data.get("search"),
        low_stock=data.get("lowStock"),
    )


def category_order_of(value: CategoryOrder | None) -> tuple[str, str]:
    return order_of(value, CategoryOrder)


def tax_order_of(value: TaxOrder | None) -> tuple[str, str]:
    return order_of(value, TaxOrder)


def currency_order_of(value: CurrencyOrder | None) -> tuple[str, str]:
    return order_of(value, CurrencyOrder)


def item_order_of(value: ItemOrder | None) -> tuple[str, str]:
    return order_of(value, ItemOrder)


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="A category's fields; on update, only the fields sent change.")
class CategoryFieldsInput:
    color: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class CategoryCreateInput(CategoryFieldsInput):
    name: str
    type: CategoryTypeEnum  # type: ignore[valid-type]


@strawberry.input
class CategoryUpdateInput(CategoryFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    type: CategoryTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]


@strawberry.input
class CategoryDeleteInput:
    id: strawberry.ID


@strawberry.type
class CategoryPayload:
    category: CategoryNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CategoryDeletePayload:
    deleted_category_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="A tax's fields; on update, only the fields sent change.")
class TaxFieldsInput:
    type: TaxTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class TaxCreateInput(TaxFieldsInput):
    name: str
    rate: Decimal = strawberry.field(description="A percentage from 0 to 100: 20 means 20%.")


@strawberry.input
class TaxUpdateInput(TaxFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Documents already written keep their rate."
    )


@strawberry.input
class TaxDeleteInput:
    id: strawberry.ID


@strawberry.type
class TaxPayload:
    tax: TaxNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TaxDeletePayload:
    deleted_tax_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="A currency's fields; on update, only the fields sent change.")
class CurrencyFieldsInput:
    rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Units of this currency per one unit of the base currency (always 1 for it).",
    )
    symbol: str | None = strawberry.UNSET
    precision: int | None = strawberry.field(
        default=strawberry.UNSET, description="Decimal places, 0 to 6."
    )
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class CurrencyCreateInput(CurrencyFieldsInput):
    code: str = strawberry.field(
        description="ISO 4217: three upper-case letters, unique in the company."
    )
    name: str


@strawberry.input
class CurrencyUpdateInput(CurrencyFieldsInput):
    id: strawberry.ID
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET


@strawberry.input
class CurrencyDeleteInput:
    id: strawberry.ID


@strawberry.type
class CurrencyPayload:
    currency: CurrencyNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CurrencyDeletePayload:
    deleted_currency_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="A variant's fields; on update, only the fields sent change.")
class ItemVariantFieldsInput:
    sku: str | None = strawberry.field(
        default=strawberry.UNSET, description="Unique among the company's items and variants."
    )
    barcode: str | None = strawberry.UNSET
    sale_price: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Null: the item's sale price."
    )
    purchase_price: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Null: the item's purchase price."
    )
    enabled: bool | None = strawberry.UNSET
    barcode_type: str | None = strawberry.UNSET
    discount_rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="A percentage."
    )
    discount_amount: Decimal | None = strawberry.UNSET


@strawberry.input(description="A variant created together with its item.")
class ItemVariantInput(ItemVariantFieldsInput):
    name: str = strawberry.field(description="Unique among the item's variants.")


@strawberry.input
class ItemVariantCreateInput(ItemVariantFieldsInput):
    item_id: strawberry.ID
    name: str = strawberry.field(description="Unique among the item's variants.")


@strawberry.input
class ItemVariantUpdateInput(ItemVariantFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input
class ItemVariantDeleteInput:
    id: strawberry.ID


@strawberry.type
class ItemVariantPayload:
    item_variant: ItemVariantNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ItemVariantDeletePayload:
    deleted_item_variant_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="An item's fields; on update, only the fields sent change.")
class ItemFieldsInput:
    type: ItemTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    sku: str | None = strawberry.field(
        default=strawberry.UNSET, description="Unique among the company's items and variants."
    )
    barcode: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    sale_price: Decimal | None = strawberry.UNSET
    purchase_price: Decimal | None = strawberry.UNSET
    unit: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    tax_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The tax document lines use by default."
    )
    enabled: bool | None = strawberry.UNSET
    min_stock_alert: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Low stock below this; null: no alert."
    )
    gov_id: str | None = strawberry.UNSET
    barcode_type: str | None = strawberry.UNSET
    barcode_url: str | None = strawberry.UNSET
    image_url: str | None = strawberry.UNSET
    images: list[str] | None = strawberry.UNSET
    attachments: list[str] | None = strawberry.UNSET
    catalog_description: str | None = strawberry.UNSET
    sub_category: str | None = strawberry.UNSET
    discount_rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="A percentage."
    )
    discount_amount: Decimal | None = strawberry.UNSET
    opening_stock_date: date | None = strawberry.UNSET
    internal_use_only: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Not for sale."
    )
    hide_in_catalog: bool | None = strawberry.UNSET


@strawberry.input
class ItemCreateInput(ItemFieldsInput):
    name: str
    variants: list[ItemVariantInput] | None = strawberry.UNSET


@strawberry.input
class ItemUpdateInput(ItemFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input
class ItemDeleteInput:
    id: strawberry.ID


@strawberry.type
class ItemPayload:
    item: ItemNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ItemDeletePayload:
    deleted_item_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
