"""The Subscription type: each field yields the changed node, as a normal selection.

Every field is one `changes(...)` call: which events it wants (decided from the event
alone, optionally of one row), and what it yields for one (optionally checked against
the committed row). The node is loaded through the area's usual loaders with fresh ones
per event, so the client sees the committed state and picks the fields it wants; the
bus resolves it once for all the subscriptions of one group (gql/subscriptions/bus.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import select
from sqlmodel import col
from strawberry.scalars import JSON

from gql.auth.permissions import READ, Requires, module_read
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
from gql.subscriptions.bus import NodeOf, SubscriptionLimit
from gql.subscriptions.connection import SocketContext, event_reads
from gql.subscriptions.sharing import NodeStream

TOO_MANY = "TOO_MANY_SUBSCRIPTIONS"

# The GraphQL enum of the outbox's types, the one webhooks subscribe with.
EventType = EventTypeEnum


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
) -> Any:  # a NodeStream: its items are the results the field's type declares, resolved
    """What `node_of` makes of each event of the viewer's company that `wants` accepts.
    `wants` sees only the event (no I/O): it decides before anything is read.
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
    # What the field needs, held against the viewer again at every event (access.py).
    needs = tuple(p.need for p in info._field.permission_classes if issubclass(p, Requires))
    context.subscriptions += 1  # before the wait below: the cap counts this one now
    try:
        listener = await context.request.app.state.event_bus.listen(context, needs, wants, node_of)
    except BaseException as exc:
        context.subscriptions -= 1
        if isinstance(exc, SubscriptionLimit):
            raise _limit_error(str(exc)) from None
        raise
    return NodeStream(listener)


def changed_row(check: Callable[[SocketContext, Any], Awaitable[bool]] | None = None) -> NodeOf:
    """The event's own row, as committed (and as `check` accepts it)."""

    async def node_of(context: SocketContext, event: OutboxEvent) -> Any:
        row = await _load(context, event.entity, event.entity_id)
        if row is None or (check is not None and not await check(context, row)):
            return None
        return row

    return node_of


async def _event(context: SocketContext, event: OutboxEvent) -> Event | None:
    if not _visible(context, event):
        return None
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


def _account(pk: str) -> NodeOf:
    async def node_of(context: SocketContext, event: OutboxEvent) -> Any:
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
            # The payment's event names its account: no read for the other accounts'.
            wants=lambda e: (
                e.type == OutboxEventType.PAYMENT_RECORDED.value
                and e.payload.get("accountId") == pk
            ),
            node_of=_account(pk),
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
        wanted = None if types is None else {t.value for t in types}  # type: ignore[attr-defined]

        def wants(event: OutboxEvent) -> bool:
            return wanted is None or event.type in wanted

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
