"""Numbors REST: GET /api/audit?entity=&id= (&user=&from=&to=), the audit trail in the
Numbors envelope and pagination, for owners and admins.

Not a documented Numbors path: its OpenAPI operation says so (`undocumented`)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.pagination import PageArgs
from gql.domains.audit import service
from gql.domains.audit.models import AuditEvent
from gql.domains.audit.schema import AUDIT_EVENTS
from gql.rest.numbors import (
    RestContext,
    bad_params,
    date_param,
    endpoint,
    page_params,
    paginated,
    param_error,
    text_param,
)
from gql.rest.openapi import ApiRoute, day, ref, text


def event_json(row: AuditEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "createdAt": row.created_at,
        "userId": row.user_id,
        "entity": row.entity,
        "entityId": row.entity_id,
        "action": row.action,
        "operation": row.operation,
        "changes": row.changes,
    }


@endpoint(manage=True)
async def list_audit(ctx: RestContext) -> Response:
    params = page_params(ctx.request, ctx.settings)
    query = ctx.request.query_params
    day_from, day_to = date_param(ctx.request, "from"), date_param(ctx.request, "to")
    if day_from and day_to and day_to < day_from:
        raise bad_params(param_error("to", "must not be before from"))
    where = service.AuditFilter(
        entity=text_param(ctx.request, "entity", ctx.settings),
        entity_id=service.any_id(query.get("id")),
        user_id=service.any_id(query.get("user")),
        occurred_from=service.start_of(day_from),
        occurred_to=service.start_of(day_to, next_day=True),
    )
    page = await list_page(
        ctx.session,
        AUDIT_EVENTS,
        PageArgs(first=params.limit, after=params.offset or None),
        where=where,
        order=("created_at", "desc"),
    )
    return paginated(
        [event_json(r) for r in page.rows], total=page.total, page=params.page, limit=params.limit
    )


routes = [  # under the /api mount
    ApiRoute(
        "/audit",
        list_audit,
        "GET",
        summary="The audit trail: who changed what, with old and new values",
        row=AuditEvent,
        query=[text("entity"), ref("id"), ref("user"), day("from"), day("to")],
        undocumented="Not in the Numbors document: Ledgergraph's own audit trail (issue 14).",
    )
]
