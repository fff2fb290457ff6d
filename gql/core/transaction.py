"""One database transaction per write, the same for both dialects: a GraphQL mutation
(gql/core/mutations.py) and a REST request (gql/rest/numbors.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from gql.core import audit
from gql.core.versions import ExpectedVersion, conflict_of, expecting

T = TypeVar("T")


async def in_transaction(
    session: AsyncSession,
    action: Callable[[], Awaitable[T]],
    *,
    expected: ExpectedVersion | None = None,
    operation: str | None = None,
) -> T:
    """`action`'s result, committed whole; when it raises, everything it wrote is rolled
    back and the exception goes on for the dialect to answer (bad input: GraphQL
    `userErrors`, a REST 400). Rolled back at once, whatever the failure (a
    cancellation too): GraphQL's next mutation in the same operation, or the next
    operation on the same WebSocket, shares the session. `expected`: the version the
    write expects of the row it is about (a stale one is refused, gql/core/versions.py);
    a row changed by a concurrent write meanwhile is a conflict too, never a 500. With
    an `operation` (the mutation field, the REST method and path), every row it writes
    is audited in the same transaction (gql/core/audit.py)."""
    if operation is not None:
        audit.arm(session, operation)
    try:
        with expecting(session, expected):
            result = await action()
            if operation is not None:
                await audit.write_pending(session)
            await session.commit()
    except BaseException as exc:
        try:
            await session.rollback()
        except Exception:  # e.g. on a connection whose statement was just cancelled
            # The original failure is the answer (a timeout stays a timeout); the
            # session's close discards a connection left in a bad state.
            logging.getLogger("ledgergraph.db").warning("rollback failed", exc_info=True)
        conflict = conflict_of(exc)
        if conflict is not None:
            raise conflict from exc
        raise
    finally:
        audit.disarm(session)
    return result
