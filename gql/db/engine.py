"""Engine and sessions: the request's time budget, the per-transaction settings sent to
PostgreSQL (the tenant for row-level security and the statement timeout), and the
session class that sibling resolvers share."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import psycopg
import simplejson
from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from gql.compiler.sqlenv import register_sqlite_functions
from gql.core.failures import RequestTimeout
from gql.db.tenant import TENANT_KEY, set_tenant
from gql.settings import postgres_driver_url
from gql.tenancy import TENANT_SETTING

# --- the request's time budget ----------------------------------------------------------------

DEADLINE_KEY = "deadline"
_DEADLINE_CELL = "ledgergraph.deadline"  # per DBAPI connection (SQLite's progress handler)
_PROGRESS_STEPS = 10_000  # SQLite VM instructions between deadline checks


def set_deadline(session: AsyncSession | Session, seconds: float | None) -> None:
    """Every transaction this session begins must end within `seconds` from now: on
    PostgreSQL each transaction gets the remaining time as its `statement_timeout`,
    on SQLite a progress handler interrupts a statement still running at the deadline."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info[DEADLINE_KEY] = time.monotonic() + seconds if seconds else None


@event.listens_for(Session, "after_begin")
def _begin_transaction(session: Session, transaction: Any, connection: Any) -> None:
    _remaining_seconds(session.info)  # a budget already spent: not even a first statement
    if connection.dialect.name == "postgresql":
        # The transaction's settings go out with its first statement (_send_settings).
        connection.info[_SETTINGS_CELL] = _TransactionSettings(session.info)
    else:
        cell = connection.connection.info.get(_DEADLINE_CELL)
        if cell is not None:
            cell["at"] = session.info.get(DEADLINE_KEY)


def _remaining_seconds(info: dict[str, Any]) -> float | None:
    deadline = info.get(DEADLINE_KEY)
    return None if deadline is None else remaining_seconds(deadline)


def remaining_seconds(deadline: float) -> float:
    """Seconds left until `deadline` (time.monotonic()); RequestTimeout if none are."""
    remaining = float(deadline - time.monotonic())
    if remaining <= 0:
        raise RequestTimeout("the request's time budget ran out")
    return remaining


def statement_timeout(remaining: float) -> str:
    """PostgreSQL's `statement_timeout` for `remaining` seconds: whole ms, at least 1."""
    return str(max(1, math.ceil(remaining * 1000)))


# --- per-transaction settings on PostgreSQL: the tenant for row-level security, the deadline ---

_SETTINGS_CELL = "ledgergraph.transaction"  # in the connection's info, for one transaction
_NOT_SENT = object()

# One statement per transaction, bound parameters; `true`: SET LOCAL semantics, so
# nothing outlives the transaction (a pooled connection starts clean).
_SET_TENANT = text(f"SELECT set_config('{TENANT_SETTING}', :tenant, true)")
_SET_TENANT_AND_TIMEOUT = text(
    f"SELECT set_config('{TENANT_SETTING}', :tenant, true),"
    " set_config('statement_timeout', :timeout, true)"
)

# Execution options of a statement that reads only platform tables (users, companies,
# memberships: no row-level security there). It does not wait for the transaction's
# settings, which then go out with the next statement, once the tenant may be known:
# the viewer's lookup costs no extra statement. It runs without the statement_timeout
# (Python's timeout still bounds it), so use it only for small indexed reads.
_PLATFORM_ONLY_OPTION = "ledgergraph_platform_only"
PLATFORM_ONLY = {_PLATFORM_ONLY_OPTION: True}


class _TransactionSettings:
    """Links a PostgreSQL transaction to its session's info: the tenant and deadline
    are read from there (the same values the ORM criterion uses), and sent again
    whenever the tenant has changed since they were last sent. (Nothing here uses
    savepoints; rolling one back would also undo settings sent inside it.)"""

    def __init__(self, session_info: dict[str, Any]) -> None:
        self.session_info = session_info
        self.sent_tenant: object = _NOT_SENT


