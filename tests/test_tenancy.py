"""Tenancy: another company's row behaves exactly like a row that does not exist.

First through the API (GraphQL and REST), then the mechanism itself in gql/db/tenant.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete as sql_delete
from sqlalchemy import exists, func, insert, select, update

from gql.core.ids import new_id, to_global_id
from gql.db.columns import TenantOwned, utcnow
from gql.db.tenant import TenantViolation
from gql.domains.contacts.models import Contact
from gql.domains.documents.models import Document
from tests.factories import count_rows, tenant_db

CONTACT = """
query Contact($id: ID!) { contact(id: $id) { objectId name } }
"""

NODE = """
query Node($id: ID!) { node(id: $id) { id ... on Contact { name } ... on Document { number } } }
"""

NODES = """
query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id ... on Contact { name } } }
"""

CONTACTS = """
query Contacts($filter: ContactFilter) {
  contacts(first: 100, filter: $filter) {
    totalCount
    nodes { objectId name documents(first: 100) { totalCount nodes { objectId number } } }
  }
}
"""

CONTACT_UPDATE = """
mutation ContactUpdate($input: ContactUpdateInput!) {
  contactUpdate(input: $input) { contact { objectId } userErrors { field message code } }
}
"""

CONTACT_DELETE = """
mutation ContactDelete($input: ContactDeleteInput!) {
  contactDelete(input: $input) { deletedContactId userErrors { field message code } }
}
"""

DOCUMENT_CREATE = """
mutation DocumentCreate($input: DocumentCreateInput!) {
  documentCreate(input: $input) { document { objectId } userErrors { field message code } }
}
"""

DOCUMENT = """
query Document($id: ID!) { document(id: $id) { objectId number contact { objectId } } }
"""

DOCUMENTS = """
query Documents { documents(first: 100) { totalCount nodes { objectId } } }
"""


def without_location(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors as a client compares them: message and extensions."""
    return [{"message": e["message"], "extensions": e.get("extensions")} for e in body["errors"]]


@pytest.fixture
async def two_companies(api) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    """A and B, each with a contact named after it that has one invoice."""
    a = await api.register(companyName="Company A")
    b = await api.register(companyName="Company B")
    a_contact = await api.contact(a, name="Alpha customer", email="alpha@a.example")
    b_contact = await api.contact(b, name="Bravo secret customer", email="bravo@b.example")
    b_contact["document"] = await api.document(b, to_global_id("Contact", b_contact["id"]))
    a_contact["document"] = await api.document(a, to_global_id("Contact", a_contact["id"]))
    return a, b, a_contact, b_contact


# --- GraphQL reads -----------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["object-id", "global-id"])
async def test_contact_of_another_company_is_like_a_nonexistent_one(api, two_companies, form):
    # given
    a, _b, _, b_contact = two_companies

    def ref(pk: str) -> str:
        return pk if form == "object-id" else to_global_id("Contact", pk)

    # when
    theirs = await api.gql(CONTACT, {"id": ref(b_contact["id"])}, a)
    missing = await api.gql(CONTACT, {"id": ref(new_id())}, a)
    # then
    assert theirs["data"] == missing["data"] == {"contact": None}
    assert without_location(theirs) == without_location(missing)
    assert without_location(theirs)[0]["extensions"]["code"] == "NOT_FOUND"


async def test_node_of_another_companys_contact_is_like_a_nonexistent_one(api, two_companies):
    # given
    a, _b, _, b_contact = two_companies
    # when
    theirs = await api.gql(NODE, {"id": to_global_id("Contact", b_contact["id"])}, a)
    missing = await api.gql(NODE, {"id": to_global_id("Contact", new_id())}, a)
    # then
    assert theirs["data"] == missing["data"] == {"node": None}
    assert without_location(theirs) == without_location(missing)
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_node_of_another_companys_document_is_like_a_nonexistent_one(api, two_companies):
    # given
    a, _b, _, b_contact = two_companies
    # when
    theirs = await api.gql(NODE, {"id": b_contact["document"]["id"]}, a)
    missing = await api.gql(NODE, {"id": to_global_id("Document", new_id())}, a)
    direct = await api.gql(DOCUMENT, {"id": b_contact["document"]["id"]}, a)
    direct_missing = await api.gql(DOCUMENT, {"id": to_global_id("Document", new_id())}, a)
    # then
    assert theirs["data"] == missing["data"] == {"node": None}
    assert without_location(theirs) == without_location(missing)
    assert direct["data"] == direct_missing["data"] == {"document": None}
    assert without_location(direct) == without_location(direct_missing)


