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


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # PostgreSQL text cannot hold NUL (the driver refuses it) and no stored value has one,
    # so it becomes U+FFFD, the character for the unrepresentable: the search still runs.
    escaped = escaped.replace("\x00", "\ufffd")
    return f"%{escaped}%"
