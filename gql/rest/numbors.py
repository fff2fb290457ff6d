"""The Numbors REST dialect: `{"success": true, "data": ...}` envelopes, `page`/`limit`
pagination, and one endpoint wrapper that authenticates, scopes, checks the role and
module, runs the handler in one transaction and maps failures to status codes."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from http import HTTPStatus
from typing import Any

import simplejson
from pydantic.alias_generators import to_camel
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from gql.auth.access import AccessDenied, Level, Need, authorize
from gql.auth.first_visit import first_visit
from gql.auth.viewer import Viewer
from gql.core import idempotency
from gql.core.errors import ErrorCode, UserInputError, dotted
from gql.core.failures import TIMEOUT_GRACE, Failure, classify
from gql.core.failures import answer as failure_answer
from gql.core.ids import decode_id
from gql.core.pagination import MAX_POSITION
from gql.core.scalars import json_number, parse_date
from gql.core.throttle import Bill, Throttled, rest_cost
from gql.core.transaction import in_transaction
from gql.core.versions import ExpectedVersion, VersionConflict, etag, parse_if_match
from gql.db.engine import RequestSession, end_session, set_deadline
from gql.domains.companies.modules import ModuleAlias
from gql.rest.renames import SAME_NAMES, Renames
from gql.settings import Settings

log = logging.getLogger("ledgergraph.rest")

REQUEST_ID_KEY = "ledgergraph.request_id"  # set by the app's request middleware


# The `code` of an error body by its status, unless a more specific one is given: the
# GraphQL codes where they mean the same.
STATUS_CODES = {
    400: ErrorCode.INVALID.value,
    401: ErrorCode.UNAUTHENTICATED.value,
    403: ErrorCode.FORBIDDEN.value,
    404: ErrorCode.NOT_FOUND.value,
    409: ErrorCode.CONFLICT.value,
    413: "BODY_TOO_LARGE",
    500: "INTERNAL_ERROR",
}


def status_code(status: int) -> str:
    return STATUS_CODES.get(status) or HTTPStatus(status).name


class HttpError(Exception):
    def __init__(
        self, status: int, message: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


def json_response(body: Any, status: int = 200) -> Response:
    # simplejson writes Decimals as exact JSON numbers: money never passes through float.
    response = Response(
        simplejson.dumps(body, use_decimal=True, default=_default, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
    )
    # One entity's answer (either dialect) carries its version as the ETag, for If-Match:
    # in `data`, or beside the `_id` a Forbix write answers at the top.
    data = (body if "_id" in body else body.get("data")) if isinstance(body, dict) else None
    version = data.get("version") if isinstance(data, dict) else None
    if type(version) is int:
        response.headers["etag"] = etag(version)
    return response


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def ok(data: Any, status: int = 200) -> Response:
    return json_response({"success": True, "data": data}, status)


def fail(
    status: int, message: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response:
    """An error body: every one says `code`, and each of its `errors` too."""
    body: dict[str, Any] = {"success": False, "message": message, "code": status_code(status)}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return json_response(body, status)


def paginated(items: list[Any], *, total: int, page: int, limit: int) -> Response:
    return json_response(
        {
            "success": True,
            "data": items,
            "pagination": {
                "page": page,
                "limit": limit,
                "total": total,
                "pages": math.ceil(total / limit) if limit else 0,
            },
        }
    )


def error_list(exc: UserInputError, names: Renames) -> list[dict[str, str]]:
    """The errors under the names the client sent: ours are the GraphQL (camelCase)
    names, and the endpoint's `names` say where its dialect calls a field otherwise."""
    return [
        {"field": dotted(names.to_theirs_path(e.path)), "message": e.message, "code": e.code.value}
        for e in exc.errors
    ]


@dataclass
class PageParams:
    """A REST list's `page` (from 1) and `limit`."""

    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def param_error(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message, "code": ErrorCode.INVALID.value}


def bad_params(*errors: dict[str, str]) -> HttpError:
    return HttpError(400, "Invalid query parameters", list(errors))


