"""What must hold of a company's books after any sequence of operations, checked
straight in the database (and the balances through the API). Shared by the property
test (test_books_balance.py) and the concurrency tests (test_money_concurrency.py).

The ledger checks assume documents and accounts in the base currency, as those
tests make them: then receivables and payables equal, to the cent, what the
documents say is due.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import aliased
from sqlalchemy.pool import NullPool

from gql.domains.banking.models import Account, Transaction, Transfer
from gql.domains.documents.models import Document
from gql.domains.inventory.models import StockLevel, StockMove
from gql.domains.ledger.models import (
    LedgerAccount,
    LedgerBalance,
    Voucher,
    VoucherKind,
    VoucherLine,
)
from gql.domains.payroll.models import PayRun
from tests.conftest import DATABASE_URL
from tests.factories import Api, Tenant

BALANCES = "{ accounts(first: 50) { nodes { objectId balance { amount } } } }"
ISSUED = ("sent", "partial", "paid")


async def check_books(app: Any, api: Api, tenants: list[Tenant]) -> None:
    """Every invariant DESIGN.md promises of the books of `tenants`' companies."""
    companies = [t.company_id for t in tenants]
    # As the database's owner, not as `app`'s role: an audit across companies, which
    # row-level security would show no rows (no tenant) on PostgreSQL.
    auditor = create_async_engine(DATABASE_URL, poolclass=NullPool)
    try:
        async with auditor.connect() as conn:
            for check in (
                _vouchers_balance,
                _trial_balances_are_zero,
                _daily_balances_are_the_posted_lines,
                _nothing_crosses_companies,
                _documents_agree_with_payments_and_credits,
                _reversed_once_exactly_when_undone,
                _receivables_and_payables_are_what_is_due,
                _payroll_agrees_with_the_ledger,
                _stock_is_the_sum_of_moves,
            ):
                await check(conn, companies)
            expected = await _account_balances(conn, companies)
    finally:
        await auditor.dispose()
    for tenant in tenants:
        nodes = (await api.data(BALANCES, tenant=tenant))["accounts"]["nodes"]
        shown = {node["objectId"]: Decimal(node["balance"]["amount"]) for node in nodes}
        assert shown == expected[tenant.company_id]  # its own accounts, and right


async def _vouchers_balance(conn: Any, companies: list[str]) -> None:
    """Every voucher balances, and its total is its debits."""
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


async def _trial_balances_are_zero(conn: Any, companies: list[str]) -> None:
    trial = (
        select(VoucherLine.company_id, func.sum(VoucherLine.debit) - func.sum(VoucherLine.credit))
        .where(VoucherLine.company_id.in_(companies))
        .group_by(VoucherLine.company_id)
    )
    for company, difference in (await conn.execute(trial)).all():
        assert difference == 0, company


async def _daily_balances_are_the_posted_lines(conn: Any, companies: list[str]) -> None:
    """The reports' daily balances are exactly the posted lines per account and day (the
    closing voucher's apart), however the postings interleaved."""
    closing = Voucher.kind == VoucherKind.CLOSING_TEMPORARY_ACCOUNTS.value
    lines = (
        select(
            VoucherLine.company_id,
            VoucherLine.account_id,
            Voucher.date,
            closing,
            func.sum(VoucherLine.debit),
            func.sum(VoucherLine.credit),
        )
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(VoucherLine.company_id.in_(companies), Voucher.kind != VoucherKind.DRAFT.value)
        .group_by(VoucherLine.company_id, VoucherLine.account_id, Voucher.date, closing)
    )
    b = LedgerBalance
    kept = select(b.company_id, b.account_id, b.date, b.closing, b.debit, b.credit).where(
        b.company_id.in_(companies)
    )
    expected = {tuple(r[:4]): tuple(r[4:]) for r in (await conn.execute(lines)).all()}
    assert {tuple(r[:4]): tuple(r[4:]) for r in (await conn.execute(kept)).all()} == expected


async def _nothing_crosses_companies(conn: Any, companies: list[str]) -> None:
    """No line of one company's voucher books to another's account or voucher."""
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


async def _documents_agree_with_payments_and_credits(conn: Any, companies: list[str]) -> None:
    """Paid is the sum of the payments, credited the sum of the issued credit notes,
    nothing is overpaid, and the status follows from them."""
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
            Document.kind,
            Document.status,
            Document.total,
            Document.amount_paid,
            Document.amount_credited,
            paid,
            credited,
        ).where(Document.company_id.in_(companies))
    )
    for doc_id, kind, status, total, amount_paid, amount_credited, payments, credits in rows:
        assert amount_paid == Decimal(payments), doc_id
        assert amount_credited == Decimal(credits), doc_id
        due = total - amount_paid - amount_credited
        assert due >= 0, doc_id
        if kind in ("invoice", "bill") and status in ISSUED:
            settled = "paid" if due == 0 else "partial" if amount_paid > 0 else "sent"
            assert status == settled, (doc_id, status, amount_paid, amount_credited)


async def _reversed_once_exactly_when_undone(conn: Any, companies: list[str]) -> None:
    """No voucher is reversed twice; an automatic one is reversed exactly when what
    posted it was undone (its transaction or transfer deleted, its document
    cancelled)."""
    reversal = aliased(Voucher)
    twice = (
        select(reversal.reverses_id)
        .where(reversal.company_id.in_(companies), reversal.reverses_id.is_not(None))
        .group_by(reversal.reverses_id)
        .having(func.count() > 1)
    )
    assert (await conn.execute(twice)).all() == []
    undone = or_(
        and_(
            Voucher.source_type == "transaction",
            ~exists().where(Transaction.id == Voucher.source_id),
        ),
        and_(
            Voucher.source_type == "transfer",
            ~exists().where(Transfer.id == Voucher.source_id),
        ),
        and_(
            Voucher.source_type == "document",
            exists().where(Document.id == Voucher.source_id, Document.status == "cancelled"),
        ),
    )
    reversed_ = exists().where(reversal.reverses_id == Voucher.id)
    wrong = select(Voucher.id, Voucher.source_type, Voucher.source_id).where(
        Voucher.company_id.in_(companies),
        Voucher.source_type.in_(["transaction", "transfer", "document"]),
        undone != reversed_,
    )
    assert (await conn.execute(wrong)).all() == []


