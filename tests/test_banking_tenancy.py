"""Cross-tenant: company B can neither see, change, delete, pay with nor reference company
A's accounts, transactions, transfers, documents, contacts or categories, in GraphQL or
REST; A's ids behave exactly like ids that do not exist."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, Tenant

ERRORS = "userErrors { field message code }"
MISSING = "0" * 24

ACCOUNT_CREATE = f"""mutation($input: AccountCreateInput!) {{ accountCreate(input: $input) {{
    account {{ id objectId }} {ERRORS} }} }}"""
TRANSACTION_CREATE = f"""mutation($input: TransactionCreateInput!) {{
  transactionCreate(input: $input) {{
    transaction {{ id objectId }} {ERRORS} }} }}"""
TRANSFER_CREATE = f"""mutation($input: TransferCreateInput!) {{ transferCreate(input: $input) {{
    transfer {{ id objectId }} {ERRORS} }} }}"""
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
    transaction {{ id }} {ERRORS} }} }}"""
ISSUE = (
    "mutation($input: DocumentIdInput!) { documentIssue(input: $input) { userErrors { message } } }"
)
CATEGORIES = "{ categories { nodes { id type } } }"
DOCUMENT = "query($id: ID!) { document(id: $id) { status amountPaid { amount } payments { id } } }"
LISTS = """{ accounts { totalCount nodes { id } } transactions { totalCount nodes { id } }
    transfers { totalCount nodes { id } } }"""

SINGLE = {
    "account": "query($id: ID!) { account(id: $id) { name balance { amount } } }",
    "transaction": "query($id: ID!) { transaction(id: $id) { amount { amount } } }",
    "transfer": "query($id: ID!) { transfer(id: $id) { amount } }",
}
MUTATIONS = {
    "accountUpdate": ("AccountUpdateInput", "account { id }", {"name": "Stolen"}),
    "accountDelete": ("AccountDeleteInput", "deletedAccountId", {}),
    "transactionDelete": ("TransactionDeleteInput", "deletedTransactionId", {}),
    "transferDelete": ("TransferDeleteInput", "deletedTransferId", {}),
}
TARGET = {
    "accountUpdate": "account",
    "accountDelete": "account",
    "transactionDelete": "transaction",
    "transferDelete": "transfer",
}


async def books(api: Api, tenant: Tenant) -> dict[str, Any]:
    """An account, a second one, a transaction, a transfer, a customer, a category, and an
    issued invoice with a payment."""
    ids: dict[str, Any] = {}
    for key, name in (("account", "Main"), ("other_account", "Till")):
        payload = await api.mutate(
            "accountCreate",
            ACCOUNT_CREATE,
            {"name": name, "type": "BANK", "openingBalance": "100"},
            tenant,
        )
        ids[key] = payload["account"]
    contact = await api.contact(tenant)
    ids["contact"] = contact["id"]
    ids["category"] = next(
        c["id"]
        for c in (await api.data(CATEGORIES, tenant=tenant))["categories"]["nodes"]
        if c["type"] == "INCOME"
    )
    tx = await api.mutate(
        "transactionCreate",
        TRANSACTION_CREATE,
        {
            "type": "INCOME",
            "accountId": ids["account"]["id"],
            "amount": "10",
            "contactId": ids["contact"],
            "categoryId": ids["category"],
        },
        tenant,
    )
    ids["transaction"] = tx["transaction"]
    transfer = await api.mutate(
        "transferCreate",
        TRANSFER_CREATE,
        {
            "fromAccountId": ids["account"]["id"],
            "toAccountId": ids["other_account"]["id"],
            "amount": "5",
        },
        tenant,
    )
    ids["transfer"] = transfer["transfer"]
    invoice = await api.document(tenant, ids["contact"])
    await api.data(ISSUE, {"input": {"id": invoice["id"]}}, tenant)
    ids["invoice"] = invoice
    await api.mutate(
        "documentPaymentCreate",
        PAY,
        {"documentId": invoice["id"], "accountId": ids["account"]["id"], "amount": "10"},
        tenant,
    )
    return ids


@pytest.fixture(scope="module")
async def world(api: Api) -> dict[str, Any]:
    a, b = await api.register(name="A"), await api.register(name="B")
    return {"a": a, "b": b, "a_ids": await books(api, a), "b_ids": await books(api, b)}


def field_errors(payload: dict[str, Any]) -> list[tuple[tuple[str, ...], str, str]]:
    return [(tuple(e["field"]), e["code"], e["message"]) for e in payload["userErrors"]]


async def test_another_companys_objects_are_not_found(api, world):
    a_ids, b = world["a_ids"], world["b"]
    for name, query in SINGLE.items():
        for ref in (a_ids[name]["id"], a_ids[name]["objectId"], MISSING):
            body = await api.gql(query, {"id": ref}, b)
            assert body["data"] == {name: None}, (name, body)
            assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
            assert body["errors"][0]["message"] == f"{name.title()} not found"
        body = await api.gql(
            "query($id: ID!) { node(id: $id) { id } }", {"id": a_ids[name]["id"]}, b
        )
        assert (
            body["data"] == {"node": None}
            and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        )


async def test_lists_hold_only_the_companys_own_rows(api, world):
    own = await api.data(LISTS, tenant=world["b"])
    assert (
        own["accounts"]["totalCount"] == 2
        and own["transactions"]["totalCount"] == 4
        and own["transfers"]["totalCount"] == 1
    )
    b_ids = world["b_ids"]
    assert {n["id"] for n in own["accounts"]["nodes"]} == {
        b_ids["account"]["id"],
        b_ids["other_account"]["id"],
    }
    filtered = await api.data(
        """query($id: ID!) { transactions(filter: {accountId: $id}) { totalCount }
            transfers(filter: {accountId: $id}) { totalCount } }""",
        {"id": world["a_ids"]["account"]["id"]},
        world["b"],
    )
    assert filtered == {"transactions": {"totalCount": 0}, "transfers": {"totalCount": 0}}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
