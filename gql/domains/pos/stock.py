"""The one place a POS order moves stock: out of the terminal's warehouse (None: the
company's default), through the inventory area's stock-move service."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from gql.domains.inventory.models import MoveReason, SourceType
from gql.domains.inventory.stock import StockChange, move_stock
from gql.domains.pos.models import PosOrderLine


async def sell_stock(
    session: AsyncSession,
    lines: Sequence[PosOrderLine],
    *,
    warehouse_id: str | None,
    order_id: str,
    sold_by: str | None,
) -> None:
    """Each line's quantity out of stock (services are left alone); INSUFFICIENT_STOCK
    on `lines` where the company refuses negative stock."""
    await move_stock(
        session,
        [
            StockChange(line.item_id, -line.quantity, line.variant_id, warehouse_id)
            for line in lines
        ],
        reason=MoveReason.POS.value,
        source_type=SourceType.POS_ORDER.value,
        source_id=order_id,
        field="lines",
        created_by=sold_by,
    )
