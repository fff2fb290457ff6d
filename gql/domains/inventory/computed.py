"""Inventory's computed values, each ONE SQL expression over the row, so both read
paths, the `lowStock` filter and REST agree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

from gql.core.graph import Computed
from gql.domains.inventory.models import StockLevel
from gql.tenancy import tenant_table


def _on_hand(item: Any, env: Any) -> ColumnElement[Any]:
    """The item's stock in every warehouse (every variant): the sum of its levels."""
    level = tenant_table(StockLevel, item.c.company_id)
    total = level.select(func.coalesce(func.sum(level.c.quantity), 0)).where(
        level.c.item_id == item.c.id
    )
    return total.scalar_subquery()


def _low_stock(item: Any, env: Any) -> ColumnElement[bool]:
    """Below its minimum stock alert; never without one."""
    return item.c.min_stock_alert.is_not(None) & (_on_hand(item, env) < item.c.min_stock_alert)


ON_HAND = Computed(_on_hand, "decimal")
LOW_STOCK = Computed(_low_stock, "bool")