async def test_nodes_of_another_company_are_like_nonexistent_ones(api, two_companies):
    # given
    a, _b, a_contact, b_contact = two_companies
    ids = [
        to_global_id("Contact", b_contact["id"]),
        to_global_id("Contact", new_id()),
        to_global_id("Contact", a_contact["id"]),
    ]
    # when
    body = await api.gql(NODES, {"ids": ids}, a)
    # then
    assert body["data"]["nodes"][:2] == [None, None]
    assert body["data"]["nodes"][2]["name"] == "Alpha customer"
    errors = {tuple(e["path"]): (e["message"], e["extensions"]) for e in body["errors"]}
    assert errors[("nodes", 0)] == errors[("nodes", 1)]
    assert errors[("nodes", 0)][1]["code"] == "NOT_FOUND"
    assert "Bravo" not in str(body)


async def test_lists_and_search_exclude_another_companys_contacts(api, two_companies):
    # given
    a, b, a_contact, _ = two_companies
    # when
    everything = (await api.data(CONTACTS, {}, a))["contacts"]
    searched = (await api.data(CONTACTS, {"filter": {"search": "bravo"}}, a))["contacts"]
    rest_all = (await api.rest("GET", "/api/contacts", a)).json()
    rest_searched = (await api.rest("GET", "/api/contacts", a, params={"search": "bravo"})).json()
    # then
    assert everything["totalCount"] == 1
    assert [n["objectId"] for n in everything["nodes"]] == [a_contact["id"]]
    assert searched == {"totalCount": 0, "nodes": []}
    assert rest_all["pagination"]["total"] == 1 and [c["id"] for c in rest_all["data"]] == [
        a_contact["id"]
    ]
    assert rest_searched["pagination"]["total"] == 0 and rest_searched["data"] == []
    assert (await api.data(CONTACTS, {}, b))["contacts"]["totalCount"] == 1


async def test_nested_documents_never_leak(api, two_companies):
    # given
    a, _b, a_contact, b_contact = two_companies
    # when
    contacts = (await api.data(CONTACTS, {}, a))["contacts"]["nodes"]
    documents = (await api.data(DOCUMENTS, {}, a))["documents"]
    # then
    assert [
        (c["objectId"], [d["objectId"] for d in c["documents"]["nodes"]]) for c in contacts
    ] == [(a_contact["id"], [a_contact["document"]["objectId"]])]
    assert contacts[0]["documents"]["totalCount"] == 1
    assert documents["totalCount"] == 1
    assert b_contact["document"]["objectId"] not in str(documents)


async def test_rest_documents_exclude_another_companys(api, two_companies):
    # given
    a, _b, a_contact, b_contact = two_companies
    # when
    listed = await api.rest("GET", "/api/documents", a)
    theirs = await api.rest("GET", f"/api/documents/{b_contact['document']['objectId']}", a)
    missing = await api.rest("GET", f"/api/documents/{new_id()}", a)
    # then
    assert listed.status_code == 200, listed.text
    assert [d["id"] for d in listed.json()["data"]] == [a_contact["document"]["objectId"]]
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


# --- REST by id -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body"), [("GET", None), ("PUT", {"name": "Hijacked"}), ("DELETE", None)]
)
async def test_rest_by_id_of_another_company_is_404_like_a_nonexistent_id(
    api, two_companies, method, body
):
    # given
    a, b, _, b_contact = two_companies
    kw = {"json": body} if body is not None else {}
    # when
    theirs = await api.rest(method, f"/api/contacts/{b_contact['id']}", a, **kw)
    missing = await api.rest(method, f"/api/contacts/{new_id()}", a, **kw)
    # then
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    still = await api.rest("GET", f"/api/contacts/{b_contact['id']}", b)
    assert still.json()["data"]["name"] == "Bravo secret customer"


# --- GraphQL writes ----------------------------------------------------------------------------


