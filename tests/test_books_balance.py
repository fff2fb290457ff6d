"""Proof that the books always balance, also under concurrent requests.

Hypothesis runs random sequences of bookkeeping operations (invoices, bills, payments,
credit notes, cancellations, transfers, income and expenses, deletions, manual
vouchers and their reversals; pay runs created, approved, paid and reversed; stock
counted, written off, transferred, sold and bought; POS orders and session closes; bank
statements imported, their lines matched, split and unmatched) for two companies, valid
or not. A step is one operation or a burst of 2-4 sent at the same moment, often the
same one repeated (the same payment deleted twice, the same invoice cancelled three times). After every step
it checks the invariants DESIGN.md promises (tests/books.py):

- every voucher balances (debits = credits > 0) and its total is its debits;
- each company's trial balance sums to zero;
- every document's paid amount equals its payments, its credited amount its issued
  credit notes, its status follows from them, and nothing is ever overpaid;
- receivables and payables in the ledger are what the documents say is due;
- salaries, payroll deductions and wages payable are what the pay runs say;
- every stock level is the sum of its moves, and none is below zero;
- no voucher is reversed twice, and an automatic one is reversed exactly when what
  posted it was undone;
- every account's balance is its opening balance plus its transactions;
- a till session's expected cash is its float plus its cash orders, every POS order is
  paid by an income of its total, and stock on hand is the sum of the moves
  (tests/pos.py);
- nothing of one company is booked against the other's accounts, documents or
  vouchers;
- each account's reconciled balance is its opening balance plus the transactions
  reconciled with a feed line, and each reconciled line's transactions add up to it;

and of the same delete, cancel or reversal sent several times at once, at most one
succeeds, and no request ever fails unexpectedly.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gql.domains.bankfeeds.models import BankFeedTransaction
from gql.domains.banking.models import Transaction
from tests.books import check_books
from tests.factories import Api, Tenant
from tests.pos import check_pos_books

ERRORS = "userErrors { message code }"
ACCOUNT = f"""mutation($input: AccountCreateInput!) {{ accountCreate(input: $input) {{
  account {{ id }} {ERRORS} }} }}"""
DOCUMENT = f"""mutation($input: DocumentCreateInput!) {{ documentCreate(input: $input) {{
  document {{ id total {{ amount }} }} {ERRORS} }} }}"""
ISSUE = f"mutation($id: ID!) {{ documentIssue(input: {{id: $id}}) {{ {ERRORS} }} }}"
CANCEL = f"mutation($id: ID!) {{ documentCancel(input: {{id: $id}}) {{ {ERRORS} }} }}"
DISCARD = f"mutation($id: ID!) {{ documentDelete(input: {{id: $id}}) {{ {ERRORS} }} }}"
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
  transaction {{ id }} {ERRORS} }} }}"""
TRANSACTION = f"""mutation($input: TransactionCreateInput!) {{ transactionCreate(input: $input) {{
  transaction {{ id }} {ERRORS} }} }}"""
DELETE_TRANSACTION = (
    f"mutation($id: ID!) {{ transactionDelete(input: {{id: $id}}) {{ {ERRORS} }} }}"
)
TRANSFER = f"""mutation($input: TransferCreateInput!) {{ transferCreate(input: $input) {{
  transfer {{ id }} {ERRORS} }} }}"""
DELETE_TRANSFER = f"mutation($id: ID!) {{ transferDelete(input: {{id: $id}}) {{ {ERRORS} }} }}"
VOUCHER = f"""mutation($input: VoucherCreateInput!) {{ voucherCreate(input: $input) {{
  voucher {{ id }} {ERRORS} }} }}"""
REVERSE = f"mutation($id: ID!) {{ voucherReverse(input: {{id: $id}}) {{ {ERRORS} }} }}"
PROJECT = f"""mutation($input: ProjectCreateInput!) {{ projectCreate(input: $input) {{
  project {{ id }} {ERRORS} }} }}"""