def page_params(request: Request, settings: Settings) -> PageParams:
    """`page` (from 1) and `limit` (default 25, at most the page-size cap)."""
    errors: list[dict[str, str]] = []
    values = {}
    for name, default, low, high in (
        # Bounded so the row offset stays within what the databases' integers hold.
        ("page", 1, 1, MAX_POSITION // settings.max_page_size),
        ("limit", settings.default_page_size, 1, settings.max_page_size),
    ):
        raw = request.query_params.get(name)
        try:
            value = default if raw in (None, "") else int(raw)
        except ValueError:
            errors.append(param_error(name, "must be a whole number"))
            continue
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high else f"at least {low}"
            errors.append(param_error(name, f"must be {bound}"))
        values[name] = value
    if errors:
        raise bad_params(*errors)
    return PageParams(page=values["page"], limit=values["limit"])


def bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    lowered = raw.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise bad_params(param_error(name, "must be true or false"))


def choice_param(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise bad_params(param_error(name, f"must be one of: {', '.join(choices)}"))
    return raw


def text_param(request: Request, name: str, settings: Settings) -> str | None:
    """A free-text filter (`search`, a code), at most `max_search_length` characters:
    longer is refused rather than sent to the database to scan with."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    limit = settings.max_search_length
    if len(raw) > limit:
        raise bad_params(param_error(name, f"must be at most {limit} characters"))
    return raw


def date_param(request: Request, name: str) -> date | None:
    """A day filter, YYYY-MM-DD within the sane range (gql/core/scalars.py)."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError as exc:
        raise bad_params(param_error(name, str(exc))) from None


def id_param(request: Request, name: str, type_name: str) -> str | None:
    """An id filter (a global or object id); one that is not the tenant's, or not an id
    at all, matches nothing."""
    raw = request.query_params.get(name)
    return (decode_id(raw, type_name) or "-") if raw else None


def body_error(message: str, code: ErrorCode = ErrorCode.INVALID) -> list[dict[str, str]]:
    return [{"field": "body", "message": message, "code": code.value}]


async def read_json(request: Request) -> dict[str, Any]:
    """The request body: a JSON object, its numbers exact decimals (one written with an
    exponent marked, for the strict decimal fields to refuse). Anything else (not
    JSON, or JSON that is not an object: `42`, `null`, an array) is a 400 naming the
    body, so no handler ever sees a body it cannot index by field name."""
    body = await request.body()
    if not body.strip():
        raise HttpError(
            400, "Validation failed", body_error("a JSON body is required", ErrorCode.REQUIRED)
        )
    try:
        data = simplejson.loads(body, parse_float=json_number)  # exact decimals
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, "Malformed JSON", body_error(f"not valid JSON: {exc}")) from None
    except RecursionError:  # nesting deeper than the parser can follow: not ours to accept
        raise HttpError(
            400, "Malformed JSON", body_error("not valid JSON: nested too deeply")
        ) from None
    if not isinstance(data, dict):
        raise HttpError(400, "Validation failed", body_error("must be a JSON object"))
    return data


@dataclass
class RestContext:
    request: Request
    session: RequestSession
    viewer: Viewer
    settings: Settings
    names: Renames = SAME_NAMES

    async def body(self) -> dict[str, Any]:
        """The JSON body, under our names (see `endpoint`'s `names`)."""
        return self.names.to_ours(await read_json(self.request))

    def authorize(self, need: Need) -> None:
        rest_authorize(self.viewer, need)

    @property
    def tenant_id(self) -> str:
        assert self.viewer.company is not None
        return self.viewer.company.id


Handler = Callable[[RestContext], Awaitable[Response]]


def endpoint(
    *,
    public: bool = False,
    tenant: bool = True,
    module: ModuleAlias | None = None,
    write: bool = False,
    manage: bool = False,
    names: Renames = SAME_NAMES,
    user_error_status: Callable[[UserInputError], int] = lambda exc: 400,
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: viewer and tenant resolved, permissions checked, one transaction
    (committed when the handler returns, rolled back on any failure). `names` are the
    dialect's names for body fields that we call otherwise: `ctx.body()` reads the body
    under ours, and user errors name the fields as the client sent them, with the
    status `user_error_status` gives (Numbors: always 400; Forbix: 409 for conflicts)."""

    level = Level.MANAGE if manage else Level.WRITE if write else Level.READ
    need = None if public else Need(tenant=tenant, level=level, module=module)

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            settings: Settings = request.app.state.settings
            async with request.app.state.sessions() as session:
                set_deadline(session, settings.request_timeout_seconds)

                async def authorized() -> Response:
                    viewer = await _viewer(request, session, settings)
                    if need is not None:
                        rest_authorize(viewer, need)
                    context = RestContext(request, session, viewer, settings, names)
                    user_id = viewer.user.id if viewer.user else None
                    return await idempotency.rest_once(
                        request, session, user_id, settings, lambda: handler(context)
                    )

                try:
                    expected = expected_version(request)
                    async with asyncio.timeout(settings.request_timeout_seconds + TIMEOUT_GRACE):
                        # The same one transaction a GraphQL mutation runs in.
                        response = await in_transaction(
                            session,
                            authorized,
                            expected=expected,
                            operation=f"{request.method} {request.url.path}",
                        )
                    await end_session(session)
                    return response
                except HttpError as exc:
                    return fail(exc.status, exc.message, exc.errors)
                except VersionConflict as exc:
                    return conflict_response(exc)
                except Throttled as exc:
                    return throttled_response(exc)
                except UserInputError as exc:
                    if _is_missing_path_id(exc):
                        return fail(404, exc.errors[0].message)
                    return fail(user_error_status(exc), "Validation failed", error_list(exc, names))
                except ClientDisconnect:
                    # Gone before its body arrived: no one to answer, nothing was done
                    # (the transaction, if any, is rolled back).
                    await end_session(session)
                    return Response(status_code=400)
                except Exception as exc:
                    await end_session(session)  # a dropped connection is discarded here
                    request_id = request.scope.get(REQUEST_ID_KEY, "-")
                    failure = classify(exc)
                    if failure is not None:
                        log.warning("%s (request %s): %r", failure.value, request_id, exc)
                        return failure_response(failure, settings.request_timeout_seconds)
                    # Unexpected: the envelope, the request id and nothing else reach the
                    # client; the error itself is logged under the same id.
                    log.exception(
                        "unexpected error in %s %s (request %s)",
                        request.method,
                        request.url.path,
                        request_id,
                    )
                    return fail(500, f"Unexpected error (request id {request_id})")

        run.__name__ = handler.__name__
        # What the API docs say of it (gql/rest/openapi.py): its security, its field names.
        run.need = need  # type: ignore[attr-defined]
        run.names = names  # type: ignore[attr-defined]
        return run

    return wrap


def expected_version(request: Request) -> ExpectedVersion | None:
    """What `If-Match` expects of the row the path names (its `id`, or its one `...Id`);
    a write without it, or of no one row, goes on as before."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    try:
        version = parse_if_match(header)
    except ValueError as exc:
        raise HttpError(400, "Invalid If-Match", [param_error("If-Match", str(exc))]) from None
    ids = [v for k, v in request.path_params.items() if k == "id" or k.endswith("Id")]
    return ExpectedVersion(ids[0], version) if version is not None and len(ids) == 1 else None


def conflict_response(exc: VersionConflict) -> Response:
    """409: the row is not at the version If-Match named; the body names the current one."""
    error = {"field": "If-Match", "message": exc.message, "code": ErrorCode.CONFLICT.value}
    return fail(409, exc.message, [error], currentVersion=exc.current)


def failure_response(failure: Failure, budget: float) -> Response:
    """503 (database unreachable, with Retry-After) or 504 (time budget spent)."""
    answer = failure_answer(failure, budget)
    response = json_response(
        {"success": False, "message": answer.message, "code": failure.value}, answer.status
    )
    if answer.retry_after is not None:
        response.headers["retry-after"] = str(answer.retry_after)
    return response


def throttled_response(exc: Throttled) -> Response:
    """429: the company's bucket cannot pay for this request now (gql/core/throttle.py)."""
    body = {"success": False, "message": str(exc), "code": exc.extensions()["code"]}
    response = json_response({**body, "retryAfterSeconds": exc.retry_after_seconds}, 429)
    response.headers["retry-after"] = str(exc.retry_after_seconds)
    return response


async def _viewer(request: Request, session: RequestSession, settings: Settings) -> Viewer:
    """The viewer and tenant, and the request's fixed cost paid by the viewer's company,
    in one visit to the database (gql/auth/first_visit.py), before the handler writes."""
    token_user = request.user
    bill = Bill.of(rest_cost(request.method), settings) if settings.throttle_enabled else None
    admitted = await first_visit(
        session,
        user_id=getattr(token_user, "user_id", None),
        auth_error=getattr(token_user, "error", None),
        company_header=request.headers.get("x-company-id"),
        bill=bill,
    )
    return admitted.viewer


def rest_authorize(viewer: Viewer, need: Need) -> None:
    """`authorize`, with its refusal as the REST status for it (401 or 403)."""
    try:
        authorize(viewer, need)
    except AccessDenied as denied:
        if not denied.authenticated:
            reason = viewer.auth_error or "authentication required"
            raise HttpError(401, f"Unauthorized: {reason}") from None
        raise HttpError(403, denied.message) from None


def _is_missing_path_id(exc: UserInputError) -> bool:
    """A NOT_FOUND on the object the path names is a 404, not a validation error."""
    return bool(exc.errors) and all(
        e.code is ErrorCode.NOT_FOUND and e.path == ("id",) for e in exc.errors
    )


@lru_cache(maxsize=1024)
def _camel(name: str) -> str:
    return to_camel(name)


def row_json(
    row: Any, *, exclude: tuple[str, ...] = ("company_id",), **extra: Any
) -> dict[str, Any]:
    """A table row as the REST dialect shows it: camelCase keys, `id` as the object id."""
    data = {_camel(k): v for k, v in row.model_dump().items() if k not in exclude}
    data.update(extra)
    return data