async def test_update_of_another_companys_contact_is_like_a_nonexistent_one(api, two_companies):
    # given
    a, b, _, b_contact = two_companies
    # when
    theirs = await api.data(
        CONTACT_UPDATE, {"input": {"id": b_contact["id"], "name": "Hijacked"}}, a
    )
    missing = await api.data(CONTACT_UPDATE, {"input": {"id": new_id(), "name": "Hijacked"}}, a)
    # then
    assert theirs == missing
    assert theirs["contactUpdate"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert (await api.data(CONTACT, {"id": b_contact["id"]}, b))["contact"][
        "name"
    ] == "Bravo secret customer"


async def test_delete_of_another_companys_contact_is_like_a_nonexistent_one(
    api, app, two_companies
):
    # given
    a, b, _, b_contact = two_companies
    # when
    theirs = await api.data(
        CONTACT_DELETE, {"input": {"id": to_global_id("Contact", b_contact["id"])}}, a
    )
    missing = await api.data(
        CONTACT_DELETE, {"input": {"id": to_global_id("Contact", new_id())}}, a
    )
    # then
    assert theirs == missing
    assert theirs["contactDelete"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert await count_rows(app, Contact, b.company_id) == 1


async def test_a_document_cannot_point_at_another_companys_contact(api, app, two_companies):
    # given
    a, _b, _, b_contact = two_companies
    before = await count_rows(app, Document, a.company_id)
    lines = [{"name": "Work", "quantity": "1", "unitPrice": "10"}]

    async def create(contact_id: str) -> dict[str, Any]:
        payload = await api.data(
            DOCUMENT_CREATE,
            {"input": {"kind": "INVOICE", "contactId": contact_id, "lines": lines}},
            a,
        )
        return payload["documentCreate"]  # type: ignore[no-any-return]

    # when
    theirs = await create(to_global_id("Contact", b_contact["id"]))
    missing = await create(to_global_id("Contact", new_id()))
    # then
    assert theirs == missing
    assert theirs["document"] is None
    assert [(e["field"], e["code"]) for e in theirs["userErrors"]] == [
        (["input", "contactId"], "NOT_FOUND")
    ]
    assert await count_rows(app, Document, a.company_id) == before


# --- the mechanism (gql/db/tenant.py) -------------------------------------------------------------------


async def _ids(app: Any, tenant_id: str) -> tuple[list[str], list[str]]:
    async with tenant_db(app, tenant_id) as session:
        contacts = list((await session.scalars(select(Contact.id))).all())
        documents = list((await session.scalars(select(Document.id))).all())
    return contacts, documents


async def test_a_session_does_not_select_another_tenants_rows_by_id(app, two_companies):
    # given
    a, b, _, _ = two_companies
    b_contacts, b_documents = await _ids(app, b.company_id)
    # when
    async with tenant_db(app, a.company_id) as session:
        contacts = (await session.scalars(select(Contact).where(Contact.id.in_(b_contacts)))).all()
        documents = (
            await session.scalars(select(Document).where(Document.id.in_(b_documents)))
        ).all()
        got = await session.get(Contact, b_contacts[0])
        joined = (
            await session.execute(
                select(Document.id, Contact.id)
                .join(Contact, Contact.id == Document.contact_id)
                .where(Contact.id.in_(b_contacts))
            )
        ).all()
        found = await session.scalar(select(exists().where(Contact.id == b_contacts[0])))
    # then
    assert (contacts, documents, got, joined, found) == ([], [], None, [], False)


async def test_an_orm_update_does_not_touch_another_tenants_rows(app, two_companies):
    # given
    a, b, _, _ = two_companies
    b_contacts, _ = await _ids(app, b.company_id)
    # when
    async with tenant_db(app, a.company_id) as session:
        targeted = await session.execute(
            update(Contact).where(Contact.id.in_(b_contacts)).values(notes="touched")
        )
        everything = await session.execute(update(Contact).values(notes="touched"))
        await session.commit()
    # then
    assert targeted.rowcount == 0
    assert everything.rowcount == 1  # A's own contact only
    async with tenant_db(app, b.company_id) as session:
        assert (await session.scalars(select(Contact.notes))).all() == [None]


async def test_an_orm_delete_does_not_touch_another_tenants_rows(app, two_companies):
    # given
    a, b, _, _ = two_companies
    b_contacts, b_documents = await _ids(app, b.company_id)
    # when
    async with tenant_db(app, a.company_id) as session:
        doc_result = await session.execute(sql_delete(Document).where(Document.id.in_(b_documents)))
        contact_result = await session.execute(
            sql_delete(Contact).where(Contact.id.in_(b_contacts))
        )
        await session.commit()
    # then
    assert (doc_result.rowcount, contact_result.rowcount) == (0, 0)
    assert await count_rows(app, Contact, b.company_id) == 1
    assert await count_rows(app, Document, b.company_id) == 1


async def test_count_counts_only_the_tenants_rows(app, api, two_companies):
    # given
    a, _b, _, _ = two_companies
    await api.contact(a, name="Second A contact")
    # when
    async with tenant_db(app, a.company_id) as session:
        counted = await session.scalar(select(func.count()).select_from(Contact))
        counted_column = await session.scalar(select(func.count(Contact.id)))
        subquery = await session.scalar(
            select(select(func.count()).select_from(Document).scalar_subquery())
        )
    # then
    assert (counted, counted_column, subquery) == (2, 2, 1)


def _tenant_tables() -> list[type[Any]]:
    return sorted(
        (m.class_ for m in TenantOwned._sa_registry.mappers if issubclass(m.class_, TenantOwned)),
        key=lambda cls: cls.__name__,
    )


async def test_a_session_without_a_tenant_sees_no_tenant_owned_rows(app, two_companies):
    # given: both companies have contacts, documents, taxes, licenses...
    tables = _tenant_tables()
    assert {Contact, Document} <= set(tables)
    # when
    async with tenant_db(app, None) as session:
        counts = {
            cls.__name__: await session.scalar(select(func.count()).select_from(cls))
            for cls in tables
        }
        rows = {cls.__name__: (await session.scalars(select(cls).limit(1))).all() for cls in tables}
    # then
    assert set(counts.values()) == {0}, counts
    assert all(r == [] for r in rows.values())


async def test_a_session_cannot_add_a_row_to_another_tenant(app, two_companies):
    # given
    a, b, _, _ = two_companies
    # when / then
    async with tenant_db(app, a.company_id) as session:
        session.add(Contact(name="Planted", company_id=b.company_id))
        with pytest.raises(TenantViolation):
            await session.flush()
    async with tenant_db(app, None) as session:
        session.add(Contact(name="Orphan"))
        with pytest.raises(TenantViolation):
            await session.flush()
    assert await count_rows(app, Contact, b.company_id) == 1


async def test_a_session_stamps_new_rows_with_its_tenant(app, two_companies):
    # given
    a, _b, _, _ = two_companies
    # when
    async with tenant_db(app, a.company_id) as session:
        contact = Contact(name="Stamped")
        session.add(contact)
        await session.commit()
    # then
    assert contact.company_id == a.company_id


async def test_an_orm_update_cannot_move_rows_to_another_tenant(app, two_companies):
    # given
    a, b, _, _ = two_companies
    # when
    async with tenant_db(app, a.company_id) as session:
        with pytest.raises(TenantViolation):
            await session.execute(update(Contact).values(company_id=b.company_id))
        await session.rollback()
    # then
    assert await count_rows(app, Contact, a.company_id) == 1
    assert await count_rows(app, Contact, b.company_id) == 1


async def test_an_orm_insert_cannot_write_into_another_tenant(app, two_companies):
    # given
    a, b, _, _ = two_companies
    # when
    async with tenant_db(app, a.company_id) as session:
        with pytest.raises(TenantViolation):
            await session.execute(
                insert(Contact).values(id=new_id(), name="Planted", company_id=b.company_id)
            )
        await session.rollback()
        with pytest.raises(TenantViolation):
            await session.execute(
                insert(Contact), [{"id": new_id(), "name": "Planted", "company_id": b.company_id}]
            )
        await session.rollback()
    # then
    assert await count_rows(app, Contact, b.company_id) == 1


async def test_an_orm_insert_into_the_own_tenant_works(app, two_companies):
    # given
    a, _b, _, _ = two_companies
    # when
    async with tenant_db(app, a.company_id) as session:
        await session.execute(
            insert(Contact).values(
                id=new_id(),
                name="Bulk",
                company_id=a.company_id,
                contact_persons=[],
                custom_fields=[],
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
        await session.commit()
    # then
    assert await count_rows(app, Contact, a.company_id) == 2
