"""The stock-move service (gql/domains/inventory/stock.py) called directly, in a
tenant's session: moves and levels, the default warehouse made on demand, the refusal
below zero and the company's permission to go there, services ignored, unknown and
other companies' ids not found."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from gql.core.errors import UserInputError
from gql.domains.companies.models import Company
from gql.domains.inventory.models import StockLevel, StockMove, Warehouse
from gql.domains.inventory.stock import StockChange, move_stock
from tests.factories import Api, Tenant, tenant_db


async def moved(app: Any, tenant: Tenant, changes: list[StockChange], **kw: Any) -> list[Any]:
    async with tenant_db(app, tenant.company_id) as session:
        moves = await move_stock(
            session,
            changes,
            reason=kw.pop("reason", "adjustment"),
            source_type="stock_adjustment",
            source_id=None,
            **kw,
        )
        await session.commit()
        return moves


async def levels(app: Any, tenant: Tenant) -> dict[tuple[str, str], Decimal]:
    async with tenant_db(app, tenant.company_id) as session:
        rows = (
            await session.execute(
                select(StockLevel.item_id, StockLevel.warehouse_id, StockLevel.quantity)
            )
        ).all()
        return {(i, w): q for i, w, q in rows}


async def test_moves_write_levels_in_the_default_warehouse_made_once(api: Api, app: Any) -> None:
    owner = await api.register()
    item = await api.item(owner)
    await moved(app, owner, [StockChange(item["objectId"], Decimal("5"))])
    await moved(app, owner, [StockChange(item["id"], Decimal("-2.5"))])
    async with tenant_db(app, owner.company_id) as session:
        (warehouse,) = (await session.scalars(select(Warehouse))).all()
        total = sum((await session.scalars(select(StockMove.quantity))).all(), Decimal(0))
    assert warehouse.is_default and warehouse.name == "Main warehouse"
    assert await levels(app, owner) == {(item["objectId"], warehouse.id): Decimal("2.5000")}
    assert total == Decimal("2.5")


async def test_below_zero_is_refused_unless_the_company_allows_it(api: Api, app: Any) -> None:
    owner = await api.register()
    item = await api.item(owner, name="Widget")
    await moved(app, owner, [StockChange(item["objectId"], Decimal("1"))])
    with pytest.raises(UserInputError) as refused:
        await moved(app, owner, [StockChange(item["objectId"], Decimal("-3"))], field="lines")
    (error,) = refused.value.errors
    assert error.path == ("lines",) and error.code.value == "INSUFFICIENT_STOCK"
    assert "Widget" in error.message and "1.0000 on hand, 3.0000 needed" in error.message
    async with tenant_db(app, owner.company_id) as session:
        await session.execute(
            update(Company).where(Company.id == owner.company_id).values(allow_negative_stock=True)
        )
        await session.commit()
    await moved(app, owner, [StockChange(item["objectId"], Decimal("-3"))])
    assert list((await levels(app, owner)).values()) == [Decimal("-2.0000")]


async def test_services_are_ignored_and_unknown_ids_not_found(api: Api, app: Any) -> None:
    owner, other = await api.register(), await api.register()
    service = await api.item(owner, type="SERVICE")
    theirs = await api.item(other)
    assert await moved(app, owner, [StockChange(service["objectId"], Decimal("-4"))]) == []
    with pytest.raises(UserInputError) as refused:
        await moved(
            app,
            owner,
            [
                StockChange(theirs["objectId"], Decimal("1")),
                StockChange("nope", Decimal("1"), warehouse_id="x" * 24),
            ],
        )
    assert [(e.path, e.code.value) for e in refused.value.errors] == [
        (("items", "0", "itemId"), "NOT_FOUND"),
        (("items", "1", "itemId"), "NOT_FOUND"),
        (("items", "1", "warehouseId"), "NOT_FOUND"),
    ]
