"""The catalogue: categories, taxes, currencies, items and their variants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, money_field


class CategoryType(str, Enum):
    INCOME = "income"
    EXPENSE = "expense"
    ITEM = "item"
    OTHER = "other"


class TaxType(str, Enum):
    NORMAL = "normal"
    WITHHOLDING = "withholding"  # deducted from the total instead of added


class ItemType(str, Enum):
    PRODUCT = "product"
    SERVICE = "service"
    APPOINTMENT = "appointment"  # booked time (Forbix): sold like a service, never stocked


class Category(Versioned, TenantOwned, table=True):
    name: str = Field(max_length=200)
    type: str = Field(default=CategoryType.OTHER.value, max_length=20, index=True)
    color: str | None = Field(default=None, max_length=20)
    enabled: bool = True


class Tax(Versioned, TenantOwned, table=True):
    name: str = Field(max_length=200)
    rate: Decimal = money_field(scale=4)  # a percentage: 20 means 20%
    type: str = Field(default=TaxType.NORMAL.value, max_length=20)
    enabled: bool = True


class Currency(Versioned, TenantOwned, table=True):
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    code: str = Field(max_length=3)
    name: str = Field(max_length=100)
    rate: Decimal = money_field(Decimal("1"), scale=8)  # units per one base-currency unit
    symbol: str | None = Field(default=None, max_length=10)
    precision: int = 2
    enabled: bool = True


class Item(Versioned, TenantOwned, table=True):
    __table_args__ = (UniqueConstraint("company_id", "sku"),)

    type: str = Field(default=ItemType.PRODUCT.value, max_length=20)
    name: str = Field(max_length=200, index=True)
    sku: str | None = Field(default=None, max_length=100)
    barcode: str | None = Field(default=None, max_length=100, index=True)
    description: str | None = Field(default=None, max_length=5000)
    sale_price: Decimal | None = money_field(None, scale=4)
    purchase_price: Decimal | None = money_field(None, scale=4)
    unit: str | None = Field(default=None, max_length=30)
    category_id: str | None = Field(
        default=None, foreign_key="category.id", max_length=24, index=True
    )
    tax_id: str | None = Field(default=None, foreign_key="tax.id", max_length=24, index=True)
    enabled: bool = True
    # Inventory: stock on hand (all warehouses) below this is low stock; none: no alert.
    min_stock_alert: Decimal | None = money_field(None, scale=4)
    # What the Forbix Open-API keeps of an item beside the above (also in the graph).
    gov_id: str | None = Field(default=None, max_length=100)  # the tax authority's id
    barcode_type: str | None = Field(default=None, max_length=30)  # EAN-13, QR, ...
    barcode_url: str | None = Field(default=None, max_length=500)
    image_url: str | None = Field(default=None, max_length=500)
    images: list[str] = Field(default_factory=list, sa_type=JSON)
    attachments: list[str] = Field(default_factory=list, sa_type=JSON)
    catalog_description: str | None = Field(default=None, max_length=5000)
    sub_category: str | None = Field(default=None, max_length=200)
    discount_rate: Decimal | None = money_field(None, scale=4)  # a percentage
    discount_amount: Decimal | None = money_field(None, scale=4)
    opening_stock_date: date | None = None
    internal_use_only: bool = False  # not for sale
    hide_in_catalog: bool = False
    appointment_plans: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)


class ItemVariant(Versioned, TenantOwned, table=True):
    __tablename__ = "item_variant"

    item_id: str = Field(foreign_key="item.id", index=True, max_length=24)
    name: str = Field(max_length=200)
    sku: str | None = Field(default=None, max_length=100)
    barcode: str | None = Field(default=None, max_length=100)
    sale_price: Decimal | None = money_field(None, scale=4)
    purchase_price: Decimal | None = money_field(None, scale=4)
    enabled: bool = True
    # Forbix's `variantInfo` ({"color": "Red", "size": "M"}); the name joins its values.
    attributes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    barcode_type: str | None = Field(default=None, max_length=30)
    discount_rate: Decimal | None = money_field(None, scale=4)
    discount_amount: Decimal | None = money_field(None, scale=4)
