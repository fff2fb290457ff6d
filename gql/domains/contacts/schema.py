"""Query and Mutation fields of contacts."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import READ, WRITE
from gql.context import Info
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.inputs import input_to_dict
from gql.core.mutations import run_mutation
from gql.core.relay import global_id_of
from gql.domains.contacts import service
from gql.domains.contacts.models import Contact
from gql.domains.contacts.types import (
    ContactConnection,
    ContactCreateInput,
    ContactDeleteInput,
    ContactDeletePayload,
    ContactFilter,
    ContactNode,
    ContactOrder,
    ContactPayload,
    ContactUpdateInput,
)


def order_of(value: ContactOrder | None) -> tuple[str, str]:
    order = value or ContactOrder()
    return order.field.value, order.direction.value


def filter_of(value: ContactFilter | None) -> service.ContactFilter:
    data = input_to_dict(value) if value else {}
    return service.ContactFilter(
        type=getattr(data.get("type"), "value", None),
        entity_type=getattr(data.get("entityType"), "value", None),
        enabled=data.get("enabled"),
        search=data.get("search"),
    )


CONTACTS = RootConnection(Contact, filter_of, order_of, service.ORDER_COLUMNS)


@strawberry.type
class Query:
    contact: ContactNode | None = root_get(
        Contact,
        "Contact",
        permission_classes=READ,
        description="A contact by id; null with NOT_FOUND when there is none.",
    )

    contacts: ContactConnection = root_connection(
        CONTACTS,
        ContactConnection,
        filter=ContactFilter,
        order=ContactOrder,
        permission_classes=READ,
        description="Customers and suppliers.",
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=WRITE)
    async def contact_create(self, info: Info, input: ContactCreateInput) -> ContactPayload:
        session = info.context.session

        async def action() -> ContactPayload:
            row = await service.create_contact(session=session, data=input_to_dict(input))
            return ContactPayload(contact=row)  # type: ignore[arg-type]

        return await run_mutation(session, ContactPayload, action)

    @strawberry.mutation(permission_classes=WRITE)
    async def contact_update(self, info: Info, input: ContactUpdateInput) -> ContactPayload:
        session = info.context.session
        data = input_to_dict(input)
        contact_id = data.pop("id")

        async def action() -> ContactPayload:
            row = await service.update_contact(session=session, id=contact_id, data=data)
            return ContactPayload(contact=row)  # type: ignore[arg-type]

        return await run_mutation(session, ContactPayload, action)

    @strawberry.mutation(permission_classes=WRITE)
    async def contact_delete(self, info: Info, input: ContactDeleteInput) -> ContactDeletePayload:
        session = info.context.session

        async def action() -> ContactDeletePayload:
            row = await service.delete_contact(session=session, id=input.id)
            return ContactDeletePayload(deleted_contact_id=global_id_of(row))

        return await run_mutation(session, ContactDeletePayload, action)
