"""Proof that the books always balance.

Hypothesis runs random sequences of bookkeeping operations (invoices, bills, payments,
credit notes, cancellations, transfers, income and expenses, deletions, manual
vouchers) for two companies, valid or not, and after every step checks the
invariants DESIGN.md promises:

- every voucher balances (debits = credits > 0) and its total is its debits;
- each company's trial balance sums to zero;
- every document's paid amount equals its payments, its credited amount its issued
  credit notes, and nothing is ever overpaid;
- every account's balance is its opening balance plus its transactions;
- nothing of one company is booked against the other's accounts, documents or
  vouchers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gql.domains.banking.models import Account, Transaction
from gql.domains.documents.models import Document
from gql.domains.ledger.models import LedgerAccount, Voucher, VoucherLine

ACCOUNT = """mutation($input: AccountCreateInput!) { accountCreate(input: $input) {
  account { id } userErrors { field message } } }"""
DOCUMENT = """mutation($input: DocumentCreateInput!) { documentCreate(input: $input) {
  document { id total { amount } } userErrors { field message } } }"""
ISSUE = "mutation($id: ID!) { documentIssue(input: {id: $id}) { userErrors { message } } }"
CANCEL = "mutation($id: ID!) { documentCancel(input: {id: $id}) { userErrors { message } } }"
PAY = """mutation($input: DocumentPaymentCreateInput!) { documentPaymentCreate(input: $input) {
  userErrors { message } } }"""
TRANSACTION = """mutation($input: TransactionCreateInput!) { transactionCreate(input: $input) {
  transaction { id } userErrors { message } } }"""
DELETE_TRANSACTION = (
    "mutation($id: ID!) { transactionDelete(input: {id: $id}) { userErrors { message } } }"
)
TRANSFER = """mutation($input: TransferCreateInput!) { transferCreate(input: $input) {
  userErrors { message } } }"""
VOUCHER = """mutation($input: VoucherCreateInput!) { voucherCreate(input: $input) {
  userErrors { message } } }"""
BALANCES = "{ accounts(first: 10) { nodes { objectId balance { amount } } } }"
DUE = "query($id: ID!) { document(id: $id) { status amountDue { amount } } }"

amounts = st.integers(min_value=1, max_value=500_00).map(lambda cents: Decimal(cents) / 100)
operation = st.one_of(
    st.tuples(st.just("invoice"), amounts, st.booleans()),
    st.tuples(st.just("bill"), amounts, st.booleans()),
    st.tuples(st.just("pay"), st.integers(0, 9), st.sampled_from(["all", "half", "too much"])),
    st.tuples(st.just("credit"), st.integers(0, 9), st.sampled_from(["all", "half", "too much"])),
    st.tuples(st.just("cancel"), st.integers(0, 9), st.just(None)),
    st.tuples(st.just("income"), amounts, st.sampled_from(["income", "expense"])),
    st.tuples(st.just("delete"), st.integers(0, 9), st.just(None)),
    st.tuples(st.just("transfer"), amounts, st.booleans()),
    st.tuples(st.just("voucher"), amounts, st.booleans()),
)


class Books:
    """One company and what the sequence has made in it."""

    def __init__(self, api: Any, tenant: Any) -> None:
        self.api, self.tenant = api, tenant
        self.accounts: list[str] = []
        self.customer = self.supplier = ""
        self.documents: list[str] = []
        self.invoices: list[str] = []
        self.transactions: list[str] = []

    async def setup(self) -> None:
        for name, opening in (("Current", "1000"), ("Savings", "0")):
            payload = await self.api.mutate(
                "accountCreate",
                ACCOUNT,
                {"name": name, "type": "BANK", "openingBalance": opening},
                self.tenant,
            )
            self.accounts.append(payload["account"]["id"])
        self.customer = (await self.api.contact(self.tenant, type="customer"))["id"]
        self.supplier = (await self.api.contact(self.tenant, type="supplier"))["id"]

    async def run(self, name: str, a: Any, b: Any) -> None:
        gql = self.api.gql
        if name in ("invoice", "bill"):
            data = (
                await gql(
                    DOCUMENT,
                    {
                        "input": {
                            "kind": name.upper(),
                            "contactId": self.customer if name == "invoice" else self.supplier,
                            "lines": [{"name": "Work", "unitPrice": str(a), "quantity": "1"}],
                        }
                    },
                    self.tenant,
                )
            )["data"]["documentCreate"]["document"]
            self.documents.append(data["id"])
            if name == "invoice":
                self.invoices.append(data["id"])
            if b:
                await gql(ISSUE, {"id": data["id"]}, self.tenant)
        elif name in ("pay", "credit") and self.documents:
            pool = self.documents if name == "pay" else self.invoices
            if not pool:
                return
            doc_id = pool[a % len(pool)]
            due = Decimal(
                (await gql(DUE, {"id": doc_id}, self.tenant))["data"]["document"]["amountDue"][
                    "amount"
                ]
            )
            amount = {"all": due, "half": (due / 2).quantize(Decimal("0.01")), "too much": due + 1}[
                b
            ]
            if amount <= 0:
                return
            if name == "pay":
                await gql(
                    PAY,
                    {
                        "input": {
                            "documentId": doc_id,
                            "accountId": self.accounts[0],
                            "amount": str(amount),
                        }
                    },
                    self.tenant,
                )
            else:
                note = (
                    await gql(
                        DOCUMENT,
                        {
                            "input": {
                                "kind": "CREDIT_NOTE",
                                "contactId": self.customer,
                                "invoiceId": doc_id,
                                "lines": [{"name": "Credit", "unitPrice": str(amount)}],
                            }
                        },
                        self.tenant,
                    )
                )["data"]["documentCreate"]["document"]
                if note:
                    self.documents.append(note["id"])
                    await gql(ISSUE, {"id": note["id"]}, self.tenant)
        elif name == "cancel" and self.documents:
            await gql(CANCEL, {"id": self.documents[a % len(self.documents)]}, self.tenant)
        elif name == "income":
            data = (
                await gql(
                    TRANSACTION,
                    {
                        "input": {
                            "type": b.upper(),
                            "accountId": self.accounts[1],
                            "amount": str(a),
                            "contactId": self.customer,
                        }
                    },
                    self.tenant,
                )
            )["data"]["transactionCreate"]["transaction"]
            if data:
                self.transactions.append(data["id"])
        elif name == "delete" and self.transactions:
            await gql(
                DELETE_TRANSACTION,
                {"id": self.transactions.pop(a % len(self.transactions))},
                self.tenant,
            )
        elif name == "transfer":
            source, target = self.accounts if b else self.accounts[::-1]
            await gql(
                TRANSFER,
                {"input": {"fromAccountId": source, "toAccountId": target, "amount": str(a)}},
                self.tenant,
            )
        elif name == "voucher":
            debit, credit = ("6000", "1110") if b else ("1110", "4900")
            await gql(
                VOUCHER,
                {
                    "input": {
                        "date": "2026-06-30",
                        "description": "Manual",
                        "lines": [
                            {"accountCode": debit, "debit": str(a)},
                            {"accountCode": credit, "credit": str(a)},
                        ],
                    }
                },
                self.tenant,
            )


async def _check_invariants(app: Any, api: Any, books: list[Books]) -> None:
    companies = [b.tenant.company_id for b in books]
    async with app.state.engine.connect() as conn:
        # every voucher balances, and its total is its debits
        per_voucher = (
            select(
                Voucher.id,
                Voucher.total,
                func.sum(VoucherLine.debit).label("debits"),
                func.sum(VoucherLine.credit).label("credits"),
            )
            .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
            .where(Voucher.company_id.in_(companies))
            .group_by(Voucher.id, Voucher.total)
        )
        for voucher_id, total, debits, credits in (await conn.execute(per_voucher)).all():
            assert debits == credits == total and total > 0, (voucher_id, total, debits, credits)
        # each company's trial balance sums to zero
        trial = (
            select(
                VoucherLine.company_id, func.sum(VoucherLine.debit) - func.sum(VoucherLine.credit)
            )
            .where(VoucherLine.company_id.in_(companies))
            .group_by(VoucherLine.company_id)
        )
        for company, difference in (await conn.execute(trial)).all():
            assert difference == 0, company
        # no line of one company's voucher books to another company's account or voucher
        crossed = (
            select(func.count())
            .select_from(VoucherLine)
            .join(Voucher, Voucher.id == VoucherLine.voucher_id)
            .join(LedgerAccount, LedgerAccount.id == VoucherLine.account_id)
            .where(
                VoucherLine.company_id.in_(companies),
                (Voucher.company_id != VoucherLine.company_id)
                | (LedgerAccount.company_id != VoucherLine.company_id),
            )
        )
        assert (await conn.execute(crossed)).scalar() == 0
        # every document's paid amount is its payments; credits are its issued credit notes
        paid = (
            select(func.coalesce(func.sum(Transaction.document_amount), 0))
            .where(
                Transaction.document_id == Document.id,
                Transaction.company_id == Document.company_id,
            )
            .scalar_subquery()
        )
        notes = Document.__table__.alias("note")
        credited = (
            select(func.coalesce(func.sum(notes.c.total), 0))
            .where(
                notes.c.parent_id == Document.id,
                notes.c.kind == "credit_note",
                notes.c.status.notin_(["draft", "cancelled"]),
            )
            .scalar_subquery()
        )
        rows = await conn.execute(
            select(
                Document.id,
                Document.total,
                Document.amount_paid,
                Document.amount_credited,
                paid,
                credited,
            ).where(Document.company_id.in_(companies))
        )
        for doc_id, total, amount_paid, amount_credited, payments, credits in rows.all():
            assert amount_paid == Decimal(payments), doc_id
            assert amount_credited == Decimal(credits), doc_id
            assert total - amount_paid - amount_credited >= 0, doc_id
        # accounts: balance = opening balance + incomes - expenses
        movement = select(
            Transaction.account_id,
            func.sum(Transaction.amount).filter(Transaction.type == "income"),
            func.sum(Transaction.amount).filter(Transaction.type == "expense"),
        ).group_by(Transaction.account_id)
        moved = {row[0]: (row[1] or 0, row[2] or 0) for row in (await conn.execute(movement)).all()}
        openings = dict(
            (
                await conn.execute(
                    select(Account.id, Account.opening_balance).where(
                        Account.company_id.in_(companies)
                    )
                )
            ).all()
        )
    for book in books:
        nodes = (await api.data(BALANCES, tenant=book.tenant))["accounts"]["nodes"]
        assert len(nodes) == 2  # only its own accounts
        for node in nodes:
            incomes, expenses = moved.get(node["objectId"], (0, 0))
            expected = openings[node["objectId"]] + Decimal(incomes) - Decimal(expenses)
            assert Decimal(node["balance"]["amount"]) == expected


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(steps=st.lists(st.tuples(st.integers(0, 1), operation), min_size=4, max_size=14))
async def test_random_bookkeeping_keeps_the_books_balanced(
    api: Any, app: Any, steps: list[Any]
) -> None:
    books = [Books(api, await api.register()), Books(api, await api.register())]
    for book in books:
        await book.setup()
    await _check_invariants(app, api, books)
    for company, (name, a, b) in steps:
        await books[company].run(name, a, b)
        await _check_invariants(app, api, books)
