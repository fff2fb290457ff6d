"""Catalogue loaders."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, cast

from sqlalchemy import ColumnElement

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader, PageByForeignKeyLoader
from gql.core.ordering import order_clauses
from gql.domains.catalogue.models import Category, Currency, Item, ItemVariant, Tax


class CategoryByIdLoader(ByIdLoader[Category]):
    model = Category


class TaxByIdLoader(ByIdLoader[Tax]):
    model = Tax


class CurrencyByIdLoader(ByIdLoader[Currency]):
    model = Currency


class ItemByIdLoader(ByIdLoader[Item]):
    model = Item


class ItemVariantByIdLoader(ByIdLoader[ItemVariant]):
    model = ItemVariant


class ItemVariantsByItemIdLoader(ByForeignKeyLoader[ItemVariant]):
    model = ItemVariant
    foreign_key = "item_id"
    order_by = ("name", "id")


class ItemPageByCategoryIdLoader(PageByForeignKeyLoader[Item]):
    """Category.items: keys are (category id, PageArgs, ItemFilter, (field, direction))."""

    model = Item
    foreign_key = "category_id"

    def conditions(self, where_key: Hashable) -> list[ColumnElement[bool]]:
        return where_key.conditions()  # type: ignore[attr-defined,no-any-return]

    def ordering(self, order_key: Hashable) -> list[ColumnElement[Any]]:
        from gql.domains.catalogue.service import ITEM_ORDER_COLUMNS

        field, direction = cast(tuple[str, str], order_key)
        return order_clauses(Item, ITEM_ORDER_COLUMNS[field], direction)
