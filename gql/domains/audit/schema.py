"""The audit trail's Query field. No Mutation: the trail is written only by the writes
it records (gql/core/audit.py), and nothing changes or deletes it."""

from __future__ import annotations

import strawberry

from gql.core.graph import RootConnection, root_connection
from gql.domains.audit import service
from gql.domains.audit.models import AuditEvent
from gql.domains.audit.types import (
    AUDIT_READERS,
    AuditEventConnection,
    AuditEventFilter,
    AuditEventOrder,
    filter_of,
    order_of,
)

AUDIT_EVENTS = RootConnection(AuditEvent, filter_of, order_of, service.ORDER_COLUMNS)


@strawberry.type
class Query:
    audit_events: AuditEventConnection = root_connection(
        AUDIT_EVENTS,
        AuditEventConnection,
        filter=AuditEventFilter,
        order=AuditEventOrder,
        permission_classes=AUDIT_READERS,
        description="Who changed what and when, newest first (owners and admins only).",
    )
