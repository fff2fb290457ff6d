"""Dataloader bases: one SQL statement answers a whole batch, results in key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import BindParameter, ColumnElement, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.compiler.sqlenv import request_env
from gql.core.ordering import order_clauses
from gql.core.pagination import Page, PageArgs, fetch_pages
from gql.tenancy import mapped_table, tenant_table

T = TypeVar("T")

# A batch's keys: one expanding parameter, so each loader's statement is built once
# (per class) and only its keys change, instead of coercing every key into a new
# statement per batch.
KEYS: BindParameter[Any] = bindparam("keys", expanding=True)
_STATEMENTS: dict[type[Any], Any] = {}


def _statement(loader: type[Any], build: Any) -> Any:
    stmt = _STATEMENTS.get(loader)
    if stmt is None:
        stmt = _STATEMENTS[loader] = build()
    return stmt


class ByIdLoader(DataLoader[str, Any], Generic[T]):
    """Rows by primary key; `None` for a key with no row in the tenant."""

    model: ClassVar[type[Any]]

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[T | None]:
        stmt = _statement(type(self), lambda: select(self.model).where(self.model.id.in_(KEYS)))
        rows = (await self.session.scalars(stmt, {"keys": list(keys)})).all()
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
        def build() -> Any:
            column = getattr(self.model, self.foreign_key)
            order = [getattr(self.model, name) for name in self.order_by]
            return select(self.model).where(column.in_(KEYS)).order_by(column, *order)

        grouped: dict[str, list[T]] = defaultdict(list)
        stmt = _statement(type(self), build)
        for row in (await self.session.scalars(stmt, {"keys": list(keys)})).all():
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
        def build() -> Any:  # (`where` is fixed conditions over the table)
            column = getattr(self.model, self.foreign_key)
            order = [getattr(self.model, name) for name in self.order_by]
            return (
                select(self.model)
                .where(column.in_(KEYS), *self.where(mapped_table(self.model)))
                .order_by(column, *order)
            )

        first: dict[str, T] = {}
        stmt = _statement(type(self), build)
        for row in (await self.session.scalars(stmt, {"keys": list(keys)})).all():
            first.setdefault(getattr(row, self.foreign_key), row)
        return [first.get(key) for key in keys]


class PageByForeignKeyLoader(DataLoader[tuple[Any, ...], Page[Any]]):
    """Connection pages of one connection edge (`edge`, a gql.core.graph.EdgeConnection;
    gql.core.graph.connection_edge makes one subclass per edge), batched across parents.

    Keys are `(parent_id, PageArgs, filter, (field, direction))`, the filter being the
    area's (hashable) filter object. Parents asking for the same page shape share one
    statement.
    """

    edge: ClassVar[Any]

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[tuple[Any, ...]]) -> list[Page[Any]]:
        edge = self.edge
        groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        for parent_id, args, where, order in keys:
            groups[(args, where, order)].append(parent_id)
        results: dict[tuple[Any, ...], Page[Any]] = {}
        env = request_env(self.session)
        for (args, where, (field, direction)), parents in groups.items():
            assert isinstance(args, PageArgs)
            pages = await fetch_pages(
                self.session,
                edge.model,
                where=where.conditions(env),
                order_by=order_clauses(edge.model, edge.order_columns[field], direction),
                args=args,
                partition_by=getattr(edge.model, edge.fk),
                keys=parents,
            )
            for parent_id in parents:
                results[(parent_id, args, where, (field, direction))] = pages[parent_id]
        return [results[tuple(key)] for key in keys]


class ComputedLoader(DataLoader[tuple[Any, type[Any], str], Any]):
    """Computed values (gql.core.graph.Computed) of rows, keyed by (spec, model, row id):
    the resolver path's way to the very expression the compiler inlines. Per model, ONE
    statement selects every expression asked for, for every row asked for."""

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[tuple[Any, type[Any], str]]) -> list[Any]:
        wanted: dict[type[Any], tuple[dict[Any, None], set[str]]] = {}
        for spec, model, pk in keys:
            specs, ids = wanted.setdefault(model, ({}, set()))
            specs[spec] = None
            ids.add(pk)
        found: dict[tuple[Any, type[Any], str], Any] = {}
        for model, (specs, ids) in wanted.items():
            values = await computed_values(self.session, model, list(specs), ids)
            for pk, row in values.items():
                for spec, value in zip(specs, row, strict=True):
                    found[(spec, model, pk)] = value
        return [found.get(tuple(key)) for key in keys]  # type: ignore[call-overload]


async def computed_values(
    session: AsyncSession, model: type[Any], specs: Sequence[Any], ids: Iterable[str]
) -> dict[str, tuple[Any, ...]]:
    """Each row's values of `specs` (Computed declarations over `model`), by row id, in
    one statement with the request's SqlEnv, as the compiler would present them before
    JSON: a computed flag is never null."""

    env = request_env(session)
    table = tenant_table(model, env.tenant_id)
    columns = [spec.sql(table.table, env) for spec in specs]
    stmt = table.select(table.c.id, *columns).where(table.c.id.in_(list(ids)))
    out: dict[str, tuple[Any, ...]] = {}
    for pk, *values in (await session.execute(stmt)).all():
        out[pk] = tuple(
            bool(value) if spec.kind == "bool" else value
            for spec, value in zip(specs, values, strict=True)
        )
    return out
