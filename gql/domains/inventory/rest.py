"""Numbors REST: /api/inventory/warehouses, /api/inventory/transfers (with their
warehouses and items populated) and /api/inventory/adjustments. Bodies name warehouses
and items as Numbors does (`fromWarehouse`, `toWarehouse`, `warehouse`, items
`[{item, variant?, quantity}]`); errors name those fields."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.pagination import PageArgs
from gql.domains.inventory import service
from gql.domains.inventory.loaders import WarehouseByIdLoader
from gql.domains.inventory.models import StockAdjustment, StockMove, StockTransfer, Warehouse
from gql.domains.inventory.schema import STOCK_TRANSFERS, WAREHOUSES
from gql.domains.inventory.types import MODULE
from gql.rest.numbors import RestContext, endpoint, id_param, ok, page_params, paginated, row_json
from gql.rest.openapi import ApiRoute, ref
from gql.rest.renames import Renames

ITEM_NAMES = Renames({"item": "itemId", "variant": "variantId"})
TRANSFER_NAMES = Renames(
    {"fromWarehouse": "fromWarehouseId", "toWarehouse": "toWarehouseId"},
    nested={"items": ITEM_NAMES},
)
ADJUSTMENT_NAMES = Renames({"warehouse": "warehouseId"}, nested={"items": ITEM_NAMES})


def _page_args(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


async def _moves_of(ctx: RestContext, source_ids: list[str]) -> dict[str, list[StockMove]]:
    """The moves of these transfers or adjustments, by source: one statement."""
    if not source_ids:
        return {}
    rows = (
        await ctx.session.scalars(
            select(StockMove)
            .where(col(StockMove.source_id).in_(source_ids))
            .order_by(col(StockMove.created_at), col(StockMove.id))
        )
    ).all()
    out: dict[str, list[StockMove]] = defaultdict(list)
    for move in rows:
        out[move.source_id or ""].append(move)
    return out


def _line(move: StockMove) -> dict[str, Any]:
    return {"item": move.item_id, "variant": move.variant_id, "quantity": move.quantity}


async def transfers_json(ctx: RestContext, transfers: list[StockTransfer]) -> list[dict[str, Any]]:
    """Each transfer with both warehouses ({id, name}) and its items: two statements."""
    wanted = sorted({w for t in transfers for w in (t.from_warehouse_id, t.to_warehouse_id)})
    found = await WarehouseByIdLoader(ctx.session).load_many(wanted) if wanted else []
    warehouses = {w.id: {"id": w.id, "name": w.name} for w in found if w is not None}
    moves = await _moves_of(ctx, [t.id for t in transfers])
    return [
        row_json(
            t,
            exclude=("company_id", "from_warehouse_id", "to_warehouse_id", "created_by_id"),
            fromWarehouse=warehouses.get(t.from_warehouse_id),
            toWarehouse=warehouses.get(t.to_warehouse_id),
            createdBy=t.created_by_id,
            items=[_line(m) for m in moves[t.id] if m.warehouse_id == t.to_warehouse_id],
        )
        for t in transfers
    ]


async def adjustment_json(ctx: RestContext, adjustment: StockAdjustment) -> dict[str, Any]:
    moves = await _moves_of(ctx, [adjustment.id])
    return row_json(
        adjustment,
        exclude=("company_id", "warehouse_id", "created_by_id"),
        warehouse=adjustment.warehouse_id,
        createdBy=adjustment.created_by_id,
        items=[_line(m) for m in moves[adjustment.id]],
    )


@endpoint(module=MODULE)
async def list_warehouses(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    result = await list_page(ctx.session, WAREHOUSES, args)
    items = [row_json(w) for w in result.rows]
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True)
async def create_warehouse(ctx: RestContext) -> Response:
    warehouse = await service.create_warehouse(session=ctx.session, data=await ctx.body())
    return ok(row_json(warehouse), 201)


@endpoint(module=MODULE)
async def list_transfers(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.StockTransferFilter(
        warehouse_id=id_param(ctx.request, "warehouse", "Warehouse")
    )
    result = await list_page(ctx.session, STOCK_TRANSFERS, args, where=filter)
    items = await transfers_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=TRANSFER_NAMES)
async def create_transfer(ctx: RestContext) -> Response:
    transfer = await service.create_transfer(
        session=ctx.session, data=await ctx.body(), viewer=ctx.viewer
    )
    return ok((await transfers_json(ctx, [transfer]))[0], 201)


@endpoint(module=MODULE, write=True, names=ADJUSTMENT_NAMES)
async def create_adjustment(ctx: RestContext) -> Response:
    adjustment = await service.create_adjustment(
        session=ctx.session, data=await ctx.body(), viewer=ctx.viewer
    )
    return ok(await adjustment_json(ctx, adjustment), 201)


routes = [
    ApiRoute(
        "/inventory/warehouses", list_warehouses, "GET", summary="List warehouses", row=Warehouse
    ),
    ApiRoute(
        "/inventory/warehouses",
        create_warehouse,
        "POST",
        summary="Create a warehouse",
        row=Warehouse,
        body=service.WarehouseCreate,
    ),
    ApiRoute(
        "/inventory/transfers",
        list_transfers,
        "GET",
        summary="List stock transfers",
        row=StockTransfer,
        query=[ref("warehouse")],
    ),
    ApiRoute(
        "/inventory/transfers",
        create_transfer,
        "POST",
        summary="Transfer stock between warehouses",
        row=StockTransfer,
        body=service.TransferCreate,
    ),
    ApiRoute(
        "/inventory/adjustments",
        create_adjustment,
        "POST",
        summary="Adjust stock",
        row=StockAdjustment,
        body=service.AdjustmentCreate,
    ),
]
