"""Payments on invoices and bills: paid, amount due and status follow exactly; what may
not be paid is refused; deleting a payment takes it back off; and on PostgreSQL two
payments at the same moment both count, or exactly one is refused when together they
would overpay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import or_, select

from gql.domains.ledger.models import LedgerAccount, SourceType, Voucher, VoucherLine
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, concurrently, tenant_db

ERRORS = "userErrors { field message code }"
DOCUMENT_FIELDS = """id number status amountPaid { amount currency } amountDue { amount currency }
    payments { amount { amount currency } documentAmount type account { name } contact { name } }"""
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
    transaction {{ id type amount {{ amount currency }} currencyRate documentAmount description
        document {{ number }} contact {{ name }}
        voucher {{ lines {{ debit credit account {{ code }} }} }} }}
    document {{ {DOCUMENT_FIELDS} }} {ERRORS} }} }}"""
TRANSACTION_CREATE = f"""mutation($input: TransactionCreateInput!) {{
  transactionCreate(input: $input) {{
    transaction {{ id type documentAmount document {{ status }} }} {ERRORS} }} }}"""
TRANSACTION_DELETE = f"""mutation($input: TransactionDeleteInput!) {{
  transactionDelete(input: $input) {{ deletedTransactionId {ERRORS} }} }}"""
DOCUMENT = f"query($id: ID!) {{ document(id: $id) {{ {DOCUMENT_FIELDS} }} }}"
ISSUE = f"""mutation($input: DocumentIdInput!) {{
  documentIssue(input: $input) {{ document {{ status }} {ERRORS} }} }}"""
CANCEL = f"""mutation($input: DocumentIdInput!) {{
  documentCancel(input: $input) {{ document {{ status }} {ERRORS} }} }}"""
ACCOUNT_CREATE = f"""mutation($input: AccountCreateInput!) {{
  accountCreate(input: $input) {{ account {{ id name }} {ERRORS} }} }}"""
CURRENCY_CREATE = """mutation($input: CurrencyCreateInput!) { currencyCreate(input: $input) {
    currency { code } userErrors { field message } } }"""
MODULE_OFF = (
    'mutation { moduleSet(input: {alias: "invoicing", enabled: false}) { userErrors { message } } }'
)


# --- helpers ------------------------------------------------------------------------------------


async def bank(api: Api, tenant: Tenant, **fields: Any) -> str:
    body = {"name": "Bank", "type": "BANK", **fields}
    payload = await api.mutate("accountCreate", ACCOUNT_CREATE, body, tenant)
    return payload["account"]["id"]  # type: ignore[no-any-return]


async def document(
    api: Api,
    tenant: Tenant,
    *,
    kind: str = "INVOICE",
    total: str = "100",
    issue: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    contact_type = "customer" if kind in ("INVOICE", "ESTIMATE") else "supplier"
    contact = await api.contact(tenant, type=contact_type, name=f"{kind.title()} contact")
    lines = [{"name": "Work", "quantity": "1", "unitPrice": total}]
    doc = await api.document(tenant, contact["id"], lines=lines, kind=kind, **fields)
    if issue:
        await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, tenant)
    return doc


async def pay(api: Api, tenant: Tenant, **input: Any) -> dict[str, Any]:
    return await api.mutate("documentPaymentCreate", PAY, input, tenant)


async def pay_refused(api: Api, tenant: Tenant, **input: Any) -> list[dict[str, Any]]:
    payload = (await api.data(PAY, {"input": input}, tenant))["documentPaymentCreate"]
    assert payload["transaction"] is None and payload["userErrors"], payload
    return payload["userErrors"]  # type: ignore[no-any-return]


