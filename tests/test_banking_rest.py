"""Numbors REST /api/accounts, /api/transactions (with `document`: a payment) and
/api/transfers: the documented paths and fields, envelopes, status codes, and errors
naming the fields the client sent."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from tests.factories import Api, Tenant, member_of

ISSUE = (
    "mutation($input: DocumentIdInput!) { documentIssue(input: $input) { userErrors { message } } }"
)
DOCUMENT = (
    "query($id: ID!) { document(id: $id) { status amountPaid { amount } amountDue { amount } } }"
)
CURRENCY_CREATE = """mutation($input: CurrencyCreateInput!) { currencyCreate(input: $input) {
    currency { code } userErrors { field message } } }"""
MODULE_OFF = """mutation($alias: String!) {
  moduleSet(input: {alias: $alias, enabled: false}) { userErrors { message } } }"""


def body(r: httpx.Response) -> Any:
    """The response with exact decimals."""
    return json.loads(r.text, parse_float=Decimal)


async def new_account(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    r = await api.rest(
        "POST",
        "/api/accounts",
        tenant,
        json={"name": "Business Current Account", "type": "bank", **fields},
    )
    assert r.status_code == 201, r.text
    return body(r)["data"]  # type: ignore[no-any-return]


async def issued_invoice(
    api: Api, tenant: Tenant, total: str = "100", **fields: Any
) -> dict[str, Any]:
    contact = await api.contact(tenant)
    doc = await api.document(
        tenant, contact["id"], lines=[{"name": "Work", "unitPrice": total}], **fields
    )
    await api.data(ISSUE, {"input": {"id": doc["id"]}}, tenant)
    return doc


# --- accounts -----------------------------------------------------------------------------------


async def test_create_and_list_accounts(api):
    # given a company with GBP as a currency
    owner = await api.register()
    await api.mutate(
        "currencyCreate", CURRENCY_CREATE, {"code": "GBP", "name": "Pound", "rate": "0.79"}, owner
    )
    # when accounts are created with the documented fields
    created = await new_account(
        api, owner, currency="GBP", openingBalance=1250.5, iban="GB82WEST12345698765432"
    )
    await new_account(api, owner, name="Petty cash", type="cash")
    # then the account comes back with its balance, exact
    assert created["name"] == "Business Current Account" and created["type"] == "bank"
    assert created["currency"] == "GBP" and created["currencyCode"] == "GBP"
    assert created["openingBalance"] == Decimal("1250.50") and created["balance"] == Decimal(
        "1250.50"
    )
    assert (
        created["iban"] == "GB82WEST12345698765432"
        and "ledgerAccountId" not in created
        and "companyId" not in created
    )
    # and the list paginates and filters by type
    r = await api.rest("GET", "/api/accounts", owner)
    assert r.status_code == 200
    listed = body(r)
    assert listed["success"] is True and [a["name"] for a in listed["data"]] == [
        "Business Current Account",
        "Petty cash",
    ]
    assert listed["pagination"] == {"page": 1, "limit": 25, "total": 2, "pages": 1}
    r = await api.rest("GET", "/api/accounts?type=cash&limit=1", owner)
    assert [a["name"] for a in body(r)["data"]] == ["Petty cash"]
    r = await api.rest("GET", "/api/accounts?type=savings", owner)
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "type"


async def test_account_validation_names_the_numbors_fields(api):
    owner = await api.register()
    r = await api.rest("POST", "/api/accounts", owner, json={"type": "vault", "currency": "XXX"})
    assert r.status_code == 400
    assert {e["field"] for e in body(r)["errors"]} == {"name", "type"}
    r = await api.rest(
        "POST", "/api/accounts", owner, json={"name": "X", "type": "bank", "currency": "JPY"}
    )
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "currency", "message": "Currency not found", "code": "NOT_FOUND"}
    ]
    r = await api.rest(
        "POST", "/api/accounts", owner, content=b"[1]", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400


async def test_status_codes_for_auth_role_and_module(api, app):
    owner = await api.register()
    r = await api.client.get("/api/accounts")
    assert r.status_code == 401
    viewer = await member_of(api, app, owner, "viewer")
    assert (await api.rest("GET", "/api/accounts", viewer)).status_code == 200
    for path in ("/api/accounts", "/api/transactions", "/api/transfers"):
        assert (await api.rest("POST", path, viewer, json={})).status_code == 403
    await api.data(MODULE_OFF, {"alias": "banking"}, owner)
    for path in ("/api/accounts", "/api/transactions", "/api/transfers"):
        r = await api.rest("GET", path, owner)
        assert r.status_code == 403 and "banking" in body(r)["message"]


# --- transactions -------------------------------------------------------------------------------


async def test_create_and_list_transactions(api):
    # given an account, a contact and an expense category
    owner = await api.register()
    account = await new_account(api, owner, openingBalance=100)
    contact = await api.contact(owner, type="supplier")
    categories = (await api.rest("GET", "/api/categories?type=expense", owner)).json()["data"]
    # when an expense is posted with the documented fields
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={
            "type": "expense",
            "account": account["id"],
            "amount": 19.99,
            "description": "Stationery",
            "category": categories[0]["id"],
            "contact": contact["id"],
            "paidAt": "2026-04-01T12:30:00Z",
        },
    )
    # then it is created, with the Numbors names for its references
    assert r.status_code == 201, r.text
    tx = body(r)["data"]
    assert tx["type"] == "expense" and tx["amount"] == Decimal("19.99") and tx["currency"] == "USD"
    assert (
        tx["account"] == account["id"]
        and tx["contact"] == contact["id"]
        and tx["category"] == categories[0]["id"]
    )
    assert tx["document"] is None and tx["paidAt"] == "2026-04-01T12:30:00+00:00"
    await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={"type": "income", "account": account["id"], "amount": 5},
    )
    # and the list filters by type and account, and paginates
    r = await api.rest("GET", "/api/transactions?type=income", owner)
    assert [t["amount"] for t in body(r)["data"]] == [Decimal("5.00")]
    r = await api.rest("GET", f"/api/transactions?account={account['id']}&limit=1&page=2", owner)
    listed = body(r)
    assert len(listed["data"]) == 1 and listed["pagination"] == {
        "page": 2,
        "limit": 1,
        "total": 2,
        "pages": 2,
    }
    r = await api.rest("GET", "/api/transactions?account=000000000000000000000000", owner)
    assert body(r)["data"] == [] and body(r)["pagination"]["total"] == 0
    # the account's balance follows
    accounts = body(await api.rest("GET", "/api/accounts", owner))["data"]
    assert accounts[0]["balance"] == Decimal("85.01")


async def test_transaction_errors_name_the_numbors_fields(api):
    owner = await api.register()
    account = await new_account(api, owner)
    r = await api.rest("POST", "/api/transactions", owner, json={"type": "gift", "amount": -1})
    assert r.status_code == 400
    assert {e["field"] for e in body(r)["errors"]} == {"type", "account", "amount"}
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={"type": "income", "account": account["id"], "amount": 1, "contact": "0" * 24},
    )
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "contact", "message": "Contact not found", "code": "NOT_FOUND"}
    ]


async def test_a_transaction_with_a_document_is_a_payment(api):
    # given an issued invoice of 100
    owner = await api.register()
    account = await new_account(api, owner)
    invoice = await issued_invoice(api, owner, total="100")
    # when 40 is posted against it
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={
            "type": "income",
            "account": account["id"],
            "amount": 40,
            "document": invoice["objectId"],
        },
    )
    # then it is a payment on the invoice
    assert r.status_code == 201, r.text
    assert body(r)["data"]["document"] == invoice["objectId"] and body(r)["data"][
        "documentAmount"
    ] == Decimal("40.00")
    doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
    assert doc == {
        "status": "PARTIAL",
        "amountPaid": {"amount": "40.00"},
        "amountDue": {"amount": "60.00"},
    }
    # overpaying and paying a draft are refused, naming the fields sent
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={
            "type": "income",
            "account": account["id"],
            "amount": 61,
            "document": invoice["objectId"],
        },
    )
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "amount"
    contact = await api.contact(owner)
    draft = await api.document(owner, contact["id"])
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={
            "type": "income",
            "account": account["id"],
            "amount": 1,
            "document": draft["objectId"],
        },
    )
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "document"
    # with the invoicing module off, a payment is forbidden (a plain transaction is not)
    await api.data(MODULE_OFF, {"alias": "invoicing"}, owner)
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={
            "type": "income",
            "account": account["id"],
            "amount": 1,
            "document": invoice["objectId"],
        },
    )
    assert r.status_code == 403
    r = await api.rest(
        "POST",
        "/api/transactions",
        owner,
        json={"type": "income", "account": account["id"], "amount": 1},
    )
    assert r.status_code == 201


# --- transfers ----------------------------------------------------------------------------------


async def test_create_and_list_transfers_with_populated_accounts(api):
    owner = await api.register()
    bank = await new_account(api, owner, openingBalance=500)
    cash = await new_account(api, owner, name="Till", type="cash")
    r = await api.rest(
        "POST",
        "/api/transfers",
        owner,
        json={
            "fromAccount": bank["id"],
            "toAccount": cash["id"],
            "amount": 500,
            "description": "Float",
            "paidAt": "2026-05-02T09:00:00Z",
        },
    )
    assert r.status_code == 201, r.text
    transfer = body(r)["data"]
    assert transfer["amount"] == Decimal("500.00") and transfer["toAmount"] == Decimal("500.00")
    assert transfer["fromAccount"] == {
        "id": bank["id"],
        "name": "Business Current Account",
        "type": "bank",
        "currency": "USD",
    }
    assert transfer["toAccount"]["name"] == "Till" and len(transfer["transactions"]) == 2
    listed = body(await api.rest("GET", "/api/transfers", owner))
    assert [t["description"] for t in listed["data"]] == ["Float"] and listed["data"][0][
        "toAccount"
    ]["id"] == cash["id"]
    assert listed["pagination"]["total"] == 1
    balances = {
        a["name"]: a["balance"] for a in body(await api.rest("GET", "/api/accounts", owner))["data"]
    }
    assert balances == {"Business Current Account": Decimal("0.00"), "Till": Decimal("500.00")}
    # both sides show up as transactions of their accounts
    r = await api.rest("GET", f"/api/transactions?account={cash['id']}", owner)
    assert [(t["type"], t["transfer"]) for t in body(r)["data"]] == [("income", transfer["id"])]


async def test_transfer_errors_name_the_numbors_fields(api):
    owner = await api.register()
    bank = await new_account(api, owner)
    r = await api.rest(
        "POST",
        "/api/transfers",
        owner,
        json={"fromAccount": bank["id"], "toAccount": bank["id"], "amount": 5},
    )
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "toAccount"
    r = await api.rest(
        "POST",
        "/api/transfers",
        owner,
        json={"fromAccount": bank["id"], "toAccount": "0" * 24, "amount": 5},
    )
    assert r.status_code == 400
    assert body(r)["errors"] == [
        {"field": "toAccount", "message": "Account not found", "code": "NOT_FOUND"}
    ]
    r = await api.rest("POST", "/api/transfers", owner, json={})
    assert {e["field"] for e in body(r)["errors"]} == {"fromAccount", "toAccount", "amount"}
