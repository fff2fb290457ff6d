"""The ASGI application: /graphql, the REST shims, /healthz; the lifespan owns the engine."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.auth.backend import JWTBackend
from gql.compiler.direct import DirectReads
from gql.core.failures import RETRY_AFTER_SECONDS, classify
from gql.core.prepaid import Prepaid
from gql.db.engine import create_engine, session_factory
from gql.domains.audit import rest as audit_rest
from gql.domains.bankfeeds import rest as bankfeeds_rest
from gql.domains.banking import forbix as banking_forbix
from gql.domains.banking import rest as banking_rest
from gql.domains.catalogue import forbix as catalogue_forbix
from gql.domains.catalogue import rest as catalogue_rest
from gql.domains.companies import rest as companies_rest
from gql.domains.contacts import forbix as contacts_forbix
from gql.domains.contacts import rest as contacts_rest
from gql.domains.contracts import rest as contracts_rest
from gql.domains.crm import rest as crm_rest
from gql.domains.documents import forbix as documents_forbix
from gql.domains.documents import rest as documents_rest
from gql.domains.documents import rest_kinds as document_kinds_rest
from gql.domains.events import rest as events_rest
from gql.domains.events.delivery import run_in_background
from gql.domains.helpdesk import rest as helpdesk_rest
from gql.domains.inventory import rest as inventory_rest
from gql.domains.ledger import forbix as ledger_forbix
from gql.domains.ledger import rest as ledger_rest
from gql.domains.payroll import rest as payroll_rest
from gql.domains.pos import rest as pos_rest
from gql.domains.projects import rest as projects_rest
from gql.graphiql import STATIC_PATH, StaticAssets
from gql.graphql_view import GraphQLView
from gql.heap import settle_heap
from gql.rest.docs import docs_routes
from gql.rest.numbors import REQUEST_ID_KEY, HttpError, fail, failure_response, json_response
from gql.rest.openapi import FORBIX, NUMBORS
from gql.schema import build_schema
from gql.settings import Settings
from gql.subscriptions.bus import event_bus

log = logging.getLogger("ledgergraph")

NUMBORS_ROUTES = [
    *companies_rest.routes,
    *contacts_rest.routes,
    *catalogue_rest.routes,
    *documents_rest.routes,
    *document_kinds_rest.routes,
    *ledger_rest.routes,
    *banking_rest.routes,
    *crm_rest.routes,
    *contracts_rest.routes,
    *helpdesk_rest.routes,
    *projects_rest.routes,
    *payroll_rest.routes,
    *inventory_rest.routes,
    *bankfeeds_rest.routes,
    *events_rest.routes,
    *audit_rest.routes,
    *pos_rest.routes,
]

# The Forbix Open-API dialect (gql/rest/forbix.py), under /openapi.
FORBIX_ROUTES = [
    *contacts_forbix.routes,
    *documents_forbix.routes,
    *ledger_forbix.routes,
    *catalogue_forbix.routes,
    *banking_forbix.routes,
]

_REST_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _client_request_id(raw: bytes | None) -> str | None:
    """The client's X-Request-Id when it is safe to echo and log (a short token of
    plain characters; the first 64 kept), otherwise None and we make our own."""
    if not raw:
        return None
    value = raw[:64].decode("latin-1")
    return value if _REQUEST_ID.fullmatch(value) else None


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-Id), refuses heads over the
    configured size with 431 and bodies with 413 (whether or not they declare a
    Content-Length), and answers in JSON whatever still escapes the app."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        max_header_bytes: int,
        request_timeout_seconds: float,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.request_timeout_seconds = request_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope["headers"]).get(b"x-request-id")
        request_id = _client_request_id(sent) or uuid.uuid4().hex
        scope[REQUEST_ID_KEY] = request_id
        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        head += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        if head > self.max_header_bytes:
            await self._headers_too_large(scope, receive, send)
            return
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
                    raise _BodyTooLarge(self.max_body_bytes)
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_id(message)

        try:
            await self.app(scope, limited_receive, send_tracked)
        except _BodyTooLarge:
            await self._too_large(scope, receive, send)
        except Exception as exc:
            # The last line of defence: whatever escaped still gets an answer in JSON, so
            # the client's keep-alive connection stays usable (uvicorn would drop it).
            if started:
                raise
            failure = classify(exc)
            if failure is None:
                log.exception("unexpected error (request %s)", request_id)
                response = fail(500, f"Unexpected error (request id {request_id})")
            else:
                log.warning("%s (request %s): %r", failure.value, request_id, exc)
                response = failure_response(failure, self.request_timeout_seconds)
            await response(scope, receive, send_with_id)

    async def _headers_too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_header_bytes
        response = json_response(
            {
                "success": False,
                "message": f"Request headers exceed {limit} bytes",
                "code": "HEADERS_TOO_LARGE",
            },
            431,
        )
        await response(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        exc = _BodyTooLarge(self.max_body_bytes)
        await fail(exc.status, exc.message, exc.errors)(scope, receive, send)


class _BodyTooLarge(HttpError):
    """Raised from `receive` when a streamed body passes the limit. An HttpError, so a
    REST endpoint answers it like any other; elsewhere the middleware does."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"Request body exceeds {limit} bytes",
            [
                {
                    "field": "body",
                    "message": f"must be at most {limit} bytes",
                    "code": "BODY_TOO_LARGE",
                }
            ],
        )


