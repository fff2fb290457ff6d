"""The webhook delivery worker: POSTs each due delivery, signed, and records the attempt.

At least once: a claim leases a delivery (its next attempt moved past the send's
timeout) and it stays pending until its attempt is recorded, so a worker that dies
mid-send leaves it to the next one once the lease ends (receivers deduplicate by the
event's `id`). Claims are `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
workers never send one delivery at once; SQLite runs one worker (in the server process).
No transaction is open while a batch is sent.

Started by the app's lifespan (setting webhooks_worker_enabled) or `ledgergraph webhooks
run`. Each round visits the companies one by one: endpoints and deliveries are
tenant-owned, row-level secured tables, read in each company's own transaction."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from gql.core.transaction import in_transaction
from gql.db.columns import utcnow
from gql.db.engine import tenant_session
from gql.domains.companies.models import Company
from gql.domains.events.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from gql.domains.events.outbox import OutboxEvent, subscribe_committed
from gql.domains.events.urls import RefusedUrl, check_url
from gql.settings import Settings

SIGNATURE_HEADER = "X-Ledgergraph-Signature"
BATCH = 20  # deliveries claimed per company per round
LEASE_GRACE = 1.0  # seconds past the send's timeout before a claimed delivery is due again

log = logging.getLogger("ledgergraph.webhooks")


def signature(secret: str, body: bytes, at: int) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`."""
    mac = hmac.new(secret.encode(), str(at).encode() + b"." + body, hashlib.sha256)
    return f"t={at},v1={mac.hexdigest()}"


def event_body(event: OutboxEvent) -> bytes:
    return orjson.dumps(
        {
            "id": event.id,
            "type": event.type,
            "createdAt": event.created_at.isoformat(),
            "companyId": event.company_id,
            "data": {
                "node": {"id": event.node_id, "type": event.entity, "objectId": event.entity_id},
                "payload": event.payload,
            },
        }
    )


@dataclass
class Outcome:
    ok: bool
    code: int | None = None
    error: str | None = None
    duration_ms: int = 0


