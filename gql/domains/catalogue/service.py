"""The catalogue: the rules for categories, taxes, currencies, items and their variants.

Every reference (an item's category or tax, a variant's item) is resolved inside the
tenant, so another company's id is simply "not found". Deleting something still in
use is refused with IN_USE: disabling it is the way to retire it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, field_validator
from sqlalchemy import ColumnElement, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.search import contains, contains_any
from gql.db.tenant import get_tenant
from gql.domains.banking.models import Account
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
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact
from gql.domains.documents.models import Document, DocumentLine
from gql.domains.inventory.computed import LOW_STOCK
from gql.domains.inventory.models import StockMove
from gql.tenancy import mapped_table

MAX_VARIANTS = 100
Price = Field(
    default=None, ge=0, max_digits=13, decimal_places=4
)  # < 10^9, as document lines allow
Name = Field(min_length=1, max_length=200)
OptionalName = Field(default=None, min_length=1, max_length=200)
Code = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, three upper-case letters")
Rate = Field(default=None, ge=0, le=100, decimal_places=4)  # a percentage
MAX_FILES = 50  # images or attachments of an item
ONE = Decimal("1")


# --- inputs ---------------------------------------------------------------------------------


class CategoryFields(InputModel):
    type: CategoryType | None = None
    color: str | None = Field(default=None, max_length=20)
    enabled: bool | None = None


class CategoryCreate(CategoryFields):
    name: str = Name
    type: CategoryType  # type: ignore[assignment]


class CategoryUpdate(CategoryFields):
    name: str | None = OptionalName


class TaxFields(InputModel):
    type: TaxType | None = None
    enabled: bool | None = None


class TaxCreate(TaxFields):
    name: str = Name
    rate: Decimal = Field(ge=0, le=100, decimal_places=4)


class TaxUpdate(TaxFields):
    name: str | None = OptionalName
    rate: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=4)


class CurrencyFields(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    rate: Decimal | None = Field(default=None, gt=0, max_digits=16, decimal_places=8)
    symbol: str | None = Field(default=None, max_length=10)
    precision: int | None = Field(default=None, ge=0, le=6)
    enabled: bool | None = None


class CurrencyCreate(CurrencyFields):
    code: str = Code
    name: str = Field(min_length=1, max_length=100)  # type: ignore[assignment]


class CurrencyUpdate(CurrencyFields):
    code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class VariantFields(InputModel):
    name: str | None = OptionalName
    sku: str | None = Field(default=None, max_length=100)
    barcode: str | None = Field(default=None, max_length=100)
    sale_price: Decimal | None = Price
    purchase_price: Decimal | None = Price
    enabled: bool | None = None
    attributes: dict[str, str] | None = Field(default=None, max_length=20)
    barcode_type: str | None = Field(default=None, max_length=30)
    discount_rate: Decimal | None = Rate
    discount_amount: Decimal | None = Price

    @field_validator("sku", "barcode")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None  # an empty SKU or barcode means none


class VariantIn(VariantFields):
    name: str = Name  # type: ignore[assignment]


class ItemVariantCreate(VariantIn):
    item_id: str


class ItemVariantUpdate(VariantFields):
    pass


class ItemFields(InputModel):
    type: ItemType | None = None
    sku: str | None = Field(default=None, max_length=100)
    barcode: str | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=5000)
    sale_price: Decimal | None = Price
    purchase_price: Decimal | None = Price
    unit: str | None = Field(default=None, max_length=30)
    category_id: str | None = None
    tax_id: str | None = None
    enabled: bool | None = None
    min_stock_alert: Decimal | None = Field(default=None, ge=0, max_digits=13, decimal_places=4)
    gov_id: str | None = Field(default=None, max_length=100)
    barcode_type: str | None = Field(default=None, max_length=30)
    barcode_url: str | None = Field(default=None, max_length=500)
    image_url: str | None = Field(default=None, max_length=500)
    images: list[str] | None = Field(default=None, max_length=MAX_FILES)
    attachments: list[str] | None = Field(default=None, max_length=MAX_FILES)
    catalog_description: str | None = Field(default=None, max_length=5000)
    sub_category: str | None = Field(default=None, max_length=200)
    discount_rate: Decimal | None = Rate
    discount_amount: Decimal | None = Price
    opening_stock_date: date | None = None
    internal_use_only: bool | None = None
    hide_in_catalog: bool | None = None
    appointment_plans: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_VARIANTS)

    @field_validator("sku", "barcode")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None  # an empty SKU or barcode means none


class ItemCreate(ItemFields):
    name: str = Name
    variants: list[VariantIn] | None = Field(default=None, max_length=MAX_VARIANTS)


class ItemUpdate(ItemFields):
    name: str | None = OptionalName


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class _NamedTypedFilter:
    """type / enabled / search-by-name over `model` (categories and taxes alike)."""

    model: ClassVar[Any]
    type: str | None = None
    enabled: bool | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.type is not None:
            out.append(self.model.type == self.type)
        if self.enabled is not None:
            out.append(self.model.enabled.is_(self.enabled))
        if self.search:
            out.append(contains(self.model.name, self.search))
        return out


@dataclass(frozen=True)
class CategoryFilter(_NamedTypedFilter):
    model: ClassVar[Any] = Category


@dataclass(frozen=True)
class TaxFilter(_NamedTypedFilter):
    model: ClassVar[Any] = Tax


@dataclass(frozen=True)
class CurrencyFilter:
    enabled: bool | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.enabled is not None:
            out.append(Currency.enabled.is_(self.enabled))  # type: ignore[attr-defined]
        if self.search:
            out.append(contains_any(self.search, Currency.code, Currency.name))
        return out


@dataclass(frozen=True)
class ItemFilter:
    type: str | None = None
    enabled: bool | None = None
    category_id: str | None = None
    search: str | None = None
    low_stock: bool | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.low_stock is not None:
            low = LOW_STOCK.sql(mapped_table(Item), env)
            out.append(low if self.low_stock else ~low)
        if self.type is not None:
            out.append(Item.type == self.type)  # type: ignore[arg-type]
        if self.enabled is not None:
            out.append(Item.enabled.is_(self.enabled))  # type: ignore[attr-defined]
        if self.category_id is not None:
            out.append(Item.category_id == self.category_id)  # type: ignore[arg-type]
        if self.search:
            out.append(contains_any(self.search, Item.name, Item.sku, Item.barcode))
        return out


CATEGORY_ORDER_COLUMNS = {"name": Category.name, "created_at": Category.created_at}
TAX_ORDER_COLUMNS = {"name": Tax.name, "created_at": Tax.created_at}
CURRENCY_ORDER_COLUMNS = {
    "code": Currency.code,
    "name": Currency.name,
    "created_at": Currency.created_at,
}
ITEM_ORDER_COLUMNS = {
    "name": Item.name,
    "created_at": Item.created_at,
    "updated_at": Item.updated_at,
}


# --- shared helpers ---------------------------------------------------------------------------


def _apply(row: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)


async def _in_use(session: AsyncSession, *conditions: Any) -> bool:
    return bool(await session.scalar(select(exists().where(*conditions))))


async def _flush_unique(session: AsyncSession, path: str, message: str) -> None:
    """Flush; a unique constraint that a concurrent request won is TAKEN, not a 500."""
    try:
        await session.flush()
    except IntegrityError:
        raise UserInputError.single(path, message, ErrorCode.TAKEN) from None


async def _delete(session: AsyncSession, row: Any, what: str) -> None:
    """Delete `row`; a reference the checks did not foresee is IN_USE, not a 500."""
    await session.delete(row)
    try:
        await session.flush()
    except IntegrityError:
        raise UserInputError.single(
            "id", f"{what} is still in use; disable it instead of deleting it", ErrorCode.IN_USE
        ) from None


# --- categories -------------------------------------------------------------------------------


async def get_category(*, session: AsyncSession, id: str) -> Category:
    return await require_row(session, Category, id, path=("id",), what="Category")


async def create_category(*, session: AsyncSession, data: dict[str, Any]) -> Category:
    payload = validate(CategoryCreate, data)
    category = Category(**payload.model_dump(exclude_none=True))
    session.add(category)
    await session.flush()
    return category


async def update_category(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Category:
    category = await get_category(session=session, id=id)
    values = validate(CategoryUpdate, data).model_dump(exclude_unset=True)
    require_not_null(CategoryUpdate, values, "name", "type", "enabled")
    _apply(category, values)
    await session.flush()
    return category


async def delete_category(*, session: AsyncSession, id: str) -> Category:
    category = await get_category(session=session, id=id)
    if await _in_use(session, Item.category_id == category.id):
        raise UserInputError.single(
            "id", "Category is used by items; move them or disable the category", ErrorCode.IN_USE
        )
    await _delete(session, category, "Category")
    return category


# --- taxes ------------------------------------------------------------------------------------


async def get_tax(*, session: AsyncSession, id: str) -> Tax:
    return await require_row(session, Tax, id, path=("id",), what="Tax")


async def create_tax(*, session: AsyncSession, data: dict[str, Any]) -> Tax:
    payload = validate(TaxCreate, data)
    tax = Tax(**payload.model_dump(exclude_none=True))
    session.add(tax)
    await session.flush()
    return tax


async def update_tax(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Tax:
    """Changing a rate never changes documents already written: their lines keep the
    rate they were written with."""
    tax = await get_tax(session=session, id=id)
    values = validate(TaxUpdate, data).model_dump(exclude_unset=True)
    require_not_null(TaxUpdate, values, "name", "rate", "type", "enabled")
    _apply(tax, values)
    await session.flush()
    return tax


async def delete_tax(*, session: AsyncSession, id: str) -> Tax:
    tax = await get_tax(session=session, id=id)
    if await _in_use(session, Item.tax_id == tax.id):
        raise UserInputError.single(
            "id",
            "Tax is the default tax of items; change them or disable the tax",
            ErrorCode.IN_USE,
        )
    if await _in_use(session, DocumentLine.tax_id == tax.id):
        raise UserInputError.single(
            "id",
            "Tax is used by document lines; disable it instead of deleting it",
            ErrorCode.IN_USE,
        )
    await _delete(session, tax, "Tax")
    return tax


# --- currencies -------------------------------------------------------------------------------


async def get_currency(*, session: AsyncSession, id: str) -> Currency:
    return await require_row(session, Currency, id, path=("id",), what="Currency")


async def _base_currency(session: AsyncSession) -> str | None:
    """The code of the session's company's base currency."""
    return await session.scalar(  # type: ignore[no-any-return]
        select(Company.base_currency).where(Company.id == get_tenant(session))  # type: ignore[call-overload]
    )


async def _check_code_free(session: AsyncSession, code: str) -> None:
    if await _in_use(session, Currency.code == code):
        raise UserInputError.single(
            "code", "is already a currency of this company", ErrorCode.TAKEN
        )


async def _currency_in_use(session: AsyncSession, code: str) -> str | None:
    """What still refers to the currency `code` by its code, if anything."""
    if await _in_use(session, Document.currency_code == code):
        return "documents"
    if await _in_use(session, Contact.currency_code == code):
        return "contacts"
    if await _in_use(session, Account.currency_code == code):
        return "accounts"
    return None


async def create_currency(*, session: AsyncSession, data: dict[str, Any]) -> Currency:
    payload = validate(CurrencyCreate, data)
    await _check_code_free(session, payload.code)
    if payload.code == await _base_currency(session) and payload.rate not in (None, ONE):
        raise UserInputError.single("rate", "The base currency's rate is always 1")
    currency = Currency(**payload.model_dump(exclude_none=True))
    session.add(currency)
    await _flush_unique(session, "code", "is already a currency of this company")
    return currency


async def update_currency(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Currency:
    currency = await get_currency(session=session, id=id)
    values = validate(CurrencyUpdate, data).model_dump(exclude_unset=True)
    require_not_null(CurrencyUpdate, values, "code", "name", "rate", "precision", "enabled")
    if currency.code == await _base_currency(session):
        if "rate" in values and values["rate"] != ONE:
            raise UserInputError.single("rate", "The base currency's rate is always 1")
        if "code" in values and values["code"] != currency.code:
            raise UserInputError.single(
                "code", "The base currency's code cannot change", ErrorCode.INVALID_STATE
            )
        if values.get("enabled") is False:
            raise UserInputError.single(
                "enabled", "The base currency cannot be disabled", ErrorCode.INVALID_STATE
            )
    if "code" in values and values["code"] != currency.code:
        used_by = await _currency_in_use(session, currency.code)
        if used_by:
            raise UserInputError.single(
                "code", f"Currency is used by {used_by}; its code cannot change", ErrorCode.IN_USE
            )
        await _check_code_free(session, values["code"])
    _apply(currency, values)
    await _flush_unique(session, "code", "is already a currency of this company")
    return currency


async def delete_currency(*, session: AsyncSession, id: str) -> Currency:
    currency = await get_currency(session=session, id=id)
    if currency.code == await _base_currency(session):
        raise UserInputError.single(
            "id", "The company's base currency cannot be deleted", ErrorCode.INVALID_STATE
        )
    used_by = await _currency_in_use(session, currency.code)
    if used_by:
        raise UserInputError.single(
            "id",
            f"Currency is used by {used_by}; disable it instead of deleting it",
            ErrorCode.IN_USE,
        )
    await _delete(session, currency, "Currency")
    return currency


# --- items ------------------------------------------------------------------------------------


async def get_item(*, session: AsyncSession, id: str) -> Item:
    return await require_row(session, Item, id, path=("id",), what="Item")


async def variants_by_item(
    *, session: AsyncSession, item_ids: Sequence[str]
) -> dict[str, list[ItemVariant]]:
    """The variants of each item, by name, in one statement."""
    out: dict[str, list[ItemVariant]] = defaultdict(list)
    if not item_ids:
        return out
    stmt = (
        select(ItemVariant)
        .where(ItemVariant.item_id.in_(list(item_ids)))  # type: ignore[attr-defined]
        .order_by(ItemVariant.name, ItemVariant.id)
    )
    for variant in (await session.scalars(stmt)).all():
        out[variant.item_id].append(variant)
    return out


SkuClaim = tuple[tuple[str, ...], str]  # (input path, sku)


async def _check_skus(
    session: AsyncSession,
    claims: list[SkuClaim],
    *,
    item_id: str | None = None,
    variant_id: str | None = None,
) -> None:
    """A SKU names one sellable thing in the company: one item or one variant.
    `item_id` / `variant_id` are the rows being changed, which may keep their own."""
    errors: list[FieldError] = []
    first_claim: dict[str, tuple[str, ...]] = {}
    for path, sku in claims:
        if sku in first_claim:
            errors.append(FieldError(path, "is used twice in this input", ErrorCode.TAKEN))
        else:
            first_claim[sku] = path
    if first_claim:
        skus = list(first_claim)
        items = select(Item.sku).where(Item.sku.in_(skus))  # type: ignore[call-overload,union-attr]
        if item_id is not None:
            items = items.where(Item.id != item_id)
        variants = select(ItemVariant.sku).where(  # type: ignore[call-overload]
            ItemVariant.sku.in_(skus)  # type: ignore[union-attr]
        )
        if variant_id is not None:
            variants = variants.where(ItemVariant.id != variant_id)
        taken = set((await session.scalars(items)).all()) | set(
            (await session.scalars(variants)).all()
        )
        for sku in skus:
            if sku in taken:
                errors.append(
                    FieldError(
                        first_claim[sku],
                        "is already used by another item or variant",
                        ErrorCode.TAKEN,
                    )
                )
    if errors:
        raise UserInputError(errors)


async def _resolve_references(session: AsyncSession, values: dict[str, Any]) -> None:
    """Turn `category_id` / `tax_id` (global or object ids) into the tenant's object ids."""
    references = (("category_id", "categoryId", Category), ("tax_id", "taxId", Tax))
    for key, wire, model in references:
        ref = values.get(key)
        if ref is not None:
            row = await require_row(session, model, ref, path=(wire,), what=model.__name__)
            values[key] = row.id


