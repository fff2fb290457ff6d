"""An event's webhook deliveries, queued in the event's own transaction.

Not a per-endpoint cursor over the outbox: PostgreSQL hands out sequence ids at insert,
not at commit, so a reader past id N can still see an event < N commit later and would
skip it. Queued with the event, a delivery exists exactly when its event does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from gql.db.columns import utcnow
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from gql.domains.events.outbox import OutboxEvent


def queue_deliveries(session: Session, events: list[OutboxEvent]) -> None:
    """The deliveries of a transaction's `events` (written, with their ids), to each
    active endpoint of the session's company that takes their type: the endpoints are
    read once per transaction."""
    endpoints = session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))  # type: ignore[attr-defined]
    ).all()
    now = utcnow()
    for event in events:
        assert event.id is not None  # written: its id returned
        for endpoint in endpoints:
            if event.type in endpoint.event_types:
                session.add(
                    WebhookDelivery(  # type: ignore[call-arg]  # company_id: stamped by the tenant filter
                        endpoint_id=endpoint.id,
                        event_id=event.id,
                        event_type=event.type,
                        next_attempt_at=now,
                    )
                )
