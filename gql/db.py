"""Database plumbing: engine, sessions, object ids, exact decimals and the tenant filter.

Tenancy lives here and nowhere else: every `TenantOwned` row is filtered by the
session's tenant on every ORM read, update and delete, and stamped with it on
every insert. A session without a tenant sees no tenant-owned rows at all. On
PostgreSQL each transaction also carries the same tenant to the database, whose
row-level security (gql/tenancy.py) refuses other companies' rows to any SQL.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, BindParameter, DateTime, Numeric, column, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_only
from sqlmodel import Field, SQLModel

from gql.core.ids import new_id
from gql.tenancy import TENANT_SETTING

TENANT_KEY = "tenant_id"

# Named constraints, so migrations can find them again (SQLite above all).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- column types -----------------------------------------------------------------------


class ExactDecimal(TypeDecorator[Decimal]):
    """Exact decimals: NUMERIC on PostgreSQL; on SQLite (whose NUMERIC is a float) an
    integer count of the smallest unit (value x 10^scale), so sums, comparisons and
    ordering in SQL stay exact there too.

    Values are quantized to the column's scale on the way in, so both databases
    hand back the same Decimal.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2, precision: int = 20) -> None:
        super().__init__()
        self.scale = scale
        self.precision = precision
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        quantized = Decimal(value).quantize(self._quantum)
        return int(quantized.scaleb(self.scale)) if dialect.name == "sqlite" else quantized

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(str(value)).quantize(self._quantum)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def money_field(default: Decimal | None = Decimal("0"), *, scale: int = 2, **kw: Any) -> Any:
    """An exact decimal column; its default is already at the column's scale, as every
    input is (gql/core/inputs.py) and every computed amount (totals, postings)."""
    if default is not None:
        default = default.quantize(Decimal(1).scaleb(-scale))
    return Field(default=default, sa_type=ExactDecimal(scale), **kw)


# --- base tables --------------------------------------------------------------------------


class Entity(SQLModel):
    """Fields every table shares: an object id and audit timestamps."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=24)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TenantOwned(Entity):
    """A row that belongs to one company. Scoped by the session, never by hand."""

    company_id: str = Field(foreign_key="company.id", index=True, max_length=24)


# --- the tenant filter ----------------------------------------------------------------------


class TenantViolation(RuntimeError):
    """A write tried to put a row into a company other than the session's."""


def set_tenant(session: AsyncSession | Session, tenant_id: str | None) -> None:
    """Scope the session to `tenant_id` (None: to no company). On PostgreSQL an open
    transaction gets the new tenant too, before its next statement (_send_settings)."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info[TENANT_KEY] = tenant_id


def get_tenant(session: AsyncSession | Session) -> str | None:
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    return sync.info.get(TENANT_KEY)


def _expose_company_id_on_base() -> None:
    """with_loader_criteria analyses its lambda once against the base class itself,
    where pydantic hides the field; a plain column there gives it something to read.
    Mapped subclasses keep their own instrumented `company_id`."""
    if "company_id" not in TenantOwned.__dict__:
        type.__setattr__(TenantOwned, "company_id", column("company_id"))


def _written_company_ids(state: ORMExecuteState) -> list[Any]:
    """The `company_id` values an ORM INSERT or UPDATE statement writes, from its
    `.values(...)` and from the parameter sets it is executed with. SQLAlchemy keeps
    `.values()` in private attributes; there is no public accessor."""
    stmt = state.statement
    rows: list[Any] = []
    if getattr(stmt, "_values", None):
        rows.append(stmt._values)  # type: ignore[attr-defined]
    for multi in getattr(stmt, "_multi_values", None) or ():
        rows.extend(multi)
    params = state.parameters
    rows.extend([params] if isinstance(params, dict) else list(params or ()))
    written = []
    for row in rows:
        for key, value in row.items():
            if getattr(key, "key", key) == "company_id":
                written.append(value.value if isinstance(value, BindParameter) else value)
    return written


def _check_written_tenant(state: ORMExecuteState, tenant_id: str | None) -> None:
    """ORM INSERT/UPDATE statements bypass before_flush: refuse any that would write a
    tenant-owned row into a company other than the session's (or with no tenant)."""
    entity = (getattr(state.statement, "entity_description", None) or {}).get("entity")
    if not (isinstance(entity, type) and issubclass(entity, TenantOwned)):
        return
    if state.is_insert and tenant_id is None:
        raise TenantViolation("no tenant on this session")
    if any(value != tenant_id for value in _written_company_ids(state)):
        raise TenantViolation("row belongs to another company")


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if state.is_insert or state.is_update:
        _check_written_tenant(state, tenant_id)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    _expose_company_id_on_base()
    # No tenant: fail closed (the criterion matches no row).
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.company_id == tenant_id,
            include_aliases=True,
            track_closure_variables=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, flush_context: Any, instances: Any) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    for obj in session.new:
        if isinstance(obj, TenantOwned):
            if tenant_id is None:
                raise TenantViolation("no tenant on this session")
            if obj.company_id is None:
                obj.company_id = tenant_id
            elif obj.company_id != tenant_id:
                raise TenantViolation("row belongs to another company")
    for obj in session.dirty:
        if isinstance(obj, Entity):
            obj.updated_at = utcnow()
        if isinstance(obj, TenantOwned) and obj.company_id != tenant_id:
            raise TenantViolation("row belongs to another company")


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
    from gql.core.failures import RequestTimeout

    deadline = info.get(DEADLINE_KEY)
    if deadline is None:
        return None
    remaining = float(deadline - time.monotonic())
    if remaining <= 0:
        raise RequestTimeout("the request's time budget ran out")
    return remaining


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
        timeout = str(max(1, math.ceil(remaining * 1000)))
        conn.execute(_SET_TENANT_AND_TIMEOUT, {"tenant": tenant or "", "timeout": timeout})


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


def _clear_sqlite_deadline(dbapi_conn: Any, record: Any) -> None:
    cell = record.info.get(_DEADLINE_CELL)
    if cell is not None:
        cell["at"] = None  # the next user of this connection brings its own deadline


# --- engine and sessions --------------------------------------------------------------------


def create_engine(
    url: str, *, pool_size: int = 10, wait_seconds: float = 30.0, echo: bool = False
) -> AsyncEngine:
    """The engine; `wait_seconds` bounds how long a request waits for a connection
    (from the pool, or to a database that does not answer)."""
    from gql.compiler.sqlenv import register_sqlite_functions

    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": wait_seconds})

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
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,  # a connection the server dropped is replaced, not handed out
        pool_timeout=wait_seconds,
        connect_args={"timeout": wait_seconds},
    )
    event.listen(engine.sync_engine, "before_execute", _send_settings)
    event.listen(engine.sync_engine, "checkin", _end_transaction_settings)
    return engine


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
