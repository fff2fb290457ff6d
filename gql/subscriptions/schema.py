"""The Subscription type: each field yields the changed node, as a normal selection.

Every field is one `changes(...)` call: which entity's events, optionally of one row,
and an optional check of the committed row; the node is loaded through the area's
usual loaders with fresh ones per event (connection.event_reads), so the client sees
the committed state and picks the fields it wants.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import select
from sqlmodel import col
from strawberry.scalars import JSON

from gql.auth.permissions import READ, module_read
from gql.compiler.sqlenv import request_env
from gql.context import Info
from gql.core.errors import NotFoundError
from gql.core.ids import decode_id
from gql.core.relay import NODE_TYPES, Node
from gql.domains.banking.types import MODULE as BANKING
from gql.domains.banking.types import AccountNode
from gql.domains.crm.types import MODULE as CRM
from gql.domains.crm.types import DealNode
from gql.domains.documents.models import Document
from gql.domains.documents.types import MODULE as INVOICING
from gql.domains.documents.types import DocumentFilter, DocumentNode, filter_of
from gql.domains.events.outbox import EventType as OutboxEventType
from gql.domains.events.outbox import OutboxEvent
from gql.domains.events.types import EventTypeEnum
from gql.domains.helpdesk.types import MODULE as HELPDESK
from gql.domains.helpdesk.types import TicketNode
from gql.subscriptions.bus import Listener, SubscriptionLimit
from gql.subscriptions.connection import SocketContext, event_reads

TOO_MANY = "TOO_MANY_SUBSCRIPTIONS"

# The GraphQL enum of the outbox's types, the one webhooks subscribe with.
EventType = EventTypeEnum

# What an event yields, read with the event's fresh loaders (None: nothing to send).
NodeOf = Callable[[SocketContext, OutboxEvent], Awaitable[Any]]


@strawberry.type(description="A committed change, as the outbox recorded it.")
class Event:
    id: strawberry.ID = strawberry.field(description="The outbox id, increasing.")
    type: EventType  # type: ignore[valid-type]
    node_id: strawberry.ID = strawberry.field(description="The changed object's global id.")
    node: Node | None = strawberry.field(description="The changed object, as it is now.")
    payload: JSON
    created_at: datetime


def _socket(info: Info) -> SocketContext:
    context = info.context
    if not isinstance(context, SocketContext):  # a subscription sent over HTTP
        raise GraphQLError("Subscriptions are served over a WebSocket at /graphql")
    return context


def _limit_error(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": TOO_MANY})


async def _load(context: SocketContext, entity: str, pk: str) -> Any:
    return (await NODE_TYPES[entity].load(context, [pk]))[0]


async def changes(
    info: Info,
    *,
    wants: Callable[[OutboxEvent], bool],
    node_of: NodeOf,
    must_exist: tuple[str, str] | None = None,
) -> AsyncIterator[Any]:
    """What `node_of` makes of each event of the viewer's company that `wants` accepts.
    `must_exist` (entity, object id): the row the subscription is about, which must be
    one the viewer can see, as for node(id:). Refusals come here, before the stream, so
    the client gets them as the protocol's `error` message."""
    context = _socket(info)
    settings = context.settings
    if must_exist is not None:
        async with event_reads(context):
            if await _load(context, *must_exist) is None:
                raise NotFoundError(must_exist[0])
    if context.subscriptions >= settings.subscriptions_per_connection:
        raise _limit_error(
            f"This connection has {settings.subscriptions_per_connection} open "
            "subscriptions, the most it may have"
        )
    company_id = context.viewer.company_id
    assert company_id is not None  # connect() admits only a viewer with a company
    context.subscriptions += 1  # before the wait below: the cap counts this one now
    try:
        listener = await context.request.app.state.event_bus.listen(company_id, wants)
    except BaseException as exc:
        context.subscriptions -= 1
        if isinstance(exc, SubscriptionLimit):
            raise _limit_error(str(exc)) from None
        raise
    return NodeStream(context, listener, node_of)


class NodeStream:
    """The nodes of a listener's events. Each event's reads (connection.event_reads)
    stay open while the client's selection over its node resolves, until the next
    event is asked for."""

    def __init__(self, context: SocketContext, listener: Listener, node_of: NodeOf) -> None:
        self.context = context
        self.listener = listener
        self.node_of = node_of
        self.reads: AsyncExitStack | None = None
        self.open = True  # counted in context.subscriptions

    def __aiter__(self) -> NodeStream:
        return self

    async def __anext__(self) -> Any:
        await self._end_reads()
        while True:
            event = await anext(self.listener)
            reads = AsyncExitStack()
            await reads.enter_async_context(event_reads(self.context))
            try:
                node = await self.node_of(self.context, event)
            except BaseException:
                await reads.aclose()
                raise
            if node is not None:
                self.reads = reads
                return node
            await reads.aclose()

    async def _end_reads(self) -> None:
        reads, self.reads = self.reads, None
        if reads is not None:
            await reads.aclose()

    async def aclose(self) -> None:
        await self._end_reads()
        if self.open:
            self.open = False
            self.context.subscriptions -= 1
            await self.listener.aclose()


