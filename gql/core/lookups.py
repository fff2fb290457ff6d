"""Rows by id: the rows of one table that a page of other rows names, in one statement
(what a REST shim puts beside each row: a contact, an account, a terminal)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

R = TypeVar("R")


async def rows_by_id(
    session: AsyncSession, model: type[R], ids: Iterable[str | None]
) -> dict[str, R]:
    """The rows of `model` with these ids (None and repeats ignored), by id."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    table: Any = model
    rows = (await session.scalars(select(table).where(col(table.id).in_(wanted)))).all()
    return {row.id: row for row in rows}