async def _receivables_and_payables_are_what_is_due(conn: Any, companies: list[str]) -> None:
    """The ledger's receivables are what the issued invoices say is due, less credit
    notes on account; its payables what the issued bills say is due."""
    for company in companies:
        owed = await _ledger_balance(conn, company, "receivables")
        invoices_due = await _due(conn, company, "invoice")
        on_account = await conn.scalar(
            select(func.coalesce(func.sum(Document.total), 0)).where(
                Document.company_id == company,
                Document.kind == "credit_note",
                Document.parent_id.is_(None),
                Document.status.in_(ISSUED),
            )
        )
        assert owed == invoices_due - Decimal(on_account), company
        owing = -await _ledger_balance(conn, company, "payables")
        assert owing == await _due(conn, company, "bill"), company


async def _ledger_balance(conn: Any, company: str, system_key: str) -> Decimal:
    """Debits less credits on the company's system account `system_key`."""
    balance = await conn.scalar(
        select(func.coalesce(func.sum(VoucherLine.debit) - func.sum(VoucherLine.credit), 0))
        .join(LedgerAccount, LedgerAccount.id == VoucherLine.account_id)
        .where(VoucherLine.company_id == company, LedgerAccount.system_key == system_key)
    )
    return Decimal(balance)


async def _due(conn: Any, company: str, kind: str) -> Decimal:
    d = Document
    due = await conn.scalar(
        select(func.coalesce(func.sum(d.total - d.amount_paid - d.amount_credited), 0)).where(
            d.company_id == company, d.kind == kind, d.status.in_(ISSUED)
        )
    )
    return Decimal(due)


async def _account_balances(conn: Any, companies: list[str]) -> dict[str, dict[str, Decimal]]:
    """Per company, each account's opening balance plus incomes less expenses."""
    movement = select(
        Transaction.account_id,
        func.sum(Transaction.amount).filter(Transaction.type == "income"),
        func.sum(Transaction.amount).filter(Transaction.type == "expense"),
    ).group_by(Transaction.account_id)
    moved = {row[0]: (row[1] or 0, row[2] or 0) for row in (await conn.execute(movement)).all()}
    accounts = await conn.execute(
        select(Account.company_id, Account.id, Account.opening_balance).where(
            Account.company_id.in_(companies)
        )
    )
    out: dict[str, dict[str, Decimal]] = {company: {} for company in companies}
    for company, account_id, opening in accounts.all():
        incomes, expenses = moved.get(account_id, (0, 0))
        out[company][account_id] = opening + Decimal(incomes) - Decimal(expenses)
    return out


async def _payroll_agrees_with_the_ledger(conn: Any, companies: list[str]) -> None:
    """Salaries are the gross of the approved and paid pay runs, payroll deductions
    payable their deductions, wages payable the net of those approved and not yet paid;
    a pay run's salary voucher is reversed exactly when the run no longer has it (its
    approval reversed)."""
    for company in companies:
        runs = (
            await conn.execute(
                select(PayRun.status, PayRun.gross, PayRun.deductions, PayRun.net).where(
                    PayRun.company_id == company, PayRun.status != "draft"
                )
            )
        ).all()
        assert await _ledger_balance(conn, company, "salaries") == sum(
            (r.gross for r in runs), Decimal(0)
        ), company
        assert -await _ledger_balance(conn, company, "payroll_deductions") == sum(
            (r.deductions for r in runs), Decimal(0)
        ), company
        assert -await _ledger_balance(conn, company, "wages_payable") == sum(
            (r.net for r in runs if r.status == "approved"), Decimal(0)
        ), company
    reversal = aliased(Voucher)
    current = exists().where(PayRun.voucher_id == Voucher.id)
    reversed_ = exists().where(reversal.reverses_id == Voucher.id)
    wrong = select(Voucher.id).where(
        Voucher.company_id.in_(companies), Voucher.source_type == "pay_run", current == reversed_
    )
    assert (await conn.execute(wrong)).all() == []


async def _stock_is_the_sum_of_moves(conn: Any, companies: list[str]) -> None:
    """Every stock level is the sum of its moves, each move has its level, and none is
    below zero (these companies do not allow negative stock)."""
    move = StockMove.__table__.c  # type: ignore[attr-defined]
    level = StockLevel.__table__.c  # type: ignore[attr-defined]
    variant = func.coalesce(move.variant_id, "")
    summed = (
        select(move.company_id, move.warehouse_id, move.item_id, variant, func.sum(move.quantity))
        .where(move.company_id.in_(companies))
        .group_by(move.company_id, move.warehouse_id, move.item_id, variant)
    )
    moves = {tuple(r[:4]): r[4] for r in (await conn.execute(summed)).all()}
    levels = {
        tuple(r[:4]): r[4]
        for r in (
            await conn.execute(
                select(
                    level.company_id,
                    level.warehouse_id,
                    level.item_id,
                    level.variant_key,
                    level.quantity,
                ).where(level.company_id.in_(companies))
            )
        ).all()
    }
    assert {k: v for k, v in levels.items() if v != 0 or k in moves} == moves
    assert all(v >= 0 for v in levels.values()), levels