async def test_another_companys_rows_cannot_be_changed_or_deleted(api, world, mutation):
    input_type, selection, extra = MUTATIONS[mutation]
    query = f"""mutation($input: {input_type}!) {{
      {mutation}(input: $input) {{ {selection} {ERRORS} }} }}"""
    foreign = world["a_ids"][TARGET[mutation]]["id"]
    results = []
    for ref in (foreign, MISSING):
        payload = (await api.data(query, {"input": {"id": ref, **extra}}, world["b"]))[mutation]
        results.append(field_errors(payload))
    what = TARGET[mutation].title()
    assert results[0] == results[1] == [(("input", "id"), "NOT_FOUND", f"{what} not found")]
    # A's row is untouched
    body = await api.data(SINGLE[TARGET[mutation]], {"id": foreign}, world["a"])
    assert body[TARGET[mutation]] is not None


async def test_another_companys_references_are_not_found_in_writes(api, world):
    a_ids, b_ids, b = world["a_ids"], world["b_ids"], world["b"]
    own_account = b_ids["account"]["id"]
    cases = [
        (
            "transactionCreate",
            TRANSACTION_CREATE,
            {"type": "INCOME", "amount": "1"},
            "accountId",
            a_ids["account"]["id"],
            "Account",
        ),
        (
            "transactionCreate",
            TRANSACTION_CREATE,
            {"type": "INCOME", "amount": "1", "accountId": own_account},
            "contactId",
            a_ids["contact"],
            "Contact",
        ),
        (
            "transactionCreate",
            TRANSACTION_CREATE,
            {"type": "INCOME", "amount": "1", "accountId": own_account},
            "categoryId",
            a_ids["category"],
            "Category",
        ),
        (
            "transactionCreate",
            TRANSACTION_CREATE,
            {"type": "INCOME", "amount": "1", "accountId": own_account},
            "documentId",
            a_ids["invoice"]["id"],
            "Document",
        ),
        (
            "transferCreate",
            TRANSFER_CREATE,
            {"amount": "1", "toAccountId": own_account},
            "fromAccountId",
            a_ids["account"]["id"],
            "Account",
        ),
        (
            "transferCreate",
            TRANSFER_CREATE,
            {"amount": "1", "fromAccountId": own_account},
            "toAccountId",
            a_ids["account"]["id"],
            "Account",
        ),
        (
            "documentPaymentCreate",
            PAY,
            {"amount": "1", "accountId": own_account},
            "documentId",
            a_ids["invoice"]["id"],
            "Document",
        ),
        (
            "documentPaymentCreate",
            PAY,
            {"amount": "1", "documentId": b_ids["invoice"]["id"]},
            "accountId",
            a_ids["account"]["id"],
            "Account",
        ),
    ]
    for name, query, input, field, foreign, what in cases:
        results = []
        for ref in (foreign, MISSING):
            payload = (await api.data(query, {"input": {**input, field: ref}}, b))[name]
            results.append(field_errors(payload))
        assert results[0] == results[1] == [(("input", field), "NOT_FOUND", f"{what} not found")], (
            name,
            field,
            results,
        )
    # A's invoice was paid by nobody but A
    doc = (await api.data(DOCUMENT, {"id": a_ids["invoice"]["id"]}, world["a"]))["document"]
    assert doc["amountPaid"] == {"amount": "10.00"} and len(doc["payments"]) == 1


async def test_rest_treats_another_companys_ids_as_missing(api, world):
    a_ids, b_ids, b = world["a_ids"], world["b_ids"], world["b"]
    own_account = b_ids["account"]["objectId"]
    cases = [
        (
            "/api/transactions",
            {"type": "income", "amount": 1},
            "account",
            a_ids["account"]["objectId"],
        ),
        (
            "/api/transactions",
            {"type": "income", "amount": 1, "account": own_account},
            "contact",
            a_ids["contact"],
        ),
        (
            "/api/transactions",
            {"type": "income", "amount": 1, "account": own_account},
            "document",
            a_ids["invoice"]["objectId"],
        ),
        (
            "/api/transfers",
            {"amount": 1, "toAccount": own_account},
            "fromAccount",
            a_ids["account"]["objectId"],
        ),
    ]
    for path, body, field, foreign in cases:
        foreign_r = await api.rest("POST", path, b, json={**body, field: foreign})
        missing_r = await api.rest("POST", path, b, json={**body, field: MISSING})
        assert foreign_r.status_code == missing_r.status_code == 400
        assert foreign_r.json() == missing_r.json()
        assert (
            foreign_r.json()["errors"][0]["field"] == field
            and foreign_r.json()["errors"][0]["code"] == "NOT_FOUND"
        )
    for path in ("/api/accounts", "/api/transactions", "/api/transfers"):
        listed = (await api.rest("GET", path, b)).json()["data"]
        a_objects = {
            a_ids["account"]["objectId"],
            a_ids["transaction"]["objectId"],
            a_ids["transfer"]["objectId"],
        }
        assert listed and not ({row["id"] for row in listed} & a_objects)
    r = await api.rest("GET", f"/api/transactions?account={a_ids['account']['objectId']}", b)
    assert r.json()["data"] == []
