"""GraphQL types of the audit trail, and the one `auditEvents` edge the main node types
declare (Contact, Document, Item, Voucher, ...): the events of that row."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from gql.auth.permissions import CanManageCompany
from gql.core.filter_values import order_of as order_value
from gql.core.graph import EdgeConnection, connection_edge, python_only
from gql.core.inputs import input_to_dict
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.audit import service
from gql.domains.audit.loaders import AuditEventByIdLoader
from gql.domains.audit.models import AuditEvent

# Who may read the trail: the company's owner and admins (Level.MANAGE).
AUDIT_READERS: list[Any] = [CanManageCompany]


@strawberry.type(description="One field a write changed: its value before and after.")
class AuditChange:
    field: str = strawberry.field(description="The field's GraphQL name: `openingBalance`.")
    old: JSON | None = strawberry.field(
        description="Before (null when created); money and decimals are exact strings, "
        "dates and times ISO 8601."
    )
    new: JSON | None = strawberry.field(description="After (null when deleted).")


def _changes(root: Any) -> list[AuditChange]:
    return [AuditChange(field=c["field"], old=c["old"], new=c["new"]) for c in root.changes]


@node_type(
    name="AuditEvent",
    model=AuditEvent,
    load=load_with(AuditEventByIdLoader),
    description="One row created, updated or deleted by a write, recorded in the write's "
    "own transaction; never changed afterwards.",
)
class AuditEventNode(Node):
    created_at: datetime = strawberry.field(description="When the write was committed.")
    user_id: str | None = strawberry.field(description="The user who made it.")
    entity: str = strawberry.field(description="The row's type: `Contact`, `Document`, ...")
    entity_id: str = strawberry.field(description="The row's object id.")
    action: str = strawberry.field(description="`created`, `updated` or `deleted`.")
    operation: str = strawberry.field(
        description="What did it: the mutation field (`contactUpdate`) or the REST method "
        "and path (`PUT /api/contacts/...`)."
    )
    changes: list[AuditChange] = python_only(
        _changes, "a JSON list", description="The fields it changed, old and new."
    )


@strawberry.type
class AuditEventConnection(Connection[AuditEventNode]):
    pass


@strawberry.enum(description="What audit events can be sorted by.")
class AuditEventOrderField(Enum):
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort audit events (default: newest first).")
class AuditEventOrder:
    field: AuditEventOrderField = AuditEventOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which audit events to list; all conditions must hold.")
class AuditEventFilter:
    entity: str | None = strawberry.field(
        default=strawberry.UNSET, description="The row's type name: `Contact`."
    )
    entity_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The row's global or object id."
    )
    user: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The user id who made the writes."
    )
    from_: datetime | None = strawberry.field(
        default=strawberry.UNSET, name="from", description="At or after this instant."
    )
    to: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Before this instant."
    )


def filter_of(value: AuditEventFilter | None) -> service.AuditFilter:
    data = input_to_dict(value) if value else {}
    return service.AuditFilter(
        entity=data.get("entity"),
        entity_id=service.any_id(data.get("entityId")),
        user_id=service.any_id(data.get("user")),
        occurred_from=data.get("from"),
        occurred_to=data.get("to"),
    )


def order_of(value: AuditEventOrder | None) -> tuple[str, str]:
    return order_value(value, AuditEventOrder)


EVENTS_OF_ROW = EdgeConnection(AuditEvent, "entity_id", filter_of, order_of, service.ORDER_COLUMNS)


def audit_events_edge() -> Any:
    """The `auditEvents` field of a node type: the events of this row, newest first."""
    return connection_edge(
        EVENTS_OF_ROW,
        AuditEventConnection,
        filter=AuditEventFilter,
        order=AuditEventOrder,
        permission_classes=AUDIT_READERS,
        description="Who changed this and when, with the values before and after "
        "(owners and admins only).",
    )