async def create_item(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> Item:
    """An item with its variants; `viewer` the user making it (its creator), if any."""
    payload = validate(ItemCreate, data)
    variants = payload.variants or []
    claims: list[SkuClaim] = [(("sku",), payload.sku)] if payload.sku else []
    claims += [(("variants", str(i), "sku"), v.sku) for i, v in enumerate(variants) if v.sku]
    errors = [
        FieldError(
            ("variants", str(i), "name"), "is used by another variant of this item", ErrorCode.TAKEN
        )
        for i, v in enumerate(variants)
        if v.name in {w.name for w in variants[:i]}
    ]
    if errors:
        raise UserInputError(errors)
    await _check_skus(session, claims)
    values = payload.model_dump(exclude_none=True, exclude={"variants"})
    await _resolve_references(session, values)
    creator = viewer.user.id if viewer is not None and viewer.user is not None else None
    item = Item(**values, created_by_id=creator)
    session.add(item)
    await _flush_unique(session, "sku", "is already used by another item or variant")
    session.add_all(
        ItemVariant(item_id=item.id, **v.model_dump(exclude_none=True)) for v in variants
    )
    await session.flush()
    return item


async def update_item(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Item:
    item = await get_item(session=session, id=id)
    values = validate(ItemUpdate, data).model_dump(exclude_unset=True)
    require_not_null(
        ItemUpdate,
        values,
        "name",
        "type",
        "enabled",
        "images",
        "attachments",
        "internal_use_only",
        "hide_in_catalog",
        "appointment_plans",
    )
    if values.get("sku") and values["sku"] != item.sku:
        await _check_skus(session, [(("sku",), values["sku"])], item_id=item.id)
    await _resolve_references(session, values)
    _apply(item, values)
    await _flush_unique(session, "sku", "is already used by another item or variant")
    return item


async def delete_item(*, session: AsyncSession, id: str) -> Item:
    """Delete an item with its variants, unless a document line sold or bought it."""
    item = await get_item(session=session, id=id)
    variant_ids = select(ItemVariant.id).where(ItemVariant.item_id == item.id)  # type: ignore[call-overload]
    if await _in_use(
        session,
        or_(
            DocumentLine.item_id == item.id,  # type: ignore[arg-type]
            DocumentLine.variant_id.in_(variant_ids),  # type: ignore[union-attr]
        ),
    ):
        raise UserInputError.single(
            "id",
            "Item is used by document lines; disable it instead of deleting it",
            ErrorCode.IN_USE,
        )
    if await _in_use(session, StockMove.item_id == item.id):  # type: ignore[arg-type]
        raise UserInputError.single(
            "id", "Item has stock moves; disable it instead of deleting it", ErrorCode.IN_USE
        )
    await session.execute(delete(ItemVariant).where(ItemVariant.item_id == item.id))  # type: ignore[arg-type]
    await _delete(session, item, "Item")
    return item


# --- item variants ----------------------------------------------------------------------------


async def get_item_variant(*, session: AsyncSession, id: str) -> ItemVariant:
    return await require_row(session, ItemVariant, id, path=("id",), what="ItemVariant")


async def _check_variant_name(
    session: AsyncSession, item_id: str, name: str, variant_id: str | None = None
) -> None:
    conditions = [ItemVariant.item_id == item_id, ItemVariant.name == name]
    if variant_id is not None:
        conditions.append(ItemVariant.id != variant_id)
    if await _in_use(session, *conditions):  # type: ignore[arg-type]
        raise UserInputError.single(
            "name", "is used by another variant of this item", ErrorCode.TAKEN
        )


async def create_item_variant(*, session: AsyncSession, data: dict[str, Any]) -> ItemVariant:
    payload = validate(ItemVariantCreate, data)
    item = await require_row(session, Item, payload.item_id, path=("itemId",), what="Item")
    await _check_variant_name(session, item.id, payload.name)
    if payload.sku:
        await _check_skus(session, [(("sku",), payload.sku)])
    values = payload.model_dump(exclude_none=True, exclude={"item_id"})
    variant = ItemVariant(**values, item_id=item.id)
    session.add(variant)
    await session.flush()
    return variant


async def update_item_variant(
    *, session: AsyncSession, id: str, data: dict[str, Any]
) -> ItemVariant:
    variant = await get_item_variant(session=session, id=id)
    values = validate(ItemVariantUpdate, data).model_dump(exclude_unset=True)
    require_not_null(ItemVariantUpdate, values, "name", "enabled", "attributes")
    if "name" in values and values["name"] != variant.name:
        await _check_variant_name(session, variant.item_id, values["name"], variant.id)
    if values.get("sku") and values["sku"] != variant.sku:
        await _check_skus(session, [(("sku",), values["sku"])], variant_id=variant.id)
    _apply(variant, values)
    await session.flush()
    return variant


async def delete_item_variant(*, session: AsyncSession, id: str) -> ItemVariant:
    variant = await get_item_variant(session=session, id=id)
    if await _in_use(session, DocumentLine.variant_id == variant.id) or await _in_use(
        session,
        StockMove.variant_id == variant.id,  # type: ignore[arg-type]
    ):
        raise UserInputError.single(
            "id",
            "Variant is used by document lines or stock moves; disable it instead of deleting it",
            ErrorCode.IN_USE,
        )
    await _delete(session, variant, "Variant")
    return variant


# --- by name and by rate (the Forbix Open-API names them so) ---------------------------------


async def item_category_named(*, session: AsyncSession, name: str) -> Category:
    """The company's item category called `name` (ignoring case), made when it has none."""
    name = name.strip()
    if not name or len(name) > 200:
        raise UserInputError.single("categoryId", "must be a name of 1 to 200 characters")
    found = await session.scalar(
        select(Category)
        .where(
            func.lower(Category.name) == name.lower(),
            Category.type == CategoryType.ITEM.value,  # type: ignore[arg-type]
        )
        .order_by(Category.created_at, Category.id)
        .limit(1)
    )
    if found is not None:
        return found
    return await create_category(session=session, data={"name": name, "type": "item"})


async def tax_at_rate(*, session: AsyncSession, rate: Decimal) -> Tax:
    """The company's (enabled, normal) tax of `rate` percent, made when it has none."""
    found = await session.scalar(
        select(Tax)
        .where(
            Tax.rate == rate,  # type: ignore[arg-type]
            Tax.type == TaxType.NORMAL.value,  # type: ignore[arg-type]
            Tax.enabled.is_(True),  # type: ignore[attr-defined]
        )
        .order_by(Tax.created_at, Tax.id)
        .limit(1)
    )
    if found is not None:
        return found
    try:
        return await create_tax(
            session=session, data={"name": f"Tax {format(rate.normalize(), 'f')}%", "rate": rate}
        )
    except UserInputError as exc:  # out of range: named as the rate
        raise UserInputError(
            [FieldError(("taxId",), e.message, e.code) for e in exc.errors]
        ) from None
