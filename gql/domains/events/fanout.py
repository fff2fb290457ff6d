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


# session.info: the active endpoints, read once per transaction (a write that emits
# several events asks once); forgotten at its commit or rollback (gql/domains/events/outbox.py).
ENDPOINTS_KEY = "ledgergraph.events.endpoints"


async def _active_endpoints(session: AsyncSession) -> list[WebhookEndpoint]:
    info = session.sync_session.info
    if ENDPOINTS_KEY not in info:
        info[ENDPOINTS_KEY] = list(
            await session.scalars(
                select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))  # type: ignore[attr-defined]
            )
        )
    return info[ENDPOINTS_KEY]  # type: ignore[no-any-return]


async def queue_deliveries(session: AsyncSession, event: OutboxEvent) -> None:
    now = utcnow()
    for endpoint in await _active_endpoints(session):
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
