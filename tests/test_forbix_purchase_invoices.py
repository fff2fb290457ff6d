"""Forbix Open-API purchase invoices: /openapi/purchase-invoices, bills in the graph."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

from gql.core.ids import new_id

PATH = "/openapi/purchase-invoices"
DOCUMENT = """
query($id: ID!) { document(id: $id) {
  kind number status shipping { amount } subtotal { amount } taxTotal { amount } total { amount }
  archived attachments lines { quantity unitPrice discountRate discountAmount description }
} }"""

# The document's example request body; its ids are put in by `example`.
EXAMPLE: dict[str, Any] = {
    "invoiceNumber": "INV-1234",
    "supplierId": "5f4e3f3b8f8b9a001f3b3b3b",
    "dueDate": 1598947200000,
    "sentDate": "0",
    "createDate": 1598947200000,
    "items": [
        {
            "_id": "5f4e3f3b8f8b9a001f3b3b3b",
            "purchaseQuantity": 1,
            "vatId": "5f4e3f3b8f8b9a001f3b3b3b",
            "variantId": "5f4e3f3b8f8b9a001f3b3b3b",
            "purchaseUnitPrice": 100000,
            "purchaseDiscountRate": 0,
            "purchaseDiscountFlat": 0,
            "comment": "some comment",
        }
    ],
    "attachments": ["string"],
    "discountFlat": 0,
    "discountRate": 0,
    "referenceNumber": "12231",
    "shippingAmount": 1000,
    "termsAndConditions": "string",
    "notes": "this is a note",
}


def ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


async def supplier_books(api) -> tuple[Any, dict[str, Any]]:
    owner = await api.register()
    r = await api.rest(
        "POST",
        "/openapi/customers",
        owner,
        json={
            "type": "BUSINESS",
            "customerDisplayName": "Parts Ltd",
            "crmGroupId": ["suppliers"],
            "customerCategory": "SUPPLIER",
        },
    )
    assert r.status_code == 201, r.text
    tax = await api.tax(owner, rate="10")
    item = await api.item(owner, name="Bolts", purchasePrice="3")
    body = copy.deepcopy(EXAMPLE)
    body["supplierId"] = r.json()["data"]["_id"]
    body["items"][0].update(_id=item["objectId"], vatId=tax["objectId"])
    del body["items"][0]["variantId"]
    return owner, body


async def test_the_example_creates_a_bill_answering_its_id_beside_the_envelope(api):
    # given the documented example with this company's supplier, item and tax
    owner, body = await supplier_books(api)
    # when
    r = await api.rest("POST", PATH, owner, json=body)
    # then
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["success"] is True and answer["message"] == "SUCCESSFUL"
    bill_id = answer["_id"]
    doc = (await api.data(DOCUMENT, {"id": bill_id}, owner))["document"]
    assert doc["kind"] == "BILL" and doc["number"] == "INV-1234" and doc["status"] == "DRAFT"
    # 1 x 100000, VAT 10%, shipping 1000: the graph's totals
    assert doc["subtotal"]["amount"] == "100000.00" and doc["taxTotal"]["amount"] == "10000.00"
    assert doc["total"]["amount"] == "111000.00" and doc["attachments"] == ["string"]
    assert doc["lines"][0]["description"] == "some comment"
    numbors = await api.rest("GET", f"/api/documents/{bill_id}", owner)
    assert numbors.status_code == 200 and numbors.json()["data"]["type"] == "bill"


async def test_purchase_fields_name_the_forbix_field_when_refused(api):
    owner, body = await supplier_books(api)
    body["items"][0]["purchaseQuantity"] = -1
    body["items"][0]["purchaseDiscountFlat"] = "x"
    r = await api.rest("POST", PATH, owner, json=body)
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {
        "items[0].purchaseQuantity",
        "items[0].purchaseDiscountFlat",
    }
    r = await api.rest("POST", PATH, owner, json={"notes": "x"})
    assert {e["field"] for e in r.json()["errors"]} == {
        "supplierId",
        "items",
        "shippingAmount",
        "termsAndConditions",
    }


async def test_a_customer_is_no_supplier(api):
    owner, body = await supplier_books(api)
    customer = await api.contact(owner)
    r = await api.rest("POST", PATH, owner, json=body | {"supplierId": customer["id"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "supplierId"


async def test_put_changes_the_bill_and_a_sent_date_issues_it(api):
    owner, body = await supplier_books(api)
    bill_id = (await api.rest("POST", PATH, owner, json=body)).json()["_id"]
    change = {
        "invoiceId": bill_id,
        "supplierId": body["supplierId"],
        "items": [
            {
                "_id": body["items"][0]["_id"],
                "vatId": body["items"][0]["vatId"],
                "purchaseQuantity": 2,
                "purchaseUnitPrice": 5,
            }
        ],
        "shippingAmount": 0,
        "termsAndConditions": "net 30",
        "attachments": [],
        "isArchived": True,
        "sentDate": ms(date(2020, 9, 2)),
    }
    r = await api.rest("PUT", f"{PATH}/{bill_id}", owner, json=change)
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True and r.json()["message"] == "SUCCESSFUL"
    doc = (await api.data(DOCUMENT, {"id": bill_id}, owner))["document"]
    assert doc["status"] == "SENT" and doc["total"]["amount"] == "11.00"
    assert doc["archived"] is True and doc["attachments"] == []
    r = await api.rest("PUT", f"{PATH}/{bill_id}", owner, json={"shippingAmount": 5})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "shippingAmount"


async def test_the_list_filters_bills_and_only_bills(api):
    owner, body = await supplier_books(api)
    first = (await api.rest("POST", PATH, owner, json=body)).json()["_id"]
    second_body = body | {"invoiceNumber": "B-2", "createDate": ms(date(2021, 5, 5)), "dueDate": 0}
    second = (await api.rest("POST", PATH, owner, json=second_body)).json()["_id"]
    await api.document(owner, (await api.contact(owner))["id"])  # an invoice: not listed

    async def ids(**params: Any) -> set[str]:
        r = await api.rest("GET", PATH, owner, params=params)
        assert r.status_code == 200, r.text
        return {row["_id"] for row in r.json()["data"]}

    assert await ids() == {first, second}
    assert await ids(invoiceNumber="B-2") == {second}
    assert await ids(search="parts") == {first, second}
    assert await ids(createDateFrom=ms(date(2021, 1, 1))) == {second}
    assert await ids(debitOrCredit="credit") == {first, second}
    assert await ids(debitOrCredit="debit") == set()
    assert await ids(state="UNPAID") == {first, second}
    assert await ids(totalInvoicePrice="111000") == {first, second}
    assert await ids(isArchived="true") == set()


async def test_another_companys_bill_is_not_found_like_a_missing_one(api):
    owner, body = await supplier_books(api)
    stranger = await api.register()
    bill_id = (await api.rest("POST", PATH, owner, json=body)).json()["_id"]
    invoice = await api.document(owner, (await api.contact(owner))["id"])
    for tenant, target in ((stranger, bill_id), (owner, new_id()), (owner, invoice["objectId"])):
        r = await api.rest("PUT", f"{PATH}/{target}", tenant, json={"notes": "x"})
        assert r.status_code == 404 and r.json()["success"] is False
    r = await api.rest("GET", PATH, stranger)
    assert r.json()["totalCount"] == 0


async def test_a_list_page_costs_the_same_statements_for_2_and_6_rows(api, sql_counter):
    owner, body = await supplier_books(api)
    for n in range(6):
        assert (
            await api.rest("POST", PATH, owner, json=body | {"invoiceNumber": f"B{n}"})
        ).status_code == 201
    counts = []
    for size in (2, 6):
        sql_counter.reset()
        r = await api.rest("GET", PATH, owner, params={"pageSize": size})
        assert len(r.json()["data"]) == size
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements
