"""Inventory over GraphQL: warehouses and the one default, adjustments and transfers
as moves, stock per warehouse, the low-stock flag and filter, the negative-stock
setting, invoices and bills moving stock, and validation errors naming the field."""

from __future__ import annotations

from typing import Any

from tests.factories import Api
from tests.inventory import ERRORS, adjust, stock_of, transfer, warehouse

UPDATE = f"""mutation($input: WarehouseUpdateInput!) {{ warehouseUpdate(input: $input) {{
  warehouse {{ name isDefault }} {ERRORS} }} }}"""
WAREHOUSES = "{ warehouses { totalCount nodes { name isDefault } } }"
SETTINGS = f"""mutation($allow: Boolean!) {{
  inventorySettingsUpdate(input: {{allowNegativeStock: $allow}}) {{ allowNegativeStock {ERRORS} }} }}"""
ITEM_UPDATE = f"""mutation($input: ItemUpdateInput!) {{ itemUpdate(input: $input) {{
  item {{ minStockAlert lowStock }} {ERRORS} }} }}"""
LOW = """query($low: Boolean!) { items(filter: {lowStock: $low}) { nodes { name } } }"""
ISSUE = f"""mutation($id: ID!) {{ documentIssue(input: {{id: $id}}) {{
  document {{ status }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{ documentCancel(input: {{id: $id}}) {{
  document {{ status }} {ERRORS} }} }}"""
MOVES = """query($source: ID!) { stockMoves(filter: {sourceId: $source}, orderBy: {field: CREATED_AT,
  direction: ASC}) { totalCount nodes { quantity reason sourceType item { name } warehouse { name } } } }"""


async def test_the_first_warehouse_is_the_default_and_the_flag_moves(api: Api) -> None:
    owner = await api.register()
    main = await warehouse(api, owner, "Main", address="1 Dock Road")
    annex = await warehouse(api, owner, "Annex", code="AX")
    assert main["isDefault"] and not annex["isDefault"]
    # when the annex is made the default
    made = await api.data(UPDATE, {"input": {"id": annex["id"], "isDefault": True}}, owner)
    assert made["warehouseUpdate"]["warehouse"] == {"name": "Annex", "isDefault": True}
    listed = (await api.data(WAREHOUSES, None, owner))["warehouses"]
    assert listed["nodes"] == [
        {"name": "Annex", "isDefault": True},
        {"name": "Main", "isDefault": False},
    ]
    # unsetting the default is refused: a company always has one
    refused = await api.data(UPDATE, {"input": {"id": annex["id"], "isDefault": False}}, owner)
    assert refused["warehouseUpdate"]["userErrors"][0]["field"] == ["input", "isDefault"]


async def test_adjustments_and_transfers_are_moves_and_stock_per_warehouse(api: Api) -> None:
    owner = await api.register()
    item = await api.item(owner, name="Widget")
    main, annex = await warehouse(api, owner, "Main"), await warehouse(api, owner, "Annex")
    adjusted = await adjust(api, owner, main["id"], item["id"], "10")
    assert adjusted["userErrors"] == []
    assert adjusted["stockAdjustment"]["moves"]["nodes"] == [
        {
            "quantity": "10.0000",
            "reason": "ADJUSTMENT",
            "sourceType": "STOCK_ADJUSTMENT",
            "sourceId": adjusted["stockAdjustment"]["objectId"],
            "warehouse": {"name": "Main"},
        }
    ]
    moved = await transfer(api, owner, main["id"], annex["id"], item["id"], "3.5")
    assert moved["userErrors"] == []
    assert moved["stockTransfer"]["moves"]["nodes"] == [
        {"quantity": "-3.5000", "warehouse": {"name": "Main"}},
        {"quantity": "3.5000", "warehouse": {"name": "Annex"}},
    ]
    stock = await stock_of(api, owner, item["id"])
    assert stock["stockOnHand"] == "10.0000"
    assert sorted((s["warehouse"]["name"], s["quantity"]) for s in stock["stock"]) == [
        ("Annex", "3.5000"),
        ("Main", "6.5000"),
    ]


