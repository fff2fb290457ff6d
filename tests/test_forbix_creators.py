"""Who created a customer, a sales invoice and a purchase invoice, through every path
that creates one (Forbix, Numbors, GraphQL): answered by Forbix and filterable where
the document says so, never across companies."""

from __future__ import annotations

from typing import Any

from gql.core.ids import new_id
from tests.factories import member_of

CONTACT_CREATE = """
mutation($input: ContactCreateInput!) { contactCreate(input: $input) {
  contact { objectId } userErrors { field message } } }"""
CONVERT = """
mutation($id: ID!) { documentConvert(input: {id: $id}) {
  document { objectId kind } userErrors { field message } } }"""
CUSTOMER = {"type": "BUSINESS", "customerDisplayName": "Carter & Co", "crmGroupId": ["g1"]}
SUPPLIER = {**CUSTOMER, "customerDisplayName": "Parts Ltd", "customerCategory": "SUPPLIER"}


async def post(api, tenant, path: str, body: dict[str, Any]) -> str:
    r = await api.rest("POST", path, tenant, json=body)
    assert r.status_code == 201, r.text
    answer = r.json()
    return answer["_id"] if "_id" in answer else answer["data"]["_id"]  # type: ignore[no-any-return]


async def get(api, tenant, path: str, **params: Any) -> Any:
    r = await api.rest("GET", path, tenant, params=params)
    assert r.status_code == 200, r.text
    return r.json()["data"]


async def listed_ids(api, tenant, path: str, **params: Any) -> set[str]:
    return {row["_id"] for row in await get(api, tenant, path, pageSize=50, **params)}


async def test_every_path_that_creates_a_customer_records_its_creator(api, app):
    # given an owner, a member of the same company and a stranger
    owner, stranger = await api.register(), await api.register()
    clerk = await member_of(api, app, owner, "accountant")
    # when each creates a contact its own way
    by_forbix = await post(api, clerk, "/openapi/customers", CUSTOMER)
    by_numbors = (await api.contact(owner, name="Numbors Ltd"))["id"]
    created = await api.data(
        CONTACT_CREATE, {"input": {"name": "Graph Ltd", "type": "CUSTOMER"}}, clerk
    )
    by_graph = created["contactCreate"]["contact"]["objectId"]
    theirs = await post(api, stranger, "/openapi/customers", CUSTOMER)
    # then Forbix answers each one's creator, in the detail and in the list
    expected = {by_forbix: clerk.user_id, by_numbors: owner.user_id, by_graph: clerk.user_id}
    for customer_id, user_id in expected.items():
        detail = await get(api, owner, f"/openapi/customers/{customer_id}")
        assert detail["creatorUserId"] == user_id
    rows = await get(api, owner, "/openapi/customers", crmGroupId="g1", pageSize=50)
    assert {row["_id"]: row["creatorUserId"] for row in rows} == {by_forbix: clerk.user_id}
    # and another company's customer is not found from here
    r = await api.rest("GET", f"/openapi/customers/{theirs}", owner)
    assert r.status_code == 404


async def invoice_books(api, owner) -> dict[str, str]:
    customer = await post(api, owner, "/openapi/customers", CUSTOMER)
    supplier = await post(api, owner, "/openapi/customers", SUPPLIER)
    item = await api.item(owner, name="Consulting", salePrice="50", type="SERVICE")
    return {"customer": customer, "supplier": supplier, "item": item["objectId"]}


def sale(b: dict[str, str]) -> dict[str, Any]:
    return {
        "customerId": b["customer"],
        "shippingAmount": 0,
        "termsAndConditions": "30 days",
        "gatewayIds": [],
        "items": [{"_id": b["item"], "quantity": 1, "unitPrice": "100.00"}],
    }


def purchase(b: dict[str, str]) -> dict[str, Any]:
    return {
        "supplierId": b["supplier"],
        "shippingAmount": 0,
        "termsAndConditions": "on delivery",
        "items": [{"_id": b["item"], "purchaseQuantity": 2, "purchaseUnitPrice": "3.50"}],
    }


async def test_sales_invoices_answer_and_filter_by_their_creator(api, app):
    # given two writers in one company and a stranger with invoices of their own
    owner, stranger = await api.register(), await api.register()
    clerk = await member_of(api, app, owner, "accountant")
    b, theirs = await invoice_books(api, owner), await invoice_books(api, stranger)
    # when
    mine = await post(api, owner, "/openapi/invoices", sale(b))
    clerks = await post(api, clerk, "/openapi/invoices", sale(b))
    by_graph = (await api.document(clerk, b["customer"]))["objectId"]
    foreign = await post(api, stranger, "/openapi/invoices", sale(theirs))
    # then the detail names its creator as documented, the list answers its id
    creator = (await get(api, owner, f"/openapi/invoices/{clerks}"))["creator"]
    assert creator == {
        "_id": clerk.user_id,
        "fullname": "Accountant member",
        "email": clerk.email,
        "role": "accountant",
    }
    assert (await get(api, owner, f"/openapi/invoices/{mine}"))["creator"]["role"] == "owner"
    rows = await get(api, owner, "/openapi/invoices")
    assert {r["_id"]: r["creatorUserId"] for r in rows} == {
        mine: owner.user_id,
        clerks: clerk.user_id,
        by_graph: clerk.user_id,
    }
    # and the filter finds exactly each one's, and nothing of another company
    path = "/openapi/invoices"
    assert await listed_ids(api, owner, path, creatorUserId=clerk.user_id) == {clerks, by_graph}
    assert await listed_ids(api, owner, path, creatorUserId=owner.user_id) == {mine}
    assert await listed_ids(api, owner, path, creatorUserId=stranger.user_id) == set()
    assert await listed_ids(api, owner, path, creatorUserId=new_id()) == set()
    assert await listed_ids(api, stranger, path, creatorUserId=stranger.user_id) == {foreign}


async def test_purchase_invoices_and_converted_documents_keep_their_creator(api, app):
    owner, stranger = await api.register(), await api.register()
    clerk = await member_of(api, app, owner, "accountant")
    b, theirs = await invoice_books(api, owner), await invoice_books(api, stranger)
    path = "/openapi/purchase-invoices"
    mine = await post(api, owner, path, purchase(b))
    clerks = await post(api, clerk, path, purchase(b))
    foreign = await post(api, stranger, path, purchase(theirs))
    rows = await get(api, owner, path)
    assert {r["_id"]: r["creatorUserId"] for r in rows} == {
        mine: owner.user_id,
        clerks: clerk.user_id,
    }
    assert await listed_ids(api, owner, path, creatorUserId=clerk.user_id) == {clerks}
    assert await listed_ids(api, owner, path, creatorUserId=stranger.user_id) == set()
    assert await listed_ids(api, stranger, path, creatorUserId=stranger.user_id) == {foreign}
    # a document made by converting an estimate is the converting user's
    estimate = await api.document(owner, b["customer"], kind="ESTIMATE")
    converted = await api.data(CONVERT, {"id": estimate["id"]}, clerk)
    invoice = converted["documentConvert"]["document"]["objectId"]
    assert converted["documentConvert"]["userErrors"] == []
    creator = (await get(api, owner, f"/openapi/invoices/{invoice}"))["creator"]
    assert creator["_id"] == clerk.user_id
