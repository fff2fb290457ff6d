"""Persisted operations and trusted documents over the WebSocket at /graphql.

A `subscribe` (graphql-transport-ws) or `start` (graphql-ws) message's payload is read
as an HTTP request's body is (gql/persisted_http.py: `resolve`): `documentId` or APQ's
`extensions.persistedQuery` name a registered document, and in trusted-documents mode
free text is refused with the same code as over HTTP (PERSISTED_QUERY_REQUIRED). The
refusal is the operation's `error` message; the connection stays open. The viewer is
the connection's, authenticated at `connection_init`.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from gql.auth.viewer import Viewer
from gql.persisted_http import Refusal, resolve


async def _prepared(handler: Any, payload: Any) -> dict[str, Any] | GraphQLError:
    """The payload to run (its document's text put in), or the refusal as an error."""
    if not isinstance(payload, dict):
        return payload  # type: ignore[no-any-return]  # strawberry refuses it as before
    settings = handler.view.settings
    named = "documentId" in payload or "extensions" in payload
    if not named and not settings.trusted_documents:
        return payload  # the common case: free text, nothing to look up
    context = handler.context

    async def viewer() -> Viewer:
        return context.viewer  # type: ignore[no-any-return]

    try:
        plain = await resolve(
            payload,
            handler.view.persisted,
            context.request.app.state.sessions,
            settings,
            viewer,
            signed_in=context.viewer.user is not None,
        )
    except Refusal as refusal:
        return GraphQLError(refusal.message, extensions={"code": refusal.code})
    return payload if plain is None else plain


class TransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged:  # (else strawberry closes the socket: 4401)
            prepared = await _prepared(self, message.get("payload"))
            if isinstance(prepared, GraphQLError):
                error = {"id": message["id"], "type": "error", "payload": [prepared.formatted]}
                await self.send_message(error)  # type: ignore[arg-type]
                return
            message = {**message, "payload": prepared}
        await super().handle_subscribe(message)


class LegacyWSHandler(BaseGraphQLWSHandler[Any, Any]):
    async def handle_start(self, message: Any) -> None:
        if self.connection_acknowledged:
            prepared = await _prepared(self, message.get("payload"))
            if isinstance(prepared, GraphQLError):
                error = {"id": message["id"], "type": "error", "payload": prepared.formatted}
                await self.send_message(error)  # type: ignore[arg-type]
                return
            message = {**message, "payload": prepared}
        await super().handle_start(message)
