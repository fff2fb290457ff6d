"""Inventory factories: warehouses, items with stock, adjustments and transfers."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant

ERRORS = "userErrors { field message code }"
WAREHOUSE = f"""mutation($input: WarehouseCreateInput!) {{ warehouseCreate(input: $input) {{
  warehouse {{ id objectId name isDefault }} {ERRORS} }} }}"""
ADJUST = f"""mutation($input: StockAdjustmentCreateInput!) {{
  stockAdjustmentCreate(input: $input) {{ stockAdjustment {{ id objectId reason
  moves {{ nodes {{ quantity reason sourceType sourceId warehouse {{ name }} }} }} }} {ERRORS} }} }}"""
TRANSFER = f"""mutation($input: StockTransferCreateInput!) {{
  stockTransferCreate(input: $input) {{ stockTransfer {{ id objectId
  fromWarehouse {{ name }} toWarehouse {{ name }}
  moves(orderBy: {{field: QUANTITY, direction: ASC}}) {{ nodes {{ quantity warehouse {{ name }} }} }} }}
  {ERRORS} }} }}"""
STOCK = """query($id: ID!) { item(id: $id) { stockOnHand lowStock minStockAlert
  stock { quantity warehouse { name } variant { name } } } }"""


async def warehouse(api: Api, tenant: Tenant, name: str, **fields: Any) -> dict[str, Any]:
    payload = await api.mutate("warehouseCreate", WAREHOUSE, {"name": name, **fields}, tenant)
    return payload["warehouse"]  # type: ignore[no-any-return]


async def adjust(
    api: Api, tenant: Tenant, warehouse_id: str, item_id: str, quantity: str
) -> dict[str, Any]:
    lines = [{"itemId": item_id, "quantity": quantity}]
    data = await api.data(
        ADJUST, {"input": {"warehouseId": warehouse_id, "reason": "count", "items": lines}}, tenant
    )
    return data["stockAdjustmentCreate"]  # type: ignore[no-any-return]


async def transfer(
    api: Api, tenant: Tenant, source: str, target: str, item_id: str, quantity: str
) -> dict[str, Any]:
    lines = [{"itemId": item_id, "quantity": quantity}]
    data = await api.data(
        TRANSFER,
        {"input": {"fromWarehouseId": source, "toWarehouseId": target, "items": lines}},
        tenant,
    )
    return data["stockTransferCreate"]  # type: ignore[no-any-return]


async def stock_of(api: Api, tenant: Tenant, item_id: str) -> dict[str, Any]:
    return (await api.data(STOCK, {"id": item_id}, tenant))["item"]  # type: ignore[no-any-return]


SETTINGS = f"""mutation {{ inventorySettingsUpdate(input: {{allowNegativeStock: true}}) {{
  allowNegativeStock {ERRORS} }} }}"""


async def allow_negative_stock(api: Api, tenant: Tenant) -> None:
    """Let the company invoice items it has booked no stock of (as tests of other areas
    do, which issue invoices for items without caring about stock)."""
    payload = await api.data(SETTINGS, None, tenant)
    assert payload["inventorySettingsUpdate"]["userErrors"] == []