async def source_net(
    app: Any, tenant: Tenant, source_type: SourceType, source_id: str
) -> dict[str, Decimal]:
    """Debits less credits per ledger code of the vouchers `source` posted and of their
    reversals."""
    async with tenant_db(app, tenant.company_id) as session:
        originals = [
            v.id
            for v in (
                await session.scalars(
                    select(Voucher).where(
                        Voucher.source_type == source_type.value, Voucher.source_id == source_id
                    )
                )
            ).all()
        ]
        rows = (
            await session.execute(
                select(LedgerAccount.code, VoucherLine.debit, VoucherLine.credit)
                .join(Voucher, Voucher.id == VoucherLine.voucher_id)
                .join(LedgerAccount, LedgerAccount.id == VoucherLine.account_id)
                .where(or_(Voucher.id.in_(originals), Voucher.reverses_id.in_(originals)))
            )
        ).all()
    net: dict[str, Decimal] = {}
    for code, debit, credit in rows:
        net[code] = net.get(code, Decimal(0)) + debit - credit
    return net


def object_id(global_id: str) -> str:
    from gql.core.ids import from_global_id

    decoded = from_global_id(global_id)
    assert decoded is not None
    return decoded[1]


# --- the happy paths ----------------------------------------------------------------------------


async def test_payments_move_an_invoice_from_sent_to_partial_to_paid(api, app):
    # given an issued invoice of 100 and a bank account
    owner = await api.register()
    account_id = await bank(api, owner)
    invoice = await document(api, owner, total="100")
    # when 40 is paid
    first = await pay(
        api,
        owner,
        documentId=invoice["id"],
        accountId=account_id,
        amount="40",
        paymentMethod="card",
    )
    # then the invoice is partial, with 60 due, and the payment is an income linked to it
    assert first["document"]["status"] == "PARTIAL"
    assert first["document"]["amountPaid"] == {"amount": "40.00", "currency": "USD"}
    assert first["document"]["amountDue"] == {"amount": "60.00", "currency": "USD"}
    tx = first["transaction"]
    assert (
        tx["type"] == "INCOME"
        and tx["documentAmount"] == "40.00"
        and tx["document"] == {"number": invoice["number"]}
    )
    assert (
        tx["contact"] == {"name": "Invoice contact"}
        and tx["description"] == f"Payment of {invoice['number']}"
    )
    lines = {
        (line["account"]["code"], line["debit"], line["credit"]) for line in tx["voucher"]["lines"]
    }
    assert lines == {("1110", "40.00", "0.00"), ("1200", "0.00", "40.00")}
    # when the remaining 60 is paid
    second = await pay(api, owner, documentId=invoice["id"], accountId=account_id, amount="60")
    # then it is paid, nothing is due, and both payments are on the document
    doc = second["document"]
    assert (
        doc["status"] == "PAID"
        and doc["amountPaid"]["amount"] == "100.00"
        and doc["amountDue"]["amount"] == "0.00"
    )
    assert [p["amount"]["amount"] for p in doc["payments"]] == ["40.00", "60.00"]
    # and nothing more can be paid
    errors = await pay_refused(
        api, owner, documentId=invoice["id"], accountId=account_id, amount="0.01"
    )
    assert errors == [
        {
            "field": ["input", "amount"],
            "message": "is more than the invoice's amount due (0.00 USD)",
            "code": "INVALID",
        }
    ]


async def test_a_bill_is_paid_with_an_expense_against_payables(api):
    owner = await api.register()
    account_id = await bank(api, owner, openingBalance="500")
    bill = await document(api, owner, kind="BILL", total="80")
    payload = await pay(api, owner, documentId=bill["id"], accountId=account_id, amount="80")
    assert payload["transaction"]["type"] == "EXPENSE" and payload["document"]["status"] == "PAID"
    lines = {
        (line["account"]["code"], line["debit"], line["credit"])
        for line in payload["transaction"]["voucher"]["lines"]
    }
    assert lines == {("2100", "80.00", "0.00"), ("1110", "0.00", "80.00")}
    balance = await api.data(
        "query($id: ID!) { account(id: $id) { balance { amount } } }", {"id": account_id}, owner
    )
    assert balance["account"]["balance"]["amount"] == "420.00"


