"""GraphQL subscriptions over a real WebSocket: uvicorn on a random loopback port, the
`websockets` client, the change made by a mutation (in this process, and on PostgreSQL
by another server process)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from asgi_lifespan import LifespanManager
from sqlalchemy import delete
from sqlmodel import col
from websockets.asyncio.client import connect as ws_connect

from gql.app import create_app
from gql.core.ids import decode_id
from gql.domains.companies.models import Membership
from gql.domains.documents.models import Document
from gql.domains.events.outbox import emit
from gql.settings import Settings
from tests.conftest import APP_DATABASE_URL, IS_POSTGRES, TEST_SECRET, StatementCounter
from tests.factories import Api, Tenant, craft_token, member_of, tenant_db
from tests.helpdesk import TICKET_CREATE

TRANSPORT_WS = "graphql-transport-ws"
ISSUE = (
    "mutation($input: DocumentIdInput!) { documentIssue(input: $input) { userErrors { message } } }"
)
MODULE_SET = """mutation($input: ModuleSetInput!) {
  moduleSet(input: $input) { module { enabled } userErrors { message } } }"""
ACCOUNT_CREATE = """mutation($input: AccountCreateInput!) {
  accountCreate(input: $input) { account { id } userErrors { message } } }"""
PAY = """mutation($input: DocumentPaymentCreateInput!) {
  documentPaymentCreate(input: $input) { userErrors { field message code } } }"""
DOCUMENT_CHANGED = (
    "subscription($id: ID) { documentChanged(id: $id) { id number status total { amount } } }"
)


def _free_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


# This module's own app (and client): its event bus listens once a subscription opens,
# and reads each notified event over the app's pool, which would otherwise show up in
# other modules' statement counts on the shared session app.
@pytest.fixture(scope="module")
async def app(settings: Settings, schema_ready: None) -> AsyncIterator[Any]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture(scope="module")
async def api(app: Any) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client)


@pytest.fixture(scope="module")
async def server(app: Any) -> AsyncIterator[str]:
    """The test app, served by uvicorn in this process: the ws:// URL of /graphql."""
    async with _served(app) as url:
        yield url


@pytest.fixture(scope="module")
def other_process() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A second server process on the same database (PostgreSQL), started with the
    module so that its start (building the schema takes seconds) overlaps the tests."""
    if not IS_POSTGRES:
        pytest.skip("LISTEN/NOTIFY across server processes")
    port = _free_socket().getsockname()[1]
    env = {
        **os.environ,
        "LEDGERGRAPH_DATABASE_URL": APP_DATABASE_URL,
        "LEDGERGRAPH_JWT_SECRET": TEST_SECRET,
        "LEDGERGRAPH_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "gql.app:app_factory"]
    other = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)], env=env)
    yield other, port
    other.terminate()
    other.wait(10)


class _served:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.sock = _free_socket()
        config = uvicorn.Config(app, lifespan="off", log_level="warning", ws="websockets-sansio")
        self.server = uvicorn.Server(config)

    async def __aenter__(self) -> str:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started:  # noqa: ASYNC110  (uvicorn offers no event)
            await asyncio.sleep(0.01)
        return f"ws://127.0.0.1:{self.sock.getsockname()[1]}/graphql"

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        await self.task


class Socket:
    """One graphql-transport-ws connection."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.serial = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self.serial += 1
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send(
            json.dumps({"id": str(self.serial), "type": "subscribe", "payload": payload})
        )
        return str(self.serial)

    async def receive(self) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.ws.recv(), 10))  # type: ignore[no-any-return]

    async def nothing_within(self, seconds: float) -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(self.ws.recv(), seconds)


