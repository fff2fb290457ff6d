"""Test harness: one real database per run (SQLite file, or the PostgreSQL that
scripts/test starts), the real app over httpx, and factories that make companies.

Tests isolate by tenancy, not by truncation: every test makes its own companies, so
no test can see another's rows unless tenancy is broken.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import profiles
from asgi_lifespan import LifespanManager
from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from gql.app import create_app
from gql.auth import passwords
from gql.compiler.direct import observe_statements, stop_observing
from gql.db.driver import DriverStatement
from gql.models import metadata
from gql.settings import Settings
from gql.tenancy import app_role_grants, enable_row_level_security
from tests.factories import Api

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"

# Still argon2id, at its cheapest: nearly every test registers users, and the
# production cost would be most of the suite's run time.
passwords.use_parameters(profiles.CHEAPEST)


def database_url() -> str:
    """The database of this test process: under pytest-xdist each worker has its own
    (a SQLite file, or a PostgreSQL database named after the worker), since the
    session fixture below recreates the schema."""
    url = os.environ.get("LEDGERGRAPH_TEST_DATABASE_URL")
    if not url:
        folder = Path(tempfile.mkdtemp(prefix="ledgergraph-test-"))
        return f"sqlite+aiosqlite:///{folder / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return url
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    asyncio.run(_recreate_database(base, own.database or ""))
    return own.render_as_string(hide_password=False)


async def _recreate_database(server: URL, name: str) -> None:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


# The database's owner: makes the schema (create_all, drop_all, migrations).
DATABASE_URL = database_url()
IS_POSTGRES = DATABASE_URL.startswith("postgresql")
# The role the app connects as on PostgreSQL (scripts/pg creates it): no superuser, no
# BYPASSRLS, owning nothing, so row-level security holds for it as in production.
APP_ROLE = os.environ.get("LEDGERGRAPH_TEST_APP_ROLE", "ledgergraph_app")


def app_database_url() -> str:
    """The app's URL: the owner's database, logged in as APP_ROLE (on SQLite: the same)."""
    if not IS_POSTGRES:
        return DATABASE_URL
    own = make_url(DATABASE_URL).set(username=APP_ROLE, password=None)
    return own.render_as_string(hide_password=False)


APP_DATABASE_URL = app_database_url()


def pytest_report_header(config: Any) -> str:
    return f"ledgergraph test database: {'PostgreSQL' if IS_POSTGRES else 'SQLite'}"


@pytest.fixture(scope="session")
def settings() -> Settings:
    # A request's time budget well above the 5 s default: two xdist workers, the test
    # client and the database share the CI machine's two cores, and a parallel-requests
    # test queues on one row lock. What the budget does is tested with budgets of its
    # own (tests/test_failures.py).
    return Settings(
        database_url=APP_DATABASE_URL,
        jwt_secret=TEST_SECRET,
        log_level="warning",
        request_timeout_seconds=30,
        # The bucket is off for the tests of other things, so their statement counts
        # stay the request's own; tests/test_throttle.py turns it on with small buckets
        # (the cost in extensions.cost is reported either way).
        throttle_enabled=False,
        # Webhook tests run workers of their own (tests/test_webhooks.py).
        webhooks_worker_enabled=False,
    )


@pytest.fixture(scope="session")
async def schema_ready() -> AsyncIterator[None]:
    """The schema of the models, built by the owner as migrations would build it: with
    row-level security on every tenant-owned table, and the app's role granted what it
    needs (after create_all, so the grants cover every table)."""
    engine = create_async_engine(DATABASE_URL)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
        await conn.run_sync(enable_row_level_security)
        if IS_POSTGRES:
            for grant in app_role_grants(APP_ROLE):
                await conn.exec_driver_sql(grant)
    await engine.dispose()
    yield


@pytest.fixture(scope="session")
async def app(settings: Settings, schema_ready: None) -> AsyncIterator[Any]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture(scope="session")
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture(scope="session")
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@contextmanager
def counting(app: Any, counter: StatementCounter) -> Iterator[StatementCounter]:
    """`counter` gets every SQL statement the app sends meanwhile: through SQLAlchemy,
    and on the driver past its events (the compiled path's steady state, every
    request's first visit: gql/auth/first_visit.py)."""
    engine = app.state.engine.sync_engine

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counter.statements.append(statement)

    def count_direct(statement: DriverStatement) -> None:
        counter.statements.append(statement.text)

    observe_statements(app.state.engine, count_direct)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)
        stop_observing(app.state.engine, count_direct)


@pytest.fixture
def sql_counter(app: Any) -> Iterator[StatementCounter]:
    """Counts the SQL statements the app sends while the test runs."""
    with counting(app, StatementCounter()) as counter:
        yield counter


@pytest.fixture(scope="session")
async def resolver_app(settings: Settings, schema_ready: None) -> AsyncIterator[Any]:
    """A second app on the same database with the compiled read path switched off: the
    reference that the compiled path must agree with."""
    application = create_app(settings.model_copy(update={"compiled_reads": False}))
    async with LifespanManager(application):
        yield application


@pytest.fixture(scope="session")
async def resolver_client(resolver_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=resolver_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