async def test_a_transaction_with_a_document_is_a_payment(api):
    owner = await api.register()
    account_id = await bank(api, owner)
    invoice = await document(api, owner, total="50")
    payload = await api.mutate(
        "transactionCreate",
        TRANSACTION_CREATE,
        {"type": "INCOME", "accountId": account_id, "amount": "20", "documentId": invoice["id"]},
        owner,
    )
    assert (
        payload["transaction"]["documentAmount"] == "20.00"
        and payload["transaction"]["document"]["status"] == "PARTIAL"
    )
    # the payment's kind follows the document, and so does its contact
    other = await api.contact(owner, name="Someone else")
    for input, field in (
        ({"type": "EXPENSE"}, "type"),
        ({"type": "INCOME", "contactId": other["id"]}, "contactId"),
    ):
        body = {"accountId": account_id, "amount": "1", "documentId": invoice["id"], **input}
        errors = (await api.data(TRANSACTION_CREATE, {"input": body}, owner))["transactionCreate"][
            "userErrors"
        ]
        assert [e["field"] for e in errors] == [["input", field]], errors


async def test_a_payment_between_currencies_needs_a_rate(api):
    # given an invoice of 100 EUR (1 USD = 0.8 EUR) and a USD account
    owner = await api.register()
    await api.mutate(
        "currencyCreate", CURRENCY_CREATE, {"code": "EUR", "name": "Euro", "rate": "0.8"}, owner
    )
    account_id = await bank(api, owner)
    invoice = await document(api, owner, total="100", currencyCode="EUR")
    # without a rate the payment is refused
    errors = await pay_refused(
        api, owner, documentId=invoice["id"], accountId=account_id, amount="110"
    )
    assert errors == [
        {
            "field": ["input", "currencyRate"],
            "message": "required to pay a EUR invoice from a USD account",
            "code": "REQUIRED",
        }
    ]
    # with 1.10 USD per EUR, 55 USD pays 50 EUR of it
    payload = await pay(
        api, owner, documentId=invoice["id"], accountId=account_id, amount="55", currencyRate="1.1"
    )
    assert payload["transaction"]["amount"] == {"amount": "55.00", "currency": "USD"}
    assert (
        payload["transaction"]["documentAmount"] == "50.00"
        and payload["transaction"]["currencyRate"] == "1.00000000"
    )
    assert payload["document"]["amountPaid"] == {"amount": "50.00", "currency": "EUR"}
    assert payload["document"]["status"] == "PARTIAL"
    # paying more than the 50 EUR still due is refused in the document's currency
    errors = await pay_refused(
        api, owner, documentId=invoice["id"], accountId=account_id, amount="56", currencyRate="1.1"
    )
    assert errors[0]["field"] == ["input", "amount"] and "(50.00 EUR)" in errors[0]["message"]


async def test_a_payment_in_the_documents_foreign_currency_uses_its_rate(api, app):
    owner = await api.register()
    await api.mutate(
        "currencyCreate", CURRENCY_CREATE, {"code": "EUR", "name": "Euro", "rate": "0.8"}, owner
    )
    account_id = await bank(api, owner, currencyCode="EUR")
    invoice = await document(api, owner, total="100", currencyCode="EUR")
    payload = await pay(api, owner, documentId=invoice["id"], accountId=account_id, amount="100")
    tx = payload["transaction"]
    assert tx["currencyRate"] == "0.80000000" and payload["document"]["status"] == "PAID"
    # booked in the base currency at the invoice's rate: it settles what the invoice booked
    net = await source_net(app, owner, SourceType.TRANSACTION, object_id(tx["id"]))
    assert net == {"1110": Decimal("125.00"), "1200": Decimal("-125.00")}


