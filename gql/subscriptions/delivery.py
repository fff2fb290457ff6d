"""One event to the subscriptions of its company: the groups whose filter accepts it,
their users' access re-checked (one statement), then each group's payload resolved
once, with one session and one set of loaders for the whole event, and queued to each
member. A group none of whose filters accept the event costs nothing."""

from __future__ import annotations

from gql.context import Loaders
from gql.db.engine import set_deadline
from gql.db.tenant import set_tenant
from gql.domains.events.outbox import OutboxEvent
from gql.subscriptions.access import CompanyAccess, company_access, recheck
from gql.subscriptions.bus import EventBus, Listener, Revoked
from gql.subscriptions.connection import event_reads_with
from gql.subscriptions.sharing import Ready


def _wanting(bus: EventBus, event: OutboxEvent) -> list[set[Listener]]:
    groups = bus.groups.get(event.company_id, {})
    # A group's members share their arguments, so one member's filter answers for all.
    return [members for members in groups.values() if next(iter(members)).wants(event)]


def _recheck(bus: EventBus, listeners: list[Listener], access: CompanyAccess) -> None:
    """Revoke the subscriptions whose viewer lost what their field needs; move those
    whose viewer changed (a role, a module) into the group of their new key."""
    for listener in listeners:
        context = listener.context
        now = recheck(context.viewer, access, listener.needs)
        if isinstance(now, str):
            bus.drop(listener)
            listener.offer(Revoked(now))
        elif now is not context.viewer:
            context.viewer = now  # the connection's other subscriptions see it too
            bus.regroup(listener)


async def deliver(bus: EventBus, event: OutboxEvent) -> None:
    wanting = _wanting(bus, event)
    if not wanting:
        return
    listeners = [listener for members in wanting for listener in members]
    any_context = listeners[0].context
    async with any_context.request.app.state.sessions() as session:
        set_tenant(session, event.company_id)
        set_deadline(session, any_context.settings.request_timeout_seconds)
        access = await company_access(session, event.company_id, {one.user_id for one in listeners})
        _recheck(bus, listeners, access)
        loaders = Loaders(session)
        for members in _wanting(bus, event):
            if not members:  # all of them left while an earlier group was resolved
                continue
            leader = next(iter(members))
            assert leader.executor is not None  # only attached listeners are in a group
            with event_reads_with(leader.context, session, loaders):
                node = await leader.node_of(leader.context, event)
                if node is None:
                    continue
                result = await leader.executor.execute(node)
            ready = Ready(result)
            for member in members:
                member.offer(ready)