class Worker:
    def __init__(
        self,
        sessions: async_sessionmaker[Any],
        settings: Settings,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.client = client or httpx.AsyncClient(
            timeout=settings.webhooks_timeout_seconds, follow_redirects=False, trust_env=False
        )
        self._wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set: a round, then wait for the poll interval or for
        events committed in this process, whichever comes first."""
        loop = asyncio.get_running_loop()
        unsubscribe = subscribe_committed(lambda events: self._wake_soon(loop))
        try:
            while not stop.is_set():
                # Cleared before the round: a commit during it brings the next one at once.
                self._wake.clear()
                try:
                    await self.run_once()
                except Exception:
                    log.exception("webhook round failed; retrying after the poll interval")
                waits = [asyncio.ensure_future(e.wait()) for e in (stop, self._wake)]
                await asyncio.wait(
                    waits,
                    timeout=self.settings.webhooks_poll_seconds,
                    return_when="FIRST_COMPLETED",
                )
                for waiting in waits:
                    waiting.cancel()
        finally:
            unsubscribe()
            await self.client.aclose()

    def _wake_soon(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.call_soon(self._wake.set)  # after the commit that called, not inside it

    async def run_once(self, companies: Sequence[str] | None = None) -> int:
        """One round over every company (or over `companies` only); the number of
        attempts made."""
        if companies is None:
            async with self.sessions() as session:
                stmt = select(col(Company.id)).order_by(col(Company.id))
                companies = list(await session.scalars(stmt))
        made = 0
        for company_id in companies:
            made += await self._deliver(company_id)
        return made

    async def _deliver(self, company_id: str) -> int:
        """Claim the company's due deliveries, send them, record the attempts."""
        async with tenant_session(self.sessions, company_id) as session:
            claimed = await in_transaction(session, lambda: self._claim(session))
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self._send(e, ev) for _, e, ev in claimed))
        async with tenant_session(self.sessions, company_id) as session:

            async def record() -> None:
                for (delivery, _, _), outcome in zip(claimed, outcomes, strict=True):
                    await self._record(session, delivery.id, outcome)
                ends = [(e.id, o.ok) for (_, e, _), o in zip(claimed, outcomes, strict=True)]
                await self._count(session, ends)

            await in_transaction(session, record)
        return len(claimed)

    async def _claim(
        self, session: AsyncSession
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint, OutboxEvent]]:
        """Due deliveries, leased: their next attempt moved past the send's timeout, so
        no other worker takes them meanwhile, and one that dies mid-send leaves them to
        the next worker once the lease ends. The claim skips rows another worker is
        claiming (PostgreSQL; SQLite runs one worker)."""
        now = utcnow()
        claim = (
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(
                col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
                col(WebhookDelivery.next_attempt_at) <= now,
                col(WebhookEndpoint.active).is_(True),
            )
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(BATCH)
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        )
        rows = [(delivery, endpoint) for delivery, endpoint in await session.execute(claim)]
        if not rows:
            return []
        lease = now + timedelta(seconds=self.settings.webhooks_timeout_seconds + LEASE_GRACE)
        for delivery, _ in rows:
            delivery.next_attempt_at = lease
        ids = {d.event_id for d, _ in rows}
        stmt = select(OutboxEvent).where(col(OutboxEvent.id).in_(ids))
        events = {e.id: e for e in await session.scalars(stmt)}
        return [(d, e, events[d.event_id]) for d, e in rows]

    async def _send(self, endpoint: WebhookEndpoint, event: OutboxEvent) -> Outcome:
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            # Again at delivery: the name may resolve somewhere else by now.
            await check_url(endpoint.url, allow_private=self.settings.webhooks_allow_private_urls)
        except RefusedUrl as exc:
            return Outcome(False, error=f"url {exc}")
        body = event_body(event)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Ledgergraph-Webhooks/1",
            "X-Ledgergraph-Event": event.type,
            "X-Ledgergraph-Event-Id": str(event.id),
            SIGNATURE_HEADER: signature(endpoint.secret, body, int(time.time())),
        }
        try:
            response = await self.client.post(endpoint.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:500], duration_ms=took())
        ok = 200 <= response.status_code < 300
        error = None if ok else f"answered {response.status_code}"
        return Outcome(ok, response.status_code, error, took())

    async def _record(self, session: AsyncSession, delivery_id: str, outcome: Outcome) -> None:
        """The attempt on its row; a failed one queues the next attempt, with backoff."""
        delivery = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.status != DeliveryStatus.PENDING.value:
            return  # the webhook was deleted meanwhile
        now = utcnow()
        delivery.attempted_at = now
        delivery.response_code = outcome.code
        delivery.duration_ms = outcome.duration_ms
        delivery.error = outcome.error
        if outcome.ok:
            delivery.status = DeliveryStatus.SUCCEEDED.value
            delivery.next_attempt_at = None
            return
        delivery.status = DeliveryStatus.FAILED.value
        delivery.next_attempt_at = None
        if delivery.attempt < self.settings.webhooks_max_attempts:
            wait = self.settings.webhooks_retry_base_seconds * 2 ** (delivery.attempt - 1)
            delivery.next_attempt_at = now + timedelta(seconds=wait)
            session.add(
                WebhookDelivery(  # type: ignore[call-arg]  # company_id: stamped
                    endpoint_id=delivery.endpoint_id,
                    event_id=delivery.event_id,
                    event_type=delivery.event_type,
                    attempt=delivery.attempt + 1,
                    next_attempt_at=delivery.next_attempt_at,
                )
            )

    async def _count(self, session: AsyncSession, results: Sequence[tuple[str, bool]]) -> None:
        """Each endpoint's run of consecutive failures; past the limit it is switched off.
        Endpoints in id order: one lock order for every worker."""
        runs: dict[str, tuple[bool, int]] = {}  # endpoint -> (a success reset it, failures since)
        for endpoint_id, ok in results:
            reset, failures = runs.get(endpoint_id, (False, 0))
            runs[endpoint_id] = (True, 0) if ok else (reset, failures + 1)
        limit = self.settings.webhooks_disable_after_failures
        e = WebhookEndpoint
        for endpoint_id in sorted(runs):
            reset, failures = runs[endpoint_id]
            count = (literal(0) if reset else col(e.consecutive_failures)) + failures
            now = utcnow()
            await session.execute(
                update(WebhookEndpoint)
                .where(col(e.id) == endpoint_id)
                .values(
                    consecutive_failures=count,
                    active=case((count >= limit, False), else_=col(e.active)),
                    disabled_at=case(
                        (count >= limit, case((col(e.active), now), else_=col(e.disabled_at))),
                        else_=col(e.disabled_at),
                    ),
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )


@asynccontextmanager
async def run_in_background(
    sessions: async_sessionmaker[Any], settings: Settings
) -> AsyncIterator[None]:
    """The worker as a task for the context's duration (the server's lifespan), when
    webhooks_worker_enabled; stopped, and its round finished, on the way out."""
    if not settings.webhooks_worker_enabled:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(Worker(sessions, settings).run(stop), name="webhooks")
    try:
        yield
    finally:
        stop.set()
        await task
