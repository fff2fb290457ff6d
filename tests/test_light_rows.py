"""Loaders answer light rows (gql/core/rows.py): every column reads exactly as the ORM
entity's attribute (same value, same type), another company's row is not there, and
the node types take them as their own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from gql.core.ids import decode_id
from gql.core.relay import global_id_of
from gql.core.rows import LightRow, model_of
from gql.domains.catalogue.loaders import ItemByIdLoader
from gql.domains.catalogue.models import Item
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.models import Contact
from gql.domains.documents.loaders import DocumentByIdLoader, DocumentLinesByDocumentIdLoader
from gql.domains.documents.models import Document, DocumentLine
from gql.domains.documents.types import DocumentNode
from tests.factories import Api, tenant_db
from tests.inventory import allow_negative_stock

ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
  userErrors { field message code } } }"""


def _columns(model: type[Any]) -> list[str]:
    return [prop.key for prop in sa_inspect(model).column_attrs]


async def _same_as_orm(session: Any, model: type[Any], rows: list[Any]) -> None:
    for row in rows:
        assert isinstance(row, LightRow) and model_of(row) is model
        entity = await session.scalar(select(model).where(model.id == row.id))
        for name in _columns(model):
            mine, orm = getattr(row, name), getattr(entity, name)
            assert (type(mine), mine) == (type(orm), orm), name
            assert getattr(row, name) is mine  # processed once, then kept


async def test_light_rows_read_as_the_orm_entities_do(api: Api, app: Any) -> None:
    # given an issued invoice with lines (dates, timestamps, decimals, enums, flags) to a
    # contact with addresses and persons (JSON)
    tenant = await api.register()
    await allow_negative_stock(api, tenant)
    contact = await api.contact(
        tenant,
        billingAddress={"street1": "1 Main St", "city": "Zürich", "zipCode": "8001"},
        contactPersons=[{"firstName": "Grace", "lastName": "Hopper"}],
    )
    tax = await api.tax(tenant, rate="12.5")
    item = await api.item(tenant, taxId=tax["id"], salePrice="9.99")
    doc = await api.document(
        tenant,
        contact["id"],
        lines=[
            {"itemId": item["id"], "quantity": "3"},
            {"name": "Labour", "unitPrice": "40.10", "taxId": tax["id"], "discountRate": "5"},
        ],
    )
    issued = await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, tenant)
    assert issued["userErrors"] == []
    doc_id = decode_id(doc["id"], "Document")
    item_id = decode_id(item["id"], "Item")
    contact_id = decode_id(contact["id"], "Contact")

    async with tenant_db(app, tenant.company_id) as session:
        # when the loaders load them
        [document] = await DocumentByIdLoader(session).load_many([doc_id])
        [lines] = await DocumentLinesByDocumentIdLoader(session).load_many([doc_id])
        [loaded_item] = await ItemByIdLoader(session).load_many([item_id])
        [loaded_contact] = await ContactByIdLoader(session).load_many([contact_id])

        # then every column is what the ORM entity holds, of the same type
        await _same_as_orm(session, Document, [document])
        await _same_as_orm(session, DocumentLine, lines)
        await _same_as_orm(session, Item, [loaded_item])
        await _same_as_orm(session, Contact, [loaded_contact])
        assert document.issued_at is not None and loaded_contact.contact_persons
        assert [line.name for line in lines] == [item["name"], "Labour"]

    # and the node type takes the row as its own, with the entity's global id
    assert DocumentNode.is_type_of(document, None)  # type: ignore[attr-defined]
    assert global_id_of(document) == doc["id"]


async def test_light_rows_of_another_company_are_not_loaded(api: Api, app: Any) -> None:
    # given an invoice of one company
    owner, other = await api.register(), await api.register()
    contact = await api.contact(owner)
    doc_id = decode_id((await api.document(owner, contact["id"]))["id"], "Document")

    # when the other company's loaders ask for it, or no company's
    for tenant_id in (other.company_id, None):
        async with tenant_db(app, tenant_id) as session:
            [document] = await DocumentByIdLoader(session).load_many([doc_id])
            [lines] = await DocumentLinesByDocumentIdLoader(session).load_many([doc_id])

        # then there is nothing
        assert (document, lines) == (None, [])
