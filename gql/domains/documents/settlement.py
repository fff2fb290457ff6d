"""Settlement: payments and credit notes applied to invoices and bills, and the status
that follows from them. Banking (payments) and documents (credit notes) both call here.

One rule for the settled status (`settled_status`): paid once nothing is due, partial
while something is paid, else sent. One way to change what is settled (`_settle`):
ONE guarded `UPDATE ... RETURNING` on the document's row that moves the amount and
recomputes the status from the values it writes. On PostgreSQL a second settlement of
the same document waits for the first one's row lock and re-checks its guards against
what the first wrote, so two payments at once both count and together never pay more
than is due; on SQLite the update takes the write lock (gql/core/claims.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.core.errors import ErrorCode, UserInputError
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.domains.documents.models import Document, DocumentKind, DocumentStatus
from gql.domains.events.outbox import emit

ZERO = Decimal("0.00")
# Issued and not yet settled: what takes a payment or a credit note.
OPEN_STATUSES = (DocumentStatus.SENT.value, DocumentStatus.PARTIAL.value)
# Every status settlement moves a document between (a payment comes off a paid one).
SETTLED_STATUSES = (*OPEN_STATUSES, DocumentStatus.PAID.value)


def amount_due_of(total: Any, paid: Any, credited: Any) -> ColumnElement[Any]:
    """THE amount due (SQL): the total less what is paid and credited. The `amountDue`
    field (gql.domains.documents.computed) is this over the row's own columns."""
    return total - paid - credited  # type: ignore[no-any-return]


def amount_due_sql(paid: Any = None, credited: Any = None) -> ColumnElement[Any]:
    """What is still owed on a document row: its total less `paid` and `credited` (by
    default what the row has)."""
    d = Document
    paid = d.amount_paid if paid is None else paid
    credited = d.amount_credited if credited is None else credited
    return amount_due_of(col(d.total), paid, credited)


def settled_status(paid: Any, credited: Any) -> ColumnElement[str]:
    """THE settled status, from what is paid and credited (SQL over the document row)."""
    return case(
        (amount_due_sql(paid, credited) <= 0, literal(DocumentStatus.PAID.value)),
        (paid > 0, literal(DocumentStatus.PARTIAL.value)),
        else_=literal(DocumentStatus.SENT.value),
    )


async def amount_due(session: AsyncSession, document_id: str) -> Decimal:
    """What is still owed on a document now, as the database computes it (for the
    messages that say why a settlement was refused)."""
    stmt = select(amount_due_sql()).where(col(Document.id) == document_id)
    due: Decimal = (await session.execute(stmt)).scalar_one()
    return due


async def _settle(
    session: AsyncSession,
    document_id: str,
    *guards: ColumnElement[bool],
    paid: Decimal = ZERO,
    credited: Decimal = ZERO,
) -> bool:
    """Add `paid` and `credited` (negative: take them off) to the document while the
    `guards` hold, status recomputed in the same statement. False: nothing was written."""
    d = Document
    new_paid = d.amount_paid + paid
    new_credited = d.amount_credited + credited
    stmt = (
        update(Document)
        .where(col(d.id) == document_id, *guards)
        .values(
            amount_paid=new_paid,
            amount_credited=new_credited,
            status=settled_status(new_paid, new_credited),
            updated_at=utcnow(),
            **bump(Document),
        )
        .returning(col(d.id))
        .execution_options(synchronize_session=False)
    )
    return (await session.execute(stmt)).first() is not None


async def reload_document(session: AsyncSession, id: str) -> Document | None:
    """The document as the database has it now (a loaded object is updated in place)."""
    stmt = select(Document).where(col(Document.id) == id).execution_options(populate_existing=True)
    return await session.scalar(stmt)  # type: ignore[no-any-return]


# --- payments ------------------------------------------------------------------------------


async def apply_payment(session: AsyncSession, doc: Document, amount: Decimal) -> None:
    """Pay `amount` (in the document's currency) on an issued invoice or bill; refused
    when the document is no longer open or the amount is more than is due. `doc` is
    refreshed from the row."""
    applied = await _settle(
        session,
        doc.id,
        col(Document.status).in_(OPEN_STATUSES),
        amount_due_sql() >= amount,
        paid=amount,
    )
    fresh = await reload_document(session, doc.id)
    if applied:
        if fresh is not None and fresh.status == "paid":
            payload = {"kind": fresh.kind, "number": fresh.number, "total": fresh.total}
            await emit(session, type="document.paid", row=fresh, payload=payload)
        return
    label = doc.kind.replace("_", " ")
    if fresh is None or fresh.status not in SETTLED_STATUSES:
        state = fresh.status if fresh else "gone"
        raise UserInputError.single(
            "documentId", f"The {label} is {state}; it cannot be paid", ErrorCode.INVALID_STATE
        )
    raise UserInputError.single(
        "amount",
        f"is more than the {label}'s amount due "
        f"({await amount_due(session, fresh.id)} {fresh.currency_code})",
        ErrorCode.INVALID,
    )


async def remove_payment(session: AsyncSession, document_id: str, amount: Decimal) -> None:
    """Take a deleted payment of `amount` back off its document."""
    if not await _settle(
        session,
        document_id,
        col(Document.status).in_(SETTLED_STATUSES),
        col(Document.amount_paid) >= amount,
        paid=-amount,
    ):  # the books say it was applied; anything else is a bug
        raise RuntimeError(f"a payment of {amount} is not applied to document {document_id}")
    await reload_document(session, document_id)


# --- credit notes ----------------------------------------------------------------------------


async def apply_credit(session: AsyncSession, credit: Document) -> None:
    """Credit the credit note's total to its invoice (its parent), guarded by what is
    still due: two credit notes issued at the same moment never together credit more
    than the invoice (the second waits for the first's row lock, then finds too little
    due)."""
    assert credit.parent_id is not None
    applied = await _settle(
        session,
        credit.parent_id,
        col(Document.kind) == DocumentKind.INVOICE.value,
        col(Document.status).in_(OPEN_STATUSES),
        amount_due_sql() >= credit.total,
        credited=credit.total,
    )
    invoice = await reload_document(session, credit.parent_id)
    if applied:
        return
    if invoice is None:  # the link is checked on create and update; a deleted invoice has none
        raise UserInputError.single("invoiceId", "Invoice not found", ErrorCode.NOT_FOUND)
    if invoice.status not in SETTLED_STATUSES:
        raise UserInputError.single(
            "invoiceId",
            f"The invoice is {invoice.status}; only an issued invoice can be credited",
            ErrorCode.INVALID_STATE,
        )
    raise UserInputError.single(
        "total",
        f"The credit note ({credit.total}) is more than the invoice's amount due "
        f"({await amount_due(session, invoice.id)})",
        ErrorCode.INVALID_STATE,
    )


async def remove_credit(session: AsyncSession, credit: Document) -> None:
    """Take a cancelled credit note's total back off its invoice."""
    assert credit.parent_id is not None
    if not await _settle(
        session,
        credit.parent_id,
        col(Document.amount_credited) >= credit.total,
        credited=-credit.total,
    ):  # the books say it was applied; anything else is a bug
        raise RuntimeError(f"credit note {credit.id} is not applied to its invoice")
    await reload_document(session, credit.parent_id)
