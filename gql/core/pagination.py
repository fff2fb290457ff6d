"""Cursor pagination over SQL, for root lists and batched to-many edges alike.

One statement answers a page: rows are numbered with `row_number()` over the
requested order (per parent when batching an edge) and counted with `count(*)`
over the same window, so the page and its total come back together.
"""

from __future__ import annotations

import base64
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.errors import BadInputError
from gql.tenancy import orm_alias

T = TypeVar("T")

_CURSOR_PREFIX = "cursor:"
# Positions are row numbers; a cursor (or REST page) naming one beyond this is forged.
# Bounded so that it, and position + page size, always fit the databases' integers.
MAX_POSITION = 2**31 - 1


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if raw.startswith(_CURSOR_PREFIX):
            position = int(raw[len(_CURSOR_PREFIX) :])
            if 1 <= position <= MAX_POSITION:
                return position
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadInputError(f"{argument}: not a valid cursor", field=argument)


@dataclass(frozen=True)
class PageArgs:
    """Validated `first/after/last/before`; positions are 1-based row numbers."""

    first: int | None = None
    after: int | None = None
    last: int | None = None
    before: int | None = None

    @classmethod
    def parse(
        cls,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        max_size: int,
        default_size: int,
    ) -> PageArgs:
        for name, value in (("first", first), ("last", last)):
            if value is None:
                continue
            if value < 0:
                raise BadInputError(f"{name}: must not be negative", field=name)
            if value > max_size:
                raise BadInputError(
                    f"{name}: must be at most {max_size} (asked for {value})", field=name
                )
        if first is not None and last is not None:
            raise BadInputError("first and last cannot be used together", field="last")
        if first is None and last is None:
            first = default_size
        return cls(
            first=first,
            after=decode_cursor(after, "after") if after else None,
            last=last,
            before=decode_cursor(before, "before") if before else None,
        )

    @property
    def has_cursor(self) -> bool:
        return self.after is not None or self.before is not None


@dataclass
class Page(Generic[T]):
    rows: list[T]
    positions: list[int]
    total: int

    @property
    def has_previous_page(self) -> bool:
        return bool(self.positions) and self.positions[0] > 1

    @property
    def has_next_page(self) -> bool:
        return bool(self.positions) and self.positions[-1] < self.total

    @classmethod
    def empty(cls, total: int = 0) -> Page[T]:
        return cls(rows=[], positions=[], total=total)


def window_bounds(rn: Any, total: Any, args: PageArgs) -> ColumnElement[bool]:
    """The rows of a numbered window (1-based `rn`, `total` rows) that form the page."""
    conditions: list[ColumnElement[bool]] = []
    if args.after is not None:
        conditions.append(rn > args.after)
    if args.before is not None:
        conditions.append(rn < args.before)
    if args.first is not None:
        conditions.append(rn <= (args.after or 0) + args.first)
    if args.last is not None:
        upper = literal(args.before - 1) if args.before is not None else total
        conditions.append(rn > upper - args.last)
    return and_(literal(True), *conditions)


async def fetch_pages(
    session: AsyncSession,
    model: type[Any],
    *,
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[ColumnElement[Any]],
    args: PageArgs,
    partition_by: Any | None = None,
    keys: Sequence[Hashable] = (),
) -> dict[Hashable, Page[Any]]:
    """Pages of `model` rows, one per key of `partition_by` (or one under key None).

    `order_by` must be deterministic (end with a unique column). The tenant filter
    applies as on any ORM query.
    """
    if partition_by is None and args.last is None:
        return {
            None: await _fetch_forward(session, model, where=where, order_by=order_by, args=args)
        }
    partition = [partition_by] if partition_by is not None else []
    rn = (
        func.row_number()
        .over(partition_by=partition, order_by=list(order_by))
        .label("page_position")
    )
    total = func.count().over(partition_by=partition).label("page_total")
    stmt = select(model, rn, total).where(*where)
    if partition_by is not None:
        stmt = stmt.where(partition_by.in_(list(keys)))
    inner = stmt.subquery()
    row_alias = orm_alias(model, inner)
    outer = (
        select(row_alias, inner.c.page_position, inner.c.page_total)
        .where(window_bounds(inner.c.page_position, inner.c.page_total, args))
        .order_by(
            *([inner.c[partition_by.key]] if partition_by is not None else []),
            inner.c.page_position,
        )
    )
    result = await session.execute(outer)
    pages: dict[Hashable, Page[Any]] = {}
    for row, position, count in result.all():
        key = getattr(row, partition_by.key) if partition_by is not None else None
        page = pages.setdefault(key, Page.empty(count))
        page.rows.append(row)
        page.positions.append(position)
    wanted = list(keys) if partition_by is not None else [None]
    missing = [k for k in wanted if k not in pages]
    if missing and (args.has_cursor or args.last == 0 or args.first == 0):
        # A cursor past the end (or `first: 0`, `last: 0`) leaves the page empty but the
        # total is still owed.
        counts = await _count(session, model, where, partition_by, missing)
        for key in missing:
            pages[key] = Page.empty(counts.get(key, 0))
    for key in missing:
        pages.setdefault(key, Page.empty())
    return pages


async def _fetch_forward(
    session: AsyncSession,
    model: type[Any],
    *,
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[ColumnElement[Any]],
    args: PageArgs,
) -> Page[Any]:
    """A forward page of a whole list: LIMIT/OFFSET (an index can stop early), with the
    total from a count in the same statement."""
    start = args.after or 0
    size = args.first if args.first is not None else 0
    if args.before is not None:
        size = max(0, min(size, args.before - 1 - start))
    total = select(func.count()).select_from(model).where(*where).scalar_subquery()
    stmt = (
        select(model, total.label("page_total"))
        .where(*where)
        .order_by(*order_by)
        .limit(size)
        .offset(start)
    )
    rows = (await session.execute(stmt)).all()
    if not rows:
        if start == 0 and size > 0:
            return Page.empty(0)
        count = await session.scalar(select(func.count()).select_from(model).where(*where))
        return Page.empty(int(count or 0))
    return Page(
        rows=[r[0] for r in rows],
        positions=list(range(start + 1, start + 1 + len(rows))),
        total=int(rows[0][1]),
    )


async def _count(
    session: AsyncSession,
    model: type[Any],
    where: Sequence[ColumnElement[bool]],
    partition_by: Any | None,
    keys: Sequence[Hashable],
) -> dict[Hashable, int]:
    if partition_by is None:
        total = await session.scalar(select(func.count()).select_from(model).where(*where))
        return {None: int(total or 0)}
    stmt = (
        select(partition_by, func.count())
        .select_from(model)
        .where(*where, partition_by.in_(list(keys)))
        .group_by(partition_by)
    )
    return {key: int(n) for key, n in (await session.execute(stmt)).all()}


async def fetch_page(
    session: AsyncSession,
    model: type[Any],
    *,
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[ColumnElement[Any]],
    args: PageArgs,
) -> Page[Any]:
    return (await fetch_pages(session, model, where=where, order_by=order_by, args=args))[None]
