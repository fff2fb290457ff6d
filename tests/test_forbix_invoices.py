"""Forbix Open-API sales invoices: /openapi/invoices and /openapi/invoices/{invoiceId}."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

from gql.core.ids import new_id
from tests.factories import concurrently
from tests.forbix import INVOICE_FIELDS, INVOICE_LIST_FIELDS, check_shape

DOCUMENT = """
query($id: ID!) { document(id: $id) {
  objectId kind number status reference notes terms gatewayIds attachments paymentDescription
  wasEstimate archived subtotal { amount } taxTotal { amount } shipping { amount }
  total { amount } amountDue { amount } discountAmount discountRate
  lines { name quantity unitPrice discountRate discountAmount taxRate net description }
} }"""

# The document's example request body; its ids are put in by `example`.
EXAMPLE: dict[str, Any] = {
    "customerId": "5f4e3f3b8f8b9a001f3b3b3b",
    "shippingAmount": 1000,
    "termsAndConditions": "string",
    "gatewayIds": ["EMPTY"],
    "items": [
        {
            "_id": "5f4e3f3b8f8b9a001f3b3b3b",
            "quantity": 1,
            "vatId": "5f4e3f3b8f8b9a001f3b3b3b",
            "variantId": "5f4e3f3b8f8b9a001f3b3b3b",
            "unitPrice": 1,
            "discountRate": 1,
            "discountFlat": 1,
            "comment": "some comment",
        }
    ],
    "createDate": 1598947200000,
    "dueDate": 1598947200000,
    "sentDate": "0",
    "attachments": ["string"],
    "notes": "this is a note",
    "invoiceNumber": "INV-1234",
    "paymentDescription": "this is a payment description",
    "referenceNumber": "12231",
    "discountFlat": 0,
    "discountRate": 0,
    "wasEstimate": True,
}


def ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


class Books:
    """A customer, a 10% tax and an item of one company."""

    def __init__(self, tenant: Any, customer: str, tax: str, item: str) -> None:
        self.tenant, self.customer, self.tax, self.item = tenant, customer, tax, item

    def example(self, **changes: Any) -> dict[str, Any]:
        body = copy.deepcopy(EXAMPLE)
        body["customerId"] = self.customer
        line = body["items"][0]
        line.update({"_id": self.item, "vatId": self.tax, "unitPrice": 100})
        del line["variantId"]
        body.update(changes)
        return body


async def books(api) -> Books:
    owner = await api.register()
    customer = await api.contact(owner, name="Carter & Co")
    tax = await api.tax(owner, rate="10")
    item = await api.item(owner, name="Consulting", salePrice="50", type="SERVICE")
    return Books(owner, customer["id"], tax["objectId"], item["objectId"])


async def create(api, b: Books, body: dict[str, Any]) -> str:
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=body)
    assert r.status_code == 201, r.text
    return r.json()["data"]["_id"]  # type: ignore[no-any-return]


async def detail(api, b: Books, invoice_id: str) -> dict[str, Any]:
    r = await api.rest("GET", f"/openapi/invoices/{invoice_id}", b.tenant)
    assert r.status_code == 200, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


async def listing(api, b: Books, **params: Any) -> dict[str, Any]:
    r = await api.rest("GET", "/openapi/invoices", b.tenant, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_the_documented_example_names_each_reference_it_cannot_find(api):
    b = await books(api)
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=EXAMPLE)
    assert r.status_code == 400, r.text
    assert {e["field"] for e in r.json()["errors"]} == {"customerId"}
    body = copy.deepcopy(EXAMPLE) | {"customerId": b.customer}
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=body)
    assert r.status_code == 400, r.text
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"items[0]._id", "items[0].vatId", "items[0].variantId"}


async def test_the_example_with_real_ids_refuses_a_discount_larger_than_its_line(api):
    b = await books(api)
    body = b.example()
    body["items"][0]["unitPrice"] = 1  # as the document has it: 1 - 1% - 1 < 0
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=body)
    assert r.status_code == 400, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["items[0].discountFlat"]


async def test_create_then_get_answers_every_documented_field_with_the_graphs_totals(api):
    # given
    b = await books(api)
    # when
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=b.example())
    # then
    assert r.status_code == 201, r.text
    assert r.json()["success"] is True and r.json()["message"] == "SUCCESSFUL"
    invoice_id = r.json()["data"]["_id"]
    data = await detail(api, b, invoice_id)
    check_shape(data, INVOICE_FIELDS)
    # 1 x 100 less 1% less 1 = 98.00; VAT 10% = 9.80; shipping 1000
    assert data["subTotal"] == 98 and data["totalVat"] == 9.8 and data["shippingAmount"] == 1000
    assert data["totalInvoicePrice"] == 1107.8 and data["amountDue"] == 1107.8
    assert data["invoiceNumber"] == "INV-1234" and data["number"] == 1234
    assert data["type"] == "INVOICE" and data["state"] == "UNPAID" and data["tax"] == "10%"
    # 1598947200000 is 2020-09-01 08:00 UTC: documents are dated by the day, answered as
    # the day's first instant (UTC)
    day = ms(date(2020, 9, 1))
    assert data["createDate"] == day and data["dueDate"] == day
    assert data["sentDate"] is None and data["voucherId"] is None  # "0": not sent
    assert data["gatewayIds"] == ["EMPTY"] and data["attachments"] == ["string"]
    assert data["wasEstimate"] is True and data["debitOrCredit"] == "debit"
    assert data["customerInfo"]["_id"] == b.customer
    assert data["companyInfo"]["_id"] == b.tenant.company_id
    line = data["items"][0]
    assert line["_id"] == b.item and line["name"] == "Consulting"
    assert line["price"] == 100 and line["quantity"] == 1 and line["vatPercent"] == 10
    assert line["comment"] == "some comment"
    # the graph reads the same document and the same figures
    doc = (await api.data(DOCUMENT, {"id": invoice_id}, b.tenant))["document"]
    assert doc["kind"] == "INVOICE" and doc["number"] == "INV-1234" and doc["status"] == "DRAFT"
    assert doc["total"]["amount"] == "1107.80" and doc["subtotal"]["amount"] == "98.00"
    assert doc["gatewayIds"] == ["EMPTY"] and doc["wasEstimate"] is True
    assert doc["terms"] == "string" and doc["reference"] == "12231"
    assert doc["paymentDescription"] == "this is a payment description"
    assert doc["lines"][0]["description"] == "some comment"
    # and so does Numbors
    numbors = await api.rest("GET", f"/api/documents/{invoice_id}", b.tenant)
    assert numbors.status_code == 200
    assert str(numbors.json()["data"]["total"]) in ("1107.8", "1107.80")


async def test_a_sent_date_issues_the_invoice_and_posts_its_voucher(api):
    b = await books(api)
    invoice_id = await create(api, b, b.example(sentDate=ms(date(2020, 9, 1)), dueDate=None))
    data = await detail(api, b, invoice_id)
    assert data["voucherId"] is not None and isinstance(data["sentDate"], int)
    doc = (await api.data(DOCUMENT, {"id": invoice_id}, b.tenant))["document"]
    assert doc["status"] == "SENT"


async def test_zero_amount_invoices_are_allowed(api):
    b = await books(api)
    body = b.example(shippingAmount=0, sentDate=ms(date(2020, 9, 1)))
    body["items"][0].update(unitPrice=0, discountRate=0, discountFlat=0)
    data = await detail(api, b, await create(api, b, body))
    assert data["totalInvoicePrice"] == 0 and data["voucherId"] is None  # nothing to post


async def test_the_number_is_the_series_when_none_is_given_and_unique_when_one_is(api):
    b = await books(api)
    body = b.example()
    del body["invoiceNumber"]
    data = await detail(api, b, await create(api, b, body))
    assert data["invoiceNumber"].startswith("INV-") and data["number"] == 1
    await create(api, b, b.example())
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=b.example())
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "invoiceNumber"


async def test_create_requires_the_documented_fields(api):
    b = await books(api)
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json={"notes": "x"})
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {
        "customerId",
        "shippingAmount",
        "termsAndConditions",
        "gatewayIds",
        "items",
    }


async def test_bad_values_are_400s_naming_the_forbix_field(api):
    b = await books(api)
    body = b.example(createDate="yesterday", shippingAmount="lots")
    body["items"][0]["quantity"] = 0
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=body)
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"createDate"}
    del body["createDate"]
    r = await api.rest("POST", "/openapi/invoices", b.tenant, json=body)
    assert {e["field"] for e in r.json()["errors"]} == {"shippingAmount", "items[0].quantity"}


async def test_put_is_partial_and_empty_lists_clear(api):
    b = await books(api)
    invoice_id = await create(api, b, b.example())
    r = await api.rest(
        "PUT",
        f"/openapi/invoices/{invoice_id}",
        b.tenant,
        json={
            "_id": invoice_id,
            "companyId": b.tenant.company_id,
            "gatewayIds": [],
            "attachments": [],
            "notes": "changed",
            "shippingAmount": 0,
            "discountRate": 10,
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"_id": invoice_id, "version": 2}
    data = await detail(api, b, invoice_id)
    assert data["gatewayIds"] == [] and data["attachments"] == [] and data["notes"] == "changed"
    # 98.00 less 10% = 88.20, VAT still on the lines (9.80), no shipping
    assert data["totalInvoicePrice"] == 98.0 and data["discounts"] == "10%"
    assert data["termsAndConditions"] == "string" and data["wasEstimate"] is True


async def test_put_replaces_items_of_a_draft_and_refuses_them_once_sent(api):
    b = await books(api)
    invoice_id = await create(api, b, b.example())
    items = [{"_id": b.item, "quantity": 3, "unitPrice": 10}]
    r = await api.rest("PUT", f"/openapi/invoices/{invoice_id}", b.tenant, json={"items": items})
    assert r.status_code == 200, r.text
    assert (await detail(api, b, invoice_id))["subTotal"] == 30
    r = await api.rest(
        "PUT", f"/openapi/invoices/{invoice_id}", b.tenant, json={"sentDate": ms(date(2020, 9, 2))}
    )
    assert r.status_code == 200 and (await detail(api, b, invoice_id))["voucherId"]
    r = await api.rest(
        "PUT",
        f"/openapi/invoices/{invoice_id}",
        b.tenant,
        json={"items": items, "isArchived": True},
    )
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "items"
    r = await api.rest(
        "PUT", f"/openapi/invoices/{invoice_id}", b.tenant, json={"isArchived": True}
    )
    assert r.status_code == 200 and (await detail(api, b, invoice_id))["isArchived"] is True


async def test_another_companys_invoice_is_not_found_like_a_missing_one(api):
    b, stranger = await books(api), await api.register()
    invoice_id = await create(api, b, b.example())
    bill = await api.document(
        b.tenant, (await api.contact(b.tenant, type="supplier"))["id"], kind="BILL"
    )
    for target in (invoice_id, new_id(), "junk", bill["objectId"]):
        tenant = b.tenant if target == bill["objectId"] else stranger
        got = await api.rest("GET", f"/openapi/invoices/{target}", tenant)
        put = await api.rest("PUT", f"/openapi/invoices/{target}", tenant, json={"notes": "x"})
        assert got.status_code == put.status_code == 404, (target, got.text)
    r = await api.rest("POST", "/openapi/invoices", stranger, json=b.example())
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"customerId"}


async def test_the_list_answers_the_documented_fields_and_every_filter(api):
    b = await books(api)
    first = await create(
        api, b, b.example(createDate=ms(date(2020, 1, 10)), dueDate=ms(date(2020, 1, 20)))
    )
    body = b.example(
        invoiceNumber="INV-9",
        referenceNumber="PO-77",
        createDate=ms(date(2020, 3, 1)),
        dueDate=ms(date(2999, 1, 1)) if False else ms(date(2200, 1, 1)),
        sentDate=ms(date(2020, 3, 2)),
        isArchived=True,
    )
    body["items"][0].update(unitPrice=10, discountRate=0, discountFlat=0)
    second = await create(api, b, body)  # 10 + 1.00 VAT + 1000 shipping, sent, not due
    other_customer = await api.contact(b.tenant, name="Zed Ltd")
    third = await create(
        api, b, b.example(customerId=other_customer["id"], invoiceNumber="INV-3", dueDate=None)
    )

    page = await listing(api, b)
    assert page["totalCount"] == 3 and page["totalPages"] == 1
    for row in page["data"]:
        check_shape(row, INVOICE_LIST_FIELDS)

    async def ids(**params: Any) -> set[str]:
        return {row["_id"] for row in (await listing(api, b, **params))["data"]}

    assert await ids(state="UNPAID") == {first, second, third}
    assert await ids(state="OVERDUE") == set()  # a draft is not overdue, though past due
    assert await ids(state="PAID") == set()
    assert await ids(search="zed") == {third}
    assert await ids(search="INV-9") == {second}
    assert await ids(invoiceNumber="INV-12") == {first}
    assert await ids(referenceNumber="PO-77") == {second}
    assert await ids(customerId=other_customer["id"]) == {third}
    assert await ids(totalInvoicePriceFrom=1011, totalInvoicePriceTo=1011) == {second}
    assert await ids(totalInvoicePrice=1011) == {second}
    assert await ids(createDateFrom=ms(date(2020, 2, 1)), createDateTo=ms(date(2020, 4, 1))) == {
        second
    }
    assert await ids(dueDateTo=ms(date(2020, 1, 31))) == {first}
    assert await ids(sentDateFrom=ms(date(2020, 3, 1))) == {second}
    assert await ids(isArchived="true") == {second}
    assert await ids(isArchived="false") == {first, third}
    assert await ids(hasReturns="true") == set()
    assert await ids(hasReturns="false") == {first, second, third}
    assert await ids(debitOrCredit="debit") == {first, second, third}
    assert await ids(debitOrCredit="credit") == set()
    assert await ids(deliveryStatus="NOT_DELIVERED") == {first, second, third}
    assert await ids(hasOfficialTaxInfo="true") == set()
    ordered = await listing(api, b, sortBy="totalInvoicePrice", order="asc", pageSize=1, page=0)
    assert [r["_id"] for r in ordered["data"]] == [second] and ordered["totalPages"] == 3


async def test_overdue_invoices_are_overdue(api):
    b = await books(api)
    overdue = await create(
        api,
        b,
        b.example(
            createDate=ms(date(2020, 1, 1)),
            dueDate=ms(date(2020, 2, 1)),
            sentDate=ms(date(2020, 1, 1)),
        ),
    )
    assert (await detail(api, b, overdue))["state"] == "OVERDUE"
    assert {r["_id"] for r in (await listing(api, b, state="OVERDUE"))["data"]} == {overdue}
    assert (await listing(api, b, state="UNPAID"))["totalCount"] == 0


async def test_bad_list_parameters_are_400s_naming_them(api):
    b = await books(api)
    for params, field in (
        ({"sortBy": "colour"}, "sortBy"),
        ({"state": "LOST"}, "state"),
        ({"totalInvoicePriceFrom": "1e3"}, "totalInvoicePriceFrom"),
        ({"dueDateFrom": "1.5"}, "dueDateFrom"),
        ({"hasReturns": "perhaps"}, "hasReturns"),
        ({"pageSize": "0"}, "pageSize"),
    ):
        r = await api.rest("GET", "/openapi/invoices", b.tenant, params=params)
        assert r.status_code == 400, (params, r.text)
        assert r.json()["errors"][0]["field"] == field


async def test_a_list_page_costs_the_same_statements_for_2_and_8_rows(api, sql_counter):
    b = await books(api)
    for n in range(8):
        await create(api, b, b.example(invoiceNumber=f"INV-{n}"))
    counts = []
    for size in (2, 8):
        sql_counter.reset()
        assert len((await listing(api, b, pageSize=size))["data"]) == size
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements


async def test_the_detail_costs_a_fixed_few_statements_whatever_its_lines(api, sql_counter):
    b = await books(api)
    one = await create(api, b, b.example(invoiceNumber="A"))
    many = b.example(invoiceNumber="B")
    many["items"] = many["items"] * 12
    many_id = await create(api, b, many)
    counts = []
    for invoice_id in (one, many_id):
        sql_counter.reset()
        await detail(api, b, invoice_id)
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements


async def test_concurrent_creates_with_one_number_make_one_invoice(api, app):
    b = await books(api)
    body = b.example(invoiceNumber="INV-RACE")
    answers = await concurrently(app, b.tenant, [("POST", "/openapi/invoices", body)] * 4)
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201, 409, 409, 409], [r.text for r in answers]
    assert all(
        r.json()["errors"][0]["field"] == "invoiceNumber" for r in answers if r.status_code == 409
    )
    assert (await listing(api, b, invoiceNumber="INV-RACE"))["totalCount"] == 1
