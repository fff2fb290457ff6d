"""Ordering inputs shared by every connection: a field and a direction."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import ColumnElement


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def order_clauses(
    model: type[Any], column: Any, direction: OrderDirection | str | None
) -> list[ColumnElement[Any]]:
    """`column` in `direction`, then the primary key, so every order is total."""
    descending = direction in (OrderDirection.DESC, "desc")
    return [
        column.desc() if descending else column.asc(),
        model.id.desc() if descending else model.id.asc(),
    ]