async def test_deleting_a_payment_takes_it_back_off_the_document(api, app):
    # given an invoice paid in two parts
    owner = await api.register()
    account_id = await bank(api, owner)
    invoice = await document(api, owner, total="100")
    first = await pay(api, owner, documentId=invoice["id"], accountId=account_id, amount="30")
    second = await pay(api, owner, documentId=invoice["id"], accountId=account_id, amount="70")
    assert second["document"]["status"] == "PAID"
    # when the second payment is deleted
    await api.mutate(
        "transactionDelete", TRANSACTION_DELETE, {"id": second["transaction"]["id"]}, owner
    )
    # then the invoice is partial again, and that payment's vouchers net to zero
    doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
    assert (
        doc["status"] == "PARTIAL"
        and doc["amountPaid"]["amount"] == "30.00"
        and doc["amountDue"]["amount"] == "70.00"
    )
    assert [p["amount"]["amount"] for p in doc["payments"]] == ["30.00"]
    net = await source_net(
        app, owner, SourceType.TRANSACTION, object_id(second["transaction"]["id"])
    )
    assert net == {"1110": Decimal(0), "1200": Decimal(0)}
    # when the first goes too, the invoice is back to sent
    await api.mutate(
        "transactionDelete", TRANSACTION_DELETE, {"id": first["transaction"]["id"]}, owner
    )
    doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
    assert (
        doc["status"] == "SENT" and doc["amountPaid"]["amount"] == "0.00" and doc["payments"] == []
    )


# --- refusals -----------------------------------------------------------------------------------


async def test_what_cannot_be_paid_is_refused(api):
    owner = await api.register()
    account_id = await bank(api, owner)
    closed = await bank(api, owner, name="Closed", enabled=False)
    draft = await document(api, owner, issue=False)
    estimate = await document(api, owner, kind="ESTIMATE")
    cancelled = await document(api, owner)
    await api.mutate("documentCancel", CANCEL, {"id": cancelled["id"]}, owner)
    invoice = await document(api, owner, total="100")
    cases = [
        (
            draft["id"],
            account_id,
            "100",
            ("input", "documentId"),
            "INVALID_STATE",
            "A draft invoice cannot be paid; issue it first",
        ),
        (
            estimate["id"],
            account_id,
            "1",
            ("input", "documentId"),
            "INVALID_STATE",
            "Only invoices and bills take payments; this is an estimate",
        ),
        (
            cancelled["id"],
            account_id,
            "1",
            ("input", "documentId"),
            "INVALID_STATE",
            "A cancelled invoice cannot be paid",
        ),
        (
            invoice["id"],
            account_id,
            "100.01",
            ("input", "amount"),
            "INVALID",
            "is more than the invoice's amount due (100.00 USD)",
        ),
        (invoice["id"], account_id, "0", ("input", "amount"), "INVALID", None),
        (
            invoice["id"],
            closed,
            "1",
            ("input", "accountId"),
            "INVALID_STATE",
            "The account is disabled",
        ),
        (invoice["id"], "garbage", "1", ("input", "accountId"), "NOT_FOUND", "Account not found"),
        ("garbage", account_id, "1", ("input", "documentId"), "NOT_FOUND", "Document not found"),
    ]
    for document_id, account, amount, field, code, message in cases:
        errors = await pay_refused(
            api, owner, documentId=document_id, accountId=account, amount=amount
        )
        assert [(tuple(e["field"]), e["code"]) for e in errors] == [(field, code)], errors
        if message is not None:
            assert errors[0]["message"] == message
    # nothing was applied by any refusal
    doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
    assert doc["status"] == "SENT" and doc["payments"] == []
    assert (await api.data("{ transactions { totalCount } }", tenant=owner))["transactions"][
        "totalCount"
    ] == 0


