"""Documents over GraphQL: create with lines, totals, issue, cancel, locks, delete, lists."""

from __future__ import annotations

DOCUMENT_FIELDS = """
  id objectId kind number status overdue issueDate dueDate currencyCode
  subtotal { amount currency } discountTotal { amount } taxTotal { amount }
  shipping { amount } total { amount currency } amountPaid { amount } amountDue { amount }
  contact { id name }
  lines { position name quantity unitPrice discountRate discountAmount taxRate net taxAmount
          item { id name } variant { id } tax { id rate } }
"""

CREATE = f"""
mutation($input: DocumentCreateInput!) {{
  documentCreate(input: $input) {{ document {{ {DOCUMENT_FIELDS} }} userErrors {{ field message code }} }}
}}"""

UPDATE = f"""
mutation($input: DocumentUpdateInput!) {{
  documentUpdate(input: $input) {{ document {{ {DOCUMENT_FIELDS} }} userErrors {{ field message code }} }}
}}"""

ISSUE = """
mutation($input: DocumentIdInput!) {
  documentIssue(input: $input) { document { status issuedAt } userErrors { field message code } }
}"""

CANCEL = """
mutation($input: DocumentIdInput!) {
  documentCancel(input: $input) { document { status cancelledAt } userErrors { field message code } }
}"""

DELETE = """
mutation($input: DocumentIdInput!) {
  documentDelete(input: $input) { deletedDocumentId userErrors { field message code } }
}"""

GET = f"query($id: ID!) {{ document(id: $id) {{ {DOCUMENT_FIELDS} }} }}"

LIST = """
query($filter: DocumentFilter, $orderBy: DocumentOrder, $first: Int, $after: String) {
  documents(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { number kind status issueDate total { amount } }
  }
}"""


async def _customer(api, tenant, **fields):
    contact = await api.contact(tenant, **fields)
    data = await api.data(
        "query($id: ID!) { contact(id: $id) { id } }", {"id": contact["id"]}, tenant
    )
    return data["contact"]["id"]


async def test_invoice_totals_follow_the_rules_exactly(api):
    # given an item with a 20% tax
    owner = await api.register()
    tax = await api.tax(owner, rate="20")
    item = await api.item(owner, salePrice="19.99", taxId=tax["id"])
    contact_id = await _customer(api, owner)
    # when an invoice is created with a discounted line, a plain line, a document discount and shipping
    payload = await api.mutate(
        "documentCreate",
        CREATE,
        {
            "kind": "INVOICE",
            "contactId": contact_id,
            "issueDate": "2026-01-10",
            "dueDate": "2026-02-10",
            "discountRate": "10",
            "discountAmount": "2",
            "shipping": "5",
            "lines": [
                {
                    "itemId": item["id"],
                    "quantity": "3",
                    "discountRate": "10",
                    "discountAmount": "1",
                },
                {"name": "Consulting", "quantity": "1.5", "unitPrice": "100.00"},
            ],
        },
        owner,
    )
    doc = payload["document"]
    # then line 1 takes the item's price, name and tax; line 2 has no tax
    first, second = doc["lines"]
    assert first["name"] == item["name"]
    assert first["unitPrice"] == "19.9900"
    assert (
        first["net"] == "52.97" and first["taxAmount"] == "10.59" and first["taxRate"] == "20.0000"
    )
    assert first["tax"]["id"] == tax["id"]
    assert second["net"] == "150.00" and second["taxAmount"] == "0.00" and second["tax"] is None
    # subtotal 202.97; discount 20.30 + 2.00; tax 10.59; shipping 5
    assert doc["subtotal"] == {"amount": "202.97", "currency": "USD"}
    assert doc["discountTotal"]["amount"] == "22.30"
    assert doc["taxTotal"]["amount"] == "10.59"
    assert doc["total"] == {"amount": "196.26", "currency": "USD"}
    assert doc["amountPaid"]["amount"] == "0.00"
    assert doc["amountDue"]["amount"] == "196.26"
    assert doc["status"] == "DRAFT" and doc["number"] == "INV-00001"


async def test_the_create_payload_is_the_document_as_read_back(api):
    # given items with default prices and taxes (one withheld), and a variant
    owner = await api.register()
    vat = await api.tax(owner, rate="17.5")
    withheld = await api.tax(owner, rate="5", type="WITHHOLDING")
    item = await api.item(owner, salePrice="12.5", taxId=vat["id"])
    plain = await api.item(owner, salePrice="3")
    contact_id = await _customer(api, owner)
    # when a document is created from them (the payload answers from what was written)
    lines = [
        {"itemId": item["id"], "quantity": "3", "discountRate": "12.5"},
        {"itemId": plain["id"], "taxId": withheld["id"], "discountAmount": "0.5"},
        {"name": "Labour", "quantity": "1.5", "unitPrice": "40.1", "taxId": vat["id"]},
    ]
    created = await api.mutate(
        "documentCreate",
        CREATE,
        {"kind": "INVOICE", "contactId": contact_id, "shipping": "4.99", "lines": lines},
        owner,
    )
    # then it is exactly what reading the document answers, lines in order
    read = await api.data(GET, {"id": created["document"]["id"]}, owner)
    assert created["document"] == read["document"]
    assert [line["position"] for line in created["document"]["lines"]] == [0, 1, 2]


