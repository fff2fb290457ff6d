"""Edges and computed fields, declared once.

Each helper returns a strawberry field whose resolver goes through a dataloader (the
resolver path) and whose metadata tells the SQL compiler (gql/compiler) what the
field is in SQL. Plain columns need no declaration: a field named like a column of
the node's table is that column. A field with a resolver of its own and no
declaration is never compiled (the planner leaves it to the resolver path).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

import strawberry
from sqlalchemy import ColumnElement

from gql.auth.access import Need
from gql.auth.permissions import check, require_module
from gql.compiler.sqlenv import request_env
from gql.core.errors import NotFoundError
from gql.core.execution import DIRECT
from gql.core.inputs import find_row
from gql.core.loaders import ComputedLoader, PageByForeignKeyLoader
from gql.core.money import Money
from gql.core.ordering import order_clauses
from gql.core.pagination import fetch_page
from gql.core.prefetch import PREFETCH, Prefetch, prefetch_page, prefetch_row, settled
from gql.core.relay import module_of, type_name_for
from gql.core.row_pages import fetch_row_page
from gql.core.rows import model_of
from gql.domains.companies.modules import ModuleAlias

SQL = "ledgergraph.sql"


@dataclass(frozen=True)
class ToOne:
    """The row of `model` whose id is this row's `fk`."""

    model: type[Any]
    fk: str


@dataclass(frozen=True)
class ToMany:
    """Every row of `model` whose `fk` is this row's id, in `order_by` order."""

    model: type[Any]
    fk: str
    order_by: tuple[str, ...]


@dataclass(frozen=True)
class ToOneBy:
    """The row of `model` whose `fk` is this row's id and that meets `where(table)` (a
    reverse to-one, e.g. the voucher whose source is this document): the first in
    `order_by` order, or null."""

    model: type[Any]
    fk: str
    where: Callable[[Any], list[ColumnElement[bool]]]
    order_by: tuple[str, ...]


@dataclass(frozen=True)
class EdgeConnection:
    """A connection edge: the `model` rows whose `fk` is this row's id, filtered and
    ordered by the field's `filter` and `orderBy` arguments."""

    model: type[Any]
    fk: str
    filter_of: Callable[[Any], Any]  # the GraphQL filter input -> an object with .conditions(env)
    order_of: Callable[[Any], tuple[str, str]]  # the GraphQL order input -> (field, direction)
    order_columns: dict[str, Any]
    module: str | None = None


@dataclass(frozen=True)
class Computed:
    """A value computed by SQL over one row: `sql(table, env)` gives the expression
    over the row's table (or an alias of it); env: the request's SqlEnv (dialect
    helpers, `today`, `tenant_id`). The compiler inlines it; the resolver path selects
    the same expression through gql.core.loaders.ComputedLoader."""

    sql: Callable[[Any, Any], ColumnElement[Any]]
    kind: str  # how to present it: "decimal", "bool", "string"


@dataclass(frozen=True)
class MoneyOf:
    """`{amount, currency}` from an amount (a column name, or a Computed expression
    over the row's table) and the currency column."""

    amount: str | Computed
    currency: str


@dataclass(frozen=True)
class NotCompiled:
    """Computed in Python only; a query selecting it is answered by the resolver path."""

    reason: str


def sql_of(field: Any) -> Any:
    return (field.metadata or {}).get(SQL)


def _module_need(model: type[Any]) -> Callable[[], Need | None]:
    """What an edge into `model`'s type needs: its module on, as the module's root
    fields do (the compiled path defers such queries to this one); None for the core.
    Worked out once, on first use (node types register after their fields are made),
    not for every row."""

    @functools.cache
    def need() -> Need | None:
        module = module_of(model)
        return None if module is None else Need(module=ModuleAlias(module))

    return need


def _edge_field(loader: type[Any], key_of: Callable[[Any], Any], spec: Any, **kwargs: Any) -> Any:
    """An edge through `loader`: answered now when its value is already loaded (by
    gql.core.prefetch, or earlier in the request), else awaited by graphql-core."""
    need = _module_need(loader.model)

    def resolve(root: Any, info: strawberry.Info) -> Any:
        wanted = need()
        if wanted is not None:
            check(info.context.viewer, wanted)
        key = key_of(root)
        return None if key is None else settled(info.context.loaders.get(loader).load(key))

    metadata = {SQL: spec, PREFETCH: Prefetch(loader, key_of, loader.model), DIRECT: resolve}
    return strawberry.field(resolver=resolve, metadata=metadata, **kwargs)


def to_one(loader: type[Any], fk: str, *, description: str | None = None) -> Any:
    return _edge_field(
        loader, operator.attrgetter(fk), ToOne(loader.model, fk), description=description
    )


