"""Statements of the resolver path run from their cached text on the session's driver.

A loader's statement is the same text every time; only its parameters change. Going
through SQLAlchemy's execute costs, per statement, a cache key, a compiled-cache
lookup, an execution context and a Result: most of what the loaders cost. A
`DriverTemplate` is compiled once per (statement, dialect), and `driver_rows` runs it
on the session's own connection (so inside its transaction, with its tenant set for
row-level security), straight on psycopg or aiosqlite, answering the driver's tuples.

The engine's `before_cursor_execute` / `after_cursor_execute` listeners still hear of
each statement (the statement counters of the tests and the benchmark), and a driver
error reaches the caller as SQLAlchemy's own wrapper of it (DBAPIError), as it would
through SQLAlchemy, so the failure handling (timeouts, lost connections) is unchanged.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import psycopg
from sqlalchemy import exc
from sqlalchemy.ext.asyncio import AsyncSession

from gql.db.driver import DriverTemplate
from gql.db.engine import send_settings, settings_due


def _untyped(width: int) -> list[tuple[None, None]]:
    """SQLite's cursor description, as `processors_of` reads it: no type codes."""
    return [(None, None)] * width


_TEMPLATES: weakref.WeakKeyDictionary[Any, dict[Any, DriverTemplate]] = weakref.WeakKeyDictionary()


def template(key: Any, dialect: Any, build: Any) -> DriverTemplate:
    """The template cached under `key` for `dialect` (per dialect object: an engine's
    settings may shape its compilation), compiling `build()` the first time."""
    known = _TEMPLATES.setdefault(dialect, {})
    found = known.get(key)
    if found is None:
        found = known[key] = DriverTemplate.compile(build(), dialect)
    return found


async def driver_rows(
    session: AsyncSession, template: DriverTemplate, values: dict[str, Any]
) -> tuple[list[Sequence[Any]], Callable[[], Sequence[Any]]]:
    """The rows of `template` with `values`, and a getter of the cursor's description
    (type codes at [1]), run on the session's connection, one statement at a time (its turn)."""
    params = template.params(values)
    async with session._turn:  # type: ignore[attr-defined]  # a RequestSession
        conn = await session.connection()
        sync = conn.sync_connection
        assert sync is not None
        if settings_due(sync):  # the transaction's tenant and deadline, as before any statement
            await conn.run_sync(send_settings)
        # Inside the session's transaction the connection is at hand (no I/O to get it).
        driver: Any = sync.connection.driver_connection
        dispatch = sync.dispatch
        sql, text = template.sql, template.text
        dispatch.before_cursor_execute(sync, None, text, params, None, False)
        try:
            if sync.dialect.name == "postgresql":
                cursor = psycopg.AsyncRawCursor(driver)
                await cursor.execute(sql, params)
                rows: list[Sequence[Any]] = await cursor.fetchall()
                # Read only when asked: psycopg builds it afresh on every read.
                description: Callable[[], Any] = partial(getattr, cursor, "description")
            else:
                rows = list(await driver.execute_fetchall(sql, params))
                description = partial(_untyped, len(rows[0]) if rows else 0)
        except Exception as error:
            raise _wrapped(sync, text, params, error) from error
        dispatch.after_cursor_execute(sync, None, text, params, None, False)
    return rows, description


def _wrapped(sync: Any, sql: Any, params: Any, error: Exception) -> Exception:
    """`error` as SQLAlchemy would have raised it (a DBAPIError subclass for driver
    errors, marking a lost connection as such so the pool replaces it)."""
    dbapi = sync.dialect.loaded_dbapi
    if not isinstance(error, dbapi.Error):
        return error
    lost = sync.dialect.is_disconnect(error, sync.connection.dbapi_connection, None)
    if lost:
        sync.invalidate(error)
    return exc.DBAPIError.instance(
        sql, params, error, dbapi.Error, connection_invalidated=lost, dialect=sync.dialect
    )
