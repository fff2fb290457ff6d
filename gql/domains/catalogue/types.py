"""GraphQL types of the catalogue: categories, taxes, currencies, items and variants."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry

from gql.context import Context, Info
from gql.core.relay import Node, node_type
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

CategoryTypeEnum = strawberry.enum(CategoryType, name="CategoryType")
TaxTypeEnum = strawberry.enum(TaxType, name="TaxType")
ItemTypeEnum = strawberry.enum(ItemType, name="ItemType")


def _loader_fn(loader_class: Any) -> Any:
    async def load(ctx: Context, ids: list[str]) -> list[Any]:
        return await ctx.loaders.get(loader_class).load_many(ids)  # type: ignore[no-any-return]

    return load


@strawberry.type(description="An amount of money in a currency.")
class Money:
    amount: Decimal
    currency: str


@node_type(name="Category", model=Category, load=_loader_fn(CategoryByIdLoader))
class CategoryNode(Node):
    name: str
    type: CategoryTypeEnum  # type: ignore[valid-type]
    color: str | None
    enabled: bool
    created_at: datetime


@node_type(name="Tax", model=Tax, load=_loader_fn(TaxByIdLoader), description="A tax rate.")
class TaxNode(Node):
    name: str
    rate: Decimal = strawberry.field(description="A percentage: 20 means 20%.")
    type: TaxTypeEnum  # type: ignore[valid-type]
    enabled: bool
    created_at: datetime


@node_type(name="Currency", model=Currency, load=_loader_fn(CurrencyByIdLoader))
class CurrencyNode(Node):
    code: str
    name: str
    rate: Decimal = strawberry.field(description="Units of this currency per one unit of the base currency.")
    symbol: str | None
    precision: int
    enabled: bool
    created_at: datetime


@node_type(name="ItemVariant", model=ItemVariant, load=_loader_fn(ItemVariantByIdLoader))
class ItemVariantNode(Node):
    name: str
    sku: str | None
    barcode: str | None
    sale_price: Decimal | None
    purchase_price: Decimal | None
    enabled: bool

    @strawberry.field
    async def item(self: Any, info: Info) -> ItemNode | None:
        return await info.context.loaders.get(ItemByIdLoader).load(self.item_id)  # type: ignore[no-any-return]


@node_type(name="Item", model=Item, load=_loader_fn(ItemByIdLoader), description="A product or service.")
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

    @strawberry.field
    async def category(self: Any, info: Info) -> CategoryNode | None:
        if self.category_id is None:
            return None
        return await info.context.loaders.get(CategoryByIdLoader).load(self.category_id)  # type: ignore[no-any-return]

    @strawberry.field
    async def tax(self: Any, info: Info) -> TaxNode | None:
        if self.tax_id is None:
            return None
        return await info.context.loaders.get(TaxByIdLoader).load(self.tax_id)  # type: ignore[no-any-return]

    @strawberry.field
    async def variants(self: Any, info: Info) -> list[ItemVariantNode]:
        return await info.context.loaders.get(ItemVariantsByItemIdLoader).load(self.id)  # type: ignore[no-any-return]