def to_many(loader: type[Any], *, description: str | None = None) -> Any:
    spec = ToMany(loader.model, loader.foreign_key, tuple(loader.order_by))
    return _edge_field(loader, _row_id, spec, description=description)


def to_one_by(loader: type[Any], *, description: str | None = None) -> Any:
    """A nullable edge to the one row that points at this one. `loader` (a
    gql.core.loaders.OneByForeignKeyLoader) is keyed by this row's id and declares
    `model`, `foreign_key`, `order_by` and `where(table)`."""

    spec = ToOneBy(loader.model, loader.foreign_key, loader.where, tuple(loader.order_by))
    return _edge_field(loader, _row_id, spec, description=description)


def _row_id(row: Any) -> Any:
    return row.id


def _computed_key(spec: Computed) -> Callable[[Any], Any]:
    """The ComputedLoader key of `spec` over a row."""

    def key_of(row: Any) -> Any:
        return (spec, model_of(row), row.id)

    return key_of


def computed(spec: Computed, *, description: str | None = None) -> Any:
    """A field answering `spec` for its row, on both read paths from the one expression."""
    key_of = _computed_key(spec)

    def resolve(root: Any, info: strawberry.Info) -> Any:
        return settled(info.context.loaders.get(ComputedLoader).load(key_of(root)))

    metadata = {SQL: spec, PREFETCH: Prefetch(ComputedLoader, key_of, None), DIRECT: resolve}
    return strawberry.field(resolver=resolve, description=description, metadata=metadata)


def money(
    amount: str | Computed, currency: str = "currency_code", *, description: str | None = None
) -> Any:
    """A Money field: `amount` names a column, or is a Computed ("decimal") expression."""
    resolve: Callable[..., Any]
    metadata: dict[str, Any] = {SQL: MoneyOf(amount, currency)}
    if isinstance(amount, Computed):
        key_of = _computed_key(amount)

        def resolve(root: Any, info: strawberry.Info) -> Any:
            value = info.context.loaders.get(ComputedLoader).load(key_of(root))
            if value.done() and not value.cancelled():
                return Money(amount=value.result(), currency=getattr(root, currency))
            return _money_later(value, getattr(root, currency))

        metadata[PREFETCH] = Prefetch(ComputedLoader, key_of, None)
        metadata[DIRECT] = resolve
    else:
        column = amount

        def resolve(root: Any) -> Money:  # a column: no await per row
            return Money(amount=getattr(root, column), currency=getattr(root, currency))

        metadata[DIRECT] = lambda root, _info: resolve(root)

    return strawberry.field(resolver=resolve, description=description, metadata=metadata)


async def _money_later(amount: Any, currency: str) -> Money:
    return Money(amount=await amount, currency=currency)


def python_only(
    resolver: Callable[..., Any], reason: str, *, description: str | None = None
) -> Any:
    return strawberry.field(
        resolver=resolver, description=description, metadata={SQL: NotCompiled(reason)}
    )


@dataclass(frozen=True)
class RootConnection:
    """A root list field: a connection over every tenant row of `model`."""

    model: type[Any]
    filter_of: Callable[[Any], Any]
    order_of: Callable[[Any], tuple[str, str]]
    order_columns: dict[str, Any]


async def list_page(
    session: Any,
    spec: RootConnection,
    args: Any,
    *,
    where: Any = None,
    order: tuple[str, str] | None = None,
    order_by: list[ColumnElement[Any]] | None = None,
    light: bool = False,
) -> Any:
    """One page of `spec`'s rows: what a root connection answers on the resolver path,
    and what the REST lists answer. `where` is the area's filter (an object with
    `.conditions(env)`; default: `spec.filter_of(None)`), `order` a (field, direction)
    (default: `spec.order_of(None)`), or `order_by` the clauses themselves (a dialect
    that sorts by columns of its own). `light`: the rows as light rows, from SQL cached
    per page shape (gql.core.row_pages; the GraphQL types read both kinds alike)."""

    field, direction = order or spec.order_of(None)
    rows_filter = where if where is not None else spec.filter_of(None)
    conditions = rows_filter.conditions(request_env(session))
    clauses = order_by or order_clauses(spec.model, spec.order_columns[field], direction)
    if light and order_by is None:
        # The spec's identity: its order columns name the clauses (specs live for good).
        shape = (id(spec), rows_filter, field, direction)
        return await fetch_row_page(
            session, spec.model, shape=shape, where=conditions, order_by=clauses, args=args
        )
    return await fetch_page(session, spec.model, where=conditions, order_by=clauses, args=args)


