"""The outbox: one row per event, written in the transaction of the write it records, so
an event exists if and only if its write committed.

Readers:
- on PostgreSQL, the commit also sends `pg_notify('ledgergraph_events', '<outbox id>')`
  for each, which PostgreSQL delivers only at commit (any process may LISTEN);
- in this process (the SQLite default, or a same-process consumer on either database),
  `subscribe_committed(callback)` registers a callback that receives the OutboxEvent rows
  of each transaction right after it committed;
- the webhook worker (delivery.py) reads the deliveries queued with the events.

`emit` only notes an event; the commit writes the transaction's events in one insert
(`_write_pending`), whatever wrote them (a mutation, a REST write, a script).

The table is a platform table, not TenantOwned: its readers dispatch across companies (a
LISTEN connection, the webhook worker) and scope each event by its `company_id`; no query
of the API reads it directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, event, insert, literal_column, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from gql.core.relay import global_id_of, type_name_of
from gql.db.columns import UTCDateTime, utcnow
from gql.db.tenant import get_tenant
from gql.domains.events.fanout import queue_deliveries
from gql.tenancy import mapped_table

CHANNEL = "ledgergraph_events"
_PENDING = "ledgergraph.outbox_pending"  # session.info: events of the open transaction
_WRITTEN = "ledgergraph.outbox_written"  # session.info: those its commit wrote

log = logging.getLogger("ledgergraph.events")


class EventType(str, Enum):
    DOCUMENT_CREATED = "document.created"
    DOCUMENT_ISSUED = "document.issued"
    DOCUMENT_PAID = "document.paid"
    DOCUMENT_CANCELLED = "document.cancelled"
    PAYMENT_RECORDED = "payment.recorded"
    VOUCHER_POSTED = "voucher.posted"
    CONTACT_CREATED = "contact.created"
    CONTACT_UPDATED = "contact.updated"
    ITEM_STOCK_CHANGED = "item.stock_changed"
    DEAL_STAGE_CHANGED = "deal.stage_changed"
    TICKET_CREATED = "ticket.created"
    TICKET_UPDATED = "ticket.updated"
    PAYRUN_PAID = "payrun.paid"


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_events"
    # AUTOINCREMENT on SQLite: ids never reused, so they order events for good.
    __table_args__ = (
        Index("ix_outbox_events_company_id_id", "company_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(
        default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite")
    )
    company_id: str = Field(foreign_key="company.id", max_length=24)
    type: str = Field(max_length=40)
    entity: str = Field(max_length=60)  # the GraphQL type name, e.g. "Document"
    entity_id: str = Field(max_length=24)
    node_id: str = Field(max_length=120)  # the entity's Relay global id
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def _plain(value: Any) -> Any:
    """JSON for a payload value: exact decimals as strings, dates as ISO text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def emit(session: AsyncSession, *, type: str, row: Any, payload: dict | None = None) -> None:
    """Add the event `type` about `row` (a node type's row) to the caller's transaction:
    kept on the session until its commit writes all of them (`_write_pending`)."""
    kind = EventType(type)  # an unknown type is a programming error
    company_id = getattr(row, "company_id", None) or get_tenant(session)
    if company_id is None:
        raise RuntimeError("an event needs a company")
    pending = session.sync_session.info.setdefault(_PENDING, [])
    pending.append(
        {
            "company_id": company_id,
            "type": kind.value,
            "entity": type_name_of(row),
            "entity_id": row.id,
            "node_id": str(global_id_of(row)),
            "payload": _plain(payload or {}),  # the values as they are now
            "created_at": utcnow(),
        }
    )


# One statement notifies every event of a transaction, each as its own notification
# (listeners read one outbox id per notification).
_NOTIFY_ALL = text("SELECT pg_notify(:channel, id) FROM unnest(CAST(:ids AS text[])) AS id")


@cache
def _insert_events() -> Any:
    """The outbox's INSERT, returning each row's id and whether its company has an
    active webhook endpoint: a company without any (most) has its endpoints not read
    at all. (A Core insert of the table: the ORM's bulk path costs more Python for
    nothing.) Built once."""
    table = mapped_table(OutboxEvent)
    # Written out: SQLAlchemy does not correlate a subquery in RETURNING with the
    # inserted table.
    listened: Any = literal_column(
        "EXISTS (SELECT 1 FROM webhook_endpoint"
        " WHERE webhook_endpoint.company_id = outbox_events.company_id"
        " AND webhook_endpoint.active)"
    )
    return insert(table).returning(table.c.id, listened)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """The transaction's events, written just before it commits, so an event exists if
    and only if its write does: ONE multi-row insert (its ids returned), the webhook
    deliveries they are due for, and on PostgreSQL ONE statement of notifications
    (delivered at commit). Runs inside the commit's own greenlet, so it may execute."""
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return
    # One INSERT ... VALUES of all rows: each database numbers them in the order they
    # are listed (one sequence or rowid, taken row by row), so the ids sorted are the
    # rows' ids in order. (`sort_by_parameter_order` would make SQLite insert them one
    # by one.)
    written = sorted(session.execute(_insert_events(), rows).all())
    events = [OutboxEvent(id=row_id, **row) for (row_id, _), row in zip(written, rows, strict=True)]
    if any(listened for _, listened in written):
        queue_deliveries(session, events)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_NOTIFY_ALL, {"channel": CHANNEL, "ids": [str(e.id) for e in events]})
    session.info[_WRITTEN] = events  # for this process's callbacks, after the commit


# --- in-process delivery of committed events ---------------------------------------------------

Callback = Callable[[list[OutboxEvent]], None]
_callbacks: list[Callback] = []


def subscribe_committed(callback: Callback) -> Callable[[], None]:
    """Call `callback(events)` after each commit in this process that added events, with
    that transaction's OutboxEvent rows in id order. It runs synchronously inside the
    commit, on the event loop's thread: keep it short (e.g. `loop.call_soon`, put on a
    queue, set an asyncio.Event); an exception it raises is logged, never the commit's.
    Called on both databases, for this process's commits only: a consumer that LISTENs
    on PostgreSQL hears these events there too. Returns the function that unsubscribes it."""
    _callbacks.append(callback)
    return lambda: _callbacks.remove(callback) if callback in _callbacks else None


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    events = session.info.pop(_WRITTEN, None)
    if not events:
        return
    for callback in list(_callbacks):
        try:
            callback(events)
        except Exception:
            log.exception("a committed-events callback failed")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WRITTEN, None)
