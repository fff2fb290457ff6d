"""Reading the audit trail: which events a list asks for, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv
from gql.core.ids import from_global_id, is_object_id
from gql.core.search import equals
from gql.domains.audit.models import AuditEvent

# Newest first by default; the id breaks ties within one instant.
ORDER_COLUMNS = {"created_at": AuditEvent.created_at}


def start_of(day: date | None, *, next_day: bool = False) -> datetime | None:
    """A REST day filter as an instant: the day's first (or the next day's, for `to`:
    the whole day included), in UTC."""
    if day is None:
        return None
    return datetime.combine(day, time(), UTC) + (timedelta(days=1) if next_day else timedelta())


def any_id(value: str | None) -> str | None:
    """The object id in a global id of any type, or a raw object id; anything else
    matches nothing ("-")."""
    if not value:
        return None
    if is_object_id(value):
        return value
    decoded = from_global_id(value)
    return decoded[1] if decoded else "-"


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None  # a type name: "Contact"
    entity_id: str | None = None
    user_id: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.entity is not None:
            out.append(equals(col(AuditEvent.entity), self.entity))
        if self.entity_id is not None:
            out.append(col(AuditEvent.entity_id) == self.entity_id)
        if self.user_id is not None:
            out.append(col(AuditEvent.user_id) == self.user_id)
        if self.occurred_from is not None:
            out.append(col(AuditEvent.created_at) >= self.occurred_from)
        if self.occurred_to is not None:
            out.append(col(AuditEvent.created_at) < self.occurred_to)
        return out
