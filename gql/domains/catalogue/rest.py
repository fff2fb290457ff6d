"""Numbors REST: /api/items, /api/categories, /api/taxes and /api/currencies."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.pagination import Page, PageArgs
from gql.domains.catalogue import service
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
from gql.domains.catalogue.schema import CATEGORIES, CURRENCIES, ITEMS, TAXES
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    endpoint,
    ok,
    page_params,
    paginated,
    read_json,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, flag
from gql.rest.renames import Renames

# Numbors names an item's references `category` and `tax`; the service says categoryId/taxId.
ITEM_NAMES = Renames({"category": "categoryId", "tax": "taxId"})


def _page_args(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


def _list(rows: list[Any], result: Page[Any], page: int, limit: int) -> Response:
    return paginated(rows, total=result.total, page=page, limit=limit)


def _search(ctx: RestContext) -> str | None:
    return text_param(ctx.request, "search", ctx.settings)


# --- items ----------------------------------------------------------------------------------


def item_json(item: Item, variants: list[ItemVariant]) -> dict[str, Any]:
    return row_json(
        item,
        exclude=("company_id", "category_id", "tax_id"),
        category=item.category_id,
        tax=item.tax_id,
        variants=[row_json(v, exclude=("company_id", "item_id")) for v in variants],
    )


@endpoint()
async def list_items(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.ItemFilter(
        type=choice_param(ctx.request, "type", [t.value for t in ItemType]),
        enabled=bool_param(ctx.request, "enabled"),
        search=_search(ctx),
    )
    result = await list_page(ctx.session, ITEMS, args, where=filter)
    variants = await service.variants_by_item(
        session=ctx.session, item_ids=[r.id for r in result.rows]
    )
    return _list([item_json(r, variants[r.id]) for r in result.rows], result, page, limit)


@endpoint(write=True, names=ITEM_NAMES)
async def create_item(ctx: RestContext) -> Response:
    row = await service.create_item(session=ctx.session, data=await ctx.body(), viewer=ctx.viewer)
    variants = await service.variants_by_item(session=ctx.session, item_ids=[row.id])
    return ok(item_json(row, variants[row.id]), 201)


# --- categories -----------------------------------------------------------------------------


@endpoint()
async def list_categories(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.CategoryFilter(
        type=choice_param(ctx.request, "type", [t.value for t in CategoryType]),
        enabled=bool_param(ctx.request, "enabled"),
        search=_search(ctx),
    )
    result = await list_page(ctx.session, CATEGORIES, args, where=filter)
    return _list([row_json(r) for r in result.rows], result, page, limit)


@endpoint(write=True)
async def create_category(ctx: RestContext) -> Response:
    row = await service.create_category(session=ctx.session, data=await read_json(ctx.request))
    return ok(row_json(row), 201)


@endpoint(write=True)
async def update_category(ctx: RestContext) -> Response:
    row = await service.update_category(
        session=ctx.session, id=ctx.request.path_params["id"], data=await read_json(ctx.request)
    )
    return ok(row_json(row))


# --- taxes ----------------------------------------------------------------------------------


@endpoint()
async def list_taxes(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.TaxFilter(
        type=choice_param(ctx.request, "type", [t.value for t in TaxType]),
        enabled=bool_param(ctx.request, "enabled"),
        search=_search(ctx),
    )
    result = await list_page(ctx.session, TAXES, args, where=filter)
    return _list([row_json(r) for r in result.rows], result, page, limit)


@endpoint(write=True)
async def create_tax(ctx: RestContext) -> Response:
    row = await service.create_tax(session=ctx.session, data=await read_json(ctx.request))
    return ok(row_json(row), 201)


@endpoint(write=True)
async def update_tax(ctx: RestContext) -> Response:
    row = await service.update_tax(
        session=ctx.session, id=ctx.request.path_params["id"], data=await read_json(ctx.request)
    )
    return ok(row_json(row))


# --- currencies -----------------------------------------------------------------------------


@endpoint()
async def list_currencies(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.CurrencyFilter(enabled=bool_param(ctx.request, "enabled"), search=_search(ctx))
    result = await list_page(ctx.session, CURRENCIES, args, where=filter)
    return _list([row_json(r) for r in result.rows], result, page, limit)


@endpoint(write=True)
async def create_currency(ctx: RestContext) -> Response:
    row = await service.create_currency(session=ctx.session, data=await read_json(ctx.request))
    return ok(row_json(row), 201)


routes = [
    ApiRoute(
        "/items",
        list_items,
        "GET",
        summary="List items",
        row=Item,
        query=[choice("type", ItemType), flag("enabled")],
    ),
    ApiRoute(
        "/items", create_item, "POST", summary="Create an item", row=Item, body=service.ItemCreate
    ),
    ApiRoute(
        "/categories",
        list_categories,
        "GET",
        summary="List categories",
        row=Category,
        query=[choice("type", CategoryType), flag("enabled")],
    ),
    ApiRoute(
        "/categories",
        create_category,
        "POST",
        summary="Create a category",
        row=Category,
        body=service.CategoryCreate,
    ),
    ApiRoute(
        "/categories/{id}",
        update_category,
        "PUT",
        summary="Update a category",
        row=Category,
        body=service.CategoryUpdate,
    ),
    ApiRoute(
        "/taxes",
        list_taxes,
        "GET",
        summary="List taxes",
        row=Tax,
        query=[choice("type", TaxType), flag("enabled")],
    ),
    ApiRoute("/taxes", create_tax, "POST", summary="Create a tax", row=Tax, body=service.TaxCreate),
    ApiRoute(
        "/taxes/{id}", update_tax, "PUT", summary="Update a tax", row=Tax, body=service.TaxUpdate
    ),
    ApiRoute(
        "/currencies",
        list_currencies,
        "GET",
        summary="List currencies",
        row=Currency,
        query=[flag("enabled")],
    ),
    ApiRoute(
        "/currencies",
        create_currency,
        "POST",
        summary="Create a currency",
        row=Currency,
        body=service.CurrencyCreate,
    ),
]