async def connect(url: str, payload: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    ws = await ws_connect(url, subprotocols=[TRANSPORT_WS])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    try:
        answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
    except websockets.ConnectionClosed:
        answer = {"closed": ws.close_code}
    return ws, answer


def init(tenant: Tenant) -> dict[str, str]:
    return {"authorization": f"Bearer {tenant.token}", "companyId": tenant.company_id}


async def opened(app: Any, url: str, tenant: Tenant) -> Socket:
    ws, ack = await connect(url, init(tenant))
    assert ack == {"type": "connection_ack", "payload": {"companyId": tenant.company_id}}
    return Socket(ws)


async def listening(app: Any, count: int) -> None:
    """Until the bus holds `count` subscriptions (a subscribe message has no answer)."""
    deadline = time.monotonic() + 10
    while app.state.event_bus.count < count:
        assert time.monotonic() < deadline, "the subscription never started"
        await asyncio.sleep(0.01)


async def issued_elsewhere(app: Any, tenant: Tenant, document_id: str) -> None:
    """A committed `document.issued` event about the document, written as a service
    would (through the outbox), whatever the company's modules allow the API."""
    async with tenant_db(app, tenant.company_id) as session:
        row = await session.get(Document, decode_id(document_id, "Document"))
        await emit(session, type="document.issued", row=row)
        await session.commit()


async def revoked(sock: Socket, sid: str) -> list[dict[str, Any]]:
    """The errors of a subscription's last `next`, having checked that `complete` follows."""
    last = await sock.receive()
    assert last["id"] == sid and last["type"] == "next" and last["payload"]["data"] is None
    assert await sock.receive() == {"id": sid, "type": "complete"}
    return last["payload"]["errors"]  # type: ignore[no-any-return]


async def draft(api: Api, tenant: Tenant) -> dict[str, Any]:
    contact = await api.contact(tenant)
    return await api.document(tenant, contact["id"])


async def test_a_subscriber_receives_the_document_a_mutation_changed_and_picks_its_fields(
    api: Api, app: Any, server: str, request: pytest.FixtureRequest
):
    if IS_POSTGRES:
        request.getfixturevalue("other_process")  # starts booting now (see the last test)
    # given a draft invoice and a subscription to it
    owner = await api.register()
    doc = await draft(api, owner)
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    sid = await sock.subscribe(DOCUMENT_CHANGED, {"id": doc["id"]})
    await listening(app, before + 1)

    # when it is issued
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)

    # then the subscriber gets the committed document, with the fields it asked for
    message = await sock.receive()
    assert message["id"] == sid and message["type"] == "next"
    assert message["payload"] == {
        "data": {
            "documentChanged": {
                "id": doc["id"],
                "number": doc["number"],
                "status": "SENT",
                "total": doc["total"] and {"amount": doc["total"]["amount"]},
            }
        }
    }
    await sock.ws.close()


async def test_another_companys_changes_never_arrive_and_its_ids_are_not_found(
    api: Api, app: Any, server: str
):
    # given two companies, the first subscribed to all its documents
    mine, theirs = await api.register(), await api.register()
    their_doc = await draft(api, theirs)
    sock = await opened(app, server, mine)
    before = app.state.event_bus.count
    await sock.subscribe(DOCUMENT_CHANGED)
    await listening(app, before + 1)

    # when the other company issues its document, nothing reaches the first
    await api.mutate("documentIssue", ISSUE, {"id": their_doc["id"]}, theirs)
    await sock.nothing_within(0.5)

    # and subscribing to the other company's document is answered like a missing one
    missing = "RG9jdW1lbnQ6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw"  # Document:000000000000000000000000
    for id in (their_doc["id"], missing):
        sid = await sock.subscribe(DOCUMENT_CHANGED, {"id": id})
        answer = await sock.receive()
        assert answer["id"] == sid and answer["type"] == "error"
        errors = answer["payload"]
        assert [e["extensions"]["code"] for e in errors] == ["NOT_FOUND"]
        assert [e["message"] for e in errors] == ["Document not found"]
    await sock.ws.close()


async def test_a_filter_admits_only_the_documents_it_matches_once_committed(
    api: Api, app: Any, server: str
):
    # given a subscriber to the company's sent documents
    owner = await api.register()
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    await sock.subscribe("subscription { documentChanged(filter: {status: SENT}) { id status } }")
    await listening(app, before + 1)

    # when a draft is created (not sent): nothing arrives
    doc = await draft(api, owner)
    await sock.nothing_within(0.3)
    # (the filter is asked of the document as committed when the event is delivered: a
    # draft issued before its creation's event is delivered would arrive as SENT twice)

    # when it is issued (sent), then the issue arrives, once
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    message = await sock.receive()
    assert message["payload"]["data"]["documentChanged"] == {"id": doc["id"], "status": "SENT"}
    await sock.nothing_within(0.3)
    await sock.ws.close()


async def test_the_events_subscription_filters_by_type(api: Api, app: Any, server: str):
    owner = await api.register()
    doc = await draft(api, owner)
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    await sock.subscribe(
        "subscription { events(types: [DOCUMENT_ISSUED]) { type nodeId node { id } } }"
    )
    await listening(app, before + 1)

    await api.contact(owner)  # contact.created: not asked for
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)

    message = await sock.receive()
    assert message["payload"]["data"]["events"] == {
        "type": "DOCUMENT_ISSUED",
        "nodeId": doc["id"],
        "node": {"id": doc["id"]},
    }
    await sock.nothing_within(0.3)
    await sock.ws.close()


