"""Loyalty balances, each ONE SQL expression over a row (a correlated sum of the points
the orders earned, their one source): Contact.loyaltyPoints and LoyaltyMember.points on
both read paths, and the REST shims."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

from gql.core.graph import Computed
from gql.domains.pos.models import PosOrder
from gql.tenancy import tenant_table


def _points(table: Any, *where: Any) -> ColumnElement[Any]:
    orders = tenant_table(PosOrder, table.c.company_id)
    total = orders.select(func.coalesce(func.sum(orders.c.loyalty_points), 0)).where(
        *(w(orders.c) for w in where)
    )
    return total.scalar_subquery()


def _contact_points(table: Any, env: Any) -> ColumnElement[Any]:
    """Every point the contact's orders earned, in any programme."""
    return _points(table, lambda o: o.contact_id == table.c.id)


def _member_points(table: Any, env: Any) -> ColumnElement[Any]:
    """The points the member's orders earned in the member's programme."""
    return _points(
        table,
        lambda o: o.contact_id == table.c.contact_id,
        lambda o: o.loyalty_program_id == table.c.program_id,
    )


LOYALTY_POINTS = Computed(_contact_points, "int")
MEMBER_POINTS = Computed(_member_points, "int")
