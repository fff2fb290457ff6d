"""The compiled read path's steady state (gql/compiler/direct.py): the viewer's access
check and the compiled statement reach PostgreSQL in one round trip, counted at the
driver (libpq's own protocol trace); row-level security still scopes what they read;
a changed membership, role or module takes effect on the next request of any server
process; and a connection the server closed is replaced without the client noticing."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from gql.compiler.direct import Access, observe_statements, stop_observing
from gql.db.driver import DriverStatement
from tests.conftest import APP_DATABASE_URL, DATABASE_URL, IS_POSTGRES, TEST_SECRET
from tests.factories import Api, Tenant
from tests.live import free_port
from tests.test_statement_counts import CONTACTS_WITH_DOCUMENTS, NESTED_DOCUMENTS, _seed

postgres_only = pytest.mark.skipif(not IS_POSTGRES, reason="round trips and RLS: PostgreSQL")

CONTACTS = "{ contacts(first: 5) { totalCount nodes { name } } }"
CREATE_CONTACT = """mutation { contactCreate(input: {name: "After"}) {
  contact { id } userErrors { code message } } }"""


class RoundTrips:
    """Counts the messages after which the driver waits for the server (Sync in the
    extended protocol, Query in the simple one), from libpq's trace of every
    connection the app checks out."""

    def __init__(self, path: str) -> None:
        self.path = path

    def count(self) -> int:
        with open(self.path) as trace:
            return sum(
                1
                for line in trace
                if "\tF\t" in line and line.split("\t")[3].strip() in ("Sync", "Query")
            )

    def waits(self) -> int:
        """The round trips proper: Syncs and Queries sent with no answer outstanding
        (those sent while one is, travel with it), as scripts/benchmark/pgwire.py
        counts them."""
        trips = outstanding = 0
        with open(self.path) as trace:
            for line in trace:
                fields = line.split("\t")
                if len(fields) < 4:
                    continue
                message = fields[3].strip()
                if fields[1] == "F" and message in ("Sync", "Query"):
                    trips += outstanding == 0
                    outstanding += 1
                elif fields[1] == "B" and message == "ReadyForQuery":
                    outstanding -= 1
        return trips

    def reset(self) -> None:
        open(self.path, "w").close()


@asynccontextmanager
async def answers_held(table: str, seconds: float = 0.3) -> AsyncIterator[None]:
    """The database's answers held back for `seconds`: another connection locks `table`
    (which the request's first statement reads) and lets go only then. A client that
    does not wait between its statements has sent all of them by the time the first
    answer comes, however slowly the loaded machine runs it, so a count of round trips
    from the trace cannot depend on the timing of the answers."""
    owner_dsn = make_url(DATABASE_URL).set(drivername="postgresql").render_as_string(False)
    locker = await psycopg.AsyncConnection.connect(owner_dsn)
    await locker.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")

    async def release() -> None:
        await asyncio.sleep(seconds)
        await locker.rollback()

    releasing = asyncio.create_task(release())
    try:
        yield
    finally:
        await releasing
        await locker.close()


@contextmanager
def round_trips(app: Any) -> Iterator[RoundTrips]:
    engine = app.state.engine.sync_engine
    fd, path = tempfile.mkstemp(prefix="ledgergraph-trace-")
    os.close(fd)
    counter = RoundTrips(path)
    files: list[Any] = []

    def trace(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        handle = open(path, "a")
        files.append(handle)
        dbapi_conn.driver_connection.pgconn.trace(handle.fileno())

    def untrace(dbapi_conn: Any, record: Any) -> None:
        if dbapi_conn is not None and not dbapi_conn.driver_connection.closed:
            dbapi_conn.driver_connection.pgconn.untrace()  # flushes the trace
        while files:
            files.pop().close()

    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        yield counter
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
        os.unlink(path)


async def _steady(api: Api, tenant: Tenant, query: str, variables: dict[str, Any]) -> Any:
    """The answer once the path is warm (the first request plans and resolves)."""
    for _ in range(2):
        body = await api.gql(query, variables, tenant)
    return body


@postgres_only
@pytest.mark.parametrize(
    ("query", "variables", "root"),
    [
        (CONTACTS, {}, "contacts"),
        (NESTED_DOCUMENTS, {"first": 10}, "documents"),
        (CONTACTS_WITH_DOCUMENTS, {"first": 4}, "contacts"),
    ],
    ids=["flat list", "nested documents", "contact with documents"],
)
async def test_a_compiled_read_makes_one_round_trip_in_the_steady_state(
    api, app, query, variables, root
):
    # given a company with invoices, its read already answered once
    owner = await api.register()
    await _seed(api, owner, contacts=4, documents_each=3)
    expected = await _steady(api, owner, query, variables)
    assert expected["extensions"]["executors"] == {root: "compiled"}
    with round_trips(app) as trips:
        # when the same read comes again
        trips.reset()
        body = await api.gql(query, variables, owner)
        # then the check, the tenant, the timeout and the statement took one round trip
        assert trips.count() == 1
    assert body == expected


@postgres_only
async def test_the_company_header_as_a_global_id_and_no_header_take_one_round_trip(api, app):
    owner = await api.register()
    await api.contact(owner, name="Only")
    from gql.core.ids import to_global_id

    for header in (to_global_id("Company", owner.company_id), None):
        headers = {"Authorization": owner.headers["Authorization"]}
        if header:
            headers["X-Company-Id"] = header
        for _ in range(2):
            response = await api.client.post("/graphql", json={"query": CONTACTS}, headers=headers)
        with round_trips(app) as trips:
            trips.reset()
            response = await api.client.post("/graphql", json={"query": CONTACTS}, headers=headers)
            assert trips.count() == 1
        assert response.json()["data"]["contacts"]["nodes"] == [{"name": "Only"}]


async def test_a_steady_compiled_read_runs_on_the_driver_past_sqlalchemy(api, app):
    # given a read answered once (planned, and its statement's driver text recorded)
    owner = await api.register()
    await api.contact(owner, name="Only")
    await _steady(api, owner, CONTACTS, {})
    engine = app.state.engine
    through_sqlalchemy: list[str] = []
    on_the_driver: list[DriverStatement] = []

    def executed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        through_sqlalchemy.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", executed)
    observe_statements(engine, on_the_driver.append)
    try:
        # when it comes again
        body = await api.gql(CONTACTS, {}, owner)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", executed)
        stop_observing(engine, on_the_driver.append)
    # then the check, the licenses and the statement went to the driver directly
    assert body["data"]["contacts"]["nodes"] == [{"name": "Only"}]
    assert through_sqlalchemy == []
    assert len(on_the_driver) == 3


@postgres_only
async def test_row_level_security_scopes_the_direct_statements_to_the_checked_company(api, app):
    # given two companies with 2 and 3 contacts, the app connecting as its RLS-bound role
    first, second = await api.register(), await api.register()
    for tenant, count in ((first, 2), (second, 3)):
        for _ in range(count):
            await api.contact(tenant)
    await _steady(api, first, CONTACTS, {})
    direct = app.state.direct_reads
    access = direct.guess(first.user_id, first.company_id)
    assert access is not None
    # when a statement with no company filter at all runs with the first's access
    everything = DriverStatement(b"SELECT count(*)::text FROM contact", ())
    visit = await direct.run(
        access, user_id=first.user_id, wanted_company=first.company_id, statements=[everything]
    )
    # then the database shows it the first company's rows only
    assert visit.answers == ["2"]
    # and a guess for a company the user is not a member of is refused, nothing read
    foreign = Access(second.company_id, access.role, access.modules)
    refused = await direct.run(
        foreign, user_id=first.user_id, wanted_company=second.company_id, statements=[everything]
    )
    assert refused.answers is None


# --- two server processes ---------------------------------------------------------------


@asynccontextmanager
async def _server_process() -> AsyncIterator[httpx.AsyncClient]:
    """The app in its own uvicorn process, on the tests' database, as the app's role."""
    port = free_port()
    env = {
        **os.environ,
        "LEDGERGRAPH_DATABASE_URL": APP_DATABASE_URL,
        "LEDGERGRAPH_JWT_SECRET": TEST_SECRET,
        "LEDGERGRAPH_ENV": "development",
        "LEDGERGRAPH_LOG_LEVEL": "warning",
    }
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "uvicorn", "--factory", "gql.app:create_app"),
        *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
        env=env,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(1200):  # a minute: the import alone takes seconds on a busy machine
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.returncode is None, "the server process exited"
                await asyncio.sleep(0.05)
            yield client
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=10)


async def _ask(client: httpx.AsyncClient, tenant: Tenant, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query}, headers=tenant.headers)
    return response.json()  # type: ignore[no-any-return]


def _codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


async def test_membership_role_and_module_changes_take_effect_at_once_on_every_process(api):
    owner = await api.register()
    await api.contact(owner, name="Kept")
    documents = "{ documents(first: 5) { totalCount } }"
    admin = create_async_engine(DATABASE_URL)
    try:
        async with _server_process() as a, _server_process() as b:
            # given process A answering the company's reads from its steady state
            for _ in range(3):
                assert (await _ask(a, owner, documents))["data"]["documents"]["totalCount"] == 0
                assert (await _ask(a, owner, CONTACTS))["extensions"]["executors"] == {
                    "contacts": "compiled"
                }
            # when process B switches the invoicing module off
            off = 'mutation { moduleSet(input: {alias: "invoicing", enabled: false}) { module { enabled } } }'
            assert (await _ask(b, owner, off))["data"]["moduleSet"]["module"]["enabled"] is False
            # then A's very next read of documents is refused
            assert _codes(await _ask(a, owner, documents)) == ["FORBIDDEN"]
            on = off.replace("false", "true")
            await _ask(b, owner, on)
            assert (await _ask(a, owner, documents))["data"]["documents"]["totalCount"] == 0

            # when the owner's role is lowered to viewer elsewhere (another machine)
            async with admin.begin() as conn:
                await conn.execute(
                    text("UPDATE membership SET role = 'viewer' WHERE user_id = :u"),
                    {"u": owner.user_id},
                )
            # then A's next write is refused, and A reads as the viewer they now are
            assert _codes(await _ask(a, owner, CREATE_CONTACT)) == ["FORBIDDEN"]
            assert (await _ask(a, owner, "{ viewer { role } }"))["data"]["viewer"]["role"] == (
                "VIEWER"
            )
            assert (await _ask(a, owner, CONTACTS))["data"]["contacts"]["totalCount"] == 1

            # when the membership is removed
            async with admin.begin() as conn:
                await conn.execute(
                    text("DELETE FROM membership WHERE user_id = :u"), {"u": owner.user_id}
                )
            # then A's very next read gets nothing of the company's
            body = await _ask(a, owner, CONTACTS)
            assert _codes(body) == ["FORBIDDEN"] and "Kept" not in json.dumps(body)
    finally:
        await admin.dispose()


# --- connections the server closed ------------------------------------------------------


async def _terminate_app_connections() -> None:
    admin = create_async_engine(DATABASE_URL)
    role = make_url(APP_DATABASE_URL).username
    try:
        async with admin.begin() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE usename = :role AND datname = current_database()"
                ),
                {"role": role},
            )
    finally:
        await admin.dispose()
    await asyncio.sleep(0.2)  # the goodbyes reach the sockets


@postgres_only
async def test_the_server_closing_every_connection_between_two_requests_fails_none(api):
    owner = await api.register()
    await api.contact(owner, name="Survivor")
    reads = [
        ("compiled", lambda: api.gql(CONTACTS, {}, owner)),
        ("resolver", lambda: api.gql("{ viewer { role } }", {}, owner)),
    ]
    for _, read in reads:
        await read()
        await read()
    for kind, read in reads:
        # when the server terminates every connection of the app between two requests
        await _terminate_app_connections()
        # then the next request still succeeds
        body = await read()
        assert "errors" not in body, (kind, body)
    await _terminate_app_connections()
    rest = await api.rest("GET", "/api/contacts", owner)
    assert rest.status_code == 200 and rest.json()["data"][0]["name"] == "Survivor"


@postgres_only
async def test_a_connection_that_dies_after_checkout_is_retried_once_transparently(
    api, app, caplog
):
    # given connections that the server closes right after the pool's check passed
    owner = await api.register()
    await api.contact(owner, name="Survivor")
    await _steady(api, owner, CONTACTS, {})
    engine = app.state.engine.sync_engine
    owner_dsn = make_url(DATABASE_URL).set(drivername="postgresql").render_as_string(False)
    killed: list[int] = []

    def die_after_check(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        if len(killed) < limit:
            pid = dbapi_conn.driver_connection.info.backend_pid
            with psycopg.connect(owner_dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            killed.append(pid)

    event.listen(engine, "checkout", die_after_check)  # after the pool's own check
    try:
        for kind, query in (("compiled", CONTACTS), ("resolver", "{ viewer { role } }")):
            limit = len(killed) + 1
            caplog.clear()
            # when the first statement of the request meets a dead connection
            body = await api.gql(query, {}, owner)
            # then the request is retried once on a fresh one and answers
            assert "errors" not in body, (kind, body)
            assert len(killed) == limit
            assert "a pooled connection was lost; retrying once" in caplog.text, kind
    finally:
        event.remove(engine, "checkout", die_after_check)