def changed_row(check: Callable[[SocketContext, Any], Awaitable[bool]] | None = None) -> NodeOf:
    """The event's own row, as committed (and as `check` accepts it)."""

    async def node_of(context: SocketContext, event: OutboxEvent) -> Any:
        row = await _load(context, event.entity, event.entity_id)
        if row is None or (check is not None and not await check(context, row)):
            return None
        return row

    return node_of


async def _event(context: SocketContext, event: OutboxEvent) -> Event:
    return Event(
        id=strawberry.ID(str(event.id)),
        type=EventType(event.type),
        node_id=strawberry.ID(event.node_id),
        node=await _load(context, event.entity, event.entity_id),
        payload=event.payload,  # type: ignore[arg-type]
        created_at=event.created_at,
    )


def _pk(value: strawberry.ID | None, entity: str) -> str | None:
    """The object id of a global id of `entity` ("-", which no row has, for any other)."""
    return None if value is None else decode_id(str(value), entity) or "-"


def _of(entity: str, pk: str | None) -> Callable[[OutboxEvent], bool]:
    return lambda e: e.entity == entity and (pk is None or e.entity_id == pk)


def _visible(context: SocketContext, event: OutboxEvent) -> bool:
    """An event about a row of a module the company has off stays hidden."""
    spec = NODE_TYPES.get(event.entity)
    return spec is not None and (
        spec.module is None or spec.module in context.viewer.enabled_modules
    )


def _matching(
    filter: DocumentFilter | None,
) -> Callable[[SocketContext, Any], Awaitable[bool]] | None:
    """The filter of `documents(filter:)`, asked of the committed document."""
    if filter is None:
        return None
    conditions = filter_of(filter).conditions

    async def check(context: SocketContext, row: Any) -> bool:
        session = context.session
        where = conditions(request_env(session))
        found = await session.scalar(
            select(col(Document.id)).where(col(Document.id) == row.id, *where)
        )
        return found is not None

    return check


def _balance_of(pk: str) -> NodeOf:
    """The account, when the event's row (a payment) moved money on it."""

    async def node_of(context: SocketContext, event: OutboxEvent) -> Any:
        row = await _load(context, event.entity, event.entity_id)
        if row is None or row.account_id != pk:
            return None
        return await _load(context, "Account", pk)

    return node_of


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="A document (or, without `id`, any document matching `filter`), "
        "each time it changes.",
        permission_classes=module_read(INVOICING),
    )
    async def document_changed(
        self, info: Info, id: strawberry.ID | None = None, filter: DocumentFilter | None = None
    ) -> AsyncIterator[DocumentNode]:
        pk = _pk(id, "Document")
        return await changes(
            info,
            wants=_of("Document", pk),
            node_of=changed_row(_matching(filter)),
            must_exist=None if pk is None else ("Document", pk),
        )

    @strawberry.subscription(
        description="The account (its balance, ...) each time a payment is recorded on it.",
        permission_classes=module_read(BANKING),
    )
    async def account_balance_changed(
        self, info: Info, account_id: strawberry.ID
    ) -> AsyncIterator[AccountNode]:
        pk = _pk(account_id, "Account") or "-"
        return await changes(
            info,
            wants=lambda e: e.type == OutboxEventType.PAYMENT_RECORDED.value,
            node_of=_balance_of(pk),
            must_exist=("Account", pk),
        )

    @strawberry.subscription(
        description="Every event of the company (or of the given types) as it commits.",
        permission_classes=READ,
    )
    async def events(
        self,
        info: Info,
        types: list[EventType] | None = None,  # type: ignore[valid-type]
    ) -> AsyncIterator[Event]:
        context = _socket(info)
        wanted = None if types is None else {t.value for t in types}  # type: ignore[attr-defined]

        def wants(event: OutboxEvent) -> bool:
            return (wanted is None or event.type in wanted) and _visible(context, event)

        return await changes(info, wants=wants, node_of=_event)

    @strawberry.subscription(
        description="A ticket (or, without `id`, any ticket), each time it changes.",
        permission_classes=module_read(HELPDESK),
    )
    async def ticket_changed(
        self, info: Info, id: strawberry.ID | None = None
    ) -> AsyncIterator[TicketNode]:
        pk = _pk(id, "Ticket")
        return await changes(
            info,
            wants=_of("Ticket", pk),
            node_of=changed_row(),
            must_exist=None if pk is None else ("Ticket", pk),
        )

    @strawberry.subscription(
        description="A deal (or, without `id`, any deal), each time it changes.",
        permission_classes=module_read(CRM),
    )
    async def deal_changed(
        self, info: Info, id: strawberry.ID | None = None
    ) -> AsyncIterator[DealNode]:
        pk = _pk(id, "Deal")
        return await changes(
            info,
            wants=_of("Deal", pk),
            node_of=changed_row(),
            must_exist=None if pk is None else ("Deal", pk),
        )