def _send_settings(
    conn: Any, clause: Any, multiparams: Any, params: Any, execution_options: Any
) -> None:
    """before_execute: bring the transaction's settings up to date before a statement."""
    cell: _TransactionSettings | None = conn.info.get(_SETTINGS_CELL)
    if cell is None or execution_options.get(_PLATFORM_ONLY_OPTION):
        return
    tenant = cell.session_info.get(TENANT_KEY)
    if cell.sent_tenant == tenant:
        return
    remaining = _remaining_seconds(cell.session_info)
    cell.sent_tenant = tenant  # first: the statement below passes through this hook too
    if remaining is None:
        conn.execute(_SET_TENANT, {"tenant": tenant or ""})
    else:
        timeout = statement_timeout(remaining)
        conn.execute(_SET_TENANT_AND_TIMEOUT, {"tenant": tenant or "", "timeout": timeout})


def settings_sent(connection: Any, tenant: str | None) -> None:
    """The open transaction's settings went out for `tenant` on the driver, past this
    hook (gql/auth/first_visit.py): not sent again unless the tenant changes."""
    cell: _TransactionSettings | None = connection.info.get(_SETTINGS_CELL)
    if cell is not None:
        cell.sent_tenant = tenant


def settings_due(conn: Any) -> bool:
    """Whether `conn`'s transaction lacks its session's current settings: a statement
    run on the driver (gql/core/driver_sql.py) passes no before_execute hook."""
    cell: _TransactionSettings | None = conn.info.get(_SETTINGS_CELL)
    return cell is not None and cell.sent_tenant != cell.session_info.get(TENANT_KEY)


def send_settings(conn: Any) -> None:
    """Send `conn`'s transaction its settings now (when due), as before any statement."""
    _send_settings(conn, None, (), {}, {})


def _end_transaction_settings(dbapi_conn: Any, record: Any) -> None:
    record.info.pop(_SETTINGS_CELL, None)  # checkin: the next user brings its own


def _install_sqlite_deadline(dbapi_conn: Any, record: Any) -> None:
    """A progress handler that stops any statement running past the deadline of the
    transaction that uses this connection (sqlite3 raises "interrupted")."""
    cell: dict[str, float | None] = {"at": None}
    record.info[_DEADLINE_CELL] = cell

    def past_deadline() -> int:
        at = cell["at"]
        return 1 if at is not None and time.monotonic() > at else 0

    await_only(dbapi_conn._connection.set_progress_handler(past_deadline, _PROGRESS_STEPS))


def set_connection_deadline(pooled: Any, deadline: float | None) -> None:
    """SQLite, for statements run on the driver without a session: stop them at
    `deadline` (time.monotonic()), as a session's transaction would. Cleared at checkin."""
    cell = pooled.info.get(_DEADLINE_CELL)
    if cell is not None:
        cell["at"] = deadline


def _clear_sqlite_deadline(dbapi_conn: Any, record: Any) -> None:
    cell = record.info.get(_DEADLINE_CELL)
    if cell is not None:
        cell["at"] = None  # the next user of this connection brings its own deadline


# --- engine and sessions --------------------------------------------------------------------


def _json_dumps(value: Any) -> str:
    """JSON columns' writer: a REST body's numbers arrive as exact Decimals (also in
    free-form fields, e.g. an item's appointment plans), written as the numbers sent."""
    return simplejson.dumps(value, use_decimal=True)


# 19 digits in a row: perhaps an integer beyond 64 bits, which orjson reads as a float.
_LONG_DIGITS = re.compile(r"\d{19}")
_LONG_DIGITS_BYTES = re.compile(rb"\d{19}")


def _json_loads(raw: str | bytes) -> Any:
    """JSON columns' reader: orjson, several times faster than json.loads (a page of
    rows parses every JSON column of every row, read or not); json.loads where orjson
    could read a value otherwise (long integers) or refuses it, so every value reads
    exactly as before."""
    long_digits = _LONG_DIGITS if isinstance(raw, str) else _LONG_DIGITS_BYTES
    if long_digits.search(raw) is None:  # type: ignore[arg-type]
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


