"""The event bus of one process: committed outbox events to the open subscriptions of
their company.

Where the events come from depends on the database: on PostgreSQL any process may have
made the write, so ONE listening connection per process (`LISTEN ledgergraph_events`,
the payload an outbox id, the row read from the outbox once) feeds the bus; on SQLite
(one process) the outbox's in-process `subscribe_committed` does. Either starts with the
first subscription, so a process that never serves one never listens.

Subscriptions are grouped (`Listener.key`): the same document, variables and operation,
the same role and modules. One delivery task takes the waiting events as a batch, in
commit order; per company it asks only the groups whose filter (`wants`, no I/O)
accepts an event, re-checks the access of their users in one statement
(gql/subscriptions/access.py), then resolves the payload ONCE per group and event
(delivery.py) and queues that result to each member.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import psycopg
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from gql.domains.events.outbox import CHANNEL, OutboxEvent, subscribe_committed
from gql.settings import Settings
from gql.subscriptions.delivery import deliver
from gql.subscriptions.sharing import Ready, Revoked, SharedEventExecution
from gql.tenancy import mapped_table

if TYPE_CHECKING:
    from gql.auth.access import Need
    from gql.subscriptions.connection import SocketContext

log = logging.getLogger("ledgergraph.subscriptions")

_OUTBOX = mapped_table(OutboxEvent)  # a platform table: the listener reads every company's
_RECONNECT_SECONDS = (0.2, 1.0, 5.0)  # waits between attempts, the last one repeated

# What a group makes of an event, with the event's reads in place (None: nothing to send).
NodeOf = Callable[["SocketContext", OutboxEvent], Awaitable[Any]]
Wants = Callable[[OutboxEvent], bool]


class SubscriptionLimit(Exception):
    """The company already has as many subscriptions in this process as a setting allows."""


class Listener:
    """One open subscription: its company, user and field's needs, the filter and the
    payload of its events, and the results waiting for its client. It joins a group
    once its executor is known (`attach`)."""

    __slots__ = (
        "bus",
        "context",
        "executor",
        "needs",
        "node_of",
        "queue",
        "selection",
        "wants",
    )

    def __init__(
        self,
        bus: EventBus,
        context: SocketContext,
        needs: tuple[Need, ...],
        wants: Wants,
        node_of: NodeOf,
    ) -> None:
        self.bus = bus
        self.context = context
        self.needs = needs
        self.wants = wants
        self.node_of = node_of
        self.executor: SharedEventExecution | None = None
        self.selection: tuple[Any, ...] = ()
        self.queue: asyncio.Queue[Ready | Revoked] = asyncio.Queue(bus.queue_size)

    @property
    def company_id(self) -> str:
        return self.context.viewer.company_id or "-"

    @property
    def user_id(self) -> str:
        user = self.context.viewer.user
        return user.id if user is not None else "-"

    @property
    def key(self) -> tuple[Any, ...]:
        """Subscribers with equal keys get the same payload for every event."""
        viewer = self.context.viewer
        return (*self.selection, viewer.role, viewer.enabled_modules)

    def revoke(self, message: str) -> None:
        """Out of the bus; its client gets `message` as the subscription's last word."""
        self.bus.drop(self)
        self.offer(Revoked(message))

    def offer(self, item: Ready | Revoked) -> None:
        if self.queue.full():
            # A consumer this far behind gets the newest changes, not an unbounded backlog.
            self.queue.get_nowait()
        self.queue.put_nowait(item)


class EventBus:
    def __init__(self, engine: AsyncEngine, *, per_company: int, queue_size: int) -> None:
        self.engine = engine
        self.per_company = per_company
        self.queue_size = queue_size
        self.listeners: dict[str, set[Listener]] = {}  # open, attached or not (the cap)
        # company -> group key -> the group's members (attached listeners)
        self.groups: dict[str, dict[tuple[Any, ...], set[Listener]]] = {}
        # Committed events (SQLite), or outbox ids to read (PostgreSQL's notices).
        self.inbox: asyncio.Queue[OutboxEvent | int] = asyncio.Queue()
        self._source: asyncio.Task[None] | None = None
        self._delivery: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.connected = asyncio.Event()  # PostgreSQL: LISTEN is in place

    @property
    def count(self) -> int:
        """Subscriptions that receive events now."""
        return sum(len(m) for groups in self.groups.values() for m in groups.values())

    async def listen(
        self, context: SocketContext, needs: tuple[Need, ...], wants: Wants, node_of: NodeOf
    ) -> Listener:
        """A listener for the events of the viewer's company that `wants` accepts;
        SubscriptionLimit when the company has as many listeners as it may."""
        await self._start()
        listener = Listener(self, context, needs, wants, node_of)
        # No await from here on: the check and the registration are one step.
        company = self.listeners.setdefault(listener.company_id, set())
        if len(company) >= self.per_company:
            raise SubscriptionLimit(
                f"This company has {self.per_company} open subscriptions on this server, "
                "the most it may have"
            )
        company.add(listener)
        return listener

    def attach(self, listener: Listener, executor: SharedEventExecution) -> None:
        """The subscription's executor is built: from now on it gets its group's events."""
        if listener not in self.listeners.get(listener.company_id, ()):
            return  # closed meanwhile
        listener.executor = executor
        listener.selection = executor.selection_key()
        self._join(listener)

    def _join(self, listener: Listener) -> None:
        groups = self.groups.setdefault(listener.company_id, {})
        groups.setdefault(listener.key, set()).add(listener)

    def _leave(self, listener: Listener) -> None:
        groups = self.groups.get(listener.company_id, {})
        for key, members in list(groups.items()):
            if listener in members:
                members.discard(listener)
                if not members:
                    del groups[key]
        if not groups:
            self.groups.pop(listener.company_id, None)

    def regroup(self, listener: Listener) -> None:
        """Its viewer's role or modules changed: into the group of its new key."""
        self._leave(listener)
        self._join(listener)

    def drop(self, listener: Listener) -> None:
        self._leave(listener)
        company = self.listeners.get(listener.company_id)
        if company is not None:
            company.discard(listener)
            if not company:
                del self.listeners[listener.company_id]

    def dispatch(self, events: list[OutboxEvent]) -> None:
        for event in events:
            if event.company_id in self.groups:
                self.inbox.put_nowait(event)

    async def _deliver_forever(self) -> None:
        """Forever: everything waiting in the inbox as one batch. Under load batches
        grow, and the work per event shrinks: one read of the outbox, one session and
        one access check per company for all of them (delivery.py)."""
        while True:
            batch = [await self.inbox.get()]
            while not self.inbox.empty():
                batch.append(self.inbox.get_nowait())
            try:
                ids = [item for item in batch if isinstance(item, int)]
                events = [item for item in batch if not isinstance(item, int)]
                if ids:
                    events += await self._read(_OUTBOX.c.id.in_(ids))
                await deliver(self, events)
            except Exception:
                # One batch's failure (the database away a moment) must not stop the rest.
                log.exception("delivering %d events failed", len(batch))

    async def _start(self) -> None:
        if self._delivery is None:
            self._delivery = asyncio.create_task(self._deliver_forever(), name="event-delivery")
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
        for task in (self._source, self._delivery):
            if task is not None:
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
        self._source = self._delivery = None

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
                        # Read by the delivery task, many notices in one statement.
                        if self.groups:
                            self.inbox.put_nowait(int(notice.payload))
                        last_id = max(last_id, int(notice.payload))
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
