"""Automatic postings: the voucher each business event writes, in its transaction.

Amounts are booked in the company's base currency: a document or transaction in
another currency is converted with its rate (units per base unit), and the
balancing line absorbs the rounding, so every voucher balances to the cent.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gql.domains.ledger.models import SourceType, Voucher
from gql.domains.ledger.service import (
    post_voucher,
    reverse_voucher,
    signed_lines,
    system_account,
    system_accounts,
    vouchers_of,
)

CENT = Decimal("0.01")


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP) if rate != 1 else amount


async def post_document(session: AsyncSession, doc: Any) -> Voucher | None:
    """Issuing an invoice, a bill or a credit note; other kinds post nothing."""
    total = to_base(doc.total, doc.currency_rate)
    tax = to_base(doc.tax_total, doc.currency_rate)
    net = total - tax  # sales (or purchases): subtotal - discount + shipping
    keys = {
        "invoice": (("receivables", total), ("sales", -net), ("tax_payable", -tax)),
        "bill": (("purchases", net), ("tax_receivable", tax), ("payables", -total)),
        "credit_note": (("sales", net), ("tax_payable", tax), ("receivables", -total)),
    }.get(doc.kind)
    if keys is None or total == 0:
        return None
    accounts = await system_accounts(session, (key for key, _ in keys))
    entries = [(accounts[key].id, amount) for key, amount in keys]
    label = doc.kind.replace("_", " ")
    return await post_voucher(
        session,
        on=doc.issue_date,
        description=f"{label.capitalize()} {doc.number}",
        lines=signed_lines(entries, contact_id=doc.contact_id),
        source_type=SourceType.DOCUMENT,
        source_id=doc.id,
        accounts=accounts.values(),
    )


async def reverse_document(session: AsyncSession, doc: Any, on: date) -> None:
    """Cancelling an issued document reverses what its issue posted."""
    for voucher in await vouchers_of(session, SourceType.DOCUMENT, doc.id):
        if voucher.reverses_id is None:
            await reverse_voucher(
                session, voucher=voucher, on=on, description=f"Cancelled {doc.number}"
            )


async def post_transaction(
    session: AsyncSession,
    tx: Any,
    account_ledger_id: str,
    *,
    document_kind: str | None = None,
    against: str | None = None,
) -> Voucher:
    """Money in or out of an account. Against a document it settles receivables (an
    invoice) or payables (a bill); `against` names the system account it settles
    otherwise (wages payable, for a pay run); else it is other income or a general
    expense."""
    amount = to_base(tx.amount, tx.currency_rate)
    if against is not None:
        other = against
    elif document_kind == "invoice":
        other = "receivables"
    elif document_kind == "bill":
        other = "payables"
    else:
        other = "other_income" if tx.type == "income" else "expenses"
    sign = Decimal(1) if tx.type == "income" else Decimal(-1)
    other_id = (await system_account(session, other)).id
    return await post_voucher(
        session,
        on=tx.paid_at.date(),
        description=tx.description
        or ("Payment received" if tx.type == "income" else "Payment made"),
        lines=signed_lines(
            [(account_ledger_id, sign * amount), (other_id, -sign * amount)],
            contact_id=tx.contact_id,
        ),
        source_type=SourceType.TRANSACTION,
        source_id=tx.id,
    )


async def post_transfer(
    session: AsyncSession,
    transfer: Any,
    from_ledger_id: str,
    to_ledger_id: str,
    base_amount: Decimal,
) -> Voucher | None:
    """A transfer between two accounts booked to different ledger accounts; between
    accounts on the same ledger account it moves nothing in the ledger."""
    if from_ledger_id == to_ledger_id:
        return None
    return await post_voucher(
        session,
        on=transfer.paid_at.date(),
        description=transfer.description or "Transfer",
        lines=signed_lines([(to_ledger_id, base_amount), (from_ledger_id, -base_amount)]),
        source_type=SourceType.TRANSFER,
        source_id=transfer.id,
    )
