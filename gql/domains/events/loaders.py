"""Batch loaders of the webhook tables."""

from __future__ import annotations

from gql.core.loaders import ByIdLoader
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointByIdLoader(ByIdLoader[WebhookEndpoint]):
    model = WebhookEndpoint


class WebhookDeliveryByIdLoader(ByIdLoader[WebhookDelivery]):
    model = WebhookDelivery
