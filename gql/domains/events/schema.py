"""Query and Mutation fields of webhooks (company managers: URLs and deliveries are
integration settings, and a secret is shown on create)."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.auth.permissions import CanManageCompany
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.events import service
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint
from gql.domains.events.types import (
    WebhookConnection,
    WebhookCreateInput,
    WebhookCreatePayload,
    WebhookDeleteInput,
    WebhookDeletePayload,
    WebhookDeliveryConnection,
    WebhookDeliveryFilter,
    WebhookDeliveryOrder,
    WebhookFilter,
    WebhookNode,
    WebhookOrder,
    WebhookPayload,
    WebhookUpdateInput,
    delivery_filter_of,
    delivery_order_of,
    webhook_filter_of,
    webhook_order_of,
)

MANAGE = [CanManageCompany]

WEBHOOKS = RootConnection(
    WebhookEndpoint, webhook_filter_of, webhook_order_of, service.ENDPOINT_ORDER_COLUMNS
)
DELIVERIES = RootConnection(
    WebhookDelivery, delivery_filter_of, delivery_order_of, service.DELIVERY_ORDER_COLUMNS
)


def _created(result: service.CreatedWebhook, loaders: Any) -> dict[str, Any]:
    return {"webhook": result.webhook, "secret": result.secret}


@strawberry.type
class Query:
    webhook: WebhookNode | None = root_get(WebhookEndpoint, "Webhook", permission_classes=MANAGE)
    webhooks: WebhookConnection = root_connection(
        WEBHOOKS,
        WebhookConnection,
        filter=WebhookFilter,
        order=WebhookOrder,
        permission_classes=MANAGE,
        description="The company's webhooks.",
    )
    webhook_deliveries: WebhookDeliveryConnection = root_connection(
        DELIVERIES,
        WebhookDeliveryConnection,
        filter=WebhookDeliveryFilter,
        order=WebhookDeliveryOrder,
        permission_classes=MANAGE,
        description="Every delivery attempt of the company's webhooks, newest first.",
    )


@strawberry.type
class Mutation:
    webhook_create = mutation(
        input=WebhookCreateInput,
        payload=WebhookCreatePayload,
        run=service.create_webhook,
        answer=_created,
        permission=MANAGE,
        description="Register a URL for events; the payload shows its signing secret once.",
    )
    webhook_update = mutation(
        input=WebhookUpdateInput,
        payload=WebhookPayload,
        field="webhook",
        run=service.update_webhook,
        permission=MANAGE,
        description="Change a webhook's URL or event types, or switch it on or off.",
    )
    webhook_delete = mutation(
        input=WebhookDeleteInput,
        payload=WebhookDeletePayload,
        field="deleted_webhook_id",
        returns="deleted_id",
        run=service.delete_webhook,
        permission=MANAGE,
        description="Remove a webhook and its delivery history.",
    )
