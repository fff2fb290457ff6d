"""Numbors REST of the point of sale: every documented path with its body, status codes,
populated fields, errors naming the client's fields, another company's ids not found,
and 403 while the pos module is off."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant
from tests.pos import stocked_item

MODULE_OFF = """mutation { moduleSet(input: {alias: "pos", enabled: false}) {
  userErrors { message } } }"""


def body(r: Any, status: int = 200) -> dict[str, Any]:
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


async def post(api: Api, tenant: Tenant, path: str, **fields: Any) -> dict[str, Any]:
    return body(await api.rest("POST", path, tenant, json=fields), 201)["data"]  # type: ignore[no-any-return]


async def test_terminals_sessions_orders_and_loyalty(api: Api, app: Any) -> None:
    owner = await api.register()
    # POST /api/pos/terminals {name, location}
    terminal = await post(api, owner, "/api/pos/terminals", name="Checkout 1", location="Front")
    assert (terminal["name"], terminal["location"], terminal["enabled"]) == (
        "Checkout 1",
        "Front",
        True,
    )
    assert len(terminal["cashAccount"]) == 24 and terminal["warehouse"] is None
    listed = body(await api.rest("GET", "/api/pos/terminals", owner))
    assert [t["id"] for t in listed["data"]] == [terminal["id"]]
    assert listed["pagination"]["total"] == 1
    # POST /api/pos/sessions/open {terminal, openingFloat}
    opened = await post(
        api, owner, "/api/pos/sessions/open", terminal=terminal["id"], openingFloat=50
    )
    assert opened["status"] == "open" and opened["openingFloat"] == 50
    assert opened["terminal"] == {"id": terminal["id"], "name": "Checkout 1", "location": "Front"}
    assert opened["user"] == {"id": owner.user_id, "name": "Owner", "email": owner.email}
    # GET /api/pos/sessions: with populated terminal and user
    sessions = body(await api.rest("GET", "/api/pos/sessions", owner))["data"]
    assert [(s["id"], s["terminal"]["name"], s["user"]["name"]) for s in sessions] == [
        (opened["id"], "Checkout 1", "Owner")
    ]
    # POST /api/pos/loyalty/programs {name, pointsPerPound}
    programme = await post(
        api, owner, "/api/pos/loyalty/programs", name="Points Rewards", pointsPerPound=1
    )
    assert (programme["name"], programme["pointsPerPound"], programme["active"]) == (
        "Points Rewards",
        1,
        True,
    )
    loyalty = body(await api.rest("GET", "/api/pos/loyalty", owner))["data"]
    assert [p["id"] for p in loyalty] == [programme["id"]]
    # POST /api/pos/orders {session, items, paymentMethod}
    item = await stocked_item(api, app, owner, salePrice="2.50")
    buyer = await api.contact(owner)
    order = await post(
        api,
        owner,
        "/api/pos/orders",
        session=opened["id"],
        items=[{"item": item["objectId"], "quantity": 4}, {"item": item["objectId"], "price": 1}],
        paymentMethod="card",
        contact=buyer["id"],
    )
    assert (order["number"], order["paymentMethod"], order["total"]) == (1, "card", 11)
    assert order["loyaltyPoints"] == 11 and order["contact"] == buyer["id"]
    assert [(i["item"], i["quantity"], i["unitPrice"], i["net"]) for i in order["items"]] == [
        (item["objectId"], 4, 2.5, 10),
        (item["objectId"], 1, 1, 1),
    ]
    assert len(order["transaction"]) == 24
    # a card order adds nothing to the session's expected cash
    (listed_session,) = body(await api.rest("GET", "/api/pos/sessions", owner))["data"]
    assert (listed_session["expectedCash"], listed_session["orderCount"]) == (50, 1)


async def test_errors_name_the_fields_as_sent(api: Api, app: Any) -> None:
    owner = await api.register()
    terminal = await post(api, owner, "/api/pos/terminals", name="Checkout 1")
    r = await api.rest("POST", "/api/pos/terminals", owner, json={"location": "x"})
    assert [e["field"] for e in body(r, 400)["errors"]] == ["name"]
    r = await api.rest("POST", "/api/pos/sessions/open", owner, json={"openingFloat": -1})
    assert sorted(e["field"] for e in body(r, 400)["errors"]) == ["openingFloat", "terminal"]
    session = await post(api, owner, "/api/pos/sessions/open", terminal=terminal["id"])
    r = await api.rest("POST", "/api/pos/sessions/open", owner, json={"terminal": terminal["id"]})
    assert body(r, 400)["errors"] == [
        {
            "field": "terminal",
            "message": "The terminal has an open session; close it first",
            "code": "TAKEN",
        }
    ]
    item = await stocked_item(api, app, owner, "1")
    for items, field, code in (
        ([{"item": "000000000000000000000000"}], "items[0].item", "NOT_FOUND"),
        ([{"item": item["objectId"], "quantity": "0"}], "items[0].quantity", "INVALID"),
        ([{"item": item["objectId"], "quantity": 2}], "items", "INSUFFICIENT_STOCK"),
    ):
        r = await api.rest(
            "POST", "/api/pos/orders", owner, json={"session": session["id"], "items": items}
        )
        errors = body(r, 400)["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], errors
    r = await api.rest(
        "POST",
        "/api/pos/orders",
        owner,
        json={
            "session": session["id"],
            "items": [{"item": item["objectId"]}],
            "paymentMethod": "cheque",
        },
    )
    assert [e["field"] for e in body(r, 400)["errors"]] == ["paymentMethod"]
    r = await api.rest(
        "POST", "/api/pos/loyalty/programs", owner, json={"name": "X", "pointsPerPound": -1}
    )
    assert [e["field"] for e in body(r, 400)["errors"]] == ["pointsPerPound"]


async def test_another_companys_ids_are_not_found(api: Api, app: Any) -> None:
    owner, other = await api.register(), await api.register()
    terminal = await post(api, owner, "/api/pos/terminals", name="Theirs")
    session = await post(api, owner, "/api/pos/sessions/open", terminal=terminal["id"])
    await post(api, owner, "/api/pos/loyalty/programs", name="Theirs")
    for path in ("/api/pos/terminals", "/api/pos/sessions", "/api/pos/loyalty"):
        assert body(await api.rest("GET", path, other))["data"] == []
    r = await api.rest("POST", "/api/pos/sessions/open", other, json={"terminal": terminal["id"]})
    assert [(e["field"], e["code"]) for e in body(r, 400)["errors"]] == [("terminal", "NOT_FOUND")]
    item = await stocked_item(api, app, other)
    r = await api.rest(
        "POST",
        "/api/pos/orders",
        other,
        json={"session": session["id"], "items": [{"item": item["objectId"]}]},
    )
    assert [(e["field"], e["code"]) for e in body(r, 400)["errors"]] == [("session", "NOT_FOUND")]


async def test_every_path_is_403_while_the_module_is_off(api: Api) -> None:
    owner = await api.register()
    assert (await api.data(MODULE_OFF, None, owner))["moduleSet"]["userErrors"] == []
    for method, path in (
        ("GET", "/api/pos/terminals"),
        ("POST", "/api/pos/terminals"),
        ("GET", "/api/pos/sessions"),
        ("POST", "/api/pos/sessions/open"),
        ("POST", "/api/pos/orders"),
        ("GET", "/api/pos/loyalty"),
        ("POST", "/api/pos/loyalty/programs"),
    ):
        r = await api.rest(method, path, owner, json={})
        assert r.status_code == 403, (method, path)
        assert r.json()["message"] == (
            "The Point of Sale module (pos) is not enabled for this company"
        ), r.json()