async def test_payments_need_the_invoicing_module(api):
    owner = await api.register()
    account_id = await bank(api, owner)
    invoice = await document(api, owner)
    await api.data(MODULE_OFF, tenant=owner)
    body = await api.gql(
        PAY, {"input": {"documentId": invoice["id"], "accountId": account_id, "amount": "1"}}, owner
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.gql(
        TRANSACTION_CREATE,
        {
            "input": {
                "type": "INCOME",
                "documentId": invoice["id"],
                "accountId": account_id,
                "amount": "1",
            }
        },
        owner,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- concurrency (PostgreSQL) -------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    not IS_POSTGRES, reason="SQLite serialises writers; the race needs PostgreSQL"
)


async def _concurrently(
    app: Any, tenant: Tenant, invoice_id: str, account_id: str, amounts: list[str]
) -> list[dict[str, Any]]:
    """The payments sent at the same moment."""
    requests = [
        (
            "POST",
            "/graphql",
            {
                "query": PAY,
                "variables": {
                    "input": {"documentId": invoice_id, "accountId": account_id, "amount": amount}
                },
            },
        )
        for amount in amounts
    ]
    responses = await concurrently(app, tenant, requests)
    return [r.json()["data"]["documentPaymentCreate"] for r in responses]


@postgres_only
async def test_two_payments_at_the_same_moment_both_count(api, app):
    owner = await api.register()
    account_id = await bank(api, owner)
    for _ in range(3):
        # given an issued invoice of 100
        invoice = await document(api, owner, total="100")
        # when 30 and 45 are paid at the same moment
        payloads = await _concurrently(app, owner, invoice["id"], account_id, ["30", "45"])
        # then both are accepted and both count: no lost update
        assert all(p["userErrors"] == [] for p in payloads), payloads
        doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
        assert doc["amountPaid"]["amount"] == "75.00" and doc["amountDue"]["amount"] == "25.00"
        assert doc["status"] == "PARTIAL" and sorted(
            p["amount"]["amount"] for p in doc["payments"]
        ) == ["30.00", "45.00"]
        # and paying the rest at once, twice over in halves, ends paid
        payloads = await _concurrently(app, owner, invoice["id"], account_id, ["12.50", "12.50"])
        assert all(p["userErrors"] == [] for p in payloads), payloads
        doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
        assert (
            doc["status"] == "PAID"
            and doc["amountPaid"]["amount"] == "100.00"
            and len(doc["payments"]) == 4
        )


@postgres_only
async def test_two_payments_that_together_overpay_one_is_refused(api, app):
    owner = await api.register()
    account_id = await bank(api, owner)
    for _ in range(3):
        # given an issued invoice of 100
        invoice = await document(api, owner, total="100")
        # when 60 is paid twice at the same moment
        payloads = await _concurrently(app, owner, invoice["id"], account_id, ["60", "60"])
        # then exactly one is accepted and the other is refused as overpaying
        accepted = [p for p in payloads if not p["userErrors"]]
        refused = [p for p in payloads if p["userErrors"]]
        assert len(accepted) == 1 and len(refused) == 1, payloads
        assert refused[0]["userErrors"][0]["field"] == ["input", "amount"]
        assert (
            refused[0]["userErrors"][0]["message"]
            == "is more than the invoice's amount due (40.00 USD)"
        )
        doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
        assert (
            doc["status"] == "PARTIAL"
            and doc["amountPaid"]["amount"] == "60.00"
            and len(doc["payments"]) == 1
        )


async def test_two_payments_in_one_operation_each_answer_what_is_due_after_them(api):
    # given an issued invoice of 100 and a bank account
    owner = await api.register()
    account_id = await bank(api, owner)
    invoice = await document(api, owner, total="100")
    pay_40 = {"documentId": invoice["id"], "accountId": account_id, "amount": "40"}
    pay_25 = {**pay_40, "amount": "25"}
    fields = "status amountPaid { amount } amountDue { amount } overdue"
    due = f"document {{ {fields} }}"
    # when one operation pays 40 and then 25 (mutations run in order, on one session)
    data = await api.data(
        f"""mutation($a: DocumentPaymentCreateInput!, $b: DocumentPaymentCreateInput!) {{
          a: documentPaymentCreate(input: $a) {{ {due} userErrors {{ message }} }}
          b: documentPaymentCreate(input: $b) {{ {due} userErrors {{ message }} }} }}""",
        {"a": pay_40, "b": pay_25},
        owner,
    )
    # then each payload says what is due after its own payment (nothing loaded before a
    # write is answered after it), and the second agrees with a later read
    assert data["a"]["document"]["amountDue"] == {"amount": "60.00"}
    second = data["b"]["document"]
    assert second["amountPaid"] == {"amount": "65.00"}
    assert second["amountDue"] == {"amount": "35.00"}
    read = f"query($id: ID!) {{ document(id: $id) {{ {fields} }} }}"
    later = (await api.data(read, {"id": invoice["id"]}, owner))["document"]
    assert later == second
