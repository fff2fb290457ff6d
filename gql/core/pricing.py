"""A GraphQL request's price: its calculated cost (gql/core/query_cost.py), paid by its
company's bucket (gql/core/throttle.py) before anything is answered, on every read path.

The /graphql view quotes each HTTP request once (`quote`). The bill is paid by the
first visit to the database: on the compiled path's steady state, in the read's own
round trip, by the company of the access it guessed (checked in that round trip too:
gql/compiler/direct.py); otherwise as the viewer is resolved, in the same round trip,
before the request is served (`pay_for_viewer`). A request that is not admitted, is over
the cost limit, or has no viewer or company (anonymous, another company's id) pays
nothing: it is refused or answered without touching any bucket. What was paid goes
into the response's `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import OperationDefinitionNode, OperationType
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gql.core.admission import Admission, select_operation
from gql.core.throttle import Bill, Throttled, ThrottleStatus
from gql.settings import Settings

if TYPE_CHECKING:
    from gql.auth.first_visit import Admitted

COST_KEY = "ledgergraph.cost"  # in the ASGI scope: the request's `Priced`, once paid
GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass(frozen=True)
class Priced:
    cost: int
    status: ThrottleStatus | None  # None: no bucket paid (throttling off, or no company)

    def extensions(self) -> dict[str, Any]:
        # actualQueryCost is the requested cost: the bucket is paid before the query
        # is answered, and nothing is refunded afterwards.
        return {
            "cost": {
                "requestedQueryCost": self.cost,
                "actualQueryCost": self.cost,
                "throttleStatus": self.status.as_json() if self.status else None,
            }
        }


def quote(
    request: Request, params: dict[str, Any], admission: Admission, settings: Settings
) -> Bill | None:
    """The request's bill, when a company is to pay it; None when nothing is to be paid
    (then its cost, if it has one, is recorded at once)."""
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
    if not settings.throttle_enabled or getattr(request.scope.get("user"), "user_id", None) is None:
        # No bucket, or no viewer (the request is answered UNAUTHENTICATED).
        request.scope[COST_KEY] = Priced(cost, None)
        return None
    return Bill.of(cost, settings)


def paid(request: Request, bill: Bill, status: ThrottleStatus | None) -> None:
    request.scope[COST_KEY] = Priced(bill.cost, status)


async def pay_for_viewer(
    request: Request, bill: Bill, admit: Callable[[], Awaitable[Admitted]]
) -> Response | None:
    """The bill paid by the viewer's company as `admit` resolves the viewer (one visit to
    the database: gql/auth/first_visit.py): the THROTTLED answer when the bucket cannot
    pay, else None (the request goes on)."""
    try:
        admitted = await admit()
    except Throttled as throttled:
        return throttled_response(request, throttled)
    paid(request, bill, admitted.paid)
    return None


def throttled_response(request: Request, throttled: Throttled) -> Response:
    """HTTP 429 with Retry-After and the THROTTLED error."""
    accept = request.headers.get("accept", "")
    return JSONResponse(
        {"errors": [{"message": str(throttled), "extensions": throttled.extensions()}]},
        status_code=429,
        headers={"retry-after": str(throttled.retry_after_seconds)},
        media_type=GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept else "application/json",
    )
