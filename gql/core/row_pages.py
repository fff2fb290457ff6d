"""A root connection's page as light rows, from SQL text cached per page shape.

The resolver path's root page was an ORM statement: per request SQLAlchemy built its
cache key, applied the tenant criterion, and made an ORM entity per row. A page is
determined by its model, the area's filter object, its order, its page arguments and
the request's SqlEnv (dialect, tenant, day): under that key its statement (the same
ORM select, the tenant criterion included, so subqueries stay scoped too) is compiled
once, with its parameters, and later requests run the text on the driver
(gql/core/driver_sql.py) and answer light rows (gql/core/rows.py), as the loaders do.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.compiler.sqlenv import request_env
from gql.core.driver_sql import driver_rows
from gql.core.lru import LRU
from gql.core.pagination import Page, PageArgs, fetch_page
from gql.core.rows import processors_of, row_class
from gql.db.driver import DriverTemplate
from gql.db.tenant import get_tenant, tenant_criteria

_PAGES: LRU[Hashable, DriverTemplate] = LRU(maxsize=1024)


def _window(args: PageArgs) -> tuple[int, int]:
    """A forward page's offset and size."""
    start = args.after or 0
    size = args.first if args.first is not None else 0
    if args.before is not None:
        size = max(0, min(size, args.before - 1 - start))
    return start, size


def _forward(
    model: type[Any],
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[ColumnElement[Any]],
    args: PageArgs,
    tenant: str | None,
) -> Any:
    """The forward page (LIMIT/OFFSET) of the model's columns in its row class's order,
    with the total in the same statement, as pagination's forward page selects it."""
    start, size = _window(args)
    columns = [getattr(model, name) for name in row_class(model).names]
    total = select(func.count()).select_from(model).where(*where).scalar_subquery()
    return (
        select(*columns, total.label("page_total"))
        .where(*where)
        .order_by(*order_by)
        .limit(size)
        .offset(start)
        .options(tenant_criteria(tenant))
    )


async def fetch_row_page(
    session: AsyncSession,
    model: type[Any],
    *,
    shape: Hashable,
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[ColumnElement[Any]],
    args: PageArgs,
) -> Page[Any]:
    """pagination.fetch_page's page, as light rows. `shape` (hashable) must determine
    `where` and `order_by` wholly given the request's SqlEnv; backward pages, empty
    pages and shapes that do not hash take fetch_page's way."""
    if args.last is not None:
        return await fetch_page(session, model, where=where, order_by=order_by, args=args)
    dialect = session.bind.dialect  # type: ignore[union-attr]
    key = (dialect, model, shape, args, request_env(session))
    try:
        template = _PAGES.get(key)
    except TypeError:  # a filter holding something unhashable
        return await fetch_page(session, model, where=where, order_by=order_by, args=args)
    if template is None:
        statement = _forward(model, where, order_by, args, get_tenant(session))
        template = DriverTemplate.compile(statement, dialect)
        _PAGES.put(key, template)
    rows, description = await driver_rows(session, template, {})
    start, size = _window(args)
    if not rows:
        if start == 0 and size > 0:
            return Page.empty(0)
        # Past the end: the total is owed without a row to carry it.
        count = await session.scalar(select(func.count()).select_from(model).where(*where))
        return Page.empty(int(count or 0))

    def columns() -> Sequence[Any]:
        return list(description())[:-1]  # without the total's

    return Page(
        rows=row_class(model).many(rows, processors_of(model, dialect, columns)),
        positions=list(range(start + 1, start + 1 + len(rows))),
        total=int(rows[0][-1]),
    )
