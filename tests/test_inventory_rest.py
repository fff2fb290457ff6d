"""Numbors REST of inventory: every documented path, its status codes, populated
fields, errors naming the client's fields, other companies' ids not found, and 403
while the module is off."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from tests.factories import Api, Tenant

MODULE_OFF = """mutation { moduleSet(input: {alias: "inventory", enabled: false}) {
  userErrors { message } } }"""


def body(r: httpx.Response) -> Any:
    return json.loads(r.text, parse_float=Decimal)


async def post(api: Api, tenant: Tenant, path: str, **fields: Any) -> dict[str, Any]:
    r = await api.rest("POST", path, tenant, json=fields)
    assert r.status_code == 201, r.text
    return body(r)["data"]  # type: ignore[no-any-return]


async def test_warehouses_transfers_and_adjustments(api: Api) -> None:
    owner = await api.register()
    item = await api.item(owner)
    main = await post(api, owner, "/api/inventory/warehouses", name="Main Warehouse")
    annex = await post(api, owner, "/api/inventory/warehouses", name="Annex", address="2 Quay")
    assert main["isDefault"] is True and annex["isDefault"] is False
    assert annex["address"] == "2 Quay"
    listed = body(await api.rest("GET", "/api/inventory/warehouses", owner))
    assert [w["name"] for w in listed["data"]] == ["Annex", "Main Warehouse"]
    assert listed["pagination"]["total"] == 2
    adjusted = await post(
        api,
        owner,
        "/api/inventory/adjustments",
        warehouse=main["id"],
        reason="Stock count",
        items=[{"item": item["objectId"], "quantity": 12}],
    )
    assert adjusted["warehouse"] == main["id"] and adjusted["reason"] == "Stock count"
    assert adjusted["items"] == [{"item": item["objectId"], "variant": None, "quantity": 12}]
    moved = await post(
        api,
        owner,
        "/api/inventory/transfers",
        fromWarehouse=main["id"],
        toWarehouse=annex["id"],
        items=[{"item": item["objectId"], "quantity": "2.5"}],
    )
    assert moved["fromWarehouse"] == {"id": main["id"], "name": "Main Warehouse"}
    assert moved["toWarehouse"] == {"id": annex["id"], "name": "Annex"}
    assert moved["items"] == [
        {"item": item["objectId"], "variant": None, "quantity": Decimal("2.5")}
    ]
    listed_transfers = await api.rest("GET", "/api/inventory/transfers", owner)
    # quantities at their column's scale, as exact JSON numbers
    assert '"quantity":2.5000' in listed_transfers.text.replace(" ", "")
    transfers = body(listed_transfers)
    assert [t["id"] for t in transfers["data"]] == [moved["id"]]
    filtered = await api.rest("GET", f"/api/inventory/transfers?warehouse={annex['id']}", owner)
    assert body(filtered)["pagination"]["total"] == 1


async def test_errors_name_the_fields_sent(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    item = await api.item(owner)
    main = await post(api, owner, "/api/inventory/warehouses", name="Main")
    theirs = await post(api, other, "/api/inventory/warehouses", name="Theirs")
    r = await api.rest("POST", "/api/inventory/warehouses", owner, json={})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "name"
    same = {
        "fromWarehouse": main["id"],
        "toWarehouse": main["id"],
        "items": [{"item": item["objectId"], "quantity": 1}],
    }
    r = await api.rest("POST", "/api/inventory/transfers", owner, json=same)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "toWarehouse"
    short = {**same, "toWarehouse": theirs["id"]}
    r = await api.rest("POST", "/api/inventory/transfers", owner, json=short)
    assert r.status_code == 400, r.text
    assert r.json()["errors"] == [
        {"field": "toWarehouse", "message": "Warehouse not found", "code": "NOT_FOUND"}
    ]
    r = await api.rest(
        "POST",
        "/api/inventory/adjustments",
        owner,
        json={"warehouse": main["id"], "items": [{"item": item["objectId"], "quantity": -1}]},
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {
            "field": "items",
            "message": r.json()["errors"][0]["message"],
            "code": "INSUFFICIENT_STOCK",
        }
    ]
    r = await api.rest(
        "POST",
        "/api/inventory/adjustments",
        owner,
        json={"warehouse": main["id"], "items": [{"item": "x", "variant": "y", "quantity": 1}]},
    )
    assert [e["field"] for e in r.json()["errors"]] == ["items[0].item", "items[0].variant"]


async def test_every_path_is_403_while_the_module_is_off(api: Api) -> None:
    owner = await api.register()
    assert (await api.data(MODULE_OFF, None, owner))["moduleSet"]["userErrors"] == []
    for method, path in (
        ("GET", "/api/inventory/warehouses"),
        ("POST", "/api/inventory/warehouses"),
        ("GET", "/api/inventory/transfers"),
        ("POST", "/api/inventory/transfers"),
        ("POST", "/api/inventory/adjustments"),
    ):
        r = await api.rest(method, path, owner, json={})
        assert r.status_code == 403, (method, path)
        assert "inventory" in r.json()["message"].lower(), r.json()
