"""An event's webhook deliveries, queued in the event's own transaction.

Not a per-endpoint cursor over the outbox: PostgreSQL hands out sequence ids at insert,
not at commit, so a reader past id N can still see an event < N commit later and would
skip it. Queued with the event, a delivery exists exactly when its event does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.db.columns import utcnow
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from gql.domains.events.outbox import OutboxEvent


async def queue_deliveries(session: AsyncSession, event: OutboxEvent) -> None:
    endpoints = await session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))  # type: ignore[attr-defined]
    )
    now = utcnow()
    for endpoint in endpoints:
        if event.type in endpoint.event_types:
            assert event.id is not None
            session.add(
                WebhookDelivery(  # type: ignore[call-arg]  # company_id: stamped by the tenant filter
                    endpoint_id=endpoint.id,
                    event_id=event.id,
                    event_type=event.type,
                    next_attempt_at=now,
                )
            )