def _connection_signature(
    resolve: Any,
    connection: Any,
    filter: Any,
    order: Any,
    *,
    root: bool,
) -> None:
    """Give `resolve` (which takes the page arguments and the optional `filter` /
    `order_by` inputs as keywords) the signature strawberry reads its GraphQL
    arguments from: first/after/last/before, and filter / orderBy when their input
    types are given (a type, or a strawberry.lazy annotation)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("root", positional, annotation=Any)] if root else []
    parameters += [
        inspect.Parameter("info", positional, annotation=strawberry.Info),
        inspect.Parameter("first", keyword, default=None, annotation=int | None),
        inspect.Parameter("after", keyword, default=None, annotation=str | None),
        inspect.Parameter("last", keyword, default=None, annotation=int | None),
        inspect.Parameter("before", keyword, default=None, annotation=str | None),
    ]
    for name, input_type in (("filter", filter), ("order_by", order)):
        if input_type is not None:
            parameters.append(
                inspect.Parameter(name, keyword, default=None, annotation=input_type | None)
            )
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=connection)
    resolve.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": connection}


def _class_of(annotation: Any) -> Any:
    """The class an annotation names: itself, or what a strawberry.lazy one points at."""
    if get_origin(annotation) is not Annotated:
        return annotation
    name, lazy = get_args(annotation)[:2]
    type_name = name if isinstance(name, str) else name.__forward_arg__
    return getattr(importlib.import_module(lazy.module, lazy.package), type_name)


def root_connection(
    spec: RootConnection,
    connection: type[Any],
    *,
    filter: type[Any] | None,
    order: type[Any] | None,
    permission_classes: list[Any],
    description: str,
) -> Any:
    """A root list field over `spec`, declared once: the connection arguments
    (first/after/last/before, and `filter` / `orderBy` when their input types are
    given), a resolver that pages through `list_page`, and the compiler's metadata."""

    async def resolve(
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **inputs: Any,
    ) -> Any:
        args = info.context.page_args(first=first, after=after, last=last, before=before)
        order_value = inputs.get("order_by")
        page = await list_page(
            info.context.session,
            spec,
            args,
            where=spec.filter_of(inputs.get("filter")),
            order=spec.order_of(order_value),
            light=True,
        )
        await prefetch_page(info, page.rows)
        return connection.from_page(page)

    _connection_signature(resolve, connection, filter, order, root=False)
    return strawberry.field(
        resolver=resolve,
        description=description,
        permission_classes=permission_classes,
        metadata={SQL: spec},
    )


def connection_edge(
    spec: EdgeConnection,
    connection: Any,
    *,
    filter: Any,
    order: Any,
    description: str,
    permission_classes: list[Any] | None = None,
) -> Any:
    """A connection edge over `spec`, declared once: the connection arguments, a
    resolver that pages through a loader made for this edge (one statement for every
    parent asking for the same page shape: gql.core.loaders.PageByForeignKeyLoader),
    and the compiler's metadata. `connection`, `filter` and `order` are types, or
    strawberry.lazy annotations where the edge's types would import this module."""

    loader = type(
        f"{spec.model.__name__}PageBy{spec.fk}Loader", (PageByForeignKeyLoader,), {"edge": spec}
    )

    async def resolve(
        root: Any,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **inputs: Any,
    ) -> Any:
        ctx = info.context
        if spec.module is not None:
            require_module(ctx.viewer, spec.module)
        args = ctx.page_args(first=first, after=after, last=last, before=before)
        filter_value = spec.filter_of(inputs.get("filter"))
        key = (root.id, args, filter_value, spec.order_of(inputs.get("order_by")))
        page = await ctx.loaders.get(loader).load(key)
        await prefetch_page(info, page.rows)
        return connection_class().from_page(page)

    @functools.cache
    def connection_class() -> Any:  # a lazy annotation is resolved once, on first use
        return _class_of(connection)

    _connection_signature(resolve, connection, filter, order, root=True)
    return strawberry.field(
        resolver=resolve,
        description=description,
        permission_classes=permission_classes or [],
        metadata={SQL: spec},
    )


@dataclass(frozen=True)
class RootGet:
    """A root field answering one row of `model` by id (null + NOT_FOUND when none)."""

    model: type[Any]
    what: str


def sql_meta(spec: Any) -> dict[str, Any]:
    return {SQL: spec}


def root_get(
    model: type[Any], what: str, *, permission_classes: list[Any], description: str | None = None
) -> Any:
    """A root field answering one row by id (a global or object id): null with
    NOT_FOUND when there is none, which is also what another company's id gets."""

    async def resolve(info: strawberry.Info, id: strawberry.ID) -> Any:
        row = await find_row(info.context.session, model, id, type_name_for(model))
        if row is None:
            raise NotFoundError(what)
        await prefetch_row(info, row)
        return row

    return strawberry.field(
        resolver=resolve,
        description=description or f"{what} by id; null with NOT_FOUND when there is none.",
        permission_classes=permission_classes,
        metadata={SQL: RootGet(model, what)},
    )
