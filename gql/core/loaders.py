"""Dataloader bases: one SQL statement answers a whole batch, results in key order.

The row loaders (by id, by foreign key) answer light rows (gql/core/rows.py), read with
Core on the session's connection: no ORM entity, no ORM criterion per statement. Their
statements are built once per loader class, the tenant (`tenant_table`'s predicate)
and the keys being parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import orjson
from aiodataloader import DataLoader
from sqlalchemy import ARRAY, BindParameter, ColumnElement, Select, any_, bindparam, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from gql.compiler.sqlenv import request_env
from gql.core.driver_sql import driver_rows, template
from gql.core.ordering import order_clauses
from gql.core.pagination import Page, PageArgs, fetch_pages
from gql.core.rows import LightRow, processors_of, raw_columns_of, row_class
from gql.db.tenant import get_tenant
from gql.tenancy import tenant_table

T = TypeVar("T")

# A batch's keys are one parameter (PostgreSQL: an array; SQLite: a JSON array) and the
# tenant another, so each loader's statement is one text per dialect, compiled once
# and run on the driver (gql/core/driver_sql.py).
TENANT: BindParameter[Any] = bindparam("tenant")


def _column(table: Any, model: type[Any], attribute: str) -> Any:
    """The column of `table` (an alias of the model's table) mapped to `attribute`."""
    return table.c[sa_inspect(model).column_attrs[attribute].columns[0].key]


def _in_keys(key: Any, dialect: Any) -> ColumnElement[bool]:
    if dialect.name == "postgresql":
        return key == any_(bindparam("keys", type_=ARRAY(key.type)))
    keys = func.json_each(bindparam("keys")).table_valued("value")
    return key.in_(select(keys.c.value))


def rows_select(loader: type[Any], dialect: Any) -> Select[Any]:
    """A row loader's statement: `loader.model`'s rows (in its row class's column order)
    of the tenant whose key column (`foreign_key`, else `id`) is one of the keys and that
    meet its `where`, in (key, *order_by) order."""
    model = loader.model
    by_id = issubclass(loader, ByIdLoader)
    scoped = tenant_table(model, TENANT)
    table = scoped.table
    key = _column(table, model, "id" if by_id else loader.foreign_key)
    order = [_column(table, model, name) for name in (() if by_id else loader.order_by)]
    where = loader.where(table) if issubclass(loader, OneByForeignKeyLoader) else []
    return (
        scoped.select(*raw_columns_of(model, table))
        .where(_in_keys(key, dialect), *where)
        .order_by(key, *order)
    )


def _dialect(session: AsyncSession) -> Any:
    return session.bind.dialect  # type: ignore[union-attr]


async def load_rows(session: AsyncSession, loader: type[Any], keys: Sequence[Any]) -> list[Any]:
    """Light rows of `loader.model` that its `rows_select` selects for `keys` (compiled
    once per loader class and dialect), run on the driver in the session's transaction
    (its tenant set on PostgreSQL)."""
    dialect = _dialect(session)
    stmt = template(loader, dialect, lambda: rows_select(loader, dialect))
    pg = dialect.name == "postgresql"
    values: dict[str, Any] = {"keys": list(keys) if pg else orjson.dumps(list(keys)).decode()}
    values["tenant"] = get_tenant(session)
    rows, description = await driver_rows(session, stmt, values)
    if not rows:
        return []
    processors = processors_of(loader.model, dialect, description)
    return row_class(loader.model).many(rows, processors)


class ByIdLoader(DataLoader[str, Any], Generic[T]):
    """Rows by primary key; `None` for a key with no row in the tenant."""

    model: ClassVar[type[Any]]

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[LightRow | None]:
        by_id = {row.id: row for row in await load_rows(self.session, type(self), keys)}
        return [by_id.get(key) for key in keys]


class ByForeignKeyLoader(DataLoader[str, Any], Generic[T]):
    """All rows whose `foreign_key` equals each key, in `order_by` order; `[]` for none."""

    model: ClassVar[type[Any]]
    foreign_key: ClassVar[str]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[LightRow]]:
        grouped: dict[str, list[LightRow]] = defaultdict(list)
        for row in await load_rows(self.session, type(self), keys):
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

    async def batch_load_fn(self, keys: Sequence[str]) -> list[LightRow | None]:
        first: dict[str, LightRow] = {}
        for row in await load_rows(self.session, type(self), keys):
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