LOG_TIME = f"""mutation($input: TimeEntryCreateInput!) {{ timeEntryCreate(input: $input) {{
  timeEntry {{ id }} {ERRORS} }} }}"""
BILL_TIME = f"""mutation($id: ID!) {{ projectInvoiceTime(input: {{id: $id}}) {{
  invoice {{ id }} {ERRORS} }} }}"""
DUE = "query($id: ID!) { document(id: $id) { status amountDue { amount } } }"
EMPLOYEE = f"""mutation($input: EmployeeCreateInput!) {{ employeeCreate(input: $input) {{
  employee {{ id }} {ERRORS} }} }}"""
PAY_RUN = f"""mutation($input: PayRunCreateInput!) {{ payRunCreate(input: $input) {{
  payRun {{ id payslips {{ nodes {{ id }} }} }} {ERRORS} }} }}"""
DEDUCT = f"""mutation($input: PayslipUpdateInput!) {{ payslipUpdate(input: $input) {{
  {ERRORS} }} }}"""
APPROVE_RUN = f"mutation($id: ID!) {{ payRunApprove(input: {{id: $id}}) {{ {ERRORS} }} }}"
REVERSE_RUN = f"mutation($id: ID!) {{ payRunReverse(input: {{id: $id}}) {{ {ERRORS} }} }}"
STOCK_ADJUST = f"""mutation($input: StockAdjustmentCreateInput!) {{
  stockAdjustmentCreate(input: $input) {{ {ERRORS} }} }}"""
STOCK_TRANSFER = f"""mutation($input: StockTransferCreateInput!) {{
  stockTransferCreate(input: $input) {{ {ERRORS} }} }}"""
WAREHOUSE = f"""mutation($input: WarehouseCreateInput!) {{ warehouseCreate(input: $input) {{
  warehouse {{ id }} {ERRORS} }} }}"""
PAY_OUT = f"""mutation($id: ID!, $account: ID!) {{
  payRunPay(input: {{id: $id, accountId: $account}}) {{ {ERRORS} }} }}"""

amounts = st.integers(min_value=1, max_value=500_00).map(lambda cents: Decimal(cents) / 100)
index = st.integers(0, 9)
share = st.sampled_from(["all", "half", "too much"])
operation = st.one_of(
    st.tuples(st.just("invoice"), amounts, st.booleans()),
    st.tuples(st.just("bill"), amounts, st.booleans()),
    st.tuples(st.just("pay"), index, share),
    st.tuples(st.just("credit"), index, share),
    st.tuples(st.just("cancel"), index, st.just(None)),
    st.tuples(st.just("discard"), index, st.just(None)),
    st.tuples(st.just("income"), amounts, st.sampled_from(["income", "expense"])),
    st.tuples(st.just("delete"), index, st.just(None)),
    st.tuples(st.just("transfer"), amounts, st.booleans()),
    st.tuples(st.just("untransfer"), index, st.just(None)),
    st.tuples(st.just("voucher"), amounts, st.booleans()),
    st.tuples(st.just("reverse"), index, st.just(None)),
)
# Project time (tests/projects.py): logged, then billed on a draft invoice that is issued
# at once, which posts it like any other invoice.
project_operation = st.one_of(
    st.tuples(st.just("log time"), st.integers(1, 600), st.booleans()),
    st.tuples(st.just("bill time"), st.just(None), st.just(None)),
)
PROJECT_OPERATIONS = ("log time", "bill time")
operation = st.one_of(operation, project_operation)
# Pay runs (tests/test_books_balance.py's Books.pay_run_step): a new month's run (or, with
# False, one more run of the last month: refused, its employees are paid for it),
# approving one, paying one, reversing one's approval.
payroll_operation = st.one_of(
    st.tuples(st.just("pay run"), st.just(None), st.booleans()),
    st.tuples(st.just("approve run"), index, st.just(None)),
    st.tuples(st.just("pay out run"), index, st.just(None)),
    st.tuples(st.just("reverse run"), index, st.just(None)),
)
PAYROLL_OPERATIONS = ("pay run", "approve run", "pay out run", "reverse run")
operation = st.one_of(operation, payroll_operation)
# Stock (Books.stock_step): counted in or written off in a warehouse, transferred between
# the two, sold on an issued invoice or bought on an issued bill (which `cancel` may
# later reverse); more than there is is refused (INSUFFICIENT_STOCK).
quantities = st.integers(1, 12).map(Decimal)
stock_operation = st.one_of(
    st.tuples(st.just("count stock"), quantities, st.booleans()),
    st.tuples(st.just("move stock"), quantities, st.booleans()),
    st.tuples(st.just("sell stock"), quantities, st.just(None)),
    st.tuples(st.just("buy stock"), quantities, st.just(None)),
)
STOCK_OPERATIONS = ("count stock", "move stock", "sell stock", "buy stock")
operation = st.one_of(operation, stock_operation)
# Bank feeds (Books.feed_step): a statement imported (True: the previous one again, which
# adds nothing), a line matched to a new transaction of its amount, split from its
# rule's suggestion, or unmatched.
feed_operation = st.one_of(
    st.tuples(st.just("import feed"), amounts, st.booleans()),
    st.tuples(st.just("match feed"), index, st.just(None)),
    st.tuples(st.just("split feed"), index, st.just(None)),
    st.tuples(st.just("unmatch"), index, st.just(None)),
)
FEED_OPERATIONS = ("import feed", "match feed", "split feed")
operation = st.one_of(operation, feed_operation)
FEED_IMPORT = f"""mutation($input: BankFeedImportInput!) {{ bankFeedImport(input: $input) {{
  feedTransactions {{ id amount {{ amount }} }} {ERRORS} }} }}"""
