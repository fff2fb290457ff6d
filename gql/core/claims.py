"""Claims: the first write of every operation that changes money, taken on the row the
operation is about, so that of N identical requests at the same moment exactly one
goes on and the others get the answer a later attempt would get.

A claim is ONE guarded statement on one row: `DELETE ... WHERE id = :id AND <guards>
RETURNING` for a row the operation removes, `UPDATE ... SET ... WHERE id = :id AND
<guards> RETURNING` for a row it moves on (or only locks, when rows that refer to it
must go first).

- PostgreSQL (READ COMMITTED): a second claim waits on the first one's row lock, then
  re-checks its WHERE against the row as committed (gone, or no longer matching) and
  claims nothing. So guards may only name the row's own columns: a subquery would be
  re-checked against the statement's old snapshot and still pass.
- SQLite: pysqlite emits BEGIN only before the first INSERT/UPDATE/DELETE, so the reads
  before the claim ran outside any transaction and hold no snapshot. The claim, as the
  transaction's first write, takes the database's write lock (waiting up to
  busy_timeout) and everything after it reads the database as it now is: nothing can
  fail on upgrading a stale read lock ("database is locked").

A lost claim raises what the client would get on trying again: NOT_FOUND when the row
is gone (exactly as for an id that never existed), otherwise the refusal `refuse`
gives the row as it now is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.core.errors import ErrorCode, UserInputError, not_found
from gql.core.versions import bump, check_current, claim_guards
from gql.db.columns import Entity

R = TypeVar("R", bound=Entity)


async def claim(
    session: AsyncSession,
    row: R,
    *guards: ColumnElement[bool],
    what: str,
    values: Mapping[str, Any] | None = None,
    refuse: Callable[[R], None] | None = None,
    path: Sequence[str] = ("id",),
) -> None:
    """Claim `row` (as read earlier in this request) with one guarded write: deleted
    when `values` is None, else updated with them; `row` then reads as written.
    Raises NOT_FOUND on `path` when the row is gone, or `refuse(row as it now is)`."""
    model = type(row)
    # The version the write expects of this row is one more guard (gql/core/versions.py).
    where = (col(model.id) == row.id, *guards, *claim_guards(session, row))
    stmt = (
        delete(model).where(*where)
        if values is None
        else update(model).where(*where).values(**values, **bump(model))
    )
    # populate_existing: an UPDATE refreshes `row` in place from what it returns.
    claimed = await session.scalar(
        stmt.returning(model).execution_options(synchronize_session=False, populate_existing=True)
    )
    if claimed is not None:
        if values is None:
            session.expunge(row)  # deleted: the session must not flush it again
        return
    await _refuse(session, row, what=what, refuse=refuse, path=path)


async def _refuse(
    session: AsyncSession,
    row: R,
    *,
    what: str,
    refuse: Callable[[R], None] | None,
    path: Sequence[str],
) -> None:
    """Why the claim found nothing, from the row as the database now has it."""
    model = type(row)
    current = await session.scalar(
        select(model).where(col(model.id) == row.id).execution_options(populate_existing=True)
    )
    if current is None:
        raise not_found(path, what)
    check_current(session, current)
    if refuse is not None:
        refuse(current)
    # The guards name a state `refuse` does not know: say so rather than guess.
    raise UserInputError.single(
        path, f"The {what.lower()} changed meanwhile; try again", ErrorCode.INVALID_STATE
    )
