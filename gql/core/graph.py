"""Edges and computed fields, declared once.

Each helper returns a strawberry field whose resolver goes through a dataloader (the
resolver path) and whose metadata tells the SQL compiler (gql/compiler) what the
field is in SQL. Plain columns need no declaration: a field named like a column of
the node's table is that column.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import ColumnElement

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
class Edge:
    """A connection of `model` rows whose `fk` is this row's id."""

    model: type[Any]
    fk: str
    filter_of: Callable[[Any], Any]  # the GraphQL filter input -> an object with .conditions()
    order_of: Callable[[Any], tuple[str, str]]  # the GraphQL order input -> (field, direction)
    order_columns: dict[str, Any]
    module: str | None = None


@dataclass(frozen=True)
class MoneyOf:
    """`{amount, currency}` from an amount (a column name, or `amount(table, env)`, an
    expression over the row's table) and the currency column."""

    amount: str | Callable[[Any, Any], ColumnElement[Any]]
    currency: str


@dataclass(frozen=True)
class Computed:
    """A value SQL can compute: `sql(table, env)` gives the expression (env: the
    compiler's dialect helpers and request values such as `today`)."""

    sql: Callable[[Any, Any], ColumnElement[Any]]
    kind: str  # how to present it: "decimal", "bool", "string"


@dataclass(frozen=True)
class NotCompiled:
    """Computed in Python only; a query selecting it is answered by the resolver path."""

    reason: str


def sql_of(field: Any) -> Any:
    return (field.metadata or {}).get(SQL)


def require_module_of(model: type[Any], info: strawberry.Info) -> None:
    """An edge into a module's type answers FORBIDDEN while that module is off, as the
    module's root fields do (the compiled path defers such queries to this one)."""
    from gql.auth.permissions import require_module
    from gql.core.relay import module_of

    module = module_of(model)
    if module is not None:
        require_module(info.context.viewer, module)


def to_one(loader: type[Any], fk: str, *, description: str | None = None) -> Any:
    async def resolve(root: Any, info: strawberry.Info) -> Any:
        require_module_of(loader.model, info)
        key = getattr(root, fk)
        return None if key is None else await info.context.loaders.get(loader).load(key)

    return strawberry.field(
        resolver=resolve, description=description, metadata={SQL: ToOne(loader.model, fk)}
    )


def to_many(loader: type[Any], *, description: str | None = None) -> Any:
    async def resolve(root: Any, info: strawberry.Info) -> Any:
        require_module_of(loader.model, info)
        return await info.context.loaders.get(loader).load(root.id)

    spec = ToMany(loader.model, loader.foreign_key, tuple(loader.order_by))
    return strawberry.field(resolver=resolve, description=description, metadata={SQL: spec})


def to_one_by(loader: type[Any], *, description: str | None = None) -> Any:
    """A nullable edge to the one row that points at this one. `loader` (a
    gql.core.loaders.OneByForeignKeyLoader) is keyed by this row's id and declares
    `model`, `foreign_key`, `order_by` and `where(table)`."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        require_module_of(loader.model, info)
        return await info.context.loaders.get(loader).load(root.id)

    spec = ToOneBy(loader.model, loader.foreign_key, loader.where, tuple(loader.order_by))
    return strawberry.field(resolver=resolve, description=description, metadata={SQL: spec})


def money(
    amount: str | Callable[[Any, Any], Any],
    currency: str = "currency_code",
    *,
    python: Callable[[Any], Decimal] | None = None,
    description: str | None = None,
) -> Any:
    """A Money field. `amount` names a column, or is an expression (then `python`
    computes the same value on a row)."""
    from gql.domains.catalogue.types import Money

    def resolve(root: Any) -> Money:
        value = python(root) if python is not None else getattr(root, amount)  # type: ignore[arg-type]
        return Money(amount=value, currency=getattr(root, currency))

    return strawberry.field(
        resolver=resolve, description=description, metadata={SQL: MoneyOf(amount, currency)}
    )


def computed(
    python: Callable[[Any], Any],
    sql: Callable[[Any, Any], ColumnElement[Any]] | None,
    kind: str,
    *,
    description: str | None = None,
) -> Any:
    def resolve(root: Any) -> Any:
        return python(root)

    spec: Any = Computed(sql, kind) if sql is not None else NotCompiled("computed in Python")
    return strawberry.field(resolver=resolve, description=description, metadata={SQL: spec})


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
) -> Any:
    """One page of `spec`'s rows: what a root connection answers on the resolver path,
    and what the REST lists answer. `where` is the area's filter (an object with
    `.conditions()`; default: `spec.filter_of(None)`), `order` a (field, direction)
    (default: `spec.order_of(None)`)."""
    from gql.core.ordering import order_clauses
    from gql.core.pagination import fetch_page

    field, direction = order or spec.order_of(None)
    rows_filter = where if where is not None else spec.filter_of(None)
    return await fetch_page(
        session,
        spec.model,
        where=rows_filter.conditions(),
        order_by=order_clauses(spec.model, spec.order_columns[field], direction),
        args=args,
    )


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
        )
        return connection.from_page(page)

    # The arguments strawberry sees: the signature says which, with their types (the
    # resolver itself takes the optional inputs as keywords).
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter(
            "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
        ),
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
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters, return_annotation=connection
    )
    resolve.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": connection}
    return strawberry.field(
        resolver=resolve,
        description=description,
        permission_classes=permission_classes,
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
    from gql.core.errors import NotFoundError
    from gql.core.inputs import find_row
    from gql.core.relay import type_name_for

    async def resolve(info: strawberry.Info, id: strawberry.ID) -> Any:
        row = await find_row(info.context.session, model, id, type_name_for(model))
        if row is None:
            raise NotFoundError(what)
        return row

    return strawberry.field(
        resolver=resolve,
        description=description or f"{what} by id; null with NOT_FOUND when there is none.",
        permission_classes=permission_classes,
        metadata={SQL: RootGet(model, what)},
    )
