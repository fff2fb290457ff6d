"""Stock under parallel requests (PostgreSQL): transfers, adjustments and invoice issues
racing on one item's stock never take it below zero while that is refused, exactly as
many of them go through as the stock allows, and afterwards every level equals the sum
of its moves. Also: the default warehouse made on demand by racing first moves is one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from gql.domains.inventory.models import StockLevel, StockMove, Warehouse
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, concurrently, count_rows, tenant_db
from tests.inventory import ADJUST, TRANSFER, adjust, stock_of, warehouse

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="parallel requests need PostgreSQL")

ISSUE = """mutation($id: ID!) { documentIssue(input: {id: $id}) {
  userErrors { field message code } } }"""


def payloads(responses: list[Any]) -> list[dict[str, Any]]:
    out = []
    for r in responses:
        assert r.status_code == 200, r.text
        body = r.json()
        assert "errors" not in body, body["errors"]
        (payload,) = body["data"].values()
        out.append(payload)
    return out


async def levels_equal_moves(app: Any, tenant: Tenant) -> dict[tuple[str, str], Decimal]:
    async with tenant_db(app, tenant.company_id) as session:
        levels = {
            (w, i): q
            for w, i, q in (
                await session.execute(
                    select(StockLevel.warehouse_id, StockLevel.item_id, StockLevel.quantity)
                )
            ).all()
        }
        moves: dict[tuple[str, str], Decimal] = {}
        for w, i, q in (
            await session.execute(
                select(StockMove.warehouse_id, StockMove.item_id, StockMove.quantity)
            )
        ).all():
            moves[(w, i)] = moves.get((w, i), Decimal(0)) + q
    assert levels == moves
    return levels


def gql(query: str, input: dict[str, Any]) -> tuple[str, str, Any]:
    return ("POST", "/graphql", {"query": query, "variables": {"input": input}})


async def test_racing_transfers_adjustments_and_invoices_never_go_below_zero(
    api: Api, app: Any
) -> None:
    # given 5 units in the default warehouse and an empty annex
    owner = await api.register()
    item = await api.item(owner, name="Widget")
    main = await warehouse(api, owner, "Main")
    annex = await warehouse(api, owner, "Annex")
    assert (await adjust(api, owner, main["id"], item["id"], "5"))["userErrors"] == []
    customer = await api.contact(owner)
    line = [{"itemId": item["id"], "quantity": "1", "unitPrice": "10"}]
    invoices = [await api.document(owner, customer["id"], lines=line) for _ in range(4)]
    one = [{"itemId": item["id"], "quantity": "1"}]
    # when 4 transfers, 4 write-offs and 4 invoice issues of one unit each race
    requests = [
        *[
            gql(
                TRANSFER,
                {"fromWarehouseId": main["id"], "toWarehouseId": annex["id"], "items": one},
            )
        ]
        * 4,
        *[gql(ADJUST, {"warehouseId": main["id"], "items": [{**one[0], "quantity": "-1"}]})] * 4,
        *[("POST", "/graphql", {"query": ISSUE, "variables": {"id": d["id"]}}) for d in invoices],
    ]
    results = payloads(await concurrently(app, owner, requests))
    # then exactly five went through, the others were refused for stock
    won = [p for p in results if not p["userErrors"]]
    lost = [p for p in results if p["userErrors"]]
    assert len(won) == 5
    assert {e["code"] for p in lost for e in p["userErrors"]} == {"INSUFFICIENT_STOCK"}
    levels = await levels_equal_moves(app, owner)
    main_object = main["objectId"]
    assert levels[(main_object, item["objectId"])] == 0
    assert min(levels.values()) >= 0
    assert (await stock_of(api, owner, item["id"]))["stockOnHand"] == (
        f"{sum(levels.values()):.4f}"
    )


async def test_racing_first_moves_make_one_default_warehouse(api: Api, app: Any) -> None:
    owner = await api.register()
    item = await api.item(owner)
    supplier = await api.contact(owner, type="supplier")
    line = [{"itemId": item["id"], "quantity": "2", "unitPrice": "3"}]
    bills = [await api.document(owner, supplier["id"], lines=line, kind="BILL") for _ in range(6)]
    requests = [("POST", "/graphql", {"query": ISSUE, "variables": {"id": b["id"]}}) for b in bills]
    assert all(not p["userErrors"] for p in payloads(await concurrently(app, owner, requests)))
    assert await count_rows(app, Warehouse, owner.company_id) == 1
    levels = await levels_equal_moves(app, owner)
    assert list(levels.values()) == [Decimal("12.0000")]
    async with tenant_db(app, owner.company_id) as session:
        assert await session.scalar(select(func.count()).select_from(StockMove)) == 6
