"""Query and Mutation fields of the catalogue: categories, taxes, currencies, items and
their variants (core: no module)."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from gql.auth.permissions import READ, WRITE
from gql.context import Info
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.inputs import input_to_dict
from gql.core.mutations import delete_mutation, save_mutation
from gql.domains.catalogue import service
from gql.domains.catalogue.models import Category, Currency, Item, Tax
from gql.domains.catalogue.types import (
    CategoryConnection,
    CategoryCreateInput,
    CategoryDeleteInput,
    CategoryDeletePayload,
    CategoryFilter,
    CategoryNode,
    CategoryOrder,
    CategoryPayload,
    CategoryUpdateInput,
    CurrencyConnection,
    CurrencyCreateInput,
    CurrencyDeleteInput,
    CurrencyDeletePayload,
    CurrencyFilter,
    CurrencyNode,
    CurrencyOrder,
    CurrencyPayload,
    CurrencyUpdateInput,
    ItemConnection,
    ItemCreateInput,
    ItemDeleteInput,
    ItemDeletePayload,
    ItemFilter,
    ItemNode,
    ItemOrder,
    ItemPayload,
    ItemUpdateInput,
    ItemVariantCreateInput,
    ItemVariantDeleteInput,
    ItemVariantDeletePayload,
    ItemVariantPayload,
    ItemVariantUpdateInput,
    TaxConnection,
    TaxCreateInput,
    TaxDeleteInput,
    TaxDeletePayload,
    TaxFilter,
    TaxNode,
    TaxOrder,
    TaxPayload,
    TaxUpdateInput,
    category_filter_of,
    category_order_of,
    currency_filter_of,
    currency_order_of,
    item_filter_of,
    item_order_of,
    tax_filter_of,
    tax_order_of,
)

P = TypeVar("P")


def _split_id(input: Any) -> tuple[str, dict[str, Any]]:
    data = input_to_dict(input)
    return data.pop("id"), data


CATEGORIES = RootConnection(
    Category, category_filter_of, category_order_of, service.CATEGORY_ORDER_COLUMNS
)
TAXES = RootConnection(Tax, tax_filter_of, tax_order_of, service.TAX_ORDER_COLUMNS)
CURRENCIES = RootConnection(
    Currency, currency_filter_of, currency_order_of, service.CURRENCY_ORDER_COLUMNS
)
ITEMS = RootConnection(Item, item_filter_of, item_order_of, service.ITEM_ORDER_COLUMNS)


@strawberry.type
class Query:
    category: CategoryNode | None = root_get(
        Category,
        "Category",
        permission_classes=READ,
        description="A category by id; null with NOT_FOUND when there is none.",
    )

    categories: CategoryConnection = root_connection(
        CATEGORIES,
        CategoryConnection,
        filter=CategoryFilter,
        order=CategoryOrder,
        permission_classes=READ,
        description="Income, expense and item categories.",
    )

    tax: TaxNode | None = root_get(
        Tax,
        "Tax",
        permission_classes=READ,
        description="A tax by id; null with NOT_FOUND when there is none.",
    )

    taxes: TaxConnection = root_connection(
        TAXES,
        TaxConnection,
        filter=TaxFilter,
        order=TaxOrder,
        permission_classes=READ,
        description="Tax rates applied to lines.",
    )

    currency: CurrencyNode | None = root_get(
        Currency,
        "Currency",
        permission_classes=READ,
        description="A currency by id; null with NOT_FOUND when there is none.",
    )

    currencies: CurrencyConnection = root_connection(
        CURRENCIES,
        CurrencyConnection,
        filter=CurrencyFilter,
        order=CurrencyOrder,
        permission_classes=READ,
        description="The currencies the company deals in.",
    )

    item: ItemNode | None = root_get(
        Item,
        "Item",
        permission_classes=READ,
        description="An item by id; null with NOT_FOUND when there is none.",
    )

    items: ItemConnection = root_connection(
        ITEMS,
        ItemConnection,
        filter=ItemFilter,
        order=ItemOrder,
        permission_classes=READ,
        description="Products and services.",
    )


@strawberry.type
class Mutation:
    # --- categories ---

    @strawberry.mutation(permission_classes=WRITE)
    async def category_create(self, info: Info, input: CategoryCreateInput) -> CategoryPayload:
        session = info.context.session
        return await save_mutation(
            session,
            CategoryPayload,
            "category",
            lambda: service.create_category(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(permission_classes=WRITE)
    async def category_update(self, info: Info, input: CategoryUpdateInput) -> CategoryPayload:
        session = info.context.session
        id, data = _split_id(input)
        return await save_mutation(
            session,
            CategoryPayload,
            "category",
            lambda: service.update_category(session=session, id=id, data=data),
        )

    @strawberry.mutation(description="Delete a category no item uses.", permission_classes=WRITE)
    async def category_delete(
        self, info: Info, input: CategoryDeleteInput
    ) -> CategoryDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            CategoryDeletePayload,
            "deleted_category_id",
            lambda: service.delete_category(session=session, id=input.id),
        )

    # --- taxes ---

    @strawberry.mutation(permission_classes=WRITE)
    async def tax_create(self, info: Info, input: TaxCreateInput) -> TaxPayload:
        session = info.context.session
        return await save_mutation(
            session,
            TaxPayload,
            "tax",
            lambda: service.create_tax(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Change a tax. Documents already written keep the rate they were written with.",
        permission_classes=WRITE,
    )
    async def tax_update(self, info: Info, input: TaxUpdateInput) -> TaxPayload:
        session = info.context.session
        id, data = _split_id(input)
        return await save_mutation(
            session,
            TaxPayload,
            "tax",
            lambda: service.update_tax(session=session, id=id, data=data),
        )

    @strawberry.mutation(
        description="Delete a tax no item or document line uses.", permission_classes=WRITE
    )
    async def tax_delete(self, info: Info, input: TaxDeleteInput) -> TaxDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            TaxDeletePayload,
            "deleted_tax_id",
            lambda: service.delete_tax(session=session, id=input.id),
        )

    # --- currencies ---

    @strawberry.mutation(permission_classes=WRITE)
    async def currency_create(self, info: Info, input: CurrencyCreateInput) -> CurrencyPayload:
        session = info.context.session
        return await save_mutation(
            session,
            CurrencyPayload,
            "currency",
            lambda: service.create_currency(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Change a currency. The base currency keeps its code and a rate of 1.",
        permission_classes=WRITE,
    )
    async def currency_update(self, info: Info, input: CurrencyUpdateInput) -> CurrencyPayload:
        session = info.context.session
        id, data = _split_id(input)
        return await save_mutation(
            session,
            CurrencyPayload,
            "currency",
            lambda: service.update_currency(session=session, id=id, data=data),
        )

    @strawberry.mutation(
        description="Delete a currency no document or contact uses; never the base currency.",
        permission_classes=WRITE,
    )
    async def currency_delete(
        self, info: Info, input: CurrencyDeleteInput
    ) -> CurrencyDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            CurrencyDeletePayload,
            "deleted_currency_id",
            lambda: service.delete_currency(session=session, id=input.id),
        )

    # --- items ---

    @strawberry.mutation(description="Create an item, with its variants.", permission_classes=WRITE)
    async def item_create(self, info: Info, input: ItemCreateInput) -> ItemPayload:
        session = info.context.session
        return await save_mutation(
            session,
            ItemPayload,
            "item",
            lambda: service.create_item(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Change an item's fields; its variants change through itemVariant mutations.",
        permission_classes=WRITE,
    )
    async def item_update(self, info: Info, input: ItemUpdateInput) -> ItemPayload:
        session = info.context.session
        id, data = _split_id(input)
        return await save_mutation(
            session,
            ItemPayload,
            "item",
            lambda: service.update_item(session=session, id=id, data=data),
        )

    @strawberry.mutation(
        description="Delete an item and its variants, unless a document line uses them.",
        permission_classes=WRITE,
    )
    async def item_delete(self, info: Info, input: ItemDeleteInput) -> ItemDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            ItemDeletePayload,
            "deleted_item_id",
            lambda: service.delete_item(session=session, id=input.id),
        )

    # --- item variants ---

    @strawberry.mutation(description="Add a variant to an item.", permission_classes=WRITE)
    async def item_variant_create(
        self, info: Info, input: ItemVariantCreateInput
    ) -> ItemVariantPayload:
        session = info.context.session
        return await save_mutation(
            session,
            ItemVariantPayload,
            "item_variant",
            lambda: service.create_item_variant(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(permission_classes=WRITE)
    async def item_variant_update(
        self, info: Info, input: ItemVariantUpdateInput
    ) -> ItemVariantPayload:
        session = info.context.session
        id, data = _split_id(input)
        return await save_mutation(
            session,
            ItemVariantPayload,
            "item_variant",
            lambda: service.update_item_variant(session=session, id=id, data=data),
        )

    @strawberry.mutation(
        description="Delete a variant no document line uses.", permission_classes=WRITE
    )
    async def item_variant_delete(
        self, info: Info, input: ItemVariantDeleteInput
    ) -> ItemVariantDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            ItemVariantDeletePayload,
            "deleted_item_variant_id",
            lambda: service.delete_item_variant(session=session, id=input.id),
        )
