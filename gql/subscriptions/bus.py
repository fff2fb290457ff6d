"""The event bus of one process: committed outbox events to the open subscriptions of
their company.

Where the events come from depends on the database: on PostgreSQL any process may have
made the write, so ONE listening connection per process (`LISTEN ledgergraph_events`,
the payload an outbox id, the row read from the outbox) feeds the bus; on SQLite (one
process) the outbox's in-process `subscribe_committed` does. Either starts with the
first subscription, so a process that never serves one never listens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from gql.domains.events.outbox import CHANNEL, OutboxEvent, subscribe_committed
from gql.settings import Settings
from gql.tenancy import mapped_table

log = logging.getLogger("ledgergraph.subscriptions")

_OUTBOX = mapped_table(OutboxEvent)  # a platform table: the listener reads every company's
_RECONNECT_SECONDS = (0.2, 1.0, 5.0)  # waits between attempts, the last one repeated


class SubscriptionLimit(Exception):
    """The company already has as many subscriptions in this process as a setting allows."""


class Listener:
    """One open subscription: the events of its company that `wants` accepts, queued;
    iterated, it waits for the next. Closed, it leaves the bus."""

    def __init__(
        self, bus: EventBus, company_id: str, wants: Callable[[OutboxEvent], bool], size: int
    ) -> None:
        self.bus = bus
        self.company_id = company_id
        self.wants = wants
        self.queue: asyncio.Queue[OutboxEvent] = asyncio.Queue(size)

    def offer(self, event: OutboxEvent) -> None:
        if not self.wants(event):
            return
        if self.queue.full():
            # A consumer this far behind gets the newest changes, not an unbounded backlog.
            self.queue.get_nowait()
        self.queue.put_nowait(event)

    def __aiter__(self) -> Listener:
        return self

    async def __anext__(self) -> OutboxEvent:
        return await self.queue.get()

    async def aclose(self) -> None:
        self.bus.drop(self)


class EventBus:
    def __init__(self, engine: AsyncEngine, *, per_company: int, queue_size: int) -> None:
        self.engine = engine
        self.per_company = per_company
        self.queue_size = queue_size
        self.listeners: dict[str, set[Listener]] = {}
        self._source: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.connected = asyncio.Event()  # PostgreSQL: LISTEN is in place

    @property
    def count(self) -> int:
        return sum(len(group) for group in self.listeners.values())

    async def listen(self, company_id: str, wants: Callable[[OutboxEvent], bool]) -> Listener:
        """The events of `company_id` that `wants` accepts, from now on, as they commit;
        SubscriptionLimit when the company has as many listeners as it may."""
        await self._start()
        # No await from here on: the check and the registration are one step.
        group = self.listeners.setdefault(company_id, set())
        if len(group) >= self.per_company:
            raise SubscriptionLimit(
                f"This company has {self.per_company} open subscriptions on this server, "
                "the most it may have"
            )
        listener = Listener(self, company_id, wants, self.queue_size)
        group.add(listener)
        return listener

    def drop(self, listener: Listener) -> None:
        group = self.listeners.get(listener.company_id)
        if group is not None:
            group.discard(listener)
            if not group:
                del self.listeners[listener.company_id]

    def dispatch(self, events: list[OutboxEvent]) -> None:
        for event in events:
            for listener in tuple(self.listeners.get(event.company_id, ())):
                listener.offer(event)

    async def _start(self) -> None:
        if self._source is not None or self._unsubscribe is not None:
            if self._source is not None:
                await self.connected.wait()
            return
        if self.engine.dialect.name == "postgresql":
            self._source = asyncio.create_task(self._listen_postgres(), name="event-bus")
            await self.connected.wait()
        else:
            self._unsubscribe = subscribe_committed(self.dispatch)

    async def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._source is not None:
            self._source.cancel()
            try:
                await self._source
            except asyncio.CancelledError:
                pass
            self._source = None

    async def _listen_postgres(self) -> None:
        """Forever: LISTEN on one connection, reconnecting when it drops; after a
        reconnect, the events committed meanwhile are read from the outbox. The rows
        are read over the pool: the listening connection is busy waiting."""
        url = self.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        last_id: int | None = None
        failures = 0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    last_id = await self._catch_up(last_id)
                    failures = 0
                    self.connected.set()
                    async for notice in conn.notifies():
                        events = await self._read(_OUTBOX.c.id == int(notice.payload))
                        self.dispatch(events)
                        last_id = max([last_id, *(event.id or 0 for event in events)])
            except (psycopg.Error, DBAPIError, OSError) as exc:
                wait = _RECONNECT_SECONDS[min(failures, len(_RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning("event listener lost its connection (%r); again in %ss", exc, wait)
                await asyncio.sleep(wait)

    async def _catch_up(self, last_id: int | None) -> int:
        """The newest outbox id, having dispatched the events after `last_id` (None: a
        first start, which owes nobody anything)."""
        if last_id is None:
            async with self.engine.connect() as conn:
                return int(await conn.scalar(select(func.max(_OUTBOX.c.id))) or 0)
        events = await self._read(_OUTBOX.c.id > last_id)
        self.dispatch(events)
        return max([last_id, *(event.id or 0 for event in events)])

    async def _read(self, where: Any) -> list[OutboxEvent]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(_OUTBOX).where(where).order_by(_OUTBOX.c.id))
            return [OutboxEvent(**row._mapping) for row in rows]


def event_bus(settings: Settings, engine: AsyncEngine) -> EventBus:
    return EventBus(
        engine,
        per_company=settings.subscriptions_per_company,
        queue_size=settings.subscription_queue_size,
    )
