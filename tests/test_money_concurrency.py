"""Ten identical requests at the same moment that change money or the ledger
(deleting a payment, an income, a transfer, an account or a draft; cancelling an
invoice, a credit note or a bill; reversing a manual voucher): exactly one succeeds,
the others get what a client would get trying again afterwards (NOT_FOUND / 404 for
a delete, the already-done state error for a cancel or a reversal), nothing fails
unexpectedly, and the books agree afterwards (tests/books.py): paid amounts are their
payments, the ledger's receivables what is due, every voucher reversed at most once
and exactly when what posted it was undone, the trial balance zero.

Each request goes over its own client, so each has its own session and database
connection: on PostgreSQL they really run side by side, on SQLite they queue for the
write lock.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.books import check_books
from tests.factories import Api, Tenant, concurrently

N = 10
ERRORS = "userErrors { field message code }"
ACCOUNT = f"""mutation($input: AccountCreateInput!) {{ accountCreate(input: $input) {{
  account {{ id }} {ERRORS} }} }}"""
ISSUE = f"mutation($id: ID!) {{ documentIssue(input: {{id: $id}}) {{ {ERRORS} }} }}"
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
  transaction {{ id }} {ERRORS} }} }}"""
INCOME = f"""mutation($input: TransactionCreateInput!) {{ transactionCreate(input: $input) {{
  transaction {{ id }} {ERRORS} }} }}"""
TRANSFER = f"""mutation($input: TransferCreateInput!) {{ transferCreate(input: $input) {{
  transfer {{ id }} {ERRORS} }} }}"""
VOUCHER = f"""mutation($input: VoucherCreateInput!) {{ voucherCreate(input: $input) {{
  voucher {{ id }} {ERRORS} }} }}"""
DELETE_ACCOUNT = f"""mutation($id: ID!) {{ accountDelete(input: {{id: $id}}) {{
  deletedAccountId {ERRORS} }} }}"""
DELETE_TRANSACTION = f"""mutation($id: ID!) {{ transactionDelete(input: {{id: $id}}) {{
  deletedTransactionId {ERRORS} }} }}"""
DELETE_TRANSFER = f"""mutation($id: ID!) {{ transferDelete(input: {{id: $id}}) {{
  deletedTransferId {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{ documentCancel(input: {{id: $id}}) {{
  document {{ status }} {ERRORS} }} }}"""
DELETE_DOCUMENT = f"""mutation($id: ID!) {{ documentDelete(input: {{id: $id}}) {{
  deletedDocumentId {ERRORS} }} }}"""
REVERSE = f"""mutation($id: ID!) {{ voucherReverse(input: {{id: $id}}) {{
  voucher {{ id }} {ERRORS} }} }}"""
DOCUMENT = """query($id: ID!) { document(id: $id) {
  status amountPaid { amount } amountCredited { amount } amountDue { amount }
  payments { amount { amount } } } }"""
REVERSALS = "{ vouchers(filter: {sourceType: VOUCHER}) { totalCount } }"


# --- helpers ------------------------------------------------------------------------------


async def race(app: Any, tenant: Tenant, query: str, id: str) -> list[dict[str, Any]]:
    """The mutation on `id` sent N times at once; each payload, none failing."""
    request = ("POST", "/graphql", {"query": query, "variables": {"id": id}})
    responses = await concurrently(app, tenant, [request] * N)
    return [_payload(r) for r in responses]


def _payload(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]  # no masked 500, no "database is locked"
    (payload,) = body["data"].values()
    return payload  # type: ignore[no-any-return]


async def again(api: Api, tenant: Tenant, query: str, id: str) -> dict[str, Any]:
    """The same mutation once more, after the race: the answer every loser must get."""
    body = await api.data(query, {"id": id}, tenant)
    (payload,) = body.values()
    return payload  # type: ignore[no-any-return]


