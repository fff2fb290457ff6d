"""GraphQL types of events and webhooks."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from gql.core.graph import python_only, to_one
from gql.core.ids import decode_id
from gql.core.inputs import input_to_dict
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.events import service
from gql.domains.events.loaders import WebhookDeliveryByIdLoader, WebhookEndpointByIdLoader
from gql.domains.events.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from gql.domains.events.outbox import EventType

EventTypeEnum = strawberry.enum(EventType, name="EventType", description="What happened.")
DeliveryStatusEnum = strawberry.enum(
    DeliveryStatus, name="WebhookDeliveryStatus", description="Where a delivery attempt stands."
)


def _event_types(root: Any) -> list[EventType]:
    return [EventType(t) for t in root.event_types]


def _status(root: Any) -> DeliveryStatus:
    return DeliveryStatus(root.status)


@node_type(
    name="Webhook",
    model=WebhookEndpoint,
    load=load_with(WebhookEndpointByIdLoader),
    description="A URL that receives a signed POST for each event of the chosen types.",
)
class WebhookNode(Node):
    url: str
    active: bool = strawberry.field(
        description="Off: nothing is sent (switched off by hand, or after too many failures)."
    )
    consecutive_failures: int
    disabled_at: datetime | None = strawberry.field(
        description="When failures switched it off, if they did."
    )
    created_at: datetime
    updated_at: datetime
    event_types: list[EventTypeEnum] = python_only(  # type: ignore[valid-type]
        _event_types, "stored as JSON"
    )


@node_type(
    name="WebhookDelivery",
    model=WebhookDelivery,
    load=load_with(WebhookDeliveryByIdLoader),
    description="One attempt to deliver one event to one webhook.",
)
class WebhookDeliveryNode(Node):
    event_id: int = strawberry.field(description="The event's id, as in the body's `id`.")
    event_type: str
    attempt: int
    response_code: int | None
    duration_ms: int | None
    error: str | None
    next_attempt_at: datetime | None = strawberry.field(
        description="Pending: when it is due. Failed: when its retry is due (none: no retry)."
    )
    attempted_at: datetime | None
    created_at: datetime
    webhook: WebhookNode = to_one(WebhookEndpointByIdLoader, "endpoint_id")
    status: DeliveryStatusEnum = python_only(_status, "an enum over a string")  # type: ignore[valid-type]


@strawberry.type(name="WebhookConnection")
class WebhookConnection(Connection[WebhookNode]):
    pass


@strawberry.type(name="WebhookDeliveryConnection")
class WebhookDeliveryConnection(Connection[WebhookDeliveryNode]):
    pass


@strawberry.enum(description="What webhooks can be sorted by.")
class WebhookOrderField(Enum):
    CREATED_AT = "created_at"
    URL = "url"


@strawberry.input(description="How to sort webhooks.")
class WebhookOrder:
    field: WebhookOrderField = WebhookOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which webhooks to list.")
class WebhookFilter:
    active: bool | None = strawberry.UNSET


@strawberry.enum(description="What deliveries can be sorted by.")
class WebhookDeliveryOrderField(Enum):
    CREATED_AT = "created_at"
    NEXT_ATTEMPT_AT = "next_attempt_at"


@strawberry.input(description="How to sort deliveries (newest first by default).")
class WebhookDeliveryOrder:
    field: WebhookDeliveryOrderField = WebhookDeliveryOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which deliveries to list.")
class WebhookDeliveryFilter:
    webhook_id: strawberry.ID | None = strawberry.UNSET
    status: DeliveryStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    event_id: int | None = strawberry.UNSET


def webhook_filter_of(value: WebhookFilter | None) -> service.EndpointFilter:
    return service.EndpointFilter((input_to_dict(value) if value else {}).get("active"))


def webhook_order_of(value: WebhookOrder | None) -> tuple[str, str]:
    order = value or WebhookOrder()
    return order.field.value, order.direction.value


def delivery_filter_of(value: WebhookDeliveryFilter | None) -> service.DeliveryFilter:
    data = input_to_dict(value) if value else {}
    ref = data.get("webhookId")
    status = data.get("status")
    return service.DeliveryFilter(
        # Not a webhook's id (or another company's): matches nothing.
        endpoint_id=(decode_id(ref, "Webhook") or "-") if ref else None,
        status=DeliveryStatus(status).value if status else None,
        event_id=data.get("eventId"),
    )


def delivery_order_of(value: WebhookDeliveryOrder | None) -> tuple[str, str]:
    order = value or WebhookDeliveryOrder()
    return order.field.value, order.direction.value


@strawberry.input
class WebhookCreateInput:
    url: str
    event_types: list[EventTypeEnum]  # type: ignore[valid-type]
    active: bool | None = strawberry.UNSET


@strawberry.input
class WebhookUpdateInput:
    id: strawberry.ID
    url: str | None = strawberry.UNSET
    event_types: list[EventTypeEnum] | None = strawberry.UNSET  # type: ignore[valid-type]
    active: bool | None = strawberry.UNSET


@strawberry.input
class WebhookDeleteInput:
    id: strawberry.ID


@strawberry.type
class WebhookCreatePayload:
    webhook: WebhookNode | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret: shown here once, never again. Keep it to check "
        "each delivery's X-Ledgergraph-Signature.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookPayload:
    webhook: WebhookNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookDeletePayload:
    deleted_webhook_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
