"""One WebSocket connection at /graphql: who it is for, and the reads of each event.

A browser cannot set headers on a WebSocket, so the token and the company come in the
`connection_init` payload ({"authorization": "Bearer ...", "companyId": "..."}); the
upgrade request's `Authorization` and `X-Company-Id` headers are the fallback. The
viewer is resolved once, as for an HTTP request, and the connection is closed (4401)
when its token expires.

Each event is resolved with a session and loaders of its own (`event_reads_with`, one
per event for all the subscribers it reaches, gql/subscriptions/delivery.py), so the
client sees the committed state. The connection's own session serves queries and
mutations sent over the socket, as before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError

from gql.auth.tokens import InvalidToken, verify_token_expiry
from gql.auth.viewer import Viewer, resolve_viewer
from gql.context import Context, Loaders
from gql.db.engine import RequestSession, set_deadline
from gql.db.tenant import set_tenant
from gql.settings import Settings

TOKEN_EXPIRED = 4401  # graphql-transport-ws' "Unauthorized"

# (connection context, session, loaders) of the event being resolved in this task (the
# bus's delivery task, or a subscription's own while it checks its arguments).
_EVENT: ContextVar[tuple[SocketContext, RequestSession, Loaders] | None] = ContextVar(
    "ledgergraph_event_reads", default=None
)


@dataclass
class SocketContext(Context):
    """The context of a WebSocket connection. While one of its events is resolved,
    `session` and `loaders` are that event's own."""

    connection_params: dict[str, Any] | None = None
    subscriptions: int = 0  # open on this connection
    expiry: asyncio.Task[None] | None = field(default=None, repr=False)

    def __getattribute__(self, name: str) -> Any:
        if name in ("session", "loaders"):
            reads = _EVENT.get()
            if reads is not None and reads[0] is self:
                return reads[1] if name == "session" else reads[2]
        return object.__getattribute__(self, name)


def _credentials(context: SocketContext) -> tuple[str | None, str | None]:
    """(bearer token, company) from connection_init, else from the upgrade headers."""
    params = context.connection_params or {}
    headers = context.request.headers
    authorization = params.get("authorization") or params.get("Authorization")
    if not isinstance(authorization, str):
        authorization = headers.get("authorization")
    company = params.get("companyId")
    if not isinstance(company, str):
        company = headers.get("x-company-id")
    if not authorization:
        return None, company
    scheme, _, token = authorization.partition(" ")
    return (token.strip() if scheme.lower() == "bearer" else None), company


async def connect(context: SocketContext) -> dict[str, object]:
    """Authenticate the connection (strawberry's on_ws_connect): refused (4403) without
    a valid token or access to the chosen company; acknowledged with the company."""
    token, company = _credentials(context)
    if token is None:
        raise ConnectionRejectionError({"message": "Authentication required"})
    try:
        user_id, expires = verify_token_expiry(context.settings, token)
    except InvalidToken as exc:
        raise ConnectionRejectionError({"message": f"Authentication required: {exc}"}) from None
    session = object.__getattribute__(context, "session")
    viewer = await resolve_viewer(session, user_id=user_id, auth_error=None, company_header=company)
    # The connection holds no database connection between operations.
    await session.rollback()
    if viewer.company is None:
        raise ConnectionRejectionError({"message": viewer.access_error or "No access"})
    context.viewer = viewer
    context.expiry = asyncio.create_task(_close_at(context.request, expires))  # type: ignore[arg-type]
    return {"companyId": viewer.company.id}


async def _close_at(websocket: WebSocket, expires: float) -> None:
    await asyncio.sleep(max(expires - time.time(), 0))
    await websocket.close(TOKEN_EXPIRED, "Token expired")


def disconnected(context: Context | None) -> None:
    """The socket closed: stop its expiry clock."""
    expiry = getattr(context, "expiry", None)
    if expiry is not None:
        expiry.cancel()


def socket_context(
    websocket: WebSocket, session: RequestSession, settings: Settings
) -> SocketContext:
    """A new connection's context: nobody, until connection_init names them."""
    return SocketContext(
        request=websocket,  # type: ignore[arg-type]
        session=session,
        viewer=Viewer(auth_error="authentication required"),
        settings=settings,
        request_id="-",
        loaders=Loaders(session),
    )


@asynccontextmanager
async def event_reads(context: SocketContext) -> AsyncIterator[None]:
    """Within: `context.session` and `context.loaders` are fresh ones."""
    factory = context.request.app.state.sessions
    async with factory() as session:
        set_tenant(session, context.viewer.company_id)
        set_deadline(session, context.settings.request_timeout_seconds)
        with event_reads_with(context, session, Loaders(session)):
            yield


@contextmanager
def event_reads_with(
    context: SocketContext, session: RequestSession, loaders: Loaders
) -> Iterator[None]:
    """Within: `context.session` and `context.loaders` are these (one event's)."""
    _EVENT.set((context, session, loaders))
    try:
        yield
    finally:
        # Not reset(token): a closing generator may run in another context.
        _EVENT.set(None)