async def test_transfers_and_adjustments_refuse_what_they_must(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    item = await api.item(owner, name="Widget")
    main, annex = await warehouse(api, owner, "Main"), await warehouse(api, owner, "Annex")
    theirs = await warehouse(api, other, "Theirs")
    same = await transfer(api, owner, main["id"], main["id"], item["id"], "1")
    assert [(e["field"], e["code"]) for e in same["userErrors"]] == [
        (["input", "toWarehouseId"], "INVALID")
    ]
    short = await transfer(api, owner, main["id"], annex["id"], item["id"], "1")
    assert short["stockTransfer"] is None
    assert short["userErrors"] == [
        {
            "field": ["input", "items"],
            "message": "Not enough stock of Widget in Main: 0.0000 on hand, 1.0000 needed",
            "code": "INSUFFICIENT_STOCK",
        }
    ]
    negative = await transfer(api, owner, main["id"], annex["id"], item["id"], "-1")
    assert negative["userErrors"][0]["field"] == ["input", "items", "0", "quantity"]
    foreign = await adjust(api, owner, theirs["id"], item["id"], "1")
    assert [(e["field"], e["code"]) for e in foreign["userErrors"]] == [
        (["input", "warehouseId"], "NOT_FOUND")
    ]
    unknown = await transfer(api, owner, main["id"], annex["id"], "0" * 24, "1")
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [
        (["input", "items", "0", "itemId"], "NOT_FOUND")
    ]
    # the company allows negative stock: the same adjustment goes through
    allowed = await api.data(SETTINGS, {"allow": True}, owner)
    assert allowed["inventorySettingsUpdate"] == {"allowNegativeStock": True, "userErrors": []}
    assert (await adjust(api, owner, main["id"], item["id"], "-2"))["userErrors"] == []
    assert (await stock_of(api, owner, item["id"]))["stockOnHand"] == "-2.0000"


async def test_low_stock_follows_the_minimum_alert(api: Api) -> None:
    owner = await api.register()
    item = await api.item(owner, name="Widget", minStockAlert="5")
    await api.item(owner, name="Gadget")
    main = await warehouse(api, owner, "Main")
    assert (await stock_of(api, owner, item["id"]))["lowStock"] is True
    assert (await api.data(LOW, {"low": True}, owner))["items"]["nodes"] == [{"name": "Widget"}]
    await adjust(api, owner, main["id"], item["id"], "5")
    assert (await stock_of(api, owner, item["id"]))["lowStock"] is False
    assert (await api.data(LOW, {"low": True}, owner))["items"]["nodes"] == []
    changed = await api.data(
        ITEM_UPDATE, {"input": {"id": item["id"], "minStockAlert": "6"}}, owner
    )
    assert changed["itemUpdate"]["item"] == {"minStockAlert": "6.0000", "lowStock": True}


async def test_invoices_and_bills_move_stock_and_cancelling_reverses(api: Api) -> None:
    owner = await api.register()
    item = await api.item(owner, name="Widget")
    service = await api.item(owner, name="Fitting", type="SERVICE")
    supplier = await api.contact(owner, type="supplier")
    customer = await api.contact(owner)
    lines: list[dict[str, Any]] = [
        {"itemId": item["id"], "quantity": "4", "unitPrice": "5"},
        {"itemId": service["id"], "quantity": "1", "unitPrice": "50"},
    ]
    bill = await api.document(owner, supplier["id"], lines=lines, kind="BILL")
    assert (await api.data(ISSUE, {"id": bill["id"]}, owner))["documentIssue"]["userErrors"] == []
    invoice = await api.document(owner, customer["id"], lines=lines)
    assert (await api.data(ISSUE, {"id": invoice["id"]}, owner))["documentIssue"][
        "userErrors"
    ] == []
    assert (await stock_of(api, owner, item["id"]))["stockOnHand"] == "0.0000"
    # a second invoice for more than is left is refused on its lines, and stays a draft
    more = await api.document(owner, customer["id"], lines=lines[:1])
    refused = (await api.data(ISSUE, {"id": more["id"]}, owner))["documentIssue"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["input", "lines"], "INSUFFICIENT_STOCK")
    ]
    # cancelling the issued invoice puts its stock back, as a new move
    cancelled = (await api.data(CANCEL, {"id": invoice["id"]}, owner))["documentCancel"]
    assert cancelled["userErrors"] == []
    moves = (await api.data(MOVES, {"source": invoice["objectId"]}, owner))["stockMoves"]
    assert [(m["quantity"], m["reason"], m["sourceType"]) for m in moves["nodes"]] == [
        ("-4.0000", "SALE", "DOCUMENT"),
        ("4.0000", "REVERSAL", "DOCUMENT"),
    ]
    assert {m["warehouse"]["name"] for m in moves["nodes"]} == {"Main warehouse"}
    assert (await stock_of(api, owner, item["id"]))["stockOnHand"] == "4.0000"
