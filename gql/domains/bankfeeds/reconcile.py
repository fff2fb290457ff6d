"""Reconciling a feed line with the books (the states are in models.py):

- match: with transactions of its account that already exist (payments on documents
  among them), whose signed amounts add up to the line's exactly;
- split: with new transactions (each an income or expense with its category and
  contact, or a payment on a document), posted through banking's service, whose
  amounts add up to the line's; without parts, one from the rule's suggestion;
- unmatch: back to unmatched; what a split created is deleted through banking's
  service (its vouchers reversed, a payment taken off its document).

Each first claims the line (gql/core/claims.py): ONE guarded `UPDATE ... WHERE
status = <the state read>`, so of concurrent matches, splits and unmatches of one line
exactly one goes on, and nothing is posted or reversed twice. A transaction is linked
to a line by a write guarded by `bank_feed_transaction_id IS NULL`, so two lines never
share one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.inputs import InputModel, require_row, validate
from gql.core.ranges import day_start
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.domains.bankfeeds.models import BankFeedTransaction, FeedStatus
from gql.domains.bankfeeds.service import get_feed_transaction
from gql.domains.banking import service as banking
from gql.domains.banking.models import Transaction, TransactionType

UNMATCHED = FeedStatus.UNMATCHED.value
WHAT = "BankFeedTransaction"


class MatchInput(InputModel):
    transaction_ids: list[str] = Field(min_length=1, max_length=50)


class SplitPart(InputModel):
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2)
    category_id: str | None = None
    contact_id: str | None = None
    document_id: str | None = None
    description: str | None = Field(default=None, max_length=500)
    payment_method: str | None = Field(default=None, max_length=30)


class SplitInput(InputModel):
    parts: list[SplitPart] | None = Field(default=None, min_length=1, max_length=50)


def _signed(tx: Transaction) -> Decimal:
    return tx.amount if tx.type == TransactionType.INCOME.value else -tx.amount


def _refuse_reconciled(line: BankFeedTransaction) -> None:
    if line.status != UNMATCHED:
        raise UserInputError.single(
            "id", f"The line is already {line.status}; unmatch it first", ErrorCode.INVALID_STATE
        )


async def _claim(session: AsyncSession, line: BankFeedTransaction, status: str) -> None:
    await claim(
        session,
        line,
        col(BankFeedTransaction.status) == UNMATCHED,
        what=WHAT,
        values={"status": status, "updated_at": utcnow()},
        refuse=_refuse_reconciled,
    )


async def match(*, session: AsyncSession, id: str, data: dict[str, Any]) -> BankFeedTransaction:
    line = await get_feed_transaction(session=session, id=id)
    payload = validate(MatchInput, data)
    _refuse_reconciled(line)
    found: list[Transaction] = []
    for i, ref in enumerate(payload.transaction_ids):
        path = ("transactionIds", str(i))
        tx = await require_row(session, Transaction, ref, path=path, what="Transaction")
        if tx.account_id != line.account_id:
            raise UserInputError.single(path, "must be a transaction of the line's account")
        if any(t.id == tx.id for t in found):
            raise UserInputError.single(path, "is given twice")
        if tx.bank_feed_transaction_id is not None:
            raise UserInputError.single(
                path, "is already reconciled with another feed line", ErrorCode.TAKEN
            )
        found.append(tx)
    total = sum((_signed(t) for t in found), Decimal("0.00"))
    if total != line.amount:
        raise UserInputError.single(
            "transactionIds", f"add up to {total}; the line is {line.amount}"
        )
    await _claim(session, line, FeedStatus.MATCHED.value)
    linked = await session.execute(
        update(Transaction)
        .where(
            col(Transaction.id).in_([t.id for t in found]),
            col(Transaction.account_id) == line.account_id,
            col(Transaction.bank_feed_transaction_id).is_(None),
        )
        .values(bank_feed_transaction_id=line.id, updated_at=utcnow(), **bump(Transaction))
        .execution_options(synchronize_session="fetch")
    )
    if linked.rowcount != len(found):  # type: ignore[attr-defined]
        # Another line took one of them meanwhile: this whole match rolls back.
        raise UserInputError.single(
            "transactionIds", "is already reconciled with another feed line", ErrorCode.TAKEN
        )
    return line


def _prefixed(exc: UserInputError, prefix: tuple[str, ...]) -> UserInputError:
    return UserInputError([FieldError((*prefix, *e.path), e.message, e.code) for e in exc.errors])


def _parts(line: BankFeedTransaction, payload: SplitInput) -> list[SplitPart]:
    if payload.parts is not None:
        total = sum((p.amount for p in payload.parts), Decimal("0.00"))
        if total != abs(line.amount):
            raise UserInputError.single(
                "parts", f"add up to {total}; the line is {abs(line.amount)}"
            )
        return payload.parts
    if line.category_id is None:
        raise UserInputError.single(
            "parts", "The line has no suggested category; give the parts", ErrorCode.REQUIRED
        )
    return [
        SplitPart(amount=abs(line.amount), category_id=line.category_id, contact_id=line.contact_id)
    ]


async def split(*, session: AsyncSession, id: str, data: dict[str, Any]) -> BankFeedTransaction:
    """New transactions for the line, posted to the books, in its transaction."""
    line = await get_feed_transaction(session=session, id=id)
    payload = validate(SplitInput, data)
    _refuse_reconciled(line)
    parts = _parts(line, payload)
    await _claim(session, line, FeedStatus.CREATED.value)
    tx_type = TransactionType.INCOME if line.amount > 0 else TransactionType.EXPENSE
    for i, part in enumerate(parts):
        body = {
            "type": tx_type.value,
            "accountId": line.account_id,
            "amount": part.amount,
            "paidAt": day_start(line.date),
            "description": part.description or line.description,
            "categoryId": part.category_id,
            "contactId": part.contact_id,
            "documentId": part.document_id,
            "paymentMethod": part.payment_method,
            "reference": line.reference,
        }
        try:
            tx = await banking.create_transaction(
                session=session, data={k: v for k, v in body.items() if v is not None}
            )
        except UserInputError as exc:
            raise _prefixed(exc, ("parts", str(i)) if payload.parts is not None else ()) from None
        tx.bank_feed_transaction_id = line.id
    await session.flush()
    return line


def _refuse_unmatched(line: BankFeedTransaction) -> None:
    if line.status == UNMATCHED:
        raise UserInputError.single("id", "The line is not matched", ErrorCode.INVALID_STATE)


async def unmatch(*, session: AsyncSession, id: str) -> BankFeedTransaction:
    line = await get_feed_transaction(session=session, id=id)
    seen = line.status
    _refuse_unmatched(line)
    await claim(
        session,
        line,
        col(BankFeedTransaction.status) == seen,
        what=WHAT,
        values={"status": UNMATCHED, "updated_at": utcnow()},
        refuse=_refuse_unmatched,
    )
    linked = (
        await session.scalars(
            select(Transaction).where(col(Transaction.bank_feed_transaction_id) == line.id)
        )
    ).all()
    for tx in linked:
        tx.bank_feed_transaction_id = None
    await session.flush()
    if seen == FeedStatus.CREATED.value:
        for tx in linked:
            await banking.delete_transaction(session=session, id=tx.id)
    return line
