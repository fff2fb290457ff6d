"""The audit trail, recorded in one place for every write of both dialects.

`in_transaction` (gql/core/transaction.py) arms the session with the operation (the
GraphQL mutation field, or the REST method and path); the user is the viewer's, set on
the session when the viewer is resolved (gql/auth/viewer.py). While armed:

- `after_flush` reads the attribute history of every new, changed and deleted ORM row;
- `do_orm_execute` sees the writes made with Core-style statements through the session
  (guarded claims, bulk deletes of child rows, inserts that may do nothing) and reads
  the rows they touch before and after;
- before any delete (ORM or Core), the rows the database itself will change through a
  foreign key's `ON DELETE SET NULL` are read, so they are audited too (a service
  deletes a row's children itself, with a Core DELETE seen above);

and the events wait on the session, merged per row (created then updated in one
transaction is one `created`), until `write_pending` inserts them in ONE statement just
before the commit: the same transaction as the write, so both or neither are kept.

Not audited: the audit rows themselves, rows derived from others (ledger balances,
stock levels, number sequences, voucher counters) and platform rows (users,
memberships).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Column, Table, event, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import NO_VALUE
from sqlalchemy.sql import operators
from sqlmodel import SQLModel
from strawberry.utils.str_converters import to_camel_case

from gql.core.ids import new_id
from gql.core.relay import type_name_for
from gql.db.columns import utcnow
from gql.db.tenant import ACTOR_KEY, TENANT_KEY
from gql.domains.audit.models import AuditEvent
from gql.tenancy import mapped_table

OPERATION_KEY = "ledgergraph.audit.operation"
_PENDING_KEY = "ledgergraph.audit.pending"

# Tables whose rows are computed from other rows (or are the trail itself), and the
# API's own bookkeeping (idempotency keys, throttle buckets, persisted documents, the
# events outbox and its webhook deliveries).
NOT_AUDITED = frozenset(
    {
        "audit_event",
        "ledger_balance",
        "stock_level",
        "number_series",
        "user",
        "membership",
        "idempotency_key",
        "rate_bucket",
        "persisted_document",
        "outbox_events",
        "webhook_delivery",
    }
)
# Columns every write touches or that say nothing about the change itself.
_SKIPPED = frozenset({"id", "company_id", "created_at", "updated_at"})
# Columns a table's trail leaves out: counters kept on a row for numbering others (a
# sequence, as number_series is), and secrets shown once (a webhook's signing key).
_COUNTERS = {
    "financial_year": frozenset({"next_voucher_number"}),
    "webhook_endpoint": frozenset({"secret"}),
}

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


@dataclass
class PendingEvent:
    company_id: str  # the session's tenant when the row was written
    entity: str
    entity_id: str
    action: str
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)

    def merge(self, later: PendingEvent) -> bool:
        """Fold a later event on the same row into this one; False: nothing is left
        (created and deleted in the same transaction)."""
        if self.action == CREATED and later.action == DELETED:
            return False
        if later.action == DELETED:
            self.action, self.new = DELETED, {}
            self.old = {**later.old, **self.old}
            return True
        for name, value in later.new.items():
            self.old.setdefault(name, later.old.get(name))
            self.new[name] = value
        return True

    def row(self, info: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
        """The audit_event row (for a Core insert: no ORM defaults there)."""
        now = utcnow()
        return {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "company_id": self.company_id,
            "user_id": info.get(ACTOR_KEY),
            "operation": info.get(OPERATION_KEY),
            "entity": self.entity,
            "entity_id": self.entity_id,
            "action": self.action,
            "changes": changes,
        }

    def changes(self) -> list[dict[str, Any]]:
        names = sorted(set(self.old) | set(self.new))
        return [
            {"field": to_camel_case(n), "old": self.old.get(n), "new": self.new.get(n)}
            for n in names
            if self.action != UPDATED or self.old.get(n) != self.new.get(n)
        ]


def arm(session: AsyncSession, operation: str) -> None:
    """Record the writes of the transaction about to run, as done by `operation`."""
    session.sync_session.info[OPERATION_KEY] = operation
    session.sync_session.info[_PENDING_KEY] = {}


def disarm(session: AsyncSession) -> None:
    session.sync_session.info.pop(OPERATION_KEY, None)
    session.sync_session.info.pop(_PENDING_KEY, None)


async def write_pending(session: AsyncSession) -> None:
    """Flush the transaction's last ORM changes, then insert its events: one statement
    per company they belong to (one, but for a registration that makes its company)."""
    await session.flush()
    info = session.sync_session.info
    pending: dict[str, PendingEvent] = info.get(_PENDING_KEY) or {}
    info[_PENDING_KEY] = {}
    by_company: dict[str, list[dict[str, Any]]] = {}
    for e in pending.values():
        changes = e.changes()
        if e.action != UPDATED or changes:
            by_company.setdefault(e.company_id, []).append(e.row(info, changes))
    if not by_company:
        return
    tenant = info.get(TENANT_KEY)
    try:
        for company_id, rows in by_company.items():
            info[TENANT_KEY] = company_id  # each company's rows under its own tenant
            await session.execute(insert(AuditEvent), rows)
    finally:
        info[TENANT_KEY] = tenant


# --- what a value is in the trail ----------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON keeps it exactly: decimals as strings, dates ISO, enums' values."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _audited(model: Any, row: Any = None, session: Session | None = None) -> bool:
    """A company's own row: tenant-owned, or the company itself (another company, one
    the viewer makes, is that company's business, not this one's trail)."""
    table = mapped_table(model)
    if table.name in NOT_AUDITED:
        return False
    if table.name == "company":
        return row is None or session is None or row.id == session.info.get(TENANT_KEY)
    return "company_id" in table.c


def _entity_name(model: type[Any]) -> str:
    """The row's GraphQL type name; a table without a node type: its class name."""
    try:
        return type_name_for(model)
    except KeyError:
        return model.__name__


