"""REST: /api/webhooks. Not in the Numbors document: our own addition, in its dialect
(envelope, pagination, errors), for clients that manage webhooks without GraphQL."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.pagination import PageArgs
from gql.domains.events import service
from gql.domains.events.models import WebhookEndpoint
from gql.domains.events.schema import WEBHOOKS
from gql.rest.numbors import (
    RestContext,
    bool_param,
    endpoint,
    ok,
    page_params,
    paginated,
    read_json,
    row_json,
)
from gql.rest.openapi import DELETED, ApiRoute, flag


def webhook_json(row: WebhookEndpoint) -> dict[str, Any]:
    return row_json(row, exclude=("company_id", "secret"))


@endpoint(manage=True)
async def list_webhooks(ctx: RestContext) -> Response:
    page = page_params(ctx.request, ctx.settings)
    where = service.EndpointFilter(bool_param(ctx.request, "active"))
    args = PageArgs(first=page.limit, after=page.offset or None)
    result = await list_page(ctx.session, WEBHOOKS, args, where=where)
    items = [webhook_json(r) for r in result.rows]
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


@endpoint(manage=True)
async def create_webhook(ctx: RestContext) -> Response:
    data = await read_json(ctx.request)
    made = await service.create_webhook(session=ctx.session, settings=ctx.settings, data=data)
    return ok({**webhook_json(made.webhook), "secret": made.secret}, 201)


@endpoint(manage=True)
async def get_webhook(ctx: RestContext) -> Response:
    row = await service.get_webhook(session=ctx.session, id=ctx.request.path_params["id"])
    return ok(webhook_json(row))


@endpoint(manage=True)
async def update_webhook(ctx: RestContext) -> Response:
    row = await service.update_webhook(
        session=ctx.session,
        settings=ctx.settings,
        id=ctx.request.path_params["id"],
        data=await read_json(ctx.request),
    )
    return ok(webhook_json(row))


@endpoint(manage=True)
async def delete_webhook(ctx: RestContext) -> Response:
    row = await service.delete_webhook(session=ctx.session, id=ctx.request.path_params["id"])
    return ok({"id": row.id, "deleted": True})


OURS = "Not in the Numbors document: Ledgergraph's own webhooks (issue 15)."
routes = [
    ApiRoute(
        "/webhooks",
        list_webhooks,
        "GET",
        summary="List webhook endpoints",
        row=WebhookEndpoint,
        query=[flag("active")],
        undocumented=OURS,
    ),
    ApiRoute(
        "/webhooks",
        create_webhook,
        "POST",
        summary="Register a webhook endpoint (its signing secret is in this answer only)",
        row=WebhookEndpoint,
        body=service.WebhookCreate,
        undocumented=OURS,
    ),
    ApiRoute(
        "/webhooks/{id}",
        get_webhook,
        "GET",
        summary="Get a webhook endpoint",
        row=WebhookEndpoint,
        undocumented=OURS,
    ),
    ApiRoute(
        "/webhooks/{id}",
        update_webhook,
        "PUT",
        summary="Update a webhook endpoint",
        row=WebhookEndpoint,
        body=service.WebhookUpdate,
        undocumented=OURS,
    ),
    ApiRoute(
        "/webhooks/{id}",
        delete_webhook,
        "DELETE",
        summary="Delete a webhook endpoint",
        row=DELETED,
        undocumented=OURS,
    ),
]
