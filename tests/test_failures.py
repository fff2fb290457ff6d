"""What a client gets when the infrastructure fails rather than the request: a time
budget that ran out (TIMEOUT, 504, nothing kept) and a database that cannot be reached
(SERVICE_UNAVAILABLE, 503 with Retry-After), after which the server recovers by itself;
and the request-level refusals that come before any of it (bodies, header blocks)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psutil
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from gql.app import create_app
from gql.core.failures import Failure, classify
from gql.db.engine import create_engine, set_deadline
from tests.conftest import APP_DATABASE_URL, APP_ROLE, DATABASE_URL, IS_POSTGRES
from tests.live import Connection, Proxy, live_server

GRAPHQL_RESPONSE = "application/graphql-response+json"

CONTACT_CREATE = """mutation($input: ContactCreateInput!) {
  contactCreate(input: $input) { contact { id } userErrors { field message code } } }"""

CONTACTS_NAMED = """query($search: String!) {
  contacts(filter: {search: $search}) { totalCount } }"""

ISSUE = """mutation($id: ID!) {
  documentIssue(input: {id: $id}) { document { status } userErrors { field message code } } }"""

CONTACT_COUNT = "query { contacts { totalCount } }"

# A statement that runs for seconds on its own, on each database.
SLOW_SQL = (
    "SELECT pg_sleep(5)"
    if IS_POSTGRES
    else "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)"
    " SELECT count(*) FROM c"
)

postgres_only = pytest.mark.skipif(not IS_POSTGRES, reason="the outage is of a database server")


@pytest.fixture
async def app_with(settings) -> Any:
    """Makes an app over the test database with some settings changed."""
    managers: list[LifespanManager] = []

    async def make(**changes: Any) -> httpx.AsyncClient:
        application = create_app(settings.model_copy(update=changes))
        manager = LifespanManager(application)
        await manager.__aenter__()
        managers.append(manager)
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://test"
        )

    yield make
    for manager in managers:
        await manager.__aexit__(None, None, None)


# --- the time budget ------------------------------------------------------------------------------


async def test_a_statement_still_running_at_the_deadline_is_stopped_by_the_database(app):
    # given a session whose transactions must end within 0.3 s
    sessions = app.state.sessions
    async with sessions() as session:
        set_deadline(session, 0.3)
        started = time.monotonic()
        # when it runs a statement that would take seconds
        with pytest.raises(Exception) as raised:
            await session.execute(text(SLOW_SQL))
        elapsed = time.monotonic() - started
    # then the database stopped it near the deadline, and it reads as a timeout
    assert classify(raised.value) is Failure.TIMEOUT, raised.value
    assert elapsed < 2.0
    # and the connection it ran on serves the next session, without that deadline
    async with sessions() as session:
        assert (await session.execute(text("SELECT 1"))).scalar() == 1


async def test_a_request_past_its_budget_gets_timeout_and_nothing_is_kept(api, app_with):
    # given an app whose requests have a budget too small for any work, and a member
    owner = await api.register()
    hurried = await app_with(request_timeout_seconds=1e-6)
    name = f"Never stored {time.monotonic_ns()}"
    # when a mutation is sent to it over GraphQL and over REST
    graphql = await hurried.post(
        "/graphql",
        json={"query": CONTACT_CREATE, "variables": {"input": {"name": name}}},
        headers={**owner.headers, "accept": GRAPHQL_RESPONSE},
    )
    rest = await hurried.post("/api/contacts", json={"name": name}, headers=owner.headers)
    # then both answer TIMEOUT (504), with nothing else
    assert graphql.status_code == 504, graphql.text
    assert [e["extensions"]["code"] for e in graphql.json()["errors"]] == ["TIMEOUT"]
    assert rest.status_code == 504, rest.text
    assert rest.json()["success"] is False and rest.json()["code"] == "TIMEOUT"
    # and nothing was written, while the ordinary app keeps serving
    found = await api.data(CONTACTS_NAMED, {"search": name}, owner)
    assert found["contacts"]["totalCount"] == 0


async def test_a_write_stuck_behind_a_lock_times_out_and_the_worker_keeps_serving(api, app_with):
    # given an issued-to-be invoice, and another connection holding the database's lock
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await api.document(owner, contact["id"])
    patient = await app_with(request_timeout_seconds=0.5)
    # The owner: the app's own role could not see (so not lock) a row without a tenant.
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.connect() as holder:
            if IS_POSTGRES:
                await holder.execute(
                    text("SELECT id FROM document WHERE id = :id FOR UPDATE"),
                    {"id": invoice["objectId"]},
                )
            else:
                await holder.exec_driver_sql("BEGIN IMMEDIATE")
            started = time.monotonic()
            # when the invoice is issued through the app with a 0.5 s budget
            stuck = await patient.post(
                "/graphql",
                json={"query": ISSUE, "variables": {"id": invoice["id"]}},
                headers={**owner.headers, "accept": GRAPHQL_RESPONSE},
            )
            elapsed = time.monotonic() - started
            # then it answers TIMEOUT near its budget instead of waiting for the lock
            assert stuck.status_code == 504, stuck.text
            assert stuck.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
            assert elapsed < 3.0
            await holder.rollback()
    finally:
        await engine.dispose()
    # and once the lock is gone the same app issues it
    again = await patient.post(
        "/graphql", json={"query": ISSUE, "variables": {"id": invoice["id"]}}, headers=owner.headers
    )
    assert again.json()["data"]["documentIssue"]["document"]["status"] == "SENT", again.text


# --- the database going away -------------------------------------------------------------------


@pytest.fixture
async def proxied_app(settings) -> AsyncIterator[tuple[Any, Proxy]]:
    """The app reaching the test database through a proxy the test can cut."""
    url = make_url(settings.database_url)
    assert not IS_POSTGRES or url.username == APP_ROLE  # the app's role: RLS holds for it
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.mend()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    application = create_app(settings.model_copy(update={"database_url": proxied}))
    try:
        yield application, proxy
    finally:
        await proxy.cut()


@postgres_only
async def test_while_the_database_is_unreachable_both_dialects_answer_503_and_then_recover(
    api, proxied_app
):
    # given a member, and the app served over real HTTP on one keep-alive connection
    owner = await api.register()
    application, proxy = proxied_app
    headers = {**owner.headers, "accept": GRAPHQL_RESPONSE}
    async with live_server(application) as port:
        connection = await Connection.open(port)
        try:
            body = {"query": CONTACT_COUNT}
            before = await connection.request("POST", "/graphql", headers=headers, json_body=body)
            assert before.status == 200 and before.json()["data"]["contacts"]["totalCount"] == 0
            # when the database cannot be reached
            await proxy.cut()
            graphql = await connection.request("POST", "/graphql", headers=headers, json_body=body)
            rest = await connection.request("GET", "/api/contacts", headers=owner.headers)
            health = await connection.request("GET", "/healthz")
            # then GraphQL gives SERVICE_UNAVAILABLE (503) and REST its envelope, with
            # Retry-After, and the connection stays open
            assert graphql.status == 503
            assert graphql.headers["retry-after"].isdigit()
            assert graphql.headers["content-type"].startswith(GRAPHQL_RESPONSE)
            assert [e["extensions"]["code"] for e in graphql.json()["errors"]] == [
                "SERVICE_UNAVAILABLE"
            ]
            assert rest.status == 503 and rest.headers["retry-after"].isdigit()
            assert rest.json()["success"] is False
            assert rest.json()["code"] == "SERVICE_UNAVAILABLE"
            assert health.status == 503
            assert not connection.closed
            # when the database is back, the next request succeeds without a restart
            await proxy.mend()
            after = await connection.request("POST", "/graphql", headers=headers, json_body=body)
            assert after.status == 200, after.body
            assert after.json()["data"]["contacts"]["totalCount"] == 0
            listed = await connection.request("GET", "/api/contacts", headers=owner.headers)
            assert listed.status == 200
        finally:
            await connection.close()


# --- request bodies and heads ------------------------------------------------------------------


@pytest.mark.parametrize("body", ["42", "true", '"s"', "null", "[]", "[1, 2]"])
async def test_a_graphql_body_that_is_not_an_object_is_a_400(client, body):
    # when /graphql is sent a JSON body that is not an object (batching is off)
    r = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    # then it is a clear 400, never a 500
    assert r.status_code == 400, r.text
    error = r.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "object" in error["message"] or "Batching" in error["message"]


async def test_an_oversized_header_block_gets_431_quickly_and_the_process_does_not_grow(
    schema_ready, settings
):
    # given the app served over real HTTP
    process = psutil.Process()
    async with live_server(create_app(settings)) as port:
        # when one header grows without end, and when a head is just over the limit
        rss_before = process.memory_info().rss
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nhost: test\r\nx-endless: ")
        try:
            for _ in range(800):  # 50 MB if nobody stopped it
                writer.write(b"a" * 65536)
                await writer.drain()
        except ConnectionError:
            pass  # the server stopped listening to it: that is the point
        endless = await asyncio.wait_for(reader.read(4096), 5)
        writer.close()
        rss_after = process.memory_info().rss
        connection = await Connection.open(port)
        just_over = await connection.request(
            "GET", "/healthz", headers={"x-big": "a" * settings.max_header_bytes}
        )
        await connection.close()
        within = await Connection.open(port)
        fine = await within.request("GET", "/healthz", headers={"x-small": "a" * 1000})
        await within.close()
    # then both get 431 with a coded JSON body, without the process holding the bytes
    assert endless.startswith(b"HTTP/1.1 431"), endless[:200]
    assert b'"code":"HEADERS_TOO_LARGE"' in endless
    assert rss_after - rss_before < 20 * 1024 * 1024
    assert just_over.status == 431 and just_over.json()["code"] == "HEADERS_TOO_LARGE"
    # and a head within the limit is served
    assert fine.status == 200


@postgres_only
async def test_a_pooled_connection_the_server_closed_is_replaced_not_handed_out():
    # given the app's engine with one pooled connection, and its server process
    engine = create_engine(APP_DATABASE_URL, pool_size=1)
    owner = create_async_engine(DATABASE_URL)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        # when the server terminates it while it waits in the pool (a restart, an admin)
        async with owner.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await asyncio.sleep(0.2)  # the socket's close reaches the event loop
        # then the next request gets a fresh connection and its statement answers
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await engine.dispose()
        await owner.dispose()


@pytest.mark.parametrize("path", ["/graphql", "/api/contacts"])
async def test_a_client_gone_before_its_body_arrived_leaves_no_error_behind(
    schema_ready, settings, api, caplog, path
):
    # given the app served over real HTTP, and a registered owner
    owner = await api.register()
    async with live_server(create_app(settings)) as port:
        # when a client announces a body, sends part of it and disconnects
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = [
            f"POST {path} HTTP/1.1",
            "host: test",
            "content-type: application/json",
            "content-length: 100",
            f"authorization: {owner.headers['Authorization']}",
        ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + b'{"query": "{')
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        await asyncio.sleep(0.3)
        # then nothing was logged as an error, and the next client is served
        connection = await Connection.open(port)
        fine = await connection.request("GET", "/healthz")
        await connection.close()
    assert fine.status == 200
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