async def test_numbers_follow_a_series_per_kind_and_company(api):
    owner, other = await api.register(), await api.register()
    customer = await _customer(api, owner)
    supplier = await _customer(api, owner, type="supplier")
    first = await api.document(owner, customer)
    second = await api.document(owner, customer)
    bill = await api.document(owner, supplier, kind="BILL")
    elsewhere = await api.document(other, await _customer(api, other))
    assert [first["number"], second["number"], bill["number"]] == [
        "INV-00001",
        "INV-00002",
        "BILL-00001",
    ]
    assert elsewhere["number"] == "INV-00001"


async def test_issue_moves_draft_to_sent_and_locks_lines(api):
    owner = await api.register()
    doc = await api.document(owner, await _customer(api, owner))
    issued = await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    assert issued["document"]["status"] == "SENT" and issued["document"]["issuedAt"]
    # when the lines of the issued invoice are rewritten
    data = await api.data(
        UPDATE,
        {"input": {"id": doc["id"], "lines": [{"name": "x", "unitPrice": "1"}], "shipping": "3"}},
        owner,
    )
    # then it is refused for each locked field, and nothing changed
    errors = data["documentUpdate"]["userErrors"]
    assert {tuple(e["field"]) for e in errors} == {("input", "lines"), ("input", "shipping")}
    assert {e["code"] for e in errors} == {"LOCKED"}
    after = (await api.data(GET, {"id": doc["id"]}, owner))["document"]
    assert after["total"]["amount"] == "100.00" and len(after["lines"]) == 1
    # notes may still change
    ok = await api.mutate("documentUpdate", UPDATE, {"id": doc["id"], "notes": "Thanks"}, owner)
    assert ok["document"]["total"]["amount"] == "100.00"


async def test_issuing_twice_or_an_empty_draft_is_refused(api):
    owner = await api.register()
    contact_id = await _customer(api, owner)
    empty = await api.document(owner, contact_id, lines=[])
    data = await api.data(ISSUE, {"input": {"id": empty["id"]}}, owner)
    assert data["documentIssue"]["userErrors"][0]["field"] == ["input", "lines"]
    doc = await api.document(owner, contact_id)
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    again = await api.data(ISSUE, {"input": {"id": doc["id"]}}, owner)
    assert again["documentIssue"]["userErrors"][0]["code"] == "INVALID_STATE"


async def test_cancel_stops_everything(api):
    owner = await api.register()
    doc = await api.document(owner, await _customer(api, owner))
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    cancelled = await api.mutate("documentCancel", CANCEL, {"id": doc["id"]}, owner)
    assert cancelled["document"]["status"] == "CANCELLED"
    change = await api.data(UPDATE, {"input": {"id": doc["id"], "notes": "late"}}, owner)
    assert change["documentUpdate"]["userErrors"][0]["code"] == "INVALID_STATE"
    delete = await api.data(DELETE, {"input": {"id": doc["id"]}}, owner)
    assert delete["documentDelete"]["userErrors"][0]["code"] == "INVALID_STATE"


async def test_draft_update_replaces_lines_and_recomputes(api):
    owner = await api.register()
    doc = await api.document(owner, await _customer(api, owner))
    payload = await api.mutate(
        "documentUpdate",
        UPDATE,
        {
            "id": doc["id"],
            "lines": [
                {"name": "A", "quantity": "2", "unitPrice": "10"},
                {"name": "B", "unitPrice": "0.5"},
            ],
        },
        owner,
    )
    assert [line["name"] for line in payload["document"]["lines"]] == ["A", "B"]
    assert payload["document"]["total"]["amount"] == "20.50"