def exactly_one_wins(payloads: list[dict[str, Any]], retry: dict[str, Any]) -> None:
    """One payload without userErrors; every other has exactly the retry's userErrors."""
    winners = [p for p in payloads if not p["userErrors"]]
    losers = [p for p in payloads if p["userErrors"]]
    assert len(winners) == 1, payloads
    assert retry["userErrors"], retry
    assert all(p["userErrors"] == retry["userErrors"] for p in losers), (losers, retry)


async def account(api: Api, tenant: Tenant, type_: str = "BANK") -> str:
    body = {"name": type_.title(), "type": type_, "openingBalance": "1000"}
    return (await api.mutate("accountCreate", ACCOUNT, body, tenant))["account"]["id"]  # type: ignore[no-any-return]


async def issued(
    api: Api, tenant: Tenant, total: str, *, contact_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """An issued document (an invoice unless `kind` says otherwise): its id, objectId."""
    if contact_id is None:
        kind = "supplier" if fields.get("kind") == "BILL" else "customer"
        contact_id = (await api.contact(tenant, type=kind))["id"]
    lines = [{"name": "Work", "unitPrice": total}]
    doc = await api.document(tenant, contact_id, lines=lines, **fields)
    payload = (await api.data(ISSUE, {"id": doc["id"]}, tenant))["documentIssue"]
    assert payload["userErrors"] == [], payload
    return doc


async def pay(api: Api, tenant: Tenant, doc_id: str, account_id: str, amount: str) -> str:
    body = {"documentId": doc_id, "accountId": account_id, "amount": amount}
    payload = await api.mutate("documentPaymentCreate", PAY, body, tenant)
    return payload["transaction"]["id"]  # type: ignore[no-any-return]


async def document(api: Api, tenant: Tenant, doc_id: str) -> dict[str, Any]:
    return (await api.data(DOCUMENT, {"id": doc_id}, tenant))["document"]  # type: ignore[no-any-return]


# --- deleting -----------------------------------------------------------------------------


async def test_a_payment_deleted_ten_times_at_once_comes_off_its_invoice_once(
    api: Api, app: Any
) -> None:
    # given an invoice of 100 with payments of 30 and 50
    owner = await api.register()
    bank = await account(api, owner)
    invoice = (await issued(api, owner, "100"))["id"]
    first = await pay(api, owner, invoice, bank, "30")
    await pay(api, owner, invoice, bank, "50")
    # when the payment of 30 is deleted by ten requests at once
    payloads = await race(app, owner, DELETE_TRANSACTION, first)
    # then one deletes it, and the others are told it is not found, as a retry is
    retry = await again(api, owner, DELETE_TRANSACTION, first)
    assert retry["userErrors"] == [
        {"field": ["input", "id"], "message": "Transaction not found", "code": "NOT_FOUND"}
    ]
    exactly_one_wins(payloads, retry)
    # and the invoice lost that payment once: 50 of 100 paid
    doc = await document(api, owner, invoice)
    assert doc["status"] == "PARTIAL" and doc["amountPaid"]["amount"] == "50.00"
    assert [p["amount"]["amount"] for p in doc["payments"]] == ["50.00"]
    await check_books(app, api, [owner])


async def test_an_income_deleted_ten_times_at_once_is_reversed_once(api: Api, app: Any) -> None:
    # given an income of 40 on a bank account
    owner = await api.register()
    body = {"type": "INCOME", "accountId": await account(api, owner), "amount": "40"}
    income = (await api.mutate("transactionCreate", INCOME, body, owner))["transaction"]["id"]
    # when it is deleted by ten requests at once
    payloads = await race(app, owner, DELETE_TRANSACTION, income)
    # then one deletes it and reverses its voucher; the others find it gone
    exactly_one_wins(payloads, await again(api, owner, DELETE_TRANSACTION, income))
    assert (await api.data(REVERSALS, tenant=owner))["vouchers"]["totalCount"] == 1
    await check_books(app, api, [owner])


async def test_a_transfer_deleted_ten_times_at_once_goes_once(api: Api, app: Any) -> None:
    # given a transfer of 25 from a bank to a cash account (a voucher between them)
    owner = await api.register()
    bank, cash = await account(api, owner), await account(api, owner, "CASH")
    body = {"fromAccountId": bank, "toAccountId": cash, "amount": "25"}
    transfer = (await api.mutate("transferCreate", TRANSFER, body, owner))["transfer"]["id"]
    # when it is deleted by ten requests at once
    payloads = await race(app, owner, DELETE_TRANSFER, transfer)
    # then one deletes it (both sides, its voucher reversed once); the others find it gone
    retry = await again(api, owner, DELETE_TRANSFER, transfer)
    assert [e["code"] for e in retry["userErrors"]] == ["NOT_FOUND"]
    exactly_one_wins(payloads, retry)
    assert (await api.data(REVERSALS, tenant=owner))["vouchers"]["totalCount"] == 1
    await check_books(app, api, [owner])


async def test_an_account_deleted_ten_times_at_once_reverses_its_opening_balance_once(
    api: Api, app: Any
) -> None:
    # given a bank account opened with 1000 (an opening balance voucher)
    owner = await api.register()
    bank = await account(api, owner)
    # when it is deleted by ten requests at once
    payloads = await race(app, owner, DELETE_ACCOUNT, bank)
    # then one deletes it and reverses the opening balance; the others find it gone
    retry = await again(api, owner, DELETE_ACCOUNT, bank)
    assert [e["code"] for e in retry["userErrors"]] == ["NOT_FOUND"]
    exactly_one_wins(payloads, retry)
    assert (await api.data(REVERSALS, tenant=owner))["vouchers"]["totalCount"] == 1
    await check_books(app, api, [owner])


async def test_a_draft_deleted_ten_times_at_once_goes_once(api: Api, app: Any) -> None:
    # given a draft invoice
    owner = await api.register()
    contact = await api.contact(owner)
    draft = (await api.document(owner, contact["id"]))["id"]
    # when it is deleted by ten requests at once
    payloads = await race(app, owner, DELETE_DOCUMENT, draft)
    # then one deletes it; the others are told it is not found, as a retry is
    retry = await again(api, owner, DELETE_DOCUMENT, draft)
    assert retry["userErrors"] == [
        {"field": ["input", "id"], "message": "Document not found", "code": "NOT_FOUND"}
    ]
    exactly_one_wins(payloads, retry)
    await check_books(app, api, [owner])


@pytest.mark.parametrize(("path", "kind"), [("documents", "INVOICE"), ("estimates", "ESTIMATE")])
async def test_a_draft_deleted_ten_times_at_once_over_rest_is_one_200_and_404s(
    api: Api, app: Any, path: str, kind: str
) -> None:
    # given a draft
    owner = await api.register()
    contact = await api.contact(owner)
    draft = (await api.document(owner, contact["id"], kind=kind))["objectId"]
    # when DELETE /api/<path>/{id} is sent ten times at once
    responses = await concurrently(app, owner, [("DELETE", f"/api/{path}/{draft}", None)] * N)
    # then one 200, and nine 404s exactly like a DELETE sent afterwards
    retry = await api.rest("DELETE", f"/api/{path}/{draft}", owner)
    assert retry.status_code == 404, retry.text
    assert sorted(r.status_code for r in responses) == [200] + [404] * (N - 1)
    assert all(r.json() == retry.json() for r in responses if r.status_code == 404)
    await check_books(app, api, [owner])


# --- cancelling ---------------------------------------------------------------------------


async def test_an_invoice_cancelled_ten_times_at_once_is_reversed_once(api: Api, app: Any) -> None:
    # given an issued invoice of 120
    owner = await api.register()
    invoice = (await issued(api, owner, "120"))["id"]
    # when it is cancelled by ten requests at once
    payloads = await race(app, owner, CANCEL, invoice)
    # then one cancels it; the others are refused as cancelling it again is
    retry = await again(api, owner, CANCEL, invoice)
    assert retry["userErrors"] == [
        {
            "field": ["input", "id"],
            "message": "The document is already cancelled",
            "code": "INVALID_STATE",
        }
    ]
    exactly_one_wins(payloads, retry)
    # and its voucher is reversed exactly once: nothing is receivable
    assert (await document(api, owner, invoice))["status"] == "CANCELLED"
    assert (await api.data(REVERSALS, tenant=owner))["vouchers"]["totalCount"] == 1
    await check_books(app, api, [owner])


async def test_a_credit_note_cancelled_ten_times_at_once_gives_its_credit_back_once(
    api: Api, app: Any
) -> None:
    # given an invoice of 100 with an issued credit note of 40 against it
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = (await issued(api, owner, "100", contact_id=contact["id"]))["id"]
    note = (
        await issued(
            api, owner, "40", contact_id=contact["id"], kind="CREDIT_NOTE", invoiceId=invoice
        )
    )["id"]
    assert (await document(api, owner, invoice))["amountCredited"]["amount"] == "40.00"
    # when the credit note is cancelled by ten requests at once
    payloads = await race(app, owner, CANCEL, note)
    # then one cancels it, the others are refused as cancelling it again is
    exactly_one_wins(payloads, await again(api, owner, CANCEL, note))
    # and the invoice has its 40 back once: nothing credited, 100 due
    doc = await document(api, owner, invoice)
    assert doc["amountCredited"]["amount"] == "0.00" and doc["amountDue"]["amount"] == "100.00"
    assert doc["status"] == "SENT"
    await check_books(app, api, [owner])


async def test_a_bill_cancelled_ten_times_at_once_over_rest_is_reversed_once(
    api: Api, app: Any
) -> None:
    # given an issued bill of 80
    owner = await api.register()
    bill = (await issued(api, owner, "80", kind="BILL"))["objectId"]
    # when PUT /api/documents/{id} {"status": "cancelled"} is sent ten times at once
    request = ("PUT", f"/api/documents/{bill}", {"status": "cancelled"})
    responses = await concurrently(app, owner, [request] * N)
    # then every one answers as that PUT sent again does (setting the status it has is
    # a no-op: 200, cancelled), and the bill's voucher is reversed exactly once
    retry = await api.rest(*request[:2], owner, json=request[2])
    assert retry.status_code == 200 and retry.json()["data"]["status"] == "cancelled"
    assert [r.status_code for r in responses] == [200] * N, [r.text for r in responses]
    assert all(r.json()["data"]["status"] == "cancelled" for r in responses)
    assert (await api.data(REVERSALS, tenant=owner))["vouchers"]["totalCount"] == 1
    await check_books(app, api, [owner])


# --- reversing ----------------------------------------------------------------------------


async def test_a_manual_voucher_reversed_ten_times_at_once_is_reversed_once(
    api: Api, app: Any
) -> None:
    # given a manual voucher
    owner = await api.register()
    lines = [{"accountCode": "6000", "debit": "15"}, {"accountCode": "1110", "credit": "15"}]
    body = {"date": "2026-03-01", "lines": lines}
    voucher = (await api.mutate("voucherCreate", VOUCHER, body, owner))["voucher"]["id"]
    # when it is reversed by ten requests at once
    payloads = await race(app, owner, REVERSE, voucher)
    # then one reverses it; the others are refused as reversing it again is
    retry = await again(api, owner, REVERSE, voucher)
    assert [e["code"] for e in retry["userErrors"]] == ["INVALID_STATE"]
    exactly_one_wins(payloads, retry)
    assert (await api.data(REVERSALS, tenant=owner))["vouchers"]["totalCount"] == 1
    await check_books(app, api, [owner])
