"""Dataloader bases: one SQL statement answers a whole batch, results in key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.pagination import Page, PageArgs, fetch_pages
from gql.tenancy import mapped_table

T = TypeVar("T")


class ByIdLoader(DataLoader[str, Any], Generic[T]):
    """Rows by primary key; `None` for a key with no row in the tenant."""

    model: ClassVar[type[Any]]

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[T | None]:
        rows = (await self.session.scalars(select(self.model).where(self.model.id.in_(keys)))).all()
        by_id = {row.id: row for row in rows}
        return [by_id.get(key) for key in keys]


class ByForeignKeyLoader(DataLoader[str, Any], Generic[T]):
    """All rows whose `foreign_key` equals each key, in `order_by` order; `[]` for none."""

    model: ClassVar[type[Any]]
    foreign_key: ClassVar[str]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[T]]:
        column = getattr(self.model, self.foreign_key)
        order = [getattr(self.model, name) for name in self.order_by]
        stmt = select(self.model).where(column.in_(keys)).order_by(column, *order)
        grouped: dict[str, list[T]] = defaultdict(list)
        for row in (await self.session.scalars(stmt)).all():
            grouped[getattr(row, self.foreign_key)].append(row)
        return [grouped.get(key, []) for key in keys]


class OneByForeignKeyLoader(DataLoader[str, Any], Generic[T]):
    """The one row whose `foreign_key` equals each key and that meets `where` (the
    first in `order_by` order when several do); `None` for none. For reverse to-one
    edges (gql.core.graph.to_one_by)."""

    model: ClassVar[type[Any]]
    foreign_key: ClassVar[str]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    @staticmethod
    def where(table: Any) -> list[ColumnElement[bool]]:
        """Extra conditions over the model's table (or an alias of it)."""
        return []

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[T | None]:
        column = getattr(self.model, self.foreign_key)
        order = [getattr(self.model, name) for name in self.order_by]
        stmt = (
            select(self.model)
            .where(column.in_(keys), *self.where(mapped_table(self.model)))
            .order_by(column, *order)
        )
        first: dict[str, T] = {}
        for row in (await self.session.scalars(stmt)).all():
            first.setdefault(getattr(row, self.foreign_key), row)
        return [first.get(key) for key in keys]


class PageByForeignKeyLoader(DataLoader[tuple[Any, ...], Page[Any]], Generic[T]):
    """Connection pages of a to-many edge, batched across parents.

    Keys are `(parent_id, PageArgs, where_key, order_key)`. Parents asking for the
    same page shape share one statement; `conditions` and `ordering` turn the
    hashable keys back into SQL.
    """

    model: ClassVar[type[Any]]
    foreign_key: ClassVar[str]

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    def conditions(self, where_key: Hashable) -> list[ColumnElement[bool]]:
        return []

    def ordering(self, order_key: Hashable) -> list[ColumnElement[Any]]:
        return [self.model.id]

    async def batch_load_fn(self, keys: Sequence[tuple[Any, ...]]) -> list[Page[Any]]:
        groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        for parent_id, args, where_key, order_key in keys:
            groups[(args, where_key, order_key)].append(parent_id)
        results: dict[tuple[Any, ...], Page[Any]] = {}
        column = getattr(self.model, self.foreign_key)
        for (args, where_key, order_key), parents in groups.items():
            assert isinstance(args, PageArgs)
            pages = await fetch_pages(
                self.session,
                self.model,
                where=self.conditions(where_key),
                order_by=self.ordering(order_key),
                args=args,
                partition_by=column,
                keys=parents,
            )
            for parent_id in parents:
                results[(parent_id, args, where_key, order_key)] = pages[parent_id]
        return [results[tuple(key)] for key in keys]