def create_engine(
    url: str, *, pool_size: int = 10, wait_seconds: float = 30.0, echo: bool = False
) -> AsyncEngine:
    """The engine; `wait_seconds` bounds how long a request waits for a connection
    (from the pool, or to a database that does not answer)."""
    url = postgres_driver_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url,
            echo=echo,
            json_serializer=_json_dumps,
            json_deserializer=_json_loads,
            connect_args={"timeout": wait_seconds},
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Waiting for another writer's lock is bounded by the request's budget too.
            cursor.execute(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
            cursor.close()
            register_sqlite_functions(dbapi_conn)
            _install_sqlite_deadline(dbapi_conn, _record)

        event.listen(engine.sync_engine, "checkin", _clear_sqlite_deadline)
        return engine
    engine = create_async_engine(
        url,
        echo=echo,
        json_serializer=_json_dumps,
        json_deserializer=_json_loads,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=wait_seconds,
        # libpq counts whole seconds, and at least 2.
        connect_args={"connect_timeout": max(2, math.ceil(wait_seconds))},
    )
    event.listen(engine.sync_engine, "checkout", _discard_closed_connection)
    event.listen(engine.sync_engine, "before_execute", _send_settings)
    event.listen(engine.sync_engine, "checkin", _end_transaction_settings)
    return engine


def _discard_closed_connection(dbapi_conn: Any, record: Any, proxy: Any) -> None:
    """checkout: a pooled connection the server has closed (a restart, a terminated
    backend, an idle timeout) is replaced, not handed out. An idle connection has
    nothing to read, so reading what is there without waiting (libpq's
    PQconsumeInput) finds the server's goodbye, or the closed socket, at no round
    trip; pool_pre_ping would cost three (BEGIN, a ping, ROLLBACK) per request. A
    connection that dies after this check is caught by the request's first statement
    (`retry_on_fresh_connection`)."""
    pgconn = dbapi_conn.driver_connection.pgconn
    try:
        # The first read takes the server's goodbye (FATAL 57P01...), the second the
        # socket's end; on a live connection each finds nothing and returns at once.
        pgconn.consume_input()
        pgconn.consume_input()
    except psycopg.OperationalError as exc:
        raise DisconnectionError("the server closed this pooled connection") from exc
    if pgconn.status == psycopg.pq.ConnStatus.BAD:
        raise DisconnectionError("the server closed this pooled connection")


class RequestSession(AsyncSession):
    """An AsyncSession that sibling resolvers and dataloaders can share.

    GraphQL resolves sibling fields concurrently, and one session may run only one
    statement at a time, so every round trip waits its turn on a lock.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = asyncio.Lock()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        async with self._turn:
            return await super().execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        async with self._turn:
            return await super().scalar(*args, **kwargs)

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        async with self._turn:
            await super().flush(*args, **kwargs)

    async def commit(self) -> None:
        async with self._turn:
            await super().commit()

    async def rollback(self) -> None:
        async with self._turn:
            await super().rollback()

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        async with self._turn:
            await super().refresh(*args, **kwargs)

    async def delete(self, instance: object) -> None:
        async with self._turn:
            await super().delete(instance)


async def end_session(session: AsyncSession) -> None:
    """Close a request's session, rolling back what it did not commit. If the database
    has gone away meanwhile there is nothing left to roll back: the connection is
    discarded, and the request's answer (already decided) stands."""
    try:
        await session.close()
    except Exception:
        logging.getLogger("ledgergraph.db").warning("closing a session failed", exc_info=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[RequestSession]:
    return async_sessionmaker(engine, class_=RequestSession, expire_on_commit=False)


@asynccontextmanager
async def tenant_session(
    factory: async_sessionmaker[RequestSession], tenant_id: str | None
) -> AsyncIterator[RequestSession]:
    async with factory() as session:
        set_tenant(session, tenant_id)
        yield session