FEED_MATCH = f"""mutation($id: ID!, $tx: ID!) {{
  bankFeedMatch(input: {{id: $id, transactionIds: [$tx]}}) {{ {ERRORS} }} }}"""
FEED_SPLIT = f"mutation($id: ID!) {{ bankFeedSplit(input: {{id: $id}}) {{ {ERRORS} }} }}"
FEED_UNMATCH = f"mutation($id: ID!) {{ bankFeedUnmatch(input: {{id: $id}}) {{ {ERRORS} }} }}"
SETUP_FEED = f"""mutation($account: ID!) {{
  bankConnectionCreate(input: {{provider: "Books", accountId: $account}}) {{
    bankConnection {{ id }} {ERRORS} }} }}"""
CATEGORY = f"""mutation {{ categoryCreate(input: {{name: "Fees", type: OTHER}}) {{
  category {{ id }} {ERRORS} }} }}"""
RULE = f"""mutation($category: ID!) {{ bankRuleCreate(input: {{pattern: "statement",
  categoryId: $category}}) {{ {ERRORS} }} }}"""
RECONCILED = "{ accounts { nodes { objectId reconciliation { reconciledBalance { amount } } } } }"
# The till (tests/pos.py): an order of 1-5 of a taxed item with 12 in stock (so some are
# refused), paid in cash or by card, by a contact earning points or not; closing the
# session with some cash counted (and opening the next one).
pos_operation = st.one_of(
    st.tuples(st.just("pos order"), st.integers(1, 5), st.sampled_from(["CASH", "CARD"])),
    st.tuples(st.just("pos close"), st.integers(0, 50_00), st.just(None)),
)
POS_OPERATIONS = ("pos order", "pos close")
operation = st.one_of(operation, pos_operation)
# Operations that undo something: of several at once on one target, at most one succeeds.
UNDO = ("delete", "cancel", "untransfer", "reverse", "discard", "unmatch")
GONE = {"discard", "delete", "untransfer"}  # those that delete their target
# The race concurrency must make harmless: one to three kinds of undo, each sent two or
# three times at once.
race = st.tuples(
    st.lists(st.sampled_from(UNDO), min_size=1, max_size=3, unique=True),
    index,
    st.integers(2, 3),
).map(lambda race: [(name, race[1], None) for name in race[0] for _ in range(race[2])])
# What one step sends at the same moment: a race (first, so that Hypothesis tries it
# early and often), a few different operations, or one alone.
burst = st.one_of(
    race,
    st.lists(operation, min_size=2, max_size=4),
    operation.map(lambda op: [op]),
)