async def test_an_account_subscriber_gets_its_balance_after_a_payment_on_it(
    api: Api, app: Any, server: str
):
    # given an issued invoice of 100, two bank accounts, and a subscriber to the first
    owner = await api.register()
    doc = await draft(api, owner)
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    account_ids = [
        (await api.mutate("accountCreate", ACCOUNT_CREATE, {"name": name, "type": "BANK"}, owner))[
            "account"
        ]["id"]
        for name in ("Main", "Other")
    ]
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    await sock.subscribe(
        "subscription($id: ID!) { accountBalanceChanged(accountId: $id) { id balance { amount } } }",
        {"id": account_ids[0]},
    )
    await listening(app, before + 1)

    # when 30 is paid into the other account, then 40 into this one
    for account_id, amount in ((account_ids[1], "30"), (account_ids[0], "40")):
        input = {"documentId": doc["id"], "accountId": account_id, "amount": amount}
        await api.mutate("documentPaymentCreate", PAY, input, owner)

    # then the subscriber hears of the second only, with the committed balance
    message = await sock.receive()
    assert message["payload"]["data"]["accountBalanceChanged"] == {
        "id": account_ids[0],
        "balance": {"amount": "40.00"},
    }
    await sock.nothing_within(0.3)
    await sock.ws.close()


async def test_ticket_subscribers_hear_of_new_tickets(api: Api, app: Any, server: str):
    owner = await api.register()
    contact = await api.contact(owner)
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    await sock.subscribe("subscription { ticketChanged { subject status } }")
    await listening(app, before + 1)
    input = {"subject": "Printer on fire", "contactId": contact["id"]}
    await api.mutate("ticketCreate", TICKET_CREATE, input, owner)
    message = await sock.receive()
    assert message["payload"]["data"]["ticketChanged"] == {
        "subject": "Printer on fire",
        "status": "OPEN",
    }
    await sock.ws.close()


async def test_connections_need_a_valid_token_and_a_company_of_the_viewer(
    api: Api, app: Any, server: str
):
    owner, stranger = await api.register(), await api.register()
    refused = [
        {},
        {"authorization": "Bearer not-a-token"},
        {"authorization": f"Bearer {owner.token}", "companyId": stranger.company_id},
    ]
    for payload in refused:
        ws, answer = await connect(server, payload)
        assert answer == {"closed": 4403}, payload
    # the upgrade request's headers serve too
    ws = await ws_connect(
        server,
        subprotocols=[TRANSPORT_WS],
        additional_headers=owner.headers,  # type: ignore[list-item]
    )
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.close()


async def test_a_module_switched_off_refuses_its_subscriptions(api: Api, app: Any, server: str):
    owner = await api.register()
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": False}, owner)
    sock = await opened(app, server, owner)
    await sock.subscribe(DOCUMENT_CHANGED)
    answer = await sock.receive()
    assert answer["type"] == "error"
    errors = answer["payload"]
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
    assert "Invoicing" in errors[0]["message"]
    await sock.ws.close()


