"""Issuing and cancelling documents posts to the ledger, in the same transaction.

invoice:      Dr receivables (1200) / Cr sales (4000) / Cr tax payable (2200)
bill:         Dr purchases (5000) / Dr tax receivable (1300) / Cr payables (2100)
credit note:  the reverse of an invoice
cancelling an issued one: a reversing voucher; amounts in the base currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from gql.domains.ledger.models import LedgerAccount, Voucher, VoucherLine
from tests.factories import tenant_db

ISSUE = """
mutation($input: DocumentIdInput!) {
  documentIssue(input: $input) { document { status } userErrors { field message code } }
}"""

CANCEL = """
mutation($input: DocumentIdInput!) {
  documentCancel(input: $input) { document { status } userErrors { field message code } }
}"""

CREATE = """
mutation($input: DocumentCreateInput!) {
  documentCreate(input: $input) {
    document { id objectId total { amount currency } } userErrors { field message code }
  }
}"""

CURRENCY = """
mutation($input: CurrencyCreateInput!) {
  currencyCreate(input: $input) { userErrors { field message } }
}
"""

VOUCHER_OF = """
query($id: ID!) {
  document(id: $id) {
    status
    voucher { id number date total { amount currency } lines { debit credit account { code } } }
  }
}"""

TAXED_LINE = [{"name": "Work", "quantity": "1", "unitPrice": "100"}]


async def _taxed(api, tenant) -> list[dict[str, Any]]:
    tax = await api.tax(tenant, rate="20")
    return [{**TAXED_LINE[0], "taxId": tax["id"]}]


async def _ledger(app, tenant, document_pk: str) -> list[dict[str, Any]]:
    """The document's vouchers (its issue voucher and any reversal of it), each with
    its lines as {code: (debit, credit)}, read straight from the database."""
    async with tenant_db(app, tenant.company_id) as session:
        posted = list(
            (await session.scalars(select(Voucher).where(Voucher.source_id == document_pk))).all()
        )
        reversals = list(
            (
                await session.scalars(
                    select(Voucher).where(Voucher.reverses_id.in_([v.id for v in posted]))
                )
            ).all()
        )
        out = []
        for voucher in sorted(posted + reversals, key=lambda v: v.number):
            rows = await session.execute(
                select(LedgerAccount.code, VoucherLine.debit, VoucherLine.credit)
                .join(LedgerAccount, LedgerAccount.id == VoucherLine.account_id)
                .where(VoucherLine.voucher_id == voucher.id)
            )
            out.append(
                {
                    "voucher": voucher,
                    "lines": {code: (debit, credit) for code, debit, credit in rows.all()},
                }
            )
        return out


def _balanced(entry: dict[str, Any]) -> bool:
    debits = sum((d for d, _ in entry["lines"].values()), Decimal(0))
    credits = sum((c for _, c in entry["lines"].values()), Decimal(0))
    return debits == credits == entry["voucher"].total > 0


async def _trial_balance_is_zero(app, tenant) -> bool:
    async with tenant_db(app, tenant.company_id) as session:
        rows = (await session.execute(select(VoucherLine.debit, VoucherLine.credit))).all()
    return sum((d - c for d, c in rows), Decimal(0)) == 0 and len(rows) > 0


async def test_issuing_an_invoice_posts_receivables_sales_and_tax(api, app):
    # given a draft invoice of 100 + 20% tax
    owner = await api.register()
    contact = await api.contact(owner)
    doc = await api.document(
        owner, contact["id"], lines=await _taxed(api, owner), issueDate="2026-03-05"
    )
    assert await _ledger(app, owner, doc["objectId"]) == []
    # when it is issued
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    # then one balanced voucher: Dr 1200 120 / Cr 4000 100 / Cr 2200 20, dated the issue date
    (entry,) = await _ledger(app, owner, doc["objectId"])
    assert entry["lines"] == {
        "1200": (Decimal("120.00"), Decimal("0.00")),
        "4000": (Decimal("0.00"), Decimal("100.00")),
        "2200": (Decimal("0.00"), Decimal("20.00")),
    }
    assert _balanced(entry) and str(entry["voucher"].date) == "2026-03-05"
    assert entry["voucher"].type == "AUTO" and entry["voucher"].source_type == "document"
    # and the graph links the document to it
    data = await api.data(VOUCHER_OF, {"id": doc["id"]}, owner)
    voucher = data["document"]["voucher"]
    assert voucher["number"] == entry["voucher"].number and voucher["total"] == {
        "amount": "120.00",
        "currency": "USD",
    }
    assert {
        line["account"]["code"]: (line["debit"], line["credit"]) for line in voucher["lines"]
    } == {
        "1200": ("120.00", "0.00"),
        "4000": ("0.00", "100.00"),
        "2200": ("0.00", "20.00"),
    }
    assert await _trial_balance_is_zero(app, owner)


async def test_issuing_a_bill_posts_purchases_tax_receivable_and_payables(api, app):
    owner = await api.register()
    supplier = await api.contact(owner, type="supplier")
    bill = await api.document(owner, supplier["id"], kind="BILL", lines=await _taxed(api, owner))
    await api.mutate("documentIssue", ISSUE, {"id": bill["id"]}, owner)
    (entry,) = await _ledger(app, owner, bill["objectId"])
    assert entry["lines"] == {
        "5000": (Decimal("100.00"), Decimal("0.00")),
        "1300": (Decimal("20.00"), Decimal("0.00")),
        "2100": (Decimal("0.00"), Decimal("120.00")),
    }
    assert _balanced(entry)


async def test_issuing_a_credit_note_posts_the_reverse_of_an_invoice(api, app):
    owner = await api.register()
    contact = await api.contact(owner)
    lines = await _taxed(api, owner)
    invoice = await api.document(owner, contact["id"], lines=lines)
    await api.mutate("documentIssue", ISSUE, {"id": invoice["id"]}, owner)
    credit = await api.document(
        owner,
        contact["id"],
        kind="CREDIT_NOTE",
        invoiceId=invoice["id"],
        lines=[{**lines[0], "unitPrice": "50"}],
    )
    await api.mutate("documentIssue", ISSUE, {"id": credit["id"]}, owner)
    (entry,) = await _ledger(app, owner, credit["objectId"])
    assert entry["lines"] == {
        "4000": (Decimal("50.00"), Decimal("0.00")),
        "2200": (Decimal("10.00"), Decimal("0.00")),
        "1200": (Decimal("0.00"), Decimal("60.00")),
    }
    assert _balanced(entry)
    assert await _trial_balance_is_zero(app, owner)


async def test_cancelling_an_issued_invoice_reverses_its_voucher(api, app):
    owner = await api.register()
    contact = await api.contact(owner)
    doc = await api.document(owner, contact["id"], lines=await _taxed(api, owner))
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    # when the issued invoice is cancelled
    await api.mutate("documentCancel", CANCEL, {"id": doc["id"]}, owner)
    # then a reversing voucher swaps every side, and the accounts are back to zero
    posted, reversal = await _ledger(app, owner, doc["objectId"])
    assert reversal["voucher"].reverses_id == posted["voucher"].id
    assert reversal["lines"] == {code: (c, d) for code, (d, c) in posted["lines"].items()}
    assert _balanced(reversal)
    # and Document.voucher is still the voucher its issue posted, not the reversal
    data = await api.data(VOUCHER_OF, {"id": doc["id"]}, owner)
    assert data["document"]["status"] == "CANCELLED"
    assert data["document"]["voucher"]["number"] == posted["voucher"].number


async def test_cancelling_an_issued_credit_note_reverses_it_too(api, app):
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await api.document(owner, contact["id"])
    await api.mutate("documentIssue", ISSUE, {"id": invoice["id"]}, owner)
    credit = await api.document(owner, contact["id"], kind="CREDIT_NOTE", invoiceId=invoice["id"])
    await api.mutate("documentIssue", ISSUE, {"id": credit["id"]}, owner)
    await api.mutate("documentCancel", CANCEL, {"id": credit["id"]}, owner)
    posted, reversal = await _ledger(app, owner, credit["objectId"])
    assert posted["lines"] == {
        "4000": (Decimal("100.00"), Decimal("0.00")),
        "1200": (Decimal("0.00"), Decimal("100.00")),
    }
    assert reversal["lines"] == {
        "4000": (Decimal("0.00"), Decimal("100.00")),
        "1200": (Decimal("100.00"), Decimal("0.00")),
    }


async def test_drafts_estimates_and_orders_post_nothing(api, app):
    owner = await api.register()
    customer = await api.contact(owner)
    supplier = await api.contact(owner, type="supplier")
    draft = await api.document(owner, customer["id"])
    await api.mutate(
        "documentCancel", CANCEL, {"id": draft["id"]}, owner
    )  # a cancelled draft: nothing to reverse
    others = [
        await api.document(owner, customer["id"], kind="ESTIMATE"),
        await api.document(owner, customer["id"], kind="SALES_ORDER"),
        await api.document(owner, supplier["id"], kind="PURCHASE_ORDER"),
    ]
    for doc in others:
        await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    for doc in [draft, *others]:
        assert await _ledger(app, owner, doc["objectId"]) == []
        data = await api.data(VOUCHER_OF, {"id": doc["id"]}, owner)
        assert data["document"]["voucher"] is None


async def test_a_foreign_currency_invoice_posts_in_the_base_currency(api, app):
    # given EUR at 1.17 per USD (the base currency), and an invoice of
    # 97.50 EUR + 20% tax = 117.00 EUR
    owner = await api.register()
    await api.mutate(
        "currencyCreate", CURRENCY, {"code": "EUR", "name": "Euro", "rate": "1.17"}, owner
    )
    contact = await api.contact(owner)
    lines = [{**(await _taxed(api, owner))[0], "unitPrice": "97.50"}]
    payload = await api.mutate(
        "documentCreate",
        CREATE,
        {"kind": "INVOICE", "contactId": contact["id"], "currencyCode": "EUR", "lines": lines},
        owner,
    )
    doc = payload["document"]
    assert doc["total"] == {"amount": "117.00", "currency": "EUR"}
    # when it is issued
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    # then the voucher is in USD: 117.00 / 1.17 = 100.00; tax 19.50 / 1.17 = 16.67; sales the rest
    (entry,) = await _ledger(app, owner, doc["objectId"])
    assert entry["lines"] == {
        "1200": (Decimal("100.00"), Decimal("0.00")),
        "4000": (Decimal("0.00"), Decimal("83.33")),
        "2200": (Decimal("0.00"), Decimal("16.67")),
    }
    assert _balanced(entry)
    data = await api.data(VOUCHER_OF, {"id": doc["id"]}, owner)
    assert data["document"]["voucher"]["total"] == {"amount": "100.00", "currency": "USD"}


async def test_a_posting_that_fails_leaves_the_document_a_draft(api, app):
    # given a company whose sales account is disabled, so no invoice voucher can be posted
    owner = await api.register()
    contact = await api.contact(owner)
    doc = await api.document(owner, contact["id"])
    async with tenant_db(app, owner.company_id) as session:
        await session.execute(
            update(LedgerAccount).where(LedgerAccount.code == "4000").values(enabled=False)
        )
        await session.commit()
    # when the invoice is issued
    data = await api.data(ISSUE, {"input": {"id": doc["id"]}}, owner)
    # then the issue is refused with the posting's error, and nothing was written
    assert data["documentIssue"]["document"] is None
    assert "4000 is disabled" in data["documentIssue"]["userErrors"][0]["message"]
    after = await api.data(VOUCHER_OF, {"id": doc["id"]}, owner)
    assert after["document"]["status"] == "DRAFT" and after["document"]["voucher"] is None
    assert await _ledger(app, owner, doc["objectId"]) == []