def _columns(model: type[Any]) -> list[str]:
    counters = _COUNTERS.get(mapped_table(model).name, frozenset())
    return [a.key for a in inspect(model).column_attrs if a.key not in _SKIPPED | counters]


def _add(
    session: Session,
    model: type[Any],
    row_id: str,
    action: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> None:
    """Note an event, merged with the transaction's earlier one on the same row."""
    event_ = PendingEvent(
        session.info[TENANT_KEY], _entity_name(model), row_id, action, old or {}, new or {}
    )
    pending: dict[str, PendingEvent] = session.info[_PENDING_KEY]
    key = f"{event_.company_id}:{event_.entity}:{event_.entity_id}"
    earlier = pending.get(key)
    if earlier is None:
        pending[key] = event_
    elif not earlier.merge(event_):
        del pending[key]


def _armed(session: Session) -> bool:
    return OPERATION_KEY in session.info and session.info.get(TENANT_KEY) is not None


# --- ORM rows: the unit of work's history ---------------------------------------------------


@event.listens_for(Session, "after_flush")
def _record_flush(session: Session, _flush_context: Any) -> None:
    if not _armed(session):
        return
    for obj in session.new:
        if _audited(type(obj), obj, session):
            state = inspect(obj)
            new = {k: state.dict.get(k) for k in _columns(type(obj))}
            _add(session, type(obj), obj.id, CREATED, new=_present(new))
    for obj in session.dirty:
        if _audited(type(obj), obj, session):
            _record_update(session, obj)
    for obj in session.deleted:
        if _audited(type(obj), obj, session):
            state = inspect(obj)
            old = {k: state.dict.get(k) for k in _columns(type(obj))}
            _add(session, type(obj), obj.id, DELETED, old=_present(old))


def _record_update(session: Session, obj: Any) -> None:
    state = inspect(obj)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for name in _columns(type(obj)):
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        was = history.deleted[0] if history.deleted else None
        now = history.added[0] if history.added else None
        if was is NO_VALUE or was != now:
            old[name] = None if was is NO_VALUE else plain(was)
            new[name] = plain(now)
    if new:
        _add(session, type(obj), obj.id, UPDATED, old, new)


# --- Core-style writes through the session ---------------------------------------------------


@event.listens_for(Session, "do_orm_execute")
def _record_statement(state: ORMExecuteState) -> Any:
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    session = state.session
    entity = (getattr(state.statement, "entity_description", None) or {}).get("entity")
    if not (isinstance(entity, type) and _audited(entity) and _armed(session)):
        return None
    if state.is_insert:
        return _record_insert(state, entity)
    return _record_change(state, entity)


def _rows_of(
    session: Session, model: Any, names: list[str], where: Any, *, lock: str | None
) -> Any:
    """The rows `where` matches; `lock` ("update", "delete") locks them on PostgreSQL as
    that write itself will: FOR NO KEY UPDATE before an UPDATE (a plain FOR UPDATE would
    wait on rows that other transactions only reference, as an insert naming the row by
    foreign key does, and deadlock with them), FOR UPDATE before a DELETE."""
    stmt = select(model.id, *(getattr(model, n) for n in names)).where(where)
    if lock is not None and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(key_share=lock == "update")
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in session.execute(stmt)}


def _set_values(stmt: Any) -> dict[str, Any]:
    """What an UPDATE sets, by column: a value, an `_Increment` (`version + 1`), or
    `_EXPRESSION` (anything else)."""
    values = stmt._values or {}  # private, as in gql/db/tenant.py: no public accessor
    return {getattr(k, "key", k): _set_value(getattr(k, "key", k), v) for k, v in values.items()}


