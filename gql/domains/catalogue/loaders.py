"""Catalogue loaders."""

from __future__ import annotations

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
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
