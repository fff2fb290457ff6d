"""Numbors REST of bank feeds: GET /api/banking/feeds (sorted by date), GET/POST
/api/banking/feeds/connections {provider, account}, GET/POST /api/banking/feeds/rules
{pattern, category, contact?}, and our POST /api/banking/feeds/import; status codes,
populated fields, errors naming the client's fields, 403 while banking is off."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from tests.bankfeeds import MAPPING, STATEMENT, category
from tests.factories import Api, Tenant
from tests.test_money_concurrency import account

MODULE_OFF = """mutation { moduleSet(input: {alias: "banking", enabled: false}) {
  userErrors { message } } }"""
ACCOUNT_OBJECT_ID = "query($id: ID!) { node(id: $id) { ... on Account { objectId } } }"


def body(r: httpx.Response) -> Any:
    return json.loads(r.text, parse_float=Decimal)


async def post(api: Api, tenant: Tenant, path: str, **fields: Any) -> dict[str, Any]:
    r = await api.rest("POST", path, tenant, json=fields)
    assert r.status_code == 201, r.text
    return body(r)["data"]  # type: ignore[no-any-return]


async def _account(api: Api, tenant: Tenant) -> str:
    """A bank account's object id (opening balance 1000)."""
    gid = await account(api, tenant)
    return (await api.data(ACCOUNT_OBJECT_ID, {"id": gid}, tenant))["node"]["objectId"]  # type: ignore[no-any-return]


async def test_connections_are_created_and_listed_with_account_and_reconciliation(api):
    owner = await api.register()
    account_id = await _account(api, owner)
    made = await post(
        api, owner, "/api/banking/feeds/connections", provider="TrueLayer", account=account_id
    )
    assert made["provider"] == "TrueLayer" and made["status"] == "active"
    assert made["account"] == {"id": account_id, "name": "Bank", "currency": "USD"}
    assert made["lastImportAt"] is None
    assert made["reconciliation"]["statementBalance"] == Decimal("1000.00")
    r = await api.rest("GET", "/api/banking/feeds/connections", owner)
    assert r.status_code == 200
    listed = body(r)
    assert listed["pagination"]["total"] == 1 and listed["data"][0]["id"] == made["id"]
    r = await api.rest(
        "POST", "/api/banking/feeds/connections", owner, json={"account": account_id}
    )
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "provider", "message": "is required", "code": "REQUIRED"}
    ]
    r = await api.rest(
        "POST", "/api/banking/feeds/connections", owner, json={"provider": "x", "account": "0" * 24}
    )
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "account", "message": "Account not found", "code": "NOT_FOUND"}
    ]


async def test_rules_are_created_and_listed(api):
    owner = await api.register()
    coffee = await category(api, owner, "Coffee", "EXPENSE")
    contact = await api.contact(owner, name="Starbucks", type="supplier")
    made = await post(
        api,
        owner,
        "/api/banking/feeds/rules",
        pattern="STARBUCKS",
        category=coffee["objectId"],
        contact=contact["id"],
    )
    assert made["pattern"] == "STARBUCKS" and made["category"] == coffee["objectId"]
    assert made["contact"] == contact["id"] and made["priority"] == 0
    r = await api.rest("GET", "/api/banking/feeds/rules", owner)
    assert r.status_code == 200 and [x["id"] for x in body(r)["data"]] == [made["id"]]
    r = await api.rest("POST", "/api/banking/feeds/rules", owner, json={"pattern": "x"})
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "category", "message": "is required", "code": "REQUIRED"}
    ]


async def test_a_statement_imported_over_rest_is_listed_by_date(api):
    owner = await api.register()
    account_id = await _account(api, owner)
    made = await post(
        api, owner, "/api/banking/feeds/connections", provider="Plaid", account=account_id
    )
    coffee = await category(api, owner, "Coffee", "EXPENSE")
    await post(
        api, owner, "/api/banking/feeds/rules", pattern="starbucks", category=coffee["objectId"]
    )
    fields = {"connection": made["id"], "format": "csv", "content": STATEMENT, "mapping": MAPPING}
    first = await post(api, owner, "/api/banking/feeds/import", **fields)
    assert (first["lines"], first["newLines"], first["existingLines"]) == (4, 4, 0)
    again = await post(api, owner, "/api/banking/feeds/import", **fields)
    assert (again["newLines"], again["existingLines"]) == (0, 4)
    r = await api.rest("GET", "/api/banking/feeds", owner)
    assert r.status_code == 200
    listed = body(r)
    assert listed["pagination"]["total"] == 4
    dates = [x["date"] for x in listed["data"]]
    assert dates == sorted(dates, reverse=True)
    coffee_line = next(x for x in listed["data"] if "STARBUCKS" in x["description"])
    assert coffee_line["amount"] == Decimal("-4.50") and coffee_line["currency"] == "USD"
    assert coffee_line["category"] == coffee["objectId"] and coffee_line["status"] == "unmatched"
    assert coffee_line["connection"] == made["id"] and coffee_line["account"] == account_id
    assert coffee_line["matchedTransactions"] == []
    r = await api.rest("GET", "/api/banking/feeds", owner, params={"search": "rent"})
    assert [x["description"] for x in body(r)["data"]] == ["Office rent January"]
    r = await api.rest(
        "GET", "/api/banking/feeds", owner, params={"from": "2026-01-06", "to": "2026-01-08"}
    )
    assert body(r)["pagination"]["total"] == 2
    r = await api.rest("GET", "/api/banking/feeds", owner, params={"status": "bogus"})
    assert r.status_code == 400
    bad = {**fields, "content": "Date,Description,Amount,Ref\nnot-a-day,x,1,\n"}
    r = await api.rest("POST", "/api/banking/feeds/import", owner, json=bad)
    assert r.status_code == 400
    assert body(r)["errors"][0]["field"] == "content[2].date"


async def test_every_path_is_403_while_banking_is_off(api):
    owner = await api.register()
    assert (await api.data(MODULE_OFF, None, owner))["moduleSet"]["userErrors"] == []
    for method, path in (
        ("GET", "/api/banking/feeds"),
        ("GET", "/api/banking/feeds/connections"),
        ("POST", "/api/banking/feeds/connections"),
        ("GET", "/api/banking/feeds/rules"),
        ("POST", "/api/banking/feeds/rules"),
        ("POST", "/api/banking/feeds/import"),
    ):
        r = await api.rest(method, path, owner, json={})
        assert r.status_code == 403, (method, path)
        assert r.json()["message"] == "The Banking module (banking) is not enabled for this company"
    gql = await api.gql("{ bankFeedTransactions { totalCount } }", None, owner)
    assert gql["errors"][0]["extensions"]["code"] == "FORBIDDEN"