class Books:
    """One company and what the sequence has made in it."""

    def __init__(self, api: Api, tenant: Tenant, app: Any = None) -> None:
        self.api, self.tenant, self.app = api, tenant, app
        self.accounts: list[str] = []
        self.customer = self.supplier = ""
        self.documents: list[str] = []
        self.invoices: list[str] = []
        self.transactions: list[str] = []
        self.transfers: list[str] = []
        self.vouchers: list[str] = []
        self.project = ""
        self.logged = 0  # minutes of time logged so far, to start each entry after the last
        self.pay_runs: list[str] = []
        self.months = 0  # pay runs written for 2026-01, 2026-02, ...
        self.warehouses: list[str] = []
        self.product = ""
        self.connection = ""
        self.statements = 0  # statement files imported so far
        self.statement = ""  # the last one's text
        self.feed_lines: list[tuple[str, Decimal]] = []  # (id, signed amount)
        self.terminal = self.session = self.sold = ""  # the till, its session, its item

    async def setup(self) -> None:
        # A bank and a cash account: a transfer between them posts a voucher.
        for name, type_, opening in (("Current", "BANK", "1000"), ("Till", "CASH", "0")):
            payload = await self.api.mutate(
                "accountCreate",
                ACCOUNT,
                {"name": name, "type": type_, "openingBalance": opening},
                self.tenant,
            )
            self.accounts.append(payload["account"]["id"])
        self.customer = (await self.api.contact(self.tenant, type="customer"))["id"]
        self.supplier = (await self.api.contact(self.tenant, type="supplier"))["id"]
        # Something of each kind, so the first steps already have things to undo (a
        # draft first: the simplest index picks what every undo can act on).
        await self.document("invoice", Decimal("30"), issue=False)
        await self.document("invoice", Decimal("100"), issue=True)
        await self.settle("pay", self.invoices[1], "half")
        await self.document("bill", Decimal("50"), issue=True)
        await self.income(Decimal("20"), "income")
        await self.transfer(Decimal("10"), outwards=True)
        await self.voucher(Decimal("5"), expense=True)
        await self.project_setup()
        await self.setup_payroll()
        await self.setup_stock()
        await self.setup_feed()
        await self.pos_setup()

    async def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The operation's payload; it may refuse with userErrors but never fail."""
        body = await self.api.gql(query, variables, self.tenant)
        assert not body.get("errors"), body["errors"]
        (payload,) = body["data"].values()
        return payload  # type: ignore[no-any-return]

    async def burst(self, ops: list[tuple[str, Any, Any]]) -> None:
        """Send `ops` at the same moment; of those undoing one row (the same undo
        repeated, or a cancel and a delete of one draft), at most one may succeed."""
        # Targets are picked before anything is sent, so repeats hit the same row.
        planned = [(name, self.target(name, a), a, b) for name, a, b in ops]
        outcomes = await asyncio.gather(
            *(self.run(name, target, a, b) for name, target, a, b in planned)
        )
        undone = [
            (name, target)
            for (name, target, _, _), ok in zip(planned, outcomes, strict=True)
            if ok and name in UNDO
        ]
        assert all(n == 1 for n in Counter(t for _, t in undone).values()), undone
        for name, target in undone:
            if name in GONE:
                self.forget(target)  # type: ignore[arg-type]

    def forget(self, row_id: str) -> None:
        """A deleted row is no longer picked."""
        for pool in (self.documents, self.invoices, self.transactions, self.transfers):
            if row_id in pool:
                pool.remove(row_id)

    def target(self, name: str, a: Any) -> str | None:
        pool = {
            "pay": self.documents,
            "cancel": self.documents,
            "discard": self.documents,
            "credit": self.invoices,
            "delete": self.transactions,
            "untransfer": self.transfers,
            "reverse": self.vouchers,
            "unmatch": [line for line, _ in self.feed_lines],
        }.get(name)
        return pool[a % len(pool)] if pool else None

    async def run(self, name: str, target: str | None, a: Any, b: Any) -> bool:
        """One operation; True when it was accepted."""
        if name in PAYROLL_OPERATIONS:
            return await self.pay_run_step(name, a, b)
        if name in STOCK_OPERATIONS:
            return await self.stock_step(name, a, b)
        if name in FEED_OPERATIONS:
            return await self.feed_step(name, a, b)
        if name in ("invoice", "bill"):
            return await self.document(name, a, b)
        if name == "income":
            return await self.income(a, b)
        if name == "transfer":
            return await self.transfer(a, b)
        if name == "voucher":
            return await self.voucher(a, b)
        if name in POS_OPERATIONS:
            return await (self.pos_order(a, b) if name == "pos order" else self.pos_close(a))
        if name in PROJECT_OPERATIONS:
            return await (self.log_time(a, b) if name == "log time" else self.bill_time())
        if target is None:  # nothing to act on yet
            return False
        if name in ("pay", "credit"):
            return await self.settle(name, target, b)
        query = {
            "cancel": CANCEL,
            "discard": DISCARD,
            "delete": DELETE_TRANSACTION,
            "untransfer": DELETE_TRANSFER,
            "reverse": REVERSE,
            "unmatch": FEED_UNMATCH,
        }[name]
        return not (await self.call(query, {"id": target}))["userErrors"]

    async def document(self, kind: str, amount: Decimal, issue: bool) -> bool:
        contact = self.customer if kind == "invoice" else self.supplier
        doc = (
            await self.call(
                DOCUMENT,
                {
                    "input": {
                        "kind": kind.upper(),
                        "contactId": contact,
                        "lines": [{"name": "Work", "unitPrice": str(amount), "quantity": "1"}],
                    }
                },
            )
        )["document"]
        self.documents.append(doc["id"])
        if kind == "invoice":
            self.invoices.append(doc["id"])
        if issue:
            await self.call(ISSUE, {"id": doc["id"]})
        return True

    async def settle(self, name: str, doc_id: str, share: str) -> bool:
        """Pay or credit all, half or more than what is due."""
        document = (await self.api.gql(DUE, {"id": doc_id}, self.tenant))["data"]["document"]
        if document is None:  # deleted (NOT_FOUND)
            return False
        due = Decimal(document["amountDue"]["amount"])
        amount = {"all": due, "half": (due / 2).quantize(Decimal("0.01")), "too much": due + 1}[
            share
        ]
        if amount <= 0:
            return False
        if name == "pay":
            payment = {"documentId": doc_id, "accountId": self.accounts[0], "amount": str(amount)}
            tx = (await self.call(PAY, {"input": payment}))["transaction"]
            if tx:
                self.transactions.append(tx["id"])
            return tx is not None
        note = (
            await self.call(
                DOCUMENT,
                {
                    "input": {
                        "kind": "CREDIT_NOTE",
                        "contactId": self.customer,
                        "invoiceId": doc_id,
                        "lines": [{"name": "Credit", "unitPrice": str(amount)}],
                    }
                },
            )
        )["document"]
        if note is None:
            return False
        self.documents.append(note["id"])
        return not (await self.call(ISSUE, {"id": note["id"]}))["userErrors"]

    async def income(self, amount: Decimal, type_: str) -> bool:
        tx = (
            await self.call(
                TRANSACTION,
                {
                    "input": {
                        "type": type_.upper(),
                        "accountId": self.accounts[1],
                        "amount": str(amount),
                        "contactId": self.customer,
                    }
                },
            )
        )["transaction"]
        if tx:
            self.transactions.append(tx["id"])
        return tx is not None

    async def transfer(self, amount: Decimal, outwards: bool) -> bool:
        source, target = self.accounts if outwards else self.accounts[::-1]
        transfer = (
            await self.call(
                TRANSFER,
                {"input": {"fromAccountId": source, "toAccountId": target, "amount": str(amount)}},
            )
        )["transfer"]
        if transfer:
            self.transfers.append(transfer["id"])
        return transfer is not None

    async def voucher(self, amount: Decimal, expense: bool) -> bool:
        debit, credit = ("6000", "1110") if expense else ("1110", "4900")
        voucher = (
            await self.call(
                VOUCHER,
                {
                    "input": {
                        "date": "2026-06-30",
                        "description": "Manual",
                        "lines": [
                            {"accountCode": debit, "debit": str(amount)},
                            {"accountCode": credit, "credit": str(amount)},
                        ],
                    }
                },
            )
        )["voucher"]
        if voucher:
            self.vouchers.append(voucher["id"])
        return voucher is not None

    async def project_setup(self) -> None:
        """A project for the customer at an odd hourly rate, so hours x rate rounds."""
        made = await self.call(
            PROJECT,
            {"input": {"name": "Retainer", "customerId": self.customer, "hourlyRate": "87.35"}},
        )
        self.project = made["project"]["id"]

    async def log_time(self, minutes: int, billable: bool) -> bool:
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=self.logged)
        self.logged += minutes
        entry = {
            "projectId": self.project,
            "startTime": start.isoformat(),
            "endTime": (start + timedelta(minutes=minutes)).isoformat(),
            "billable": billable,
        }
        return not (await self.call(LOG_TIME, {"input": entry}))["userErrors"]

    async def bill_time(self) -> bool:
        """The unbilled time on a draft invoice (often nothing left: refused), issued."""
        billed = await self.call(BILL_TIME, {"id": self.project})
        if billed["invoice"] is None:
            return False
        self.documents.append(billed["invoice"]["id"])
        self.invoices.append(billed["invoice"]["id"])
        return not (await self.call(ISSUE, {"id": billed["invoice"]["id"]}))["userErrors"]

    # --- bank feeds ---------------------------------------------------------------------

    async def setup_feed(self) -> None:
        """A connection on the bank account, a rule suggesting a category for every line,
        and a first statement."""
        made = await self.call(SETUP_FEED, {"account": self.accounts[0]})
        self.connection = made["bankConnection"]["id"]
        category = (await self.call(CATEGORY, {}))["category"]["id"]
        await self.call(RULE, {"category": category})
        await self.feed_step("import feed", Decimal("12.34"), False)

    async def feed_step(self, name: str, a: Any, again: bool) -> bool:
        if name == "import feed":
            if not again or not self.statement:
                self.statements += 1
                day = f"2026-02-{self.statements % 28 + 1:02d}"
                self.statement = (
                    "Date,Description,Amount\n"
                    f"{day},statement {self.statements} in,{a}\n"
                    f"{day},statement {self.statements} out,-{a}\n"
                )
            body = {
                "connectionId": self.connection,
                "format": "CSV",
                "content": self.statement,
                "mapping": {"date": "Date", "description": "Description", "amount": "Amount"},
            }
            imported = await self.call(FEED_IMPORT, {"input": body})
            for line in imported["feedTransactions"] or []:
                self.feed_lines.append((line["id"], Decimal(line["amount"]["amount"])))
            return not imported["userErrors"]
        if not self.feed_lines:
            return False
        line, amount = self.feed_lines[a % len(self.feed_lines)]
        if name == "split feed":
            return not (await self.call(FEED_SPLIT, {"id": line}))["userErrors"]
        # matched: to a new income or expense of the line's amount on its account
        tx = (
            await self.call(
                TRANSACTION,
                {
                    "input": {
                        "type": "INCOME" if amount > 0 else "EXPENSE",
                        "accountId": self.accounts[0],
                        "amount": str(abs(amount)),
                    }
                },
            )
        )["transaction"]
        self.transactions.append(tx["id"])
        return not (await self.call(FEED_MATCH, {"id": line, "tx": tx["id"]}))["userErrors"]

    # --- payroll ------------------------------------------------------------------------

    async def setup_payroll(self) -> None:
        """Two employees (one leaving in March, so later runs prorate and then drop
        her), and a first pay run approved."""
        for first, salary, end in (("Ada", "54321.99", None), ("Bob", "30000", "2026-03-17")):
            await self.api.mutate(
                "employeeCreate",
                EMPLOYEE,
                {
                    "firstName": first,
                    "lastName": "Books",
                    "salary": salary,
                    "startDate": "2025-06-01",
                    "endDate": end,
                },
                self.tenant,
            )
        await self.pay_run_step("pay run", None, True)
        await self.pay_run_step("approve run", 0, None)

    async def pay_run_step(self, name: str, a: Any, new_month: bool) -> bool:
        if name == "pay run":
            if new_month or not self.months:
                self.months += 1  # taken before any await: runs sent together differ
            period = f"{2026 + (self.months - 1) // 12}-{(self.months - 1) % 12 + 1:02d}"
            created = await self.call(
                PAY_RUN, {"input": {"payDate": f"{period}-25", "period": period}}
            )
            if created["payRun"]:
                self.pay_runs.append(created["payRun"]["id"])
                slip = created["payRun"]["payslips"]["nodes"][0]["id"]
                await self.call(DEDUCT, {"input": {"id": slip, "deductions": "99.99"}})
            return created["payRun"] is not None
        if not self.pay_runs:
            return False
        run = self.pay_runs[a % len(self.pay_runs)]
        if name == "pay out run":
            return not (await self.call(PAY_OUT, {"id": run, "account": self.accounts[0]}))[
                "userErrors"
            ]
        query = APPROVE_RUN if name == "approve run" else REVERSE_RUN
        return not (await self.call(query, {"id": run}))["userErrors"]

    # --- stock ----------------------------------------------------------------------------

    async def setup_stock(self) -> None:
        """A product with some stock in the first of two warehouses."""
        for name in ("Shop", "Store"):
            made = await self.api.mutate("warehouseCreate", WAREHOUSE, {"name": name}, self.tenant)
            self.warehouses.append(made["warehouse"]["id"])
        self.product = (await self.api.item(self.tenant, name="Stocked"))["id"]
        await self.stock_step("count stock", Decimal(10), True)

    async def stock_step(self, name: str, quantity: Decimal, flag: bool | None) -> bool:
        lines = [{"itemId": self.product, "quantity": str(quantity)}]
        if name in ("sell stock", "buy stock"):
            kind, contact = (
                ("INVOICE", self.customer)
                if name == "sell stock"
                else (
                    "BILL",
                    self.supplier,
                )
            )
            priced = [{**lines[0], "name": "Stocked", "unitPrice": "2.50"}]
            doc = (
                await self.call(
                    DOCUMENT, {"input": {"kind": kind, "contactId": contact, "lines": priced}}
                )
            )["document"]
            self.documents.append(doc["id"])
            if kind == "INVOICE":
                self.invoices.append(doc["id"])
            return not (await self.call(ISSUE, {"id": doc["id"]}))["userErrors"]
        first, second = self.warehouses if flag else self.warehouses[::-1]
        if name == "move stock":
            transfer = {"fromWarehouseId": first, "toWarehouseId": second, "items": lines}
            return not (await self.call(STOCK_TRANSFER, {"input": transfer}))["userErrors"]
        # counted in (the first warehouse) or written off (the second)
        signed = [{**lines[0], "quantity": str(quantity if flag else -quantity)}]
        adjustment = {"warehouseId": first, "reason": "count", "items": signed}
        return not (await self.call(STOCK_ADJUST, {"input": adjustment}))["userErrors"]

    async def pos_setup(self) -> None:
        from tests.pos import open_session, program, stock_in, terminal

        made = await terminal(self.api, self.tenant)
        self.terminal = made["id"]
        self.session = (await open_session(self.api, self.tenant, self.terminal, "10"))["id"]
        tax = await self.api.tax(self.tenant, rate="20")
        self.sold = (await self.api.item(self.tenant, salePrice="3.35", taxId=tax["id"]))["id"]
        await stock_in(self.app, self.tenant, self.sold, "12")
        await program(self.api, self.tenant, pointsPerUnit="1.5")

    async def pos_order(self, quantity: int, method: str) -> bool:
        from tests.pos import ORDER_CREATE

        order = {
            "sessionId": self.session,
            "lines": [{"itemId": self.sold, "quantity": str(quantity)}],
            "paymentMethod": method,
            "contactId": self.customer if quantity % 2 else None,
        }
        return (await self.call(ORDER_CREATE, {"input": order}))["order"] is not None

    async def pos_close(self, counted_cents: int) -> bool:
        """Close the session (orders sent with it land before or are refused), then open
        the terminal's next one."""
        from tests.pos import SESSION_CLOSE, SESSION_OPEN

        counted = str(Decimal(counted_cents) / 100)
        closed = await self.call(
            SESSION_CLOSE, {"input": {"id": self.session, "countedCash": counted}}
        )
        if closed["session"] is None:
            return False
        opened = await self.call(SESSION_OPEN, {"input": {"terminalId": self.terminal}})
        self.session = opened["session"]["id"]
        return True


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(steps=st.lists(st.tuples(st.integers(0, 1), burst), min_size=4, max_size=12))
async def test_random_bookkeeping_keeps_the_books_balanced(
    api: Api, app: Any, steps: list[Any]
) -> None:
    books = [Books(api, await api.register(), app), Books(api, await api.register(), app)]
    for book in books:
        await book.setup()
    tenants = [book.tenant for book in books]
    await check_books(app, api, tenants)
    await check_feeds(app, api, tenants)
    await check_pos_books(app, tenants)
    for company, ops in steps:
        await books[company].burst(ops)
        await check_books(app, api, tenants)
        await check_feeds(app, api, tenants)
        await check_pos_books(app, tenants)


