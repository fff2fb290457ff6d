"""Query and Mutation fields of the catalogue: categories, taxes, currencies, items and
their variants (core: no module)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import READ, WRITE
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
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

    category_create = mutation(
        input=CategoryCreateInput,
        payload=CategoryPayload,
        field="category",
        run=service.create_category,
        permission=WRITE,
    )

    category_update = mutation(
        input=CategoryUpdateInput,
        payload=CategoryPayload,
        field="category",
        run=service.update_category,
        permission=WRITE,
    )

    category_delete = mutation(
        input=CategoryDeleteInput,
        payload=CategoryDeletePayload,
        field="deleted_category_id",
        returns="deleted_id",
        run=service.delete_category,
        permission=WRITE,
        description="Delete a category no item uses.",
    )

    # --- taxes ---

    tax_create = mutation(
        input=TaxCreateInput,
        payload=TaxPayload,
        field="tax",
        run=service.create_tax,
        permission=WRITE,
    )

    tax_update = mutation(
        input=TaxUpdateInput,
        payload=TaxPayload,
        field="tax",
        run=service.update_tax,
        permission=WRITE,
        description="Change a tax. Documents already written keep the rate they were written with.",
    )

    tax_delete = mutation(
        input=TaxDeleteInput,
        payload=TaxDeletePayload,
        field="deleted_tax_id",
        returns="deleted_id",
        run=service.delete_tax,
        permission=WRITE,
        description="Delete a tax no item or document line uses.",
    )

    # --- currencies ---

    currency_create = mutation(
        input=CurrencyCreateInput,
        payload=CurrencyPayload,
        field="currency",
        run=service.create_currency,
        permission=WRITE,
    )

    currency_update = mutation(
        input=CurrencyUpdateInput,
        payload=CurrencyPayload,
        field="currency",
        run=service.update_currency,
        permission=WRITE,
        description="Change a currency. The base currency keeps its code and a rate of 1.",
    )

    currency_delete = mutation(
        input=CurrencyDeleteInput,
        payload=CurrencyDeletePayload,
        field="deleted_currency_id",
        returns="deleted_id",
        run=service.delete_currency,
        permission=WRITE,
        description="Delete a currency no document or contact uses; never the base currency.",
    )

    # --- items ---

    item_create = mutation(
        input=ItemCreateInput,
        payload=ItemPayload,
        field="item",
        run=service.create_item,
        permission=WRITE,
        description="Create an item, with its variants.",
    )

    item_update = mutation(
        input=ItemUpdateInput,
        payload=ItemPayload,
        field="item",
        run=service.update_item,
        permission=WRITE,
        description="Change an item's fields; its variants change through itemVariant mutations.",
    )

    item_delete = mutation(
        input=ItemDeleteInput,
        payload=ItemDeletePayload,
        field="deleted_item_id",
        returns="deleted_id",
        run=service.delete_item,
        permission=WRITE,
        description="Delete an item and its variants, unless a document line uses them.",
    )

    # --- item variants ---

    item_variant_create = mutation(
        input=ItemVariantCreateInput,
        payload=ItemVariantPayload,
        field="item_variant",
        run=service.create_item_variant,
        permission=WRITE,
        description="Add a variant to an item.",
    )

    item_variant_update = mutation(
        input=ItemVariantUpdateInput,
        payload=ItemVariantPayload,
        field="item_variant",
        run=service.update_item_variant,
        permission=WRITE,
    )

    item_variant_delete = mutation(
        input=ItemVariantDeleteInput,
        payload=ItemVariantDeletePayload,
        field="deleted_item_variant_id",
        returns="deleted_id",
        run=service.delete_item_variant,
        permission=WRITE,
        description="Delete a variant no document line uses.",
    )
