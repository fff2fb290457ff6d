"""Stock moved by invoices and bills: issuing one moves its product lines out of
(invoice, "sale") or into (bill, "purchase") the default warehouse; cancelling an
issued one writes the opposite moves ("reversal"), never deleting history. Called by
the documents service in the document's transaction; nothing moves while the company
has the inventory module off (a later cancel reverses only what was moved)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import enabled_modules
from gql.db.tenant import get_tenant
from gql.domains.catalogue.models import Item
from gql.domains.companies.modules import ModuleAlias
from gql.domains.documents.models import Document, DocumentKind, DocumentLine
from gql.domains.inventory.models import MoveReason, SourceType, StockMove
from gql.domains.inventory.stock import (
    POLICY_COMPANY,
    StockChange,
    move_stock,
    policy_columns,
)

# The sign of an issued document's moves, and their reason.
MOVES_OF_KIND = {
    DocumentKind.INVOICE.value: (-1, MoveReason.SALE.value),
    DocumentKind.BILL.value: (1, MoveReason.PURCHASE.value),
}


async def move_issued(session: AsyncSession, doc: Document) -> None:
    """The issued document's product lines as moves in the default warehouse; an
    invoice taking stock below zero is INSUFFICIENT_STOCK on `lines` (unless the
    company allows negative stock)."""
    kind = MOVES_OF_KIND.get(doc.kind)
    if kind is None or ModuleAlias.INVENTORY.value not in await enabled_modules(session):
        return
    sign, reason = kind
    params = {"document_id": doc.id, POLICY_COMPANY: get_tenant(session)}
    lines = (await session.execute(_item_lines(), params)).all()
    changes = [
        StockChange(item.id, sign * quantity, variant_id)
        for variant_id, quantity, item, _, _ in lines
        if quantity != 0
    ]
    await move_stock(
        session,
        changes,
        reason=reason,
        source_type=SourceType.DOCUMENT.value,
        source_id=doc.id,
        field="lines",
        items={item.id: item for _, _, item, _, _ in lines},
        policy=(lines[0][3], bool(lines[0][4])) if lines else None,
    )


@cache
def _item_lines() -> Any:
    """The item lines of the document `:document_id` with their items, and the company's
    stock policy, in one statement (built once)."""
    default_warehouse, negative_allowed = policy_columns()
    return (
        select(
            col(DocumentLine.variant_id),
            col(DocumentLine.quantity),
            Item,
            default_warehouse,
            negative_allowed,
        )
        .join(Item, col(Item.id) == col(DocumentLine.item_id))
        .where(col(DocumentLine.document_id) == bindparam("document_id"))
        .order_by(col(DocumentLine.position), col(DocumentLine.id))
    )


async def reverse_issued(session: AsyncSession, doc: Document) -> None:
    """The opposite of every move the document's issue wrote, in the same warehouses."""
    if doc.kind not in MOVES_OF_KIND:
        return
    moves = (
        await session.scalars(
            select(StockMove)
            .where(
                col(StockMove.source_type) == SourceType.DOCUMENT.value,
                col(StockMove.source_id) == doc.id,
                col(StockMove.reason) != MoveReason.REVERSAL.value,
            )
            .order_by(col(StockMove.created_at), col(StockMove.id))
        )
    ).all()
    if not moves:
        return
    await move_stock(
        session,
        [StockChange(m.item_id, -m.quantity, m.variant_id, m.warehouse_id) for m in moves],
        reason=MoveReason.REVERSAL.value,
        source_type=SourceType.DOCUMENT.value,
        source_id=doc.id,
        field="id",
    )
