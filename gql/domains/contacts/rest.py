"""Numbors REST: /api/contacts."""

from __future__ import annotations

from typing import Any

from pydantic.alias_generators import to_camel
from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.pagination import PageArgs
from gql.domains.contacts import service
from gql.domains.contacts.models import Contact, ContactType
from gql.domains.contacts.schema import CONTACTS
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    endpoint,
    ok,
    page_params,
    paginated,
    read_json,
    row_json,
    text_param,
)
from gql.rest.openapi import DELETED, ApiRoute, choice, flag, text


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel(k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def contact_json(row: Contact) -> dict[str, Any]:
    """The contact as REST shows it. Addresses, contact persons and custom fields are
    stored with their Python names; they go out camelCase, as the client sent them."""
    return {key: _camel(value) for key, value in row_json(row).items()}


@endpoint()
async def list_contacts(ctx: RestContext) -> Response:
    page = page_params(ctx.request, ctx.settings)
    filter = service.ContactFilter(
        type=choice_param(ctx.request, "type", [t.value for t in ContactType]),
        enabled=bool_param(ctx.request, "enabled"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(
        ctx.session, CONTACTS, PageArgs(first=page.limit, after=page.offset or None), where=filter
    )
    return paginated(
        [contact_json(r) for r in result.rows], total=result.total, page=page.page, limit=page.limit
    )


@endpoint(write=True)
async def create_contact(ctx: RestContext) -> Response:
    row = await service.create_contact(
        session=ctx.session, data=await read_json(ctx.request), viewer=ctx.viewer
    )
    return ok(contact_json(row), 201)


@endpoint()
async def get_contact(ctx: RestContext) -> Response:
    row = await service.get_contact(session=ctx.session, id=ctx.request.path_params["id"])
    return ok(contact_json(row))


@endpoint(write=True)
async def update_contact(ctx: RestContext) -> Response:
    row = await service.update_contact(
        session=ctx.session, id=ctx.request.path_params["id"], data=await read_json(ctx.request)
    )
    return ok(contact_json(row))


@endpoint(write=True)
async def delete_contact(ctx: RestContext) -> Response:
    row = await service.delete_contact(session=ctx.session, id=ctx.request.path_params["id"])
    return ok({"id": row.id, "deleted": True})


FILTERS = [choice("type", ContactType), flag("enabled"), text("search")]
routes = [
    ApiRoute(
        "/contacts", list_contacts, "GET", summary="List contacts", row=Contact, query=FILTERS
    ),
    ApiRoute(
        "/contacts",
        create_contact,
        "POST",
        summary="Create a contact",
        row=Contact,
        body=service.ContactCreate,
    ),
    ApiRoute("/contacts/{id}", get_contact, "GET", summary="Get a contact", row=Contact),
    ApiRoute(
        "/contacts/{id}",
        update_contact,
        "PUT",
        summary="Update a contact",
        row=Contact,
        body=service.ContactUpdate,
    ),
    ApiRoute("/contacts/{id}", delete_contact, "DELETE", summary="Delete a contact", row=DELETED),
]
