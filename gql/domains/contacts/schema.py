"""Query and Mutation fields of contacts."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import READ, WRITE
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.inputs import input_to_dict
from gql.core.mutations import mutation
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
    contact_create = mutation(
        input=ContactCreateInput,
        payload=ContactPayload,
        field="contact",
        run=service.create_contact,
        permission=WRITE,
    )

    contact_update = mutation(
        input=ContactUpdateInput,
        payload=ContactPayload,
        field="contact",
        run=service.update_contact,
        permission=WRITE,
    )

    contact_delete = mutation(
        input=ContactDeleteInput,
        payload=ContactDeletePayload,
        field="deleted_contact_id",
        returns="deleted_id",
        run=service.delete_contact,
        permission=WRITE,
    )