async def check_feeds(app: Any, api: Api, tenants: list[Tenant]) -> None:
    """Reconciled balance = opening balance + the reconciled transactions, as the API
    answers it; each reconciled line's transactions add up to it, an unmatched one has
    none."""
    from tests.factories import tenant_db

    for tenant in tenants:
        async with tenant_db(app, tenant.company_id) as session:
            txs = (await session.scalars(select(Transaction))).all()
            lines = (await session.scalars(select(BankFeedTransaction))).all()
        for line in lines:
            linked = [t for t in txs if t.bank_feed_transaction_id == line.id]
            signed = sum(
                (t.amount if t.type == "income" else -t.amount for t in linked), Decimal(0)
            )
            assert signed == (0 if line.status == "unmatched" else line.amount), line
            assert bool(linked) == (line.status != "unmatched"), line
        accounts = (await api.data(RECONCILED, tenant=tenant))["accounts"]["nodes"]
        openings = (await api.data(OPENINGS, tenant=tenant))["accounts"]["nodes"]
        opening = {a["objectId"]: Decimal(a["openingBalance"]["amount"]) for a in openings}
        for account in accounts:
            reconciled = sum(
                (
                    t.amount if t.type == "income" else -t.amount
                    for t in txs
                    if t.account_id == account["objectId"] and t.bank_feed_transaction_id
                ),
                Decimal(0),
            )
            shown = Decimal(account["reconciliation"]["reconciledBalance"]["amount"])
            assert shown == opening[account["objectId"]] + reconciled, account


OPENINGS = "{ accounts { nodes { objectId openingBalance { amount } } } }"
