"""Numbors REST /api/contracts and /api/contracts/proposals: the documented paths and
fields, the contact populated, envelopes, status codes, errors naming the fields the
client sent, and 403 while the contracts module is off."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from tests.factories import Api, Tenant, member_of

MODULE_OFF = """mutation { moduleSet(input: {alias: "contracts", enabled: false}) {
  userErrors { message } } }"""
SIGN = """mutation($id: ID!) { contractSign(input: {id: $id}) { userErrors { message } } }"""
SEND = """mutation($id: ID!) { proposalSend(input: {id: $id}) { userErrors { message } } }"""
ACCEPT = """mutation($id: ID!) { proposalAccept(input: {id: $id, contract: {}}) {
  proposal { contract { objectId } } userErrors { message } } }"""
PATHS = ("/api/contracts", "/api/contracts/proposals")


def body(r: httpx.Response) -> Any:
    """The response with exact decimals."""
    return json.loads(r.text, parse_float=Decimal)


async def post(api: Api, tenant: Tenant, path: str, **fields: Any) -> dict[str, Any]:
    r = await api.rest("POST", path, tenant, json=fields)
    assert r.status_code == 201, r.text
    return body(r)["data"]  # type: ignore[no-any-return]


async def test_create_and_list_contracts_with_their_contact(api):
    # given a customer
    owner = await api.register()
    customer = await api.contact(owner, name="Acme Ltd", email="ops@acme-example.com")
    start = date.today() - timedelta(days=1)
    # when contracts are POSTed with the documented fields
    created = await post(
        api,
        owner,
        "/api/contracts",
        title="Annual support",
        contact=customer["id"],
        startDate=start.isoformat(),
        endDate="2099-12-31",
        value=1200.5,
    )
    await post(api, owner, "/api/contracts", title="Hosting", contact=customer["id"])
    # then the contract comes back with its contact populated, exact, a draft
    assert created["title"] == "Annual support" and created["status"] == "draft"
    assert created["value"] == Decimal("1200.50") and created["currency"] == "USD"
    assert created["startDate"] == start.isoformat() and created["endDate"] == "2099-12-31"
    assert created["contact"] == {
        "id": customer["id"],
        "name": "Acme Ltd",
        "email": "ops@acme-example.com",
        "type": "customer",
    }
    assert "companyId" not in created and "contactId" not in created
    # and once signed, the list shows its status today, paginated
    await api.data(SIGN, {"id": created["id"]}, owner)
    r = await api.rest("GET", "/api/contracts?limit=1", owner)
    assert r.status_code == 200
    listed = body(r)
    assert listed["success"] is True and [c["title"] for c in listed["data"]] == ["Hosting"]
    assert listed["pagination"] == {"page": 1, "limit": 1, "total": 2, "pages": 2}
    assert listed["data"][0]["contact"]["name"] == "Acme Ltd"
    r = await api.rest("GET", "/api/contracts?status=active", owner)
    assert [(c["title"], c["status"]) for c in body(r)["data"]] == [("Annual support", "active")]
    r = await api.rest("GET", f"/api/contracts?contact={customer['id']}&search=host", owner)
    assert [c["title"] for c in body(r)["data"]] == ["Hosting"]
    r = await api.rest("GET", "/api/contracts?status=ongoing", owner)
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "status"


async def test_contract_validation_names_the_numbors_fields(api):
    owner = await api.register()
    customer = await api.contact(owner)
    r = await api.rest("POST", "/api/contracts", owner, json={"value": -5})
    assert r.status_code == 400
    assert {e["field"] for e in body(r)["errors"]} == {"title", "contact", "value"}
    r = await api.rest(
        "POST",
        "/api/contracts",
        owner,
        json={
            "title": "T",
            "contact": customer["id"],
            "startDate": "2026-02-01",
            "endDate": "2026-01-01",
        },
    )
    assert body(r)["errors"] == [
        {"field": "endDate", "message": "must not be before startDate", "code": "INVALID"}
    ]
    r = await api.rest("POST", "/api/contracts", owner, json={"title": "T", "contact": "0" * 24})
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "contact", "message": "Contact not found", "code": "NOT_FOUND"}
    ]


async def test_create_and_list_proposals_with_their_contact_and_sections(api):
    owner = await api.register()
    customer = await api.contact(owner, name="Globex")
    created = await post(
        api,
        owner,
        "/api/contracts/proposals",
        title="Shop build",
        contact=customer["id"],
        value=9000,
        sections=[{"title": "Scope", "body": "Catalogue and checkout"}, {"title": "Terms"}],
    )
    assert created["status"] == "draft" and created["value"] == Decimal("9000.00")
    assert created["contact"]["name"] == "Globex" and created["contract"] is None
    assert created["sections"] == [
        {"title": "Scope", "body": "Catalogue and checkout"},
        {"title": "Terms", "body": ""},
    ]
    assert "dealId" not in created and "companyId" not in created
    # accepted over GraphQL into a contract: the REST list shows it
    await api.data(SEND, {"id": created["id"]}, owner)
    accepted = await api.data(ACCEPT, {"id": created["id"]}, owner)
    contract_id = accepted["proposalAccept"]["proposal"]["contract"]["objectId"]
    await post(api, owner, "/api/contracts/proposals", title="Logo", contact=customer["id"])
    r = await api.rest("GET", "/api/contracts/proposals?status=accepted", owner)
    listed = body(r)
    assert [(p["title"], p["contract"]) for p in listed["data"]] == [("Shop build", contract_id)]
    assert listed["data"][0]["sections"][0]["title"] == "Scope"
    r = await api.rest("GET", "/api/contracts/proposals", owner)
    assert [p["title"] for p in body(r)["data"]] == ["Logo", "Shop build"]
    assert body(r)["pagination"]["total"] == 2
    r = await api.rest("GET", "/api/contracts", owner)
    assert [c["title"] for c in body(r)["data"]] == ["Shop build"]


async def test_proposal_validation_names_the_numbors_fields(api):
    owner = await api.register()
    customer = await api.contact(owner)
    r = await api.rest(
        "POST",
        "/api/contracts/proposals",
        owner,
        json={"contact": customer["id"], "sections": [{"body": "no title"}], "value": "x"},
    )
    assert r.status_code == 400
    assert {e["field"] for e in body(r)["errors"]} == {"title", "sections[0].title", "value"}


async def test_status_codes_for_auth_role_and_module(api, app):
    owner = await api.register()
    for path in PATHS:
        assert (await api.client.get(path)).status_code == 401
    viewer = await member_of(api, app, owner, "viewer")
    for path in PATHS:
        assert (await api.rest("GET", path, viewer)).status_code == 200
        assert (await api.rest("POST", path, viewer, json={})).status_code == 403
    # when the module is off, every path says so
    await api.data(MODULE_OFF, None, owner)
    for method in ("GET", "POST"):
        for path in PATHS:
            r = await api.rest(method, path, owner, json={} if method == "POST" else None)
            assert r.status_code == 403, (method, path)
            assert body(r)["message"] == (
                "The Contracts module (contracts) is not enabled for this company"
            )
