"""The ASGI application: /graphql, the REST shims, /healthz; the lifespan owns the engine."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.auth.backend import JWTBackend
from gql.db import create_engine, session_factory
from gql.domains.catalogue import rest as catalogue_rest
from gql.domains.companies import rest as companies_rest
from gql.domains.contacts import rest as contacts_rest
from gql.domains.documents import rest as documents_rest
from gql.graphql_view import GraphQLView
from gql.rest.numbors import fail
from gql.schema import build_schema
from gql.settings import Settings

log = logging.getLogger("ledgergraph")

NUMBORS_ROUTES = [
    *companies_rest.routes,
    *contacts_rest.routes,
    *catalogue_rest.routes,
    *documents_rest.routes,
]


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-Id) and refuses bodies over the
    configured size with 413, whether or not they declare a Content-Length."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = dict(scope["headers"]).get(b"x-request-id", b"").decode()[:64] or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except _BodyTooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = fail(
            413,
            f"Request body exceeds {self.max_body_bytes} bytes",
            [{"field": "body", "message": f"must be at most {self.max_body_bytes} bytes"}],
        )
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


async def healthz(request: Request) -> Response:
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "down"
        log.exception("health check: database unreachable")
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


async def rest_not_found(request: Request) -> Response:
    return fail(404, f"No such endpoint: {request.method} {request.url.path}")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        try:
            yield
        finally:
            await engine.dispose()

    graphql = GraphQLView(build_schema(settings), settings=settings, graphql_ide="graphiql")
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Mount("/api", routes=[*NUMBORS_ROUTES, Route("/{path:path}", rest_not_found)]),
        ],
        middleware=[
            Middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-company-id", "x-request-id"],
            ),
            Middleware(AuthenticationMiddleware, backend=JWTBackend(settings)),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


def app_factory() -> Starlette:
    """For `uvicorn --factory gql.app:app_factory` (several workers, settings from env)."""
    return create_app()


