"""Persisted documents and trusted-documents mode over WebSocket (gql/persisted_ws.py):
the subscribe message's document is read as /graphql's HTTP POST body is, on both
protocols, against a real uvicorn server in trusted mode (production)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from websockets.asyncio.client import connect as ws_connect

from gql.app import create_app
from gql.persisted import document_id, sha256_of
from gql.settings import Settings
from tests.factories import Api
from tests.helpdesk import TICKET_CREATE
from tests.test_persisted import register
from tests.test_subscriptions import Socket, _served, init, listening, opened

TICKETS = "subscription { ticketChanged { subject } }"
FREE = "subscription { ticketChanged { status } }"  # never registered


@pytest.fixture(scope="module")
async def trusted(settings: Settings, schema_ready: None) -> AsyncIterator[tuple[Any, str, Api]]:
    """An app in trusted-documents mode, its ws:// URL and an HTTP client of it."""
    production = settings.model_copy(update={"trusted_documents": True, "env": "production"})
    app = create_app(production)
    async with LifespanManager(app), _served(app) as url:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, url, Api(client)


async def answer(sock: Socket) -> dict[str, Any]:
    """The next message that is no keep-alive."""
    while (message := await sock.receive())["type"] == "ka":
        pass
    return message


def codes(message: dict[str, Any]) -> list[str]:
    errors = message["payload"]
    return [e["extensions"]["code"] for e in (errors if isinstance(errors, list) else [errors])]


async def test_transport_ws_refuses_free_text_and_runs_registered_documents(
    api: Api, trusted: tuple[Any, str, Api]
) -> None:
    app, url, trusted_api = trusted
    owner = await api.register()
    await register(api, owner, TICKETS, TICKET_CREATE)
    sock = await opened(app, url, owner)

    # free text: refused as over HTTP, and the connection stays open
    await sock.ws.send(json.dumps({"id": "a", "type": "subscribe", "payload": {"query": FREE}}))
    refused = await answer(sock)
    assert (refused["id"], refused["type"]) == ("a", "error")
    assert codes(refused) == ["PERSISTED_QUERY_REQUIRED"]
    # an id nobody registered: Apollo's not-found
    unknown = {"documentId": document_id(FREE)}
    await sock.ws.send(json.dumps({"id": "b", "type": "subscribe", "payload": unknown}))
    assert codes(await answer(sock)) == ["PERSISTED_QUERY_NOT_FOUND"]

    # a registered subscription, by its documentId: it runs and hears a ticket made by a
    # registered mutation (over HTTP, by documentId too)
    before = app.state.event_bus.count
    payload = {"documentId": document_id(TICKETS)}
    await sock.ws.send(json.dumps({"id": "c", "type": "subscribe", "payload": payload}))
    await listening(app, before + 1)
    contact = await api.contact(owner)
    made = await trusted_api.client.post(
        "/graphql",
        json={
            "documentId": document_id(TICKET_CREATE),
            "variables": {"input": {"subject": "Persisted", "contactId": contact["id"]}},
        },
        headers=owner.headers,
    )
    assert "errors" not in made.json(), made.json()
    message = await answer(sock)
    assert message == {
        "id": "c",
        "type": "next",
        "payload": {"data": {"ticketChanged": {"subject": "Persisted"}}},
    }
    await sock.ws.close()


async def test_graphql_ws_refuses_free_text_and_takes_apq_hashes(
    api: Api, trusted: tuple[Any, str, Api]
) -> None:
    app, url, _ = trusted
    owner = await api.register()
    subscription = "subscription { ticketChanged { subject } } # over graphql-ws"
    await register(api, owner, subscription)
    async with ws_connect(url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        sock = Socket(ws)
        await ws.send(json.dumps({"type": "connection_init", "payload": init(owner)}))
        assert (await answer(sock))["type"] == "connection_ack"

        await ws.send(json.dumps({"id": "1", "type": "start", "payload": {"query": FREE}}))
        refused = await answer(sock)
        assert (refused["id"], refused["type"]) == ("1", "error")
        assert codes(refused) == ["PERSISTED_QUERY_REQUIRED"]

        # (graphql-ws carries subscriptions only: one that starts listening is accepted)
        before = app.state.event_bus.count
        apq = {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(subscription)}}
        await ws.send(json.dumps({"id": "2", "type": "start", "payload": {"extensions": apq}}))
        await listening(app, before + 1)


async def test_without_trusted_mode_a_document_id_runs_over_the_socket(
    api: Api, app_for_sockets: tuple[Any, str]
) -> None:
    app, url = app_for_sockets
    owner = await api.register()
    query = "query { company { name } } # by id"
    await register(api, owner, query)
    sock = await opened(app, url, owner)
    await sock.ws.send(
        json.dumps({"id": "1", "type": "subscribe", "payload": {"documentId": document_id(query)}})
    )
    message = await answer(sock)
    assert message["type"] == "next" and message["payload"]["data"]["company"]["name"]
    # and free text still runs as before
    await sock.ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": query}}))
    while (message := await answer(sock))["id"] != "2" or message["type"] != "next":
        pass
    assert message["payload"]["data"]["company"]["name"]
    await sock.ws.close()


@pytest.fixture(scope="module")
async def app_for_sockets(app: Any) -> AsyncIterator[tuple[Any, str]]:
    """The tests' shared app, served: no subscription opens on it here, so its event bus
    never listens (which would show in other modules' statement counts)."""
    async with _served(app) as url:
        yield app, url
