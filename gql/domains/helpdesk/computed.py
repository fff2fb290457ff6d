"""The SLA clock's flags, each ONE SQL expression over the ticket's row: the GraphQL
fields (both read paths), the `breached` filters and the REST shims all use these.

"Now" is the database's clock, read when the statement runs (not a value baked into
the SQL), so a compiled plan kept for the day (gql/compiler/executor.py) is never
stale. SQLite keeps datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text, which its own
'now' in the same layout compares with in order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.types import DateTime

from gql.core.graph import Computed


def db_now(env: Any) -> ColumnElement[Any]:
    if env.pg:
        return func.now()
    return func.strftime("%Y-%m-%d %H:%M:%f", "now", type_=DateTime)


def _response_breached(table: Any, env: Any) -> ColumnElement[bool]:
    """The first public reply came after its due, or none has and the due has passed
    (the clock also stops when the ticket is resolved without a reply). Never null."""
    stopped = func.coalesce(table.c.responded_at, table.c.resolved_at, db_now(env))
    return table.c.first_response_due.is_not(None) & (stopped > table.c.first_response_due)


def _resolution_breached(table: Any, env: Any) -> ColumnElement[bool]:
    """Resolved after its due, or still unresolved past it. Never null."""
    stopped = func.coalesce(table.c.resolved_at, db_now(env))
    return table.c.resolution_due.is_not(None) & (stopped > table.c.resolution_due)


def _breached(table: Any, env: Any) -> ColumnElement[bool]:
    return _response_breached(table, env) | _resolution_breached(table, env)


RESPONSE_BREACHED = Computed(_response_breached, "bool")
RESOLUTION_BREACHED = Computed(_resolution_breached, "bool")
BREACHED = Computed(_breached, "bool")