async def healthz(request: Request) -> Response:
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "down"
        log.warning("health check: database unreachable", exc_info=log.isEnabledFor(10))
        return JSONResponse(
            {"status": "error", "database": "unreachable"},
            status_code=503,
            headers={"retry-after": str(RETRY_AFTER_SECONDS)},
        )
    return JSONResponse({"status": "ok", "database": "ok"})


async def http_error(request: Request, exc: Exception) -> Response:
    """Routing errors (unknown method on a known path, ...): the REST envelope under
    /api and /openapi, as every other REST answer; plain text elsewhere, as Starlette
    gives it."""
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith(("/api/", "/openapi/")):
        response = fail(exc.status_code, exc.detail)
    else:
        response = PlainTextResponse(exc.detail, status_code=exc.status_code)
    response.headers.update(exc.headers or {})
    return response


async def rest_not_found(request: Request) -> Response:
    return fail(404, f"No such endpoint: {request.method} {request.url.path}")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            wait_seconds=settings.request_timeout_seconds,
        )
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        prepaid = Prepaid(settings.throttle_prepay_share, settings.throttle_prepay_seconds)
        app.state.direct_reads = DirectReads(engine, settings.request_timeout_seconds, prepaid)
        app.state.event_bus = event_bus(settings, engine)
        try:
            async with run_in_background(app.state.sessions, settings):
                yield
        finally:
            await app.state.event_bus.close()
            await engine.dispose()

    # graphql_ide: a browser at GET /graphql gets GraphiQL (GraphQLView.render_graphql_ide:
    # our offline page, its assets under /static/).
    graphql = GraphQLView(build_schema(settings), settings=settings, graphql_ide="graphiql")
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Mount(STATIC_PATH, app=StaticAssets(), name="static"),
            Mount(
                "/api",
                routes=[
                    *NUMBORS_ROUTES,
                    *docs_routes(NUMBORS),
                    Route("/{path:path}", rest_not_found, methods=_REST_METHODS),
                ],
            ),
            Mount(
                "/openapi",
                routes=[
                    *FORBIX_ROUTES,
                    *docs_routes(FORBIX),
                    Route("/{path:path}", rest_not_found, methods=_REST_METHODS),
                ],
            ),
        ],
        middleware=[
            Middleware(
                RequestContextMiddleware,
                max_body_bytes=settings.max_body_bytes,
                max_header_bytes=settings.max_header_bytes,
                request_timeout_seconds=settings.request_timeout_seconds,
            ),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-company-id", "x-request-id"],
            ),
            Middleware(AuthenticationMiddleware, backend=JWTBackend(settings)),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error},
    )
    app.state.settings = settings
    return app


def app_factory() -> Starlette:
    """For `uvicorn --factory gql.app:app_factory` (several workers, settings from env)."""
    app = create_app()
    settle_heap()
    return app