def _set_value(name: str, value: Any) -> Any:
    if isinstance(value, BindParameter):
        return value.value
    # `column + literal` of the column itself: its new value follows from the old one
    # read (and locked) before the UPDATE, so it need not be read back.
    left, right = getattr(value, "left", None), getattr(value, "right", None)
    if (
        getattr(value, "operator", None) is operators.add
        and isinstance(left, Column)
        and left.key == name
        and isinstance(right, BindParameter)
        and isinstance(right.value, int | Decimal)
    ):
        return _Increment(right.value)
    return _EXPRESSION


@dataclass(frozen=True)
class _Increment:
    by: int | Decimal


_EXPRESSION = object()


def _record_change(state: ORMExecuteState, model: Any) -> Any:
    """UPDATE / DELETE: the rows it matches, read (and locked) first; an UPDATE's new
    values are those it sets, read back only where it sets an expression."""
    stmt = state.statement
    where = stmt.whereclause  # type: ignore[attr-defined]
    audited = set(_columns(model))
    sets = {} if state.is_delete else _set_values(stmt)
    names = sorted(audited) if state.is_delete else [n for n in sets if n in audited]
    if where is None or not names:
        return None
    session = state.session
    before = _rows_of(session, model, names, where, lock="delete" if state.is_delete else "update")
    if state.is_delete and before:
        _record_referrers(session, model, list(before))
    result = state.invoke_statement()
    if not before or getattr(result, "rowcount", -1) == 0:
        return result
    if state.is_delete:
        for row_id, old in before.items():
            _add(session, model, row_id, DELETED, old=_present(old))
        return result
    if any(sets[n] is _EXPRESSION for n in names):
        after = _rows_of(session, model, names, model.id.in_(list(before)), lock=None)
    else:
        after = {row_id: _after(sets, names, old) for row_id, old in before.items()}
    for row_id, new in after.items():
        old = {k: plain(v) for k, v in before[row_id].items()}
        _add(session, model, row_id, UPDATED, old, {k: plain(v) for k, v in new.items()})
    return result


def _after(sets: dict[str, Any], names: list[str], old: dict[str, Any]) -> dict[str, Any]:
    """A row's values after an UPDATE that sets values and increments only."""
    return {n: _applied(sets[n], old[n]) for n in names}


def _applied(set_to: Any, old: Any) -> Any:
    if not isinstance(set_to, _Increment):
        return set_to
    return None if old is None else old + set_to.by  # NULL + 1 is NULL


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in values.items() if v is not None}


def _record_insert(state: ORMExecuteState, model: Any) -> Any:
    """INSERT (maybe ON CONFLICT DO NOTHING) of rows with their ids: one row, its
    values when it was inserted; several, those read back after (the ids are new, from
    gql.core.ids.new_id, so the rows found are the ones it inserted)."""
    params = state.parameters
    given = [params] if isinstance(params, dict) else list(params or ())
    values = getattr(state.statement, "_values", None)
    if values:
        given.append({getattr(k, "key", k): getattr(v, "value", v) for k, v in values.items()})
    rows = [row for row in given if isinstance(row, dict) and row.get("id")]
    if not rows:
        return None
    session = state.session
    result = state.invoke_statement()
    names = _columns(model)
    if len(rows) == 1:
        found = {rows[0]["id"]: rows[0]} if getattr(result, "rowcount", -1) == 1 else {}
    else:
        found = _rows_of(session, model, names, model.id.in_([r["id"] for r in rows]), lock=None)
    for row_id, new in found.items():
        _add(session, model, row_id, CREATED, new=_present({n: new.get(n) for n in names}))
    return result


# --- what the database changes itself: ON DELETE SET NULL ----------------------------------


@event.listens_for(Session, "before_flush")
def _record_flush_referrers(session: Session, _context: Any, _instances: Any) -> None:
    """The rows that the ORM deletes about to be flushed take with them."""
    if not _armed(session):
        return
    by_model: dict[type[Any], list[str]] = {}
    for obj in session.deleted:
        by_model.setdefault(type(obj), []).append(obj.id)
    with session.no_autoflush:
        for model, ids in by_model.items():
            _record_referrers(session, model, ids)


# What the database does to a referring row when the row it refers to goes: the only
# foreign-key action the tables use (tests/test_audit_cascade.py checks there is no other).
AUDITED_ONDELETE = "SET NULL"


@cache
def _referrers(table: Table) -> tuple[tuple[type[Any], str], ...]:
    """(model, attribute) of every audited foreign key to `table` that the database
    sets to null when a row of `table` goes."""
    found = []
    for mapper in SQLModel._sa_registry.mappers:
        for fk in mapper.local_table.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() == AUDITED_ONDELETE:
                if _audited(mapper.class_):
                    found.append((mapper.class_, mapper.get_property_by_column(fk.parent).key))
    return tuple(found)


def _record_referrers(session: Session, model: type[Any], ids: list[str]) -> None:
    for child, attribute in _referrers(mapped_table(model)):
        where = getattr(child, attribute).in_(ids)
        for row_id, old in _rows_of(session, child, [attribute], where, lock="update").items():
            _add(session, child, row_id, UPDATED, _present(old), {attribute: None})