async def test_draft_delete_removes_it(api):
    owner = await api.register()
    doc = await api.document(owner, await _customer(api, owner))
    payload = await api.mutate("documentDelete", DELETE, {"id": doc["id"]}, owner)
    assert payload["deletedDocumentId"] == doc["id"]
    body = await api.gql(GET, {"id": doc["id"]}, owner)
    assert body["data"]["document"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_bad_input_names_the_field_and_writes_nothing(api):
    owner = await api.register()
    contact_id = await _customer(api, owner)
    supplier_id = await _customer(api, owner, type="supplier")
    cases = [
        (
            {"lines": [{"name": "x", "quantity": "-1", "unitPrice": "1"}]},
            ["input", "lines", "0", "quantity"],
        ),
        ({"lines": [{"name": "x", "unitPrice": "-5"}]}, ["input", "lines", "0", "unitPrice"]),
        ({"lines": [{"quantity": "1"}]}, ["input", "lines", "0"]),
        ({"lines": [{"itemId": "000000000000000000000000"}]}, ["input", "lines", "0", "itemId"]),
        (
            {"lines": [{"name": "x", "unitPrice": "1", "discountAmount": "5"}]},
            ["input", "lines", "0", "discountAmount"],
        ),
        ({"contactId": "000000000000000000000000"}, ["input", "contactId"]),
        ({"contactId": supplier_id}, ["input", "contactId"]),
        ({"currencyCode": "XYZ"}, ["input", "currencyCode"]),
        ({"issueDate": "2026-02-01", "dueDate": "2026-01-01"}, ["input", "dueDate"]),
        ({"discountRate": "150"}, ["input", "discountRate"]),
    ]
    for change, field in cases:
        data = await api.data(
            CREATE, {"input": {"kind": "INVOICE", "contactId": contact_id, **change}}, owner
        )
        errors = data["documentCreate"]["userErrors"]
        assert data["documentCreate"]["document"] is None, change
        assert errors and errors[0]["field"] == field, (change, errors)
    listed = await api.data(LIST, {}, owner)
    assert listed["documents"]["totalCount"] == 0


async def test_unknown_enum_value_is_a_graphql_error(api):
    owner = await api.register()
    body = await api.gql(CREATE, {"input": {"kind": "RECEIPT", "contactId": "x"}}, owner)
    assert body["errors"] and "RECEIPT" in body["errors"][0]["message"]


async def test_list_filters_and_orders(api):
    owner = await api.register()
    customer = await _customer(api, owner)
    supplier = await _customer(api, owner, type="supplier")
    old = await api.document(owner, customer, issueDate="2025-01-01", dueDate="2025-02-01")
    await api.mutate("documentIssue", ISSUE, {"id": old["id"]}, owner)
    await api.document(owner, customer, issueDate="2026-03-01")
    await api.document(owner, supplier, kind="BILL", issueDate="2026-02-01")

    async def numbers(filter=None, order=None):
        data = await api.data(LIST, {"filter": filter, "orderBy": order}, owner)
        return [n["number"] for n in data["documents"]["nodes"]]

    assert await numbers() == ["INV-00002", "BILL-00001", "INV-00001"]  # newest issue date first
    assert await numbers(order={"field": "NUMBER", "direction": "ASC"}) == [
        "BILL-00001",
        "INV-00001",
        "INV-00002",
    ]
    assert await numbers({"kind": "BILL"}) == ["BILL-00001"]
    assert await numbers({"status": "SENT"}) == ["INV-00001"]
    assert await numbers({"overdue": True}) == ["INV-00001"]
    assert await numbers({"contactId": supplier}) == ["BILL-00001"]
    assert await numbers({"issueDateFrom": "2026-01-01", "issueDateTo": "2026-02-28"}) == [
        "BILL-00001"
    ]
    assert await numbers({"search": "bill-"}) == ["BILL-00001"]
    overdue = await api.data(GET, {"id": old["id"]}, owner)
    assert overdue["document"]["overdue"] is True


async def test_contact_documents_edge_is_a_connection(api):
    owner = await api.register()
    contact_id = await _customer(api, owner)
    for _ in range(3):
        await api.document(owner, contact_id)
    data = await api.data(
        """query($id: ID!) { contact(id: $id) { documents(first: 2, orderBy: {field: NUMBER, direction: ASC}) {
             totalCount pageInfo { hasNextPage endCursor } nodes { number } } } }""",
        {"id": contact_id},
        owner,
    )
    conn = data["contact"]["documents"]
    assert conn["totalCount"] == 3 and conn["pageInfo"]["hasNextPage"] is True
    assert [n["number"] for n in conn["nodes"]] == ["INV-00001", "INV-00002"]
    rest = await api.data(
        """query($id: ID!, $after: String) { contact(id: $id) { documents(first: 2, after: $after, orderBy: {field: NUMBER, direction: ASC}) {
             pageInfo { hasNextPage } nodes { number } } } }""",
        {"id": contact_id, "after": conn["pageInfo"]["endCursor"]},
        owner,
    )
    assert [n["number"] for n in rest["contact"]["documents"]["nodes"]] == ["INV-00003"]
    assert rest["contact"]["documents"]["pageInfo"]["hasNextPage"] is False


async def test_money_is_exact(api):
    owner = await api.register()
    doc = await api.document(
        owner,
        await _customer(api, owner),
        lines=[{"name": "dust", "quantity": "3", "unitPrice": "0.1"} for _ in range(10)],
    )
    assert doc["total"]["amount"] == "3.00"
