"""Persisted operations at /graphql: a request naming its document by hash.

A client sends `documentId` ("sha256:<hex>" or the bare hex, GraphQL over HTTP) or
Apollo's `extensions.persistedQuery` (APQ, version 1), over POST or GET. `prepare`
turns such a request into the plain one (query text, variables, operation name) that
every read path and strawberry then answer alike, or answers it itself with a coded
error. It also enforces trusted-documents mode on free-text queries.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gql.auth.viewer import Viewer
from gql.domains.companies.models import Role
from gql.persisted import Registry, parse_hash, sha256_of
from gql.settings import Settings

# The request as it is to be run, once its document is known (read by the view's paths).
PARAMS_KEY = "ledgergraph.persisted_params"

# Apollo clients switch on this exact message and code (and then resend with the text).
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
REQUIRED = "PERSISTED_QUERY_REQUIRED"
BAD_REQUEST = "BAD_REQUEST"


class Refusal(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


async def prepare(
    request: Request,
    *,
    registry: Registry,
    settings: Settings,
    viewer: Callable[[], Awaitable[Viewer]],
) -> Response | None:
    """A coded error answering the request, or None to run it: with its persisted
    document's text put in the scope under PARAMS_KEY when it named one."""
    try:
        params = await _raw_params(request, settings)
        if params is None:
            return None  # not ours to read: the view answers it as before
        await _resolve(request, params, registry, settings, viewer)
    except Refusal as refusal:
        return JSONResponse(
            {"errors": [{"message": refusal.message, "extensions": {"code": refusal.code}}]},
            status_code=refusal.status,
        )
    return None


async def _raw_params(request: Request, settings: Settings) -> dict[str, Any] | None:
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if params.get(key):
                try:
                    params[key] = json.loads(params[key])
                except (ValueError, RecursionError):
                    if "documentId" in params or key == "extensions":
                        raise Refusal(BAD_REQUEST, f"`{key}` must be JSON") from None
                    return None  # a free-text query's: strawberry's 400, as before
        return params
    raw = await request.body()
    if not settings.trusted_documents and (
        "application/json" not in request.headers.get("content-type", "")
        or (b"documentId" not in raw and b"persistedQuery" not in raw)
    ):
        return None  # a plain request, left unparsed here (the common case)
    # (In trusted mode every body that strawberry could read as JSON is read here too.)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None  # malformed: strawberry's 400
    return body if isinstance(body, dict) else None


def _requested_hash(params: dict[str, Any]) -> str | None:
    """The hash the request names, or None for a free-text request."""
    document = params.get("documentId")
    extensions = params.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if document is None and persisted is None:
        return None
    if document is not None:
        given = document
    elif isinstance(persisted, dict) and persisted.get("version") == 1:
        given = persisted.get("sha256Hash")
    else:
        raise Refusal(BAD_REQUEST, "Unsupported persisted query version (only 1 is)")
    hex_ = parse_hash(given) if isinstance(given, str) else None
    if hex_ is None:
        raise Refusal(BAD_REQUEST, 'A document id is "sha256:" and 64 hexadecimal digits')
    return hex_


async def _resolve(
    request: Request,
    params: dict[str, Any],
    registry: Registry,
    settings: Settings,
    viewer: Callable[[], Awaitable[Viewer]],
) -> None:
    signed_in = getattr(request.scope.get("user"), "user_id", None) is not None
    sessions = request.app.state.sessions
    plain = await resolve(params, registry, sessions, settings, viewer, signed_in=signed_in)
    if plain is not None:
        request.scope[PARAMS_KEY] = plain


async def resolve(
    params: dict[str, Any],
    registry: Registry,
    sessions: async_sessionmaker[Any],
    settings: Settings,
    viewer: Callable[[], Awaitable[Viewer]],
    *,
    signed_in: bool,
) -> dict[str, Any] | None:
    """The plain request (query, variables, operationName) a persisted one names, or
    None for free text that may run as it is; a Refusal otherwise. HTTP and WebSocket
    (gql/persisted_ws.py) alike."""
    hex_ = _requested_hash(params)
    text = params.get("query")
    if hex_ is None:
        if isinstance(text, str) and settings.trusted_documents:
            await _allow_free_text(settings, viewer)
        return None
    if not isinstance(params.get("variables"), (dict, type(None))):
        raise Refusal(BAD_REQUEST, "`variables` must be an object")
    if text is not None and (not isinstance(text, str) or sha256_of(text) != hex_):
        raise Refusal(HASH_MISMATCH, "The query's sha256 is not the hash it was sent with")
    stored = await registry.get(sessions, hex_)
    if stored is None:
        if text is None:
            raise Refusal(NOT_FOUND, NOT_FOUND_MESSAGE, status=200)
        if settings.trusted_documents:
            await _allow_free_text(settings, viewer)
        elif signed_in:
            # APQ registration, for signed-in clients only: an anonymous one still gets
            # its answer, but cannot fill the deployment's registry.
            await registry.register(sessions, text)
    return {
        "query": stored or text,
        "variables": params.get("variables"),
        "operationName": params.get("operationName"),
    }


async def _allow_free_text(settings: Settings, viewer: Callable[[], Awaitable[Viewer]]) -> None:
    """Trusted-documents mode: only registered documents run, except for a company
    owner in development (GraphiQL on a laptop)."""
    if settings.env.lower() == "development" and (await viewer()).role == Role.OWNER:
        return
    raise Refusal(REQUIRED, "Only registered (persisted) documents are accepted here")


def cache_headers(request: Request, response: Response) -> None:
    """GET answers may be cached: by the browser only when they answer a signed-in
    viewer, by anyone (a CDN) when they are anonymous and free of errors."""
    # (A body mentioning "errors" in its data is merely kept private: the safe side.)
    response.headers["vary"] = "Accept, Authorization, X-Company-Id"
    public = (
        "authorization" not in request.headers
        and response.status_code == 200
        and b'"errors"' not in bytes(response.body)
    )
    response.headers["cache-control"] = "public, max-age=60" if public else "private, no-cache"
