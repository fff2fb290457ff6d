"""/graphql: strawberry's ASGI view, following the GraphQL over HTTP specification.

One database session per request, opened before the context and closed after the
response; `application/graphql-response+json` when the client asks for it, with the
status codes the specification prescribes for it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError

from gql.auth.first_visit import Admitted, first_visit
from gql.auth.viewer import wanted_company
from gql.compiler.executor import CompiledReads, CompiledResponse
from gql.context import Context, Loaders
from gql.core.failures import TIMEOUT_GRACE, Failure, classify
from gql.core.failures import answer as failure_answer
from gql.core.pricing import COST_KEY, paid, pay_for_viewer, quote, throttled_response
from gql.core.throttle import Bill, Throttled
from gql.db.engine import RequestSession, end_session, set_deadline
from gql.graphiql import graphiql_response
from gql.persisted import Registry
from gql.persisted_http import PARAMS_KEY, cache_headers, prepare
from gql.persisted_ws import LegacyWSHandler, TransportWSHandler
from gql.rest.numbors import REQUEST_ID_KEY
from gql.settings import Settings
from gql.subscriptions.connection import connect, disconnected, socket_context

GRAPHQL_RESPONSE = "application/graphql-response+json"
# Per-request values live in the ASGI scope itself (never in scope["state"], which a
# server may share between requests).
SESSION_KEY = "ledgergraph.session"
DEADLINE_KEY = "ledgergraph.deadline"  # time.monotonic() by which the request must end
CONTEXT_KEY = "ledgergraph.graphql_context"

log = logging.getLogger("ledgergraph.graphql")

JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
JSON_KINDS[type(None)] = "null"


def _wants_graphql_response(accept: str) -> bool:
    """True when the client prefers application/graphql-response+json to application/json."""
    best: tuple[float, str] | None = None
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in (GRAPHQL_RESPONSE, "application/json", "*/*", "application/*"):
            rank = (q, media)
            if best is None or q > best[0] or (q == best[0] and media == GRAPHQL_RESPONSE):
                best = rank
    return best is not None and best[1] == GRAPHQL_RESPONSE


async def _graphql_params(request: Request) -> dict[str, Any] | None:
    """query/variables/operationName of a single GraphQL request, or None."""
    if PARAMS_KEY in request.scope:  # a persisted document's (gql/persisted_http.py)
        return request.scope[PARAMS_KEY]  # type: ignore[no-any-return]
    if request.method == "GET":
        if "query" not in request.query_params:
            return None
        try:
            variables = json.loads(request.query_params.get("variables") or "null")
        except (ValueError, RecursionError):
            return None
        return {
            "query": request.query_params["query"],
            "variables": variables,
            "operationName": request.query_params.get("operationName"),
        }
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None
    raw = await request.body()
    try:
        body = orjson.loads(raw)  # the common case, 5x faster than json.loads
    except orjson.JSONDecodeError:
        try:  # what orjson refuses and json takes (NaN, huge integers, lone surrogates)
            body = json.loads(raw)
        except (ValueError, RecursionError):  # strawberry answers these with a 400
            return None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None
    if body.get("variables") is not None and not isinstance(body["variables"], dict):
        return None
    return body


def _compiled_response(request: Request, result: CompiledResponse) -> Response:
    """The compiled path's body, as the media type the client asked for."""
    graphql_response = _wants_graphql_response(request.headers.get("accept", ""))
    cost = request.scope.get(COST_KEY)
    return Response(
        result.body(cost.extensions() if cost else None),
        media_type=GRAPHQL_RESPONSE if graphql_response else "application/json",
    )


def _failure_in(data: Any) -> Failure | None:
    """The infrastructure failure among a result's errors, if any (unavailable first)."""
    if not isinstance(data, dict):
        return None
    codes = {(e.get("extensions") or {}).get("code") for e in data.get("errors") or []}
    for failure in Failure:
        if failure.value in codes:
            return failure
    return None


def graphql_failure(failure: Failure, budget: float, *, graphql_response: bool) -> Response:
    answer = failure_answer(failure, budget)
    headers = {"retry-after": str(answer.retry_after)} if answer.retry_after is not None else {}
    return JSONResponse(
        {"errors": [{"message": answer.message, "extensions": {"code": failure.value}}]},
        status_code=answer.status,
        headers=headers,
        media_type=GRAPHQL_RESPONSE if graphql_response else "application/json",
    )


