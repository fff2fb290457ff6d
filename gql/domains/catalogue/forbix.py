"""Forbix Open-API: /openapi/items, the same rows as the graph's items and variants.

Their names and ours: `unitPrice` is the sale price, `purchaseUnitPrice` the purchase
price, `discountFlat` the discount amount, `minimumStockAlert` inventory's minimum
stock alert, `itemCategory` the name of an item category (found, or made, by name),
`itemSubCategory` the sub-category, `taxable` a tax rate in percent (the company's tax
of that rate, made when there is none), `isArchived` a disabled item, `barcode` a
`{type, data}` pair, `availableVariants` the variants (`variantInfo` their attributes,
their name the values joined by " / ").

`inventoryCount` is inventory's stock on hand (the graph's stockOnHand, one
expression). A create's count, or a PUT's new count, is written as a stock adjustment
in the default warehouse through inventory's service (the difference from the stock
on hand; a variant's count is that variant's), dated `openingStockDate` on the item.

`doNotSave: true` runs the whole request (validation, references, stock) in its
transaction and rolls it back: the answer is what saving would have answered, with
`_id` null.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import col
from starlette.responses import Response

from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.ranges import between
from gql.core.scalars import parse_decimal
from gql.core.search import contains
from gql.domains.catalogue import service
from gql.domains.catalogue.models import Category, Item, ItemType, ItemVariant, Tax
from gql.domains.catalogue.schema import ITEMS
from gql.domains.inventory import service as inventory
from gql.domains.inventory.computed import ON_HAND
from gql.domains.inventory.models import StockLevel
from gql.domains.inventory.stock import default_warehouse
from gql.rest import forbix, openapi
from gql.rest.numbors import (
    RestContext,
    bad_params,
    bool_param,
    json_response,
    param_error,
    read_json,
    text_param,
)
from gql.rest.openapi import ID_BESIDE, ApiRoute, flag, millis, number
from gql.rest.renames import Renames
from gql.tenancy import mapped_table, tenant_table

NAMES = Renames(
    {
        "unitPrice": "salePrice",
        "purchaseUnitPrice": "purchasePrice",
        "discountFlat": "discountAmount",
        "minimumStockAlert": "minStockAlert",
        "itemSubCategory": "subCategory",
        "isInternalUseOnly": "internalUseOnly",
        "availableVariants": "variants",
    },
    nested={
        "variants": Renames(
            {
                "unitPrice": "salePrice",
                "purchaseUnitPrice": "purchasePrice",
                "discountFlat": "discountAmount",
                "variantInfo": "attributes",
            },
            derived={"name": "variantInfo", "barcodeType": "barcode"},
        )
    },
    derived={
        "taxId": "taxable",
        "categoryId": "itemCategory",
        "barcodeType": "barcode",
        "enabled": "isArchived",
    },
)
TYPES = {t.value.upper(): t.value for t in ItemType}
SORT_COLUMNS = {
    "createDate": Item.created_at,
    "updateDate": Item.updated_at,
    "name": Item.name,
    "sku": Item.sku,
    "unitPrice": Item.sale_price,
    "purchaseUnitPrice": Item.purchase_price,
    "openingStockDate": Item.opening_stock_date,
}
COUNT_FIELD = "inventoryCount"
STOCK_REASON = "Forbix inventoryCount"


# --- requests ----------------------------------------------------------------------------------


@dataclass
class _Request:
    data: dict[str, Any]  # for the catalogue service, in its names
    count: Decimal | None  # the item's inventoryCount, if sent
    variant_counts: list[Decimal | None]  # each availableVariants[n].inventoryCount
    dry_run: bool


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    return parse_decimal(value)


def _count(value: Any, path: tuple[str, ...], errors: list[FieldError]) -> Decimal | None:
    if value is None:
        return None
    try:
        return _decimal(value)
    except ValueError as exc:
        errors.append(FieldError(path, str(exc)))
        return None


def _barcode(body: dict[str, Any], path: tuple[str, ...], errors: list[FieldError]) -> None:
    """`barcode: {type, data}` as our barcode and barcodeType, in place."""
    if "barcode" not in body:
        return
    value = body.pop("barcode")
    if value is None:
        body["barcode"] = body["barcodeType"] = None
    elif isinstance(value, dict) and set(value) <= {"type", "data"}:
        body["barcode"], body["barcodeType"] = value.get("data"), value.get("type")
    else:
        errors.append(FieldError((*path, "barcode"), "must be an object {type, data}"))


def _variant(raw: Any, n: int, errors: list[FieldError]) -> tuple[dict[str, Any], Decimal | None]:
    path = ("availableVariants", str(n))
    if not isinstance(raw, dict):
        errors.append(FieldError(path, "must be an object"))
        return {}, None
    body = dict(raw)
    count = _count(body.pop(COUNT_FIELD, None), (*path, COUNT_FIELD), errors)
    _barcode(body, path, errors)
    info = body.get("variantInfo")
    if not isinstance(info, dict) or not info or not all(isinstance(v, str) for v in info.values()):
        errors.append(
            FieldError((*path, "variantInfo"), "must be an object of names to text values")
        )
    else:
        body["name"] = " / ".join(v.strip() for v in info.values())
    return body, count


async def _request(ctx: RestContext, *, create: bool) -> _Request:
    body = await read_json(ctx.request)
    if create:
        forbix.require_fields(body, "name", "type", "govId")
    dry_run = body.pop("doNotSave", False) is True
    errors: list[FieldError] = []
    count = _count(body.pop(COUNT_FIELD, None), (COUNT_FIELD,), errors)
    kind = body.get("type")
    if kind is not None:
        if isinstance(kind, str) and kind.upper() in TYPES:
            body["type"] = TYPES[kind.upper()]
        else:
            errors.append(FieldError(("type",), f"must be one of: {', '.join(TYPES)}"))
    _barcode(body, (), errors)
    if "isArchived" in body:
        archived = body.pop("isArchived")
        body["enabled"] = not archived if isinstance(archived, bool) else archived
    variant_counts: list[Decimal | None] = []
    variants = body.get("availableVariants")
    if isinstance(variants, list):
        pairs = [_variant(v, n, errors) for n, v in enumerate(variants)]
        body["availableVariants"] = [p[0] for p in pairs]
        variant_counts = [p[1] for p in pairs]
    for name in ("minimumStockAlert", "taxable"):
        value = body.get(name)
        if value is not None and value != "":
            try:
                body[name] = _decimal(value)
            except ValueError as exc:
                errors.append(FieldError((name,), str(exc)))
    if "openingStockDate" in body:
        try:
            body["openingStockDate"] = forbix.day_of_millis(body["openingStockDate"])
        except ValueError as exc:
            errors.append(FieldError(("openingStockDate",), str(exc)))
    if errors:
        raise forbix.invalid(errors)
    data = NAMES.to_ours(body)
    await _references(ctx, data)
    return _Request(data, count, variant_counts, dry_run)


async def _references(ctx: RestContext, data: dict[str, Any]) -> None:
    """`taxable` (a rate) as the tax of that rate, `itemCategory` (a name) as that
    category: found, or made."""
    if "taxable" in data:
        rate = data.pop("taxable")
        if rate in (None, ""):
            data["taxId"] = None
        else:
            data["taxId"] = (await service.tax_at_rate(session=ctx.session, rate=rate)).id
    if "itemCategory" in data:
        name = data.pop("itemCategory")
        if name in (None, ""):
            data["categoryId"] = None
        elif not isinstance(name, str):
            raise forbix.invalid([FieldError(("itemCategory",), "must be a name")])
        else:
            category = await service.item_category_named(session=ctx.session, name=name)
            data["categoryId"] = category.id


async def _set_counts(
    ctx: RestContext, item: Item, wanted: Sequence[tuple[str | None, Decimal]]
) -> None:
    """Bring the stock on hand of the item (variant None) and of its variants to the
    counts wanted: one adjustment in the default warehouse for the differences."""
    if not wanted:
        return
    item_stock, variant_stock = await _stock(ctx, [item.id])
    lines = []
    for variant_id, count in wanted:
        have = (
            variant_stock.get(variant_id, Decimal(0))
            if variant_id is not None
            else item_stock[item.id] - sum(variant_stock.values(), Decimal(0))
        )
        if count != have:
            lines.append({"itemId": item.id, "variantId": variant_id, "quantity": count - have})
    if lines:
        if item.type != ItemType.PRODUCT.value:
            message = "only a PRODUCT keeps stock"
            raise forbix.invalid([FieldError((COUNT_FIELD,), message, ErrorCode.INVALID)])
        warehouse = await default_warehouse(ctx.session)
        await inventory.create_adjustment(
            session=ctx.session,
            data={"warehouseId": warehouse.id, "reason": STOCK_REASON, "items": lines},
            viewer=ctx.viewer,
        )


# --- answers -----------------------------------------------------------------------------------


async def _stock(
    ctx: RestContext, item_ids: list[str]
) -> tuple[dict[str, Decimal], dict[str | None, Decimal]]:
    """Each item's stock on hand (the graph's expression) and each variant's, in two
    statements."""
    on_hand = await computed_values(ctx.session, Item, [ON_HAND], item_ids)
    per_variant = (
        select(col(StockLevel.variant_id), func.sum(col(StockLevel.quantity)))
        .where(col(StockLevel.item_id).in_(item_ids), col(StockLevel.variant_id).is_not(None))
        .group_by(StockLevel.variant_id)
    )
    variants = {v: Decimal(q) for v, q in (await ctx.session.execute(per_variant)).all()}
    return {i: Decimal(on_hand[i][0]) for i in item_ids}, variants


def _barcode_json(data: str | None, type: str | None) -> dict[str, Any] | None:
    return {"type": type, "data": data} if data or type else None


def _text(value: Decimal | None) -> str | None:
    return format(value.normalize(), "f") if value is not None else None


def variant_json(v: ItemVariant, stock: Decimal) -> dict[str, Any]:
    return {
        **forbix.identity(v),
        "variantInfo": v.attributes,
        "sku": v.sku,
        "inventoryCount": stock,
        "unitPrice": v.sale_price,
        "purchaseUnitPrice": v.purchase_price,
        "discountRate": v.discount_rate,
        "discountFlat": v.discount_amount,
        "barcode": _barcode_json(v.barcode, v.barcode_type),
        "isArchived": not v.enabled,
    }


async def items_json(ctx: RestContext, items: list[Item]) -> list[dict[str, Any]]:
    """The items with their variants, stock, categories and tax rates: five statements
    for any number of items."""
    ids = [i.id for i in items]
    variants = await service.variants_by_item(session=ctx.session, item_ids=ids)
    on_hand, variant_stock = await _stock(ctx, ids)
    categories = await _names(ctx, Category, {i.category_id for i in items})
    rates = await _names(ctx, Tax, {i.tax_id for i in items})
    return [
        {
            **forbix.identity(i),
            "companyId": i.company_id,
            "name": i.name,
            "type": i.type.upper(),
            "govId": i.gov_id,
            "barcode": _barcode_json(i.barcode, i.barcode_type),
            "barcodeUrl": i.barcode_url,
            "imageUrl": i.image_url,
            "isInternalUseOnly": i.internal_use_only,
            "description": i.description,
            "catalogDescription": i.catalog_description,
            "sku": i.sku,
            "inventoryCount": on_hand[i.id],
            "unitPrice": i.sale_price,
            "purchaseUnitPrice": i.purchase_price,
            "unit": i.unit,
            "taxable": _text(rates.get(i.tax_id)),
            "itemCategory": categories.get(i.category_id),
            "itemSubCategory": i.sub_category,
            "minimumStockAlert": _text(i.min_stock_alert),
            "openingStockDate": forbix.millis(i.opening_stock_date),
            "discountRate": i.discount_rate,
            "discountFlat": i.discount_amount,
            "images": i.images,
            "attachments": i.attachments,
            "hideInCatalog": i.hide_in_catalog,
            "isArchived": not i.enabled,
            "availableVariants": [
                variant_json(v, variant_stock.get(v.id, Decimal(0))) for v in variants[i.id]
            ],
            "appointmentPlans": i.appointment_plans,
            "creatorUserId": i.created_by_id,
            "createDate": forbix.millis(i.created_at),
            "updateDate": forbix.millis(i.updated_at),
        }
        for i in items
    ]


async def _names(ctx: RestContext, model: Any, ids: set[str | None]) -> dict[str | None, Any]:
    """Categories' names or taxes' rates by id, in one statement."""
    wanted = sorted(i for i in ids if i)
    if not wanted:
        return {}
    value: Any = model.name if model is Category else model.rate
    rows = await ctx.session.execute(select(model.id, value).where(col(model.id).in_(wanted)))
    return {key: value for key, value in rows.all()}


# --- writes ----------------------------------------------------------------------------------


@forbix.endpoint(write=True, names=NAMES)
async def create_item(ctx: RestContext) -> Response:
    request = await _request(ctx, create=True)
    item = await service.create_item(session=ctx.session, data=request.data, viewer=ctx.viewer)
    variants = (await service.variants_by_item(session=ctx.session, item_ids=[item.id]))[item.id]
    by_name = {v.name: v.id for v in variants}
    names = [v.get("name") for v in request.data.get("variants") or []]
    wanted: list[tuple[str | None, Decimal | None]] = [(None, request.count)]
    wanted += [
        (by_name[name], count)
        for name, count in zip(names, request.variant_counts, strict=True)
        if count is not None and name in by_name
    ]
    await _set_counts(ctx, item, [(v, c) for v, c in wanted if c is not None])
    return await _answer(ctx, item, request.dry_run, 201)


async def _answer(ctx: RestContext, item: Item, dry_run: bool, status: int) -> Response:
    """`_id` beside the envelope; for doNotSave, `_id` null and the item as it would
    have been saved, then everything rolled back."""
    if not dry_run:
        return forbix.saved(item, top_level=True, status=status)
    body = (await items_json(ctx, [item]))[0]  # read before the rollback expires the rows
    await ctx.session.rollback()
    return json_response({"success": True, "message": forbix.SUCCESSFUL, "_id": None, "data": body})


@forbix.endpoint(write=True, names=NAMES)
async def update_item(ctx: RestContext) -> Response:
    request = await _request(ctx, create=False)
    item_id = ctx.request.path_params["itemId"]
    sent_variants = request.data.pop("variants", None)
    item = await service.update_item(session=ctx.session, id=item_id, data=request.data)
    wanted: list[tuple[str | None, Decimal]] = []
    if request.count is not None:
        wanted.append((None, request.count))
    if sent_variants is not None:
        wanted += await _update_variants(ctx, item, sent_variants, request.variant_counts)
    await _set_counts(ctx, item, wanted)
    return await _answer(ctx, item, request.dry_run, 200)


async def _update_variants(
    ctx: RestContext, item: Item, sent: list[dict[str, Any]], counts: list[Decimal | None]
) -> list[tuple[str | None, Decimal]]:
    """Variants named like one the item has (the same variantInfo) are updated, the
    others added; those not sent stay as they are."""
    existing = (await service.variants_by_item(session=ctx.session, item_ids=[item.id]))[item.id]
    by_name = {v.name: v for v in existing}
    wanted: list[tuple[str | None, Decimal]] = []
    for n, (values, count) in enumerate(zip(sent, counts, strict=True)):
        found = by_name.get(values.get("name", ""))
        try:
            if found is not None:
                variant = await service.update_item_variant(
                    session=ctx.session, id=found.id, data=values
                )
            else:
                variant = await service.create_item_variant(
                    session=ctx.session, data={**values, "itemId": item.id}
                )
        except UserInputError as exc:
            raise UserInputError(
                [FieldError(("variants", str(n), *e.path), e.message, e.code) for e in exc.errors]
            ) from None
        if count is not None:
            wanted.append((variant.id, count))
    return wanted


# --- the list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForbixItemFilter:
    name: str | None = None
    sku: str | None = None
    barcode: str | None = None
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # names (`category`, `itemCategory`)
    sub_category: str | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    price_from: Decimal | None = None
    price_to: Decimal | None = None
    count_from: Decimal | None = None
    count_to: Decimal | None = None
    opening_from: date | None = None
    opening_to: date | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    archived: bool | None = None
    internal_use_only: bool | None = None
    creator: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        i = Item
        table = mapped_table(Item)
        out: list[ColumnElement[bool]] = []
        for column, text in ((i.name, self.name), (i.sku, self.sku)):
            if text:
                out.append(contains(column, text))
        if self.barcode:
            variants = tenant_table(ItemVariant, table.c.company_id)
            with_barcode = variants.select(variants.c.item_id).where(
                variants.c.barcode == self.barcode
            )
            out.append(or_(col(i.barcode) == self.barcode, col(i.id).in_(with_barcode)))
        if self.types:
            out.append(col(i.type).in_(self.types))
        for name in self.categories:
            categories = tenant_table(Category, table.c.company_id)
            named = categories.select(categories.c.id).where(
                func.lower(categories.c.name) == name.lower()
            )
            out.append(col(i.category_id).in_(named))
        equal: tuple[tuple[Any, Any], ...] = (
            (i.sub_category, self.sub_category),
            (i.unit, self.unit),
            (i.sale_price, self.unit_price),
            (i.created_by_id, self.creator),
        )
        for column, value in equal:
            if value is not None:
                out.append(col(column) == value)
        out.extend(between(col(i.sale_price), self.price_from, self.price_to))
        out.extend(between(ON_HAND.sql(table, env), self.count_from, self.count_to))
        out.extend(between(col(i.opening_stock_date), self.opening_from, self.opening_to))
        out.extend(between(col(i.created_at), self.created_from, self.created_to))
        if self.archived is not None:
            out.append(col(i.enabled).is_(not self.archived))
        if self.internal_use_only is not None:
            out.append(col(i.internal_use_only).is_(self.internal_use_only))
        return out


def _types(ctx: RestContext) -> tuple[str, ...]:
    raw = ctx.request.query_params.get("type") or ""
    names = [t.strip().upper() for t in raw.split(",") if t.strip()]
    unknown = [t for t in names if t not in TYPES]
    if unknown:
        raise bad_params(param_error("type", f"must be one or more of: {', '.join(TYPES)}"))
    return tuple(TYPES[t] for t in names)


def list_filter(ctx: RestContext) -> ForbixItemFilter:
    request, settings = ctx.request, ctx.settings

    def text(name: str) -> str | None:
        return text_param(request, name, settings)

    def day(name: str) -> date | None:
        moment = forbix.millis_param(request, name)
        return moment.date() if moment else None

    return ForbixItemFilter(
        name=text("name"),
        sku=text("sku"),
        barcode=text("barcodeData"),
        types=_types(ctx),
        categories=tuple(c for c in (text("category"), text("itemCategory")) if c),
        sub_category=text("itemSubCategory"),
        unit=text("unit"),
        unit_price=forbix.decimal_param(request, "unitPrice"),
        price_from=forbix.decimal_param(request, "fromPrice"),
        price_to=forbix.decimal_param(request, "toPrice"),
        count_from=forbix.decimal_param(request, "inventoryCountFrom"),
        count_to=forbix.decimal_param(request, "inventoryCountTo"),
        opening_from=day("openingStockDateFrom"),
        opening_to=day("openingStockDateTo"),
        created_from=forbix.millis_param(request, "createDateFrom"),
        created_to=forbix.millis_param(request, "createDateTo"),
        archived=bool_param(request, "isArchived"),
        internal_use_only=bool_param(request, "isInternalUseOnly"),
        creator=text("creatorUserId"),
    )


@forbix.endpoint()
async def list_items(ctx: RestContext) -> Response:
    page = forbix.page_params(ctx.request, ctx.settings)
    where = list_filter(ctx)
    order = forbix.sort_params(ctx.request, Item, SORT_COLUMNS, "createDate")
    result = await list_page(ctx.session, ITEMS, page.args, where=where, order_by=order)
    return forbix.listed(await items_json(ctx, result.rows), total=result.total, page=page)


routes = [
    ApiRoute(
        "/items",
        list_items,
        "GET",
        summary="List items",
        row=Item,
        query=[
            openapi.text("type", "item types, comma-separated"),
            number("unitPrice"),
            number("fromPrice"),
            number("toPrice"),
            number("inventoryCountFrom"),
            number("inventoryCountTo"),
            millis("createDateFrom"),
            millis("createDateTo"),
            flag("isArchived"),
            flag("isInternalUseOnly"),
        ],
    ),
    ApiRoute(
        "/items",
        create_item,
        "POST",
        summary="Create an item",
        answer=ID_BESIDE,
        body=service.ItemCreate,
    ),
    ApiRoute(
        "/items/{itemId}",
        update_item,
        "PUT",
        summary="Update an item",
        answer=ID_BESIDE,
        body=service.ItemUpdate,
    ),
]