async def test_the_connection_closes_with_4401_when_its_token_expires(
    api: Api, app: Any, server: str
):
    owner = await api.register()
    now = int(time.time())
    token = craft_token(TEST_SECRET, sub=owner.user_id, iat=now, exp=now + 2, jti="x")
    ws, ack = await connect(server, {"authorization": f"Bearer {token}"})
    assert ack["type"] == "connection_ack"
    with pytest.raises(websockets.ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 4401 and ws.close_reason == "Token expired"


async def test_subscriptions_are_capped_per_connection_and_per_company(
    api: Api, settings: Settings, schema_ready: None
):
    capped = create_app(
        settings.model_copy(
            update={"subscriptions_per_connection": 1, "subscriptions_per_company": 2}
        )
    )
    async with LifespanManager(capped), _served(capped) as url:
        owner = await api.register()
        first = await opened(capped, url, owner)
        await first.subscribe(DOCUMENT_CHANGED)
        await listening(capped, 1)
        # a second subscription on the same connection: refused
        await first.subscribe(DOCUMENT_CHANGED)
        answer = await first.receive()
        assert answer["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        # a third for the company on another connection: refused, the second is fine
        second, third = await opened(capped, url, owner), await opened(capped, url, owner)
        await second.subscribe(DOCUMENT_CHANGED)
        await listening(capped, 2)
        await third.subscribe(DOCUMENT_CHANGED)
        answer = await third.receive()
        assert answer["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        assert "2 open subscriptions" in answer["payload"][0]["message"]
        for sock in (first, second, third):
            await sock.ws.close()


async def test_the_legacy_graphql_ws_protocol_is_served_too(api: Api, app: Any, server: str):
    owner = await api.register()
    doc = await draft(api, owner)
    ws = await ws_connect(server, subprotocols=["graphql-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": init(owner)}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    before = app.state.event_bus.count
    start = {"query": DOCUMENT_CHANGED, "variables": {"id": doc["id"]}}
    await ws.send(json.dumps({"id": "1", "type": "start", "payload": start}))
    await listening(app, before + 1)
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    while (message := json.loads(await asyncio.wait_for(ws.recv(), 10)))["type"] == "ka":
        pass
    assert message["type"] == "data"
    assert message["payload"]["data"]["documentChanged"]["status"] == "SENT"
    await ws.close()


async def test_a_change_made_by_another_server_process_arrives(
    api: Api, app: Any, server: str, other_process: tuple[subprocess.Popen[bytes], int]
):
    # given a subscriber on this process, and a second uvicorn process on the same database
    other, port = other_process
    owner = await api.register()
    doc = await draft(api, owner)
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    await sock.subscribe(DOCUMENT_CHANGED, {"id": doc["id"]})
    await listening(app, before + 1)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        deadline = time.monotonic() + 120
        while True:
            try:
                await client.get("/healthz")
                break
            except httpx.TransportError:
                assert other.poll() is None and time.monotonic() < deadline
                await asyncio.sleep(0.1)
        # when the other process issues the document
        r = await client.post(
            "/graphql",
            json={"query": ISSUE, "variables": {"input": {"id": doc["id"]}}},
            headers=owner.headers,
        )
        assert r.json()["data"]["documentIssue"]["userErrors"] == []
    # then it reaches the subscriber here
    message = await sock.receive()
    assert message["payload"]["data"]["documentChanged"]["status"] == "SENT"
    await sock.ws.close()


async def test_a_member_removed_from_the_company_gets_no_further_events(
    api: Api, app: Any, server: str
):
    # given a member's live subscription to the company's documents
    owner = await api.register()
    member = await member_of(api, app, owner, "viewer")
    doc = await draft(api, owner)
    sock = await opened(app, server, member)
    before = app.state.event_bus.count
    sid = await sock.subscribe(DOCUMENT_CHANGED)
    await listening(app, before + 1)

    # when the membership is removed, and then the owner issues a document
    async with tenant_db(app, None) as session:
        removed = await session.execute(
            delete(Membership).where(
                col(Membership.user_id) == member.user_id,
                col(Membership.company_id) == owner.company_id,
            )
        )
        assert removed.rowcount == 1  # type: ignore[attr-defined]
        await session.commit()
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)

    # then the member gets no document, but the coded error, and the subscription ends
    errors = await revoked(sock, sid)
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
    assert errors[0]["message"] == "You do not have access to this company"
    assert app.state.event_bus.count == before
    await sock.ws.close()


async def test_a_module_switched_off_ends_its_live_subscriptions(api: Api, app: Any, server: str):
    # given a live subscription to the company's documents
    owner = await api.register()
    doc = await draft(api, owner)
    sock = await opened(app, server, owner)
    before = app.state.event_bus.count
    sid = await sock.subscribe(DOCUMENT_CHANGED)
    await listening(app, before + 1)

    # when invoicing is switched off, and then a document event commits
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": False}, owner)
    await issued_elsewhere(app, owner, doc["id"])

    # then the document is not delivered: the subscription ends with FORBIDDEN
    errors = await revoked(sock, sid)
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
    assert "Invoicing" in errors[0]["message"]
    assert app.state.event_bus.count == before
    await sock.ws.close()


async def _delivery_statements(
    api: Api, app: Any, server: str, sql_counter: StatementCounter, subscribers: int
) -> int:
    """Statements of one committed event, delivered to `subscribers` subscriptions of
    one group (one socket each)."""
    owner = await api.register()
    doc = await draft(api, owner)
    before = app.state.event_bus.count
    socks = [await opened(app, server, owner) for _ in range(subscribers)]
    for sock in socks:
        await sock.subscribe(DOCUMENT_CHANGED)
    await listening(app, before + subscribers)
    assert len(app.state.event_bus.groups[owner.company_id]) == 1  # one group of them all
    sql_counter.reset()
    await issued_elsewhere(app, owner, doc["id"])
    for sock in socks:
        message = await sock.receive()
        assert message["payload"]["data"]["documentChanged"]["status"] == "DRAFT"
    count = sql_counter.count
    for sock in socks:
        await sock.ws.close()
    return count


async def test_one_event_costs_the_same_statements_for_one_subscriber_or_many(
    api: Api, app: Any, server: str, sql_counter: StatementCounter
):
    one = await _delivery_statements(api, app, server, sql_counter, 1)
    many = await _delivery_statements(api, app, server, sql_counter, 4)
    assert one == many
