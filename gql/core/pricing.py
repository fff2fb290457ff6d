"""A GraphQL request's price: its calculated cost (gql/core/query_cost.py), paid by its
company's bucket (gql/core/throttle.py) before anything runs, on every read path.

The /graphql view calls `price_request` once per HTTP request. The company is the
viewer's: on the direct path the access it guessed (checked again in the direct
path's own round trip), otherwise the context's viewer, whose session pays (and
then serves the request). A request that is not admitted, is over the cost limit,
or has no company (anonymous, another company's id) pays nothing: it is refused
or answered without touching any bucket. What was paid goes into the response's
`extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql import OperationDefinitionNode, OperationType
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gql.compiler.direct import DirectReads
from gql.core.admission import Admission, select_operation
from gql.core.throttle import Throttled, ThrottleStatus, pay, pay_on_engine
from gql.settings import Settings

COST_KEY = "ledgergraph.cost"  # in the ASGI scope: the request's `Priced`
GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass(frozen=True)
class Priced:
    cost: int
    status: ThrottleStatus | None  # None: no bucket paid (throttling off, or no company)

    def extensions(self) -> dict[str, Any]:
        # actualQueryCost is the requested cost: the bucket is paid before the query
        # runs, and nothing is refunded afterwards.
        return {
            "cost": {
                "requestedQueryCost": self.cost,
                "actualQueryCost": self.cost,
                "throttleStatus": self.status.as_json() if self.status else None,
            }
        }


async def price_request(
    request: Request,
    params: dict[str, Any],
    admission: Admission,
    settings: Settings,
    context: Callable[[], Awaitable[Any]],
    direct: DirectReads | None,
) -> Response | None:
    """Price the request and have its company pay; the THROTTLED answer (HTTP 429,
    Retry-After) when the bucket cannot pay, else None (the request goes on)."""
    admitted = admission.check(params["query"])
    if not admitted.ok or admitted.document is None:
        return None  # refused by admission on whichever path answers
    operation = select_operation(admitted.document, params.get("operationName"))
    if not isinstance(operation, OperationDefinitionNode):
        return None
    if request.method == "GET" and operation.operation is not OperationType.QUERY:
        return None  # refused with 405, unpaid
    cost = admission.cost(admitted, operation, params.get("variables"))
    if cost > settings.max_query_cost:
        return None  # refused by the cost limit, unpaid
    status = None
    try:
        if settings.throttle_enabled:
            status = await _pay_for_viewer(request, cost, settings, context, direct)
    except Throttled as throttled:
        accept = request.headers.get("accept", "")
        return JSONResponse(
            {"errors": [{"message": str(throttled), "extensions": throttled.extensions()}]},
            status_code=429,
            headers={"retry-after": str(throttled.retry_after_seconds)},
            media_type=GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept else "application/json",
        )
    request.scope[COST_KEY] = Priced(cost, status)
    return None


async def _pay_for_viewer(
    request: Request,
    cost: int,
    settings: Settings,
    context: Callable[[], Awaitable[Any]],
    direct: DirectReads | None,
) -> ThrottleStatus | None:
    user_id = getattr(request.scope.get("user"), "user_id", None)
    if user_id is None:
        return None  # no viewer, no company: the request is answered UNAUTHENTICATED
    access = direct.guess(user_id, request.headers.get("x-company-id")) if direct else None
    if direct is not None and access is not None:
        # The direct path's steady state has no session: the payment takes a connection
        # of its own, and gives it back before the direct path takes one.
        return await pay_on_engine(direct.engine, access.company_id, cost, settings)
    ctx = await context()
    if ctx.viewer.company is None:
        return None
    return await pay(ctx.session, ctx.viewer.company.id, cost, settings)
