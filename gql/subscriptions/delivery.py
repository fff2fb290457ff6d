"""The events waiting in the bus, to the subscriptions of their companies, as one batch:
one session for the batch; per company, the groups whose filter accepts an event,
their users' access re-checked (one statement for all of the batch's events), then
every (event, group) payload resolved once, concurrently, so the loaders answer all of
them together, and queued to each member in commit order. A group none of whose
filters accept an event costs nothing."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from gql.context import Loaders
from gql.db.engine import RequestSession, set_deadline
from gql.db.tenant import set_tenant
from gql.domains.events.outbox import OutboxEvent
from gql.subscriptions.access import CompanyAccess, company_access, recheck
from gql.subscriptions.connection import event_reads_with
from gql.subscriptions.sharing import Ready

log = logging.getLogger("ledgergraph.subscriptions")

if TYPE_CHECKING:
    from gql.subscriptions.bus import EventBus, Listener

Members = set["Listener"]


def _wanting(bus: EventBus, event: OutboxEvent) -> list[Members]:
    groups = bus.groups.get(event.company_id, {})
    # A group's members share their arguments, so one member's filter answers for all.
    return [members for members in groups.values() if next(iter(members)).wants(event)]


def _recheck(bus: EventBus, listeners: set[Listener], access: CompanyAccess) -> None:
    """Revoke the subscriptions whose viewer lost what their field needs; move those
    whose viewer changed (a role, a module) into the group of their new key."""
    for listener in listeners:
        context = listener.context
        now = recheck(context.viewer, access, listener.needs)
        if isinstance(now, str):
            listener.revoke(now)
        elif now is not context.viewer:
            context.viewer = now  # the connection's other subscriptions see it too
            bus.regroup(listener)


async def _resolve(
    members: Members, event: OutboxEvent, session: RequestSession, loaders: Loaders
) -> Ready | None:
    """The group's payload for the event, resolved with one member's executor (the
    task's own context holds the event's reads)."""
    if not members:  # all of them left meanwhile
        return None
    leader = next(iter(members))
    assert leader.executor is not None  # only attached listeners are in a group
    with event_reads_with(leader.context, session, loaders):
        node = await leader.node_of(leader.context, event)
        if node is None:
            return None
        return Ready(await leader.executor.execute(node))


async def _company(
    bus: EventBus, company_id: str, events: list[OutboxEvent], session: RequestSession
) -> None:
    wanting = [(event, _wanting(bus, event)) for event in events]
    listeners = {one for _, groups in wanting for members in groups for one in members}
    if not listeners:
        return
    session.expunge_all()  # nothing of another company's rows stays in reach
    set_tenant(session, company_id)
    access = await company_access(session, company_id, {one.user_id for one in listeners})
    _recheck(bus, listeners, access)
    loaders = Loaders(session)
    work: list[tuple[Members, Any]] = [
        (members, _resolve(members, event, session, loaders))
        for event in events
        for members in _wanting(bus, event)
    ]
    results = await asyncio.gather(*(job for _, job in work))
    for (members, _), ready in zip(work, results, strict=True):
        if ready is not None:
            for member in tuple(members):
                member.offer(ready)


async def deliver(bus: EventBus, events: list[OutboxEvent]) -> None:
    by_company: dict[str, list[OutboxEvent]] = {}
    for event in events:
        if event.company_id in bus.groups:
            by_company.setdefault(event.company_id, []).append(event)
    if not by_company or not bus.listeners:
        return
    any_listener = next(iter(next(iter(bus.listeners.values()))))
    context = any_listener.context
    async with context.request.app.state.sessions() as session:
        for company_id, company_events in by_company.items():
            # Each company's share has a request's budget (a batch may hold many), and
            # one company's failure does not cost the others their events.
            set_deadline(session, context.settings.request_timeout_seconds)
            try:
                await _company(bus, company_id, company_events, session)
            except Exception:
                log.exception("delivering %d events of a company failed", len(company_events))
                await session.rollback()