def _is_request_error(data: Any) -> bool:
    """The spec's "request error": the operation never ran (parse or validation
    failure), so there is no data and no error has a path."""
    if not isinstance(data, dict) or data.get("data") is not None:
        return False
    errors = data.get("errors") or []
    return bool(errors) and all(not e.get("path") for e in errors)


class GraphQLView(GraphQL[Context, None]):
    # Persisted documents and trusted-documents mode over WebSocket too.
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, *args: Any, settings: Settings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.compiled = CompiledReads(self.schema, settings) if settings.compiled_reads else None
        self.persisted = Registry()
        self.keep_alive = True  # graphql-ws (legacy) "ka" messages
        self.keep_alive_interval = settings.subscription_keepalive_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The session lives exactly as long as the request (or WebSocket connection);
        # an HTTP request's is made on first use (the direct path needs none).
        if scope["type"] != "http":
            async with scope["app"].state.sessions() as session:
                scope[SESSION_KEY] = session
                try:
                    await super().__call__(scope, receive, send)
                finally:
                    disconnected(scope.get(CONTEXT_KEY))
            return
        scope[DEADLINE_KEY] = time.monotonic() + self.settings.request_timeout_seconds
        try:
            await self._http(scope, receive, send)
        finally:
            session = scope.pop(SESSION_KEY, None)
            if session is not None:
                await session.close()  # (already ended unless something escaped)

    @staticmethod
    def _session(scope: Scope) -> RequestSession:
        """The request's session, made on first use, with the request's deadline."""
        session = scope.get(SESSION_KEY)
        if session is None:
            session = scope[SESSION_KEY] = scope["app"].state.sessions()
            set_deadline(session, max(scope[DEADLINE_KEY] - time.monotonic(), 0.001))
        return session  # type: ignore[no-any-return]

    @staticmethod
    async def _end_session(scope: Scope) -> None:
        session = scope.get(SESSION_KEY)
        if session is not None:
            await end_session(session)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive=receive)
        if self.graphql_ide and self.should_render_graphql_ide(self.request_adapter_class(request)):
            # A browser asking for the IDE: a static page, with no session, viewer or
            # context behind it (strawberry's run() would build them first).
            await (await self.render_graphql_ide(request))(scope, receive, send)
            return
        try:
            # The database stops a statement at the deadline itself (db.set_deadline);
            # this catches the rest (Python work, waiting for a connection) a little later.
            async with asyncio.timeout(self.settings.request_timeout_seconds + TIMEOUT_GRACE):
                response = await prepare(
                    request,
                    registry=self.persisted,
                    settings=self.settings,
                    viewer=lambda: self._viewer(request),
                )
                if response is None:
                    response = await self._read(request)
                if response is None:
                    response = await self.run(request)
        except ClientDisconnect:
            # The client went away before its body arrived (a closed tab, a stopped
            # load generator): there is no one to answer, and nothing was done.
            await self._end_session(scope)
            return
        except Exception as exc:  # strawberry's HTTPException for malformed requests
            failure = classify(exc)
            status = getattr(exc, "status_code", None)
            if failure is not None:
                response = self._failure_response(failure, request, exc)
                await self._end_session(scope)
                await response(scope, receive, send)
                return
            if status is None:
                raise
            reason = getattr(exc, "reason", str(exc))
            headers = {}
            if isinstance(exc.__cause__, InvalidOperationTypeError) and request.method == "GET":
                # GraphQL over HTTP: a mutation over GET is 405 Method Not Allowed.
                status, headers = 405, {"allow": "POST"}
            code = "METHOD_NOT_ALLOWED" if status == 405 else "BAD_REQUEST"
            response = JSONResponse(
                {"errors": [{"message": reason, "extensions": {"code": code}}]},
                status_code=status,
                headers=headers,
            )
        # Before the answer goes out: the connection returns to the pool at once, and a
        # failure to end the transaction cannot break a response already sent.
        await self._end_session(scope)
        if request.method == "GET":
            cache_headers(request, response)
        await response(scope, receive, send)

    async def _viewer(self, request: Request) -> Any:
        """The request's viewer (its context is kept for the paths that follow)."""
        return (await self.get_context(request, None)).viewer

    def _failure_response(self, failure: Failure, request: Request, exc: Exception) -> Response:
        """The database is down or the budget ran out: one coded GraphQL error."""
        request_id = request.scope.get(REQUEST_ID_KEY, "-")
        log.warning("%s (request %s): %r", failure.value, request_id, exc)
        return graphql_failure(
            failure,
            self.settings.request_timeout_seconds,
            graphql_response=_wants_graphql_response(request.headers.get("accept", "")),
        )

    async def _read(self, request: Request) -> Response | None:
        """A read's answer by the direct path, else by the compiled path, once its bill
        is paid (gql/core/pricing.py); None: strawberry answers (paid already too)."""
        params = await _graphql_params(request)
        if params is None:
            return None
        bill = quote(request, params, self.schema.admission, self.settings)  # type: ignore[attr-defined]
        response = await self._direct(request, params, bill)
        if response is None and bill is not None and COST_KEY not in request.scope:
            response = await pay_for_viewer(request, bill, lambda: self._admit(request, bill))
        if response is None:
            response = await self._compiled(request, params)
        return response

    async def _direct(
        self, request: Request, params: dict[str, Any], bill: Bill | None
    ) -> Response | None:
        """The steady state of the compiled path: the bill's payment, the viewer's check
        and the statements in one round trip (gql/compiler/direct.py), or None."""
        user_id = getattr(request.scope.get("user"), "user_id", None)
        if self.compiled is None or user_id is None:
            return None
        try:
            result, status = await self.compiled.execute_direct(
                query=params["query"],
                variables=params.get("variables"),
                operation_name=params.get("operationName"),
                user_id=user_id,
                company_header=request.headers.get("x-company-id"),
                wanted_company=wanted_company(request.headers.get("x-company-id")),
                direct=request.app.state.direct_reads,
                deadline=request.scope[DEADLINE_KEY],
                bill=bill,
            )
        except Throttled as throttled:
            return throttled_response(request, throttled)
        except Exception as exc:
            if classify(exc) is not None:
                raise
            request_id = request.scope.get(REQUEST_ID_KEY, "-")
            log.exception("direct read failed (request %s); using the full path", request_id)
            return None
        if bill is not None and status is not None:
            paid(request, bill, status)
        return None if result is None else _compiled_response(request, result)

    async def _compiled(self, request: Request, params: dict[str, Any]) -> Response | None:
        """The compiled read path's answer, or None to let strawberry answer."""
        if self.compiled is None:
            return None
        context = await self.get_context(request, None)
        try:
            result = await self.compiled.execute(
                query=params["query"],
                variables=params.get("variables"),
                operation_name=params.get("operationName"),
                context=context,
            )
        except Exception as exc:
            if classify(exc) is not None:
                raise  # the database is down or time is up: the resolvers would fare no better
            # A failing compiled plan must not escape as a raw 500: log it under the
            # request id and let the resolver path answer (which masks what still fails).
            log.exception("compiled read failed (request %s); using resolvers", context.request_id)
            await context.session.rollback()
            result = None
        if result is None:
            return None  # the resolver path answers, with the same context
        return _compiled_response(request, result)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        if isinstance(request, WebSocket):
            # Authenticated at connection_init (on_ws_connect), not by this upgrade.
            context = request.scope[CONTEXT_KEY] = socket_context(
                request, request.scope[SESSION_KEY], self.settings
            )
            return context
        if CONTEXT_KEY not in request.scope:
            await self._admit(request, None)
        made: Context = request.scope[CONTEXT_KEY]
        made.response = response
        return made

    async def _admit(self, request: Request, bill: Bill | None) -> Admitted:
        """The request's viewer and tenant, and `bill` paid, in one visit to the database
        (gql/auth/first_visit.py); the context made (or its viewer renewed) with them."""
        session = self._session(request.scope)
        existing = request.scope.get(CONTEXT_KEY)
        if existing is not None:
            # Resolved unpaid (a persisted document's check asked first): again, paying.
            await session.rollback()
        token_user = request.scope.get("user")
        user_id = getattr(token_user, "user_id", None)
        company_header = request.headers.get("x-company-id")
        admitted = await first_visit(
            session,
            user_id=user_id,
            auth_error=getattr(token_user, "error", None),
            company_header=company_header,
            bill=bill,
        )
        if self.compiled is not None:
            request.app.state.direct_reads.remember(user_id, company_header, admitted.viewer)
        if existing is not None:
            existing.viewer = admitted.viewer
            return admitted
        # Kept in the scope: the paths a request may take (persisted documents, pricing,
        # the compiled path, the resolvers) share one viewer and session.
        request.scope[CONTEXT_KEY] = Context(
            request=request,
            session=session,
            viewer=admitted.viewer,
            settings=self.settings,
            request_id=request.scope.get(REQUEST_ID_KEY, "-"),
            loaders=Loaders(session),
            response=None,
        )
        return admitted

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A persisted operation over GET has no `query` either, and is no browser's visit.
        params = request.query_params
        if "documentId" in params or "extensions" in params:
            return False
        return super().should_render_graphql_ide(request)

    async def on_ws_connect(self, context: Context) -> dict[str, object]:
        return await connect(context)  # type: ignore[arg-type]

    async def render_graphql_ide(self, request: Request) -> Response:
        # Our page, whose assets the app serves itself (strawberry's loads them from a CDN).
        return graphiql_response(request.scope.get("root_path", ""))

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub = await super().get_sub_response(request)
        sub.headers["x-graphql-accept"] = request.headers.get("accept", "")
        return sub

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        accept = sub_response.headers.get("x-graphql-accept", "")
        del sub_response.headers["x-graphql-accept"]
        wants = _wants_graphql_response(accept)
        request_error = wants and _is_request_error(response_data)
        if request_error and isinstance(response_data, dict):
            # The spec: a request error's response has no `data` entry at all.
            response_data = {k: v for k, v in response_data.items() if k != "data"}  # type: ignore[assignment]
        response = super().create_response(response_data, sub_response)
        if wants:
            response.headers["content-type"] = GRAPHQL_RESPONSE
            if request_error:
                response.status_code = 400
        failure = _failure_in(response_data)
        if failure is not None:
            # A field failed because the database went away or time ran out: the answer
            # is incomplete, and a retry is what the client should do.
            answer = failure_answer(failure, self.settings.request_timeout_seconds)
            response.status_code = answer.status
            if answer.retry_after is not None:
                response.headers["retry-after"] = str(answer.retry_after)
        return response

    async def parse_http_body(self, request: Any) -> Any:
        # A persisted document's request: its text, not the body (strawberry's adapter
        # keeps the Starlette request as `_request`).
        params = request._request.scope.get(PARAMS_KEY)
        if params is None:
            return await super().parse_http_body(request)
        return GraphQLRequestData(
            query=params["query"],
            variables=params["variables"],
            operation_name=params["operationName"],
            extensions=None,
            protocol="http",
        )

    async def process_result(self, request: Request, result: Any) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        cost = request.scope.get(COST_KEY)
        if cost is not None:  # the request's cost, as the compiled path reports it too
            data["extensions"] = {**(data.get("extensions") or {}), **cost.extensions()}
        return data

    def parse_json(self, data: str | bytes) -> Any:
        try:
            parsed = super().parse_json(data)
        except RecursionError:  # nested deeper than the parser follows: malformed for us
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        if not isinstance(parsed, (dict, list)):  # (a list: strawberry refuses batches)
            kind = JSON_KINDS.get(type(parsed), "a JSON value")
            raise HTTPException(
                400,
                f"The request body must be a JSON object with a `query`, not {kind}",
            )
        return parsed

    def encode_json(self, data: object) -> str | bytes:
        # orjson writes the same bytes as json.dumps(separators=(",", ":")) for printable
        # ASCII (answers carry no floats: the schema has no Float). json.dumps escapes
        # everything else (non-ASCII, DEL) as \uXXXX and takes non-string keys: kept.
        try:
            encoded = orjson.dumps(data)
        except TypeError:
            encoded = None
        if encoded is None or not encoded.isascii() or b"\x7f" in encoded:
            return json.dumps(data, separators=(",", ":"))
        return encoded
