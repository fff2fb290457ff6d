"""Every document kind over GraphQL: estimates (accept, decline, expire, convert),
sales and purchase orders (convert), credit notes (against an invoice and its
contact, never above what is due; or on account), and the links both ways."""

from __future__ import annotations

from datetime import date, timedelta

DOC = """
  id objectId kind number status issueDate expiryDate expired currencyCode currencyRate
  discountRate discountAmount shipping { amount } subtotal { amount } taxTotal { amount }
  total { amount currency } amountPaid { amount } amountCredited { amount } amountDue { amount }
  contact { id } parent { id number kind status } children { id number kind status }
  lines { position name quantity unitPrice discountRate discountAmount taxRate net taxAmount
          tax { id } }
"""

CREATE = f"""
mutation($input: DocumentCreateInput!) {{
  documentCreate(input: $input) {{ document {{ {DOC} }} userErrors {{ field message code }} }}
}}"""

UPDATE = f"""
mutation($input: DocumentUpdateInput!) {{
  documentUpdate(input: $input) {{ document {{ {DOC} }} userErrors {{ field message code }} }}
}}"""

DELETE = """
mutation($input: DocumentIdInput!) {
  documentDelete(input: $input) { deletedDocumentId userErrors { field message code } }
}
"""

GET = f"query($id: ID!) {{ document(id: $id) {{ {DOC} }} }}"

LIST = """
query($filter: DocumentFilter) {
  documents(filter: $filter, orderBy: {field: NUMBER, direction: ASC}) {
    totalCount nodes { number }
  }
}
"""


def _step(name: str) -> str:
    return f"""
mutation($input: DocumentIdInput!) {{
  {name}(input: $input) {{ document {{ {DOC} }} userErrors {{ field message code }} }}
}}"""


ISSUE, CANCEL = _step("documentIssue"), _step("documentCancel")
ACCEPT, DECLINE = _step("estimateAccept"), _step("estimateDecline")


def _convert(name: str) -> str:
    return f"""
mutation($input: DocumentIdInput!) {{
  {name}(input: $input) {{
    document {{ {DOC} }} source {{ {DOC} }} userErrors {{ field message code }}
  }}
}}"""


ESTIMATE_CONVERT, DOCUMENT_CONVERT = _convert("estimateConvert"), _convert("documentConvert")

TODAY = date.today()
PAST = (TODAY - timedelta(days=30)).isoformat()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
NEXT_MONTH = (TODAY + timedelta(days=30)).isoformat()


async def _create(api, tenant, **input):
    return (await api.mutate("documentCreate", CREATE, input, tenant))["document"]


async def _do(api, tenant, mutation, doc_id, name):
    return await api.mutate(name, mutation, {"id": doc_id}, tenant)


async def _refused(api, tenant, mutation, input, name):
    data = await api.data(mutation, {"input": input}, tenant)
    payload = data[name]
    assert payload["userErrors"], payload
    assert payload.get("document") is None
    return payload["userErrors"][0]


async def _estimate(api, owner, contact_id, **fields):
    tax = await api.tax(owner, rate="10")
    return await _create(
        api,
        owner,
        kind="ESTIMATE",
        contactId=contact_id,
        expiryDate=NEXT_MONTH,
        discountRate="10",
        shipping="7.50",
        lines=[
            {
                "name": "Design",
                "quantity": "3",
                "unitPrice": "40",
                "taxId": tax["id"],
                "discountAmount": "5",
            },
            {"name": "Hosting", "unitPrice": "12.34"},
        ],
        **fields,
    )


# --- estimates -----------------------------------------------------------------------------


async def test_estimate_life_cycle_accept_then_convert_to_a_linked_invoice(api):
    # given a sent estimate
    owner = await api.register()
    contact = await api.contact(owner)
    est = await _estimate(api, owner, contact["id"])
    assert (est["kind"], est["status"], est["number"], est["expiryDate"]) == (
        "ESTIMATE",
        "DRAFT",
        "EST-00001",
        NEXT_MONTH,
    )
    sent = (await _do(api, owner, ISSUE, est["id"], "documentIssue"))["document"]
    assert sent["status"] == "SENT" and sent["expired"] is False
    # when the customer accepts it and it is converted
    accepted = (await _do(api, owner, ACCEPT, est["id"], "estimateAccept"))["document"]
    assert accepted["status"] == "ACCEPTED"
    payload = await _do(api, owner, ESTIMATE_CONVERT, est["id"], "estimateConvert")
    invoice, source = payload["document"], payload["source"]
    # then a draft invoice carries the same contact, currency, lines, discounts and shipping
    assert (invoice["kind"], invoice["status"], invoice["number"]) == (
        "INVOICE",
        "DRAFT",
        "INV-00001",
    )
    for key in (
        "contact",
        "currencyCode",
        "currencyRate",
        "discountRate",
        "discountAmount",
        "shipping",
        "subtotal",
        "taxTotal",
        "total",
    ):
        assert invoice[key] == est[key], key
    assert [{k: v for k, v in line.items()} for line in invoice["lines"]] == est["lines"]
    # and the two are linked both ways; the estimate is converted
    assert invoice["parent"] == {
        "id": est["id"],
        "number": "EST-00001",
        "kind": "ESTIMATE",
        "status": "CONVERTED",
    }
    assert source["status"] == "CONVERTED" and source["children"] == [
        {"id": invoice["id"], "number": "INV-00001", "kind": "INVOICE", "status": "DRAFT"}
    ]
    again = await api.data(GET, {"id": est["id"]}, owner)
    assert again["document"]["children"][0]["id"] == invoice["id"]
    # and it cannot be converted (or cancelled) again
    error = await _refused(api, owner, ESTIMATE_CONVERT, {"id": est["id"]}, "estimateConvert")
    assert error["code"] == "INVALID_STATE" and "converted" in error["message"]
    error = await _refused(api, owner, CANCEL, {"id": est["id"]}, "documentCancel")
    assert error["code"] == "INVALID_STATE"
    listed = await api.data(LIST, {"filter": {"parentId": est["id"]}}, owner)
    assert [n["number"] for n in listed["documents"]["nodes"]] == ["INV-00001"]


async def test_a_draft_estimate_converts_too(api):
    owner = await api.register()
    est = await _estimate(api, owner, (await api.contact(owner))["id"])
    payload = await _do(api, owner, DOCUMENT_CONVERT, est["id"], "documentConvert")
    assert payload["document"]["kind"] == "INVOICE" and payload["source"]["status"] == "CONVERTED"


async def test_declined_and_cancelled_estimates_do_not_convert(api):
    owner = await api.register()
    contact = await api.contact(owner)
    declined = await _estimate(api, owner, contact["id"])
    await _do(api, owner, ISSUE, declined["id"], "documentIssue")
    assert (await _do(api, owner, DECLINE, declined["id"], "estimateDecline"))["document"][
        "status"
    ] == "DECLINED"
    cancelled = await _estimate(api, owner, contact["id"])
    await _do(api, owner, CANCEL, cancelled["id"], "documentCancel")
    for doc, status in ((declined, "declined"), (cancelled, "cancelled")):
        error = await _refused(api, owner, ESTIMATE_CONVERT, {"id": doc["id"]}, "estimateConvert")
        assert error == {
            "field": ["input", "id"],
            "message": f"A {status} estimate cannot be converted",
            "code": "INVALID_STATE",
        }
    # a declined estimate is not accepted afterwards, and no invoice was made
    error = await _refused(api, owner, ACCEPT, {"id": declined["id"]}, "estimateAccept")
    assert error["code"] == "INVALID_STATE"
    listed = await api.data(LIST, {"filter": {"kind": "INVOICE"}}, owner)
    assert listed["documents"]["totalCount"] == 0


async def test_only_a_sent_estimate_is_accepted_or_declined(api):
    owner = await api.register()
    est = await _estimate(api, owner, (await api.contact(owner))["id"])
    for mutation, name in ((ACCEPT, "estimateAccept"), (DECLINE, "estimateDecline")):
        error = await _refused(api, owner, mutation, {"id": est["id"]}, name)
        assert error["code"] == "INVALID_STATE" and "draft" in error["message"]


async def test_expired_is_derived_from_the_expiry_date(api):
    # given estimates dated a month ago that expired yesterday: one sent, one draft, one accepted
    owner = await api.register()
    contact = await api.contact(owner)

    async def old_estimate():
        return await _create(
            api,
            owner,
            kind="ESTIMATE",
            contactId=contact["id"],
            issueDate=PAST,
            expiryDate=YESTERDAY,
            lines=[{"name": "x", "unitPrice": "1"}],
        )

    sent, draft, accepted, fresh = (
        await old_estimate(),
        await old_estimate(),
        await old_estimate(),
        await _estimate(api, owner, contact["id"]),
    )
    # (accepted while still valid: its expiry date is moved back afterwards)
    await api.mutate(
        "documentUpdate", UPDATE, {"id": accepted["id"], "expiryDate": NEXT_MONTH}, owner
    )
    await _do(api, owner, ISSUE, accepted["id"], "documentIssue")
    await _do(api, owner, ACCEPT, accepted["id"], "estimateAccept")
    await api.mutate(
        "documentUpdate", UPDATE, {"id": accepted["id"], "expiryDate": YESTERDAY}, owner
    )
    for doc in (sent, fresh):
        await _do(api, owner, ISSUE, doc["id"], "documentIssue")
    # then only the sent one past its date is expired, on the field and in the filter
    flags = {
        d["number"]: (await api.data(GET, {"id": d["id"]}, owner))["document"]["expired"]
        for d in (sent, draft, accepted, fresh)
    }
    assert flags == {
        sent["number"]: True,
        draft["number"]: False,
        accepted["number"]: False,
        fresh["number"]: False,
    }
    expired = await api.data(LIST, {"filter": {"expired": True}}, owner)
    assert [n["number"] for n in expired["documents"]["nodes"]] == [sent["number"]]
    not_expired = await api.data(LIST, {"filter": {"expired": False}}, owner)
    assert not_expired["documents"]["totalCount"] == 3
    # and an expired estimate can be declined, not accepted
    error = await _refused(api, owner, ACCEPT, {"id": sent["id"]}, "estimateAccept")
    assert error["code"] == "INVALID_STATE" and "expired" in error["message"]
    assert (await _do(api, owner, DECLINE, sent["id"], "estimateDecline"))["document"][
        "expired"
    ] is False


async def test_expiry_date_belongs_to_estimates_and_follows_the_issue_date(api):
    owner = await api.register()
    contact = await api.contact(owner)
    error = await _refused(
        api,
        owner,
        CREATE,
        {"kind": "INVOICE", "contactId": contact["id"], "expiryDate": NEXT_MONTH},
        "documentCreate",
    )
    assert error["field"] == ["input", "expiryDate"]
    error = await _refused(
        api,
        owner,
        CREATE,
        {
            "kind": "ESTIMATE",
            "contactId": contact["id"],
            "issueDate": NEXT_MONTH,
            "expiryDate": YESTERDAY,
        },
        "documentCreate",
    )
    assert error == {
        "field": ["input", "expiryDate"],
        "message": "must not be before issueDate",
        "code": "INVALID",
    }


async def test_estimate_mutations_only_know_estimates(api):
    owner = await api.register()
    invoice = await api.document(owner, (await api.contact(owner))["id"])
    for mutation, name in (
        (ACCEPT, "estimateAccept"),
        (DECLINE, "estimateDecline"),
        (ESTIMATE_CONVERT, "estimateConvert"),
    ):
        error = await _refused(api, owner, mutation, {"id": invoice["id"]}, name)
        assert error == {
            "field": ["input", "id"],
            "message": "Estimate not found",
            "code": "NOT_FOUND",
        }
    error = await _refused(api, owner, DOCUMENT_CONVERT, {"id": invoice["id"]}, "documentConvert")
    assert error["code"] == "INVALID_STATE"


# --- orders --------------------------------------------------------------------------------


async def test_a_sales_order_converts_to_an_invoice_and_a_purchase_order_to_a_bill(api):
    owner = await api.register()
    customer = await api.contact(owner)
    supplier = await api.contact(owner, type="supplier")
    lines = [{"name": "Widget", "quantity": "4", "unitPrice": "2.50"}]
    so = await _create(api, owner, kind="SALES_ORDER", contactId=customer["id"], lines=lines)
    po = await _create(
        api, owner, kind="PURCHASE_ORDER", contactId=supplier["id"], lines=lines, shipping="3"
    )
    assert (so["number"], po["number"]) == ("SO-00001", "PO-00001")
    await _do(api, owner, ISSUE, so["id"], "documentIssue")
    made = {}
    for order in (so, po):
        payload = await _do(api, owner, DOCUMENT_CONVERT, order["id"], "documentConvert")
        made[order["kind"]] = payload["document"]
        assert payload["source"]["status"] == "CONVERTED"
        assert payload["source"]["children"] == [
            {k: payload["document"][k] for k in ("id", "number", "kind", "status")}
        ]
        assert (
            payload["document"]["parent"]["id"] == order["id"]
            and payload["document"]["status"] == "DRAFT"
        )
        assert (
            payload["document"]["total"] == order["total"]
            and payload["document"]["contact"] == order["contact"]
        )
    assert (made["SALES_ORDER"]["kind"], made["SALES_ORDER"]["number"]) == ("INVOICE", "INV-00001")
    assert (made["PURCHASE_ORDER"]["kind"], made["PURCHASE_ORDER"]["number"]) == (
        "BILL",
        "BILL-00001",
    )
    assert made["PURCHASE_ORDER"]["total"]["amount"] == "13.00"
    # converting twice is refused
    error = await _refused(api, owner, DOCUMENT_CONVERT, {"id": so["id"]}, "documentConvert")
    assert error["code"] == "INVALID_STATE"


async def test_orders_need_the_right_kind_of_contact(api):
    owner = await api.register()
    customer = await api.contact(owner)
    error = await _refused(
        api,
        owner,
        CREATE,
        {"kind": "PURCHASE_ORDER", "contactId": customer["id"]},
        "documentCreate",
    )
    assert error["field"] == ["input", "contactId"] and "supplier" in error["message"]


# --- credit notes ---------------------------------------------------------------------------


async def _issued_invoice(api, owner, contact_id, amount="100"):
    doc = await api.document(owner, contact_id, lines=[{"name": "Work", "unitPrice": amount}])
    await _do(api, owner, ISSUE, doc["id"], "documentIssue")
    return doc


async def _credit_note(api, owner, contact_id, invoice_id, amount, **fields):
    return await _create(
        api,
        owner,
        kind="CREDIT_NOTE",
        contactId=contact_id,
        invoiceId=invoice_id,
        lines=[{"name": "Refund", "unitPrice": amount}],
        **fields,
    )


async def test_credit_notes_reduce_what_is_due_and_settle_the_invoice(api):
    # given an issued invoice of 100
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await _issued_invoice(api, owner, contact["id"])
    # when a credit note of 30 is issued against it
    first = await _credit_note(api, owner, contact["id"], invoice["id"], "30")
    assert first["parent"]["id"] == invoice["id"] and first["number"] == "CN-00001"
    await _do(api, owner, ISSUE, first["id"], "documentIssue")
    # then the invoice owes 70 and is still open
    doc = (await api.data(GET, {"id": invoice["id"]}, owner))["document"]
    assert doc["amountCredited"]["amount"] == "30.00" and doc["amountDue"]["amount"] == "70.00"
    assert doc["status"] == "SENT"
    # when a second credit note covers the rest
    second = await _credit_note(api, owner, contact["id"], invoice["id"], "70")
    await _do(api, owner, ISSUE, second["id"], "documentIssue")
    # then nothing is due and the invoice is paid; it lists its credit notes in order
    doc = (await api.data(GET, {"id": invoice["id"]}, owner))["document"]
    assert doc["amountDue"]["amount"] == "0.00" and doc["status"] == "PAID"
    assert [c["number"] for c in doc["children"]] == ["CN-00001", "CN-00002"]
    # and cancelling a credit note gives its credit back
    await _do(api, owner, CANCEL, first["id"], "documentCancel")
    doc = (await api.data(GET, {"id": invoice["id"]}, owner))["document"]
    assert doc["amountCredited"]["amount"] == "70.00" and doc["amountDue"]["amount"] == "30.00"
    assert doc["status"] == "SENT"


async def test_a_credit_note_cannot_exceed_the_amount_due(api):
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await _issued_invoice(api, owner, contact["id"])
    applied = await _credit_note(api, owner, contact["id"], invoice["id"], "60")
    await _do(api, owner, ISSUE, applied["id"], "documentIssue")
    too_much = await _credit_note(api, owner, contact["id"], invoice["id"], "40.01")
    error = await _refused(api, owner, ISSUE, {"id": too_much["id"]}, "documentIssue")
    assert (
        error["code"] == "INVALID_STATE"
        and "40.01" in error["message"]
        and "40.00" in error["message"]
    )
    # nothing changed: the credit note is a draft, the invoice owes 40
    assert (await api.data(GET, {"id": too_much["id"]}, owner))["document"]["status"] == "DRAFT"
    assert (await api.data(GET, {"id": invoice["id"]}, owner))["document"]["amountDue"][
        "amount"
    ] == "40.00"


async def test_a_credit_note_needs_an_issued_invoice_of_the_same_contact(api):
    owner = await api.register()
    contact, other = await api.contact(owner), await api.contact(owner)
    supplier = await api.contact(owner, type="supplier")
    draft = await api.document(owner, contact["id"])
    # a draft invoice: created, but refused at issue
    note = await _credit_note(api, owner, contact["id"], draft["id"], "10")
    error = await _refused(api, owner, ISSUE, {"id": note["id"]}, "documentIssue")
    assert error["field"] == ["input", "invoiceId"] and error["code"] == "INVALID_STATE"
    # another contact's invoice, a bill, an invoice that does not exist, a cancelled invoice
    bill = await api.document(owner, supplier["id"], kind="BILL")
    cancelled = await api.document(owner, contact["id"])
    await _do(api, owner, CANCEL, cancelled["id"], "documentCancel")
    cases = [
        (other["id"], draft["id"], ["input", "contactId"], "INVALID"),
        (contact["id"], bill["id"], ["input", "invoiceId"], "NOT_FOUND"),
        (contact["id"], "000000000000000000000000", ["input", "invoiceId"], "NOT_FOUND"),
        (contact["id"], cancelled["id"], ["input", "invoiceId"], "INVALID_STATE"),
    ]
    for contact_id, invoice_id, field, code in cases:
        input = {"kind": "CREDIT_NOTE", "contactId": contact_id, "invoiceId": invoice_id}
        error = await _refused(api, owner, CREATE, input, "documentCreate")
        assert (error["field"], error["code"]) == (field, code), (invoice_id, error)
    # only a credit note is written against an invoice
    error = await _refused(
        api,
        owner,
        CREATE,
        {"kind": "INVOICE", "contactId": contact["id"], "invoiceId": draft["id"]},
        "documentCreate",
    )
    assert error["field"] == ["input", "invoiceId"]


async def test_a_credit_note_takes_its_invoices_currency(api):
    owner = await api.register()
    await api.mutate(
        "currencyCreate",
        """mutation($input: CurrencyCreateInput!) {
             currencyCreate(input: $input) { userErrors { message } } }""",
        {"code": "EUR", "name": "Euro", "rate": "1.17"},
        owner,
    )
    contact = await api.contact(owner)
    invoice = await api.document(owner, contact["id"], currencyCode="EUR", currencyRate="1.2")
    note = await _credit_note(api, owner, contact["id"], invoice["id"], "5")
    assert (note["currencyCode"], note["currencyRate"]) == ("EUR", "1.20000000")
    error = await _refused(
        api,
        owner,
        CREATE,
        {
            "kind": "CREDIT_NOTE",
            "contactId": contact["id"],
            "invoiceId": invoice["id"],
            "currencyCode": "USD",
        },
        "documentCreate",
    )
    assert error["field"] == ["input", "currencyCode"]


async def test_an_invoice_with_credits_cannot_be_cancelled_or_deleted_with_children(api):
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await _issued_invoice(api, owner, contact["id"])
    note = await _credit_note(api, owner, contact["id"], invoice["id"], "10")
    await _do(api, owner, ISSUE, note["id"], "documentIssue")
    error = await _refused(api, owner, CANCEL, {"id": invoice["id"]}, "documentCancel")
    assert error["code"] == "INVALID_STATE" and "credit notes" in error["message"]
    # a draft invoice with a draft credit note is not deleted from under it
    draft = await api.document(owner, contact["id"])
    await _credit_note(api, owner, contact["id"], draft["id"], "1")
    data = await api.data(DELETE, {"input": {"id": draft["id"]}}, owner)
    assert data["documentDelete"]["userErrors"][0]["code"] == "IN_USE"


async def test_a_credit_note_on_account_posts_without_an_invoice(api):
    owner = await api.register()
    contact = await api.contact(owner)
    note = await _create(
        api,
        owner,
        kind="CREDIT_NOTE",
        contactId=contact["id"],
        lines=[{"name": "Goodwill", "unitPrice": "15"}],
    )
    issued = (await _do(api, owner, ISSUE, note["id"], "documentIssue"))["document"]
    assert issued["status"] == "SENT" and issued["parent"] is None
    data = await api.data(
        "query($id: ID!) { document(id: $id) { voucher { total { amount } } } }",
        {"id": note["id"]},
        owner,
    )
    assert data["document"]["voucher"]["total"]["amount"] == "15.00"
    # a zero credit note is refused
    empty = await _create(
        api,
        owner,
        kind="CREDIT_NOTE",
        contactId=contact["id"],
        lines=[{"name": "Nothing", "unitPrice": "0"}],
    )
    error = await _refused(api, owner, ISSUE, {"id": empty["id"]}, "documentIssue")
    assert error["code"] == "INVALID_STATE"


async def test_a_draft_credit_note_can_be_linked_later(api):
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await _issued_invoice(api, owner, contact["id"])
    note = await _create(
        api,
        owner,
        kind="CREDIT_NOTE",
        contactId=contact["id"],
        lines=[{"name": "Late", "unitPrice": "25"}],
    )
    linked = (
        await api.mutate(
            "documentUpdate", UPDATE, {"id": note["id"], "invoiceId": invoice["id"]}, owner
        )
    )["document"]
    assert linked["parent"]["id"] == invoice["id"]
    await _do(api, owner, ISSUE, note["id"], "documentIssue")
    assert (await api.data(GET, {"id": invoice["id"]}, owner))["document"]["amountDue"][
        "amount"
    ] == "75.00"
    # once issued, the link is locked
    error = await _refused(
        api, owner, UPDATE, {"id": note["id"], "invoiceId": None}, "documentUpdate"
    )
    assert error["code"] == "LOCKED"


# --- tenancy --------------------------------------------------------------------------------


async def test_another_companys_documents_are_not_found_everywhere(api):
    # given a sent estimate, an issued invoice and a sales order in another company
    owner, stranger = await api.register(), await api.register()
    theirs = await api.contact(stranger)
    est = await _estimate(api, stranger, theirs["id"])
    await _do(api, stranger, ISSUE, est["id"], "documentIssue")
    invoice = await _issued_invoice(api, stranger, theirs["id"])
    order = await _create(
        api,
        stranger,
        kind="SALES_ORDER",
        contactId=theirs["id"],
        lines=[{"name": "x", "unitPrice": "1"}],
    )
    mine = await api.contact(owner)
    # when the owner names them in every mutation
    for mutation, name, doc in (
        (ACCEPT, "estimateAccept", est),
        (DECLINE, "estimateDecline", est),
        (ESTIMATE_CONVERT, "estimateConvert", est),
        (DOCUMENT_CONVERT, "documentConvert", est),
        (DOCUMENT_CONVERT, "documentConvert", order),
        (ISSUE, "documentIssue", order),
        (CANCEL, "documentCancel", invoice),
    ):
        error = await _refused(api, owner, mutation, {"id": doc["id"]}, name)
        assert error["code"] == "NOT_FOUND" and error["field"] == ["input", "id"], (name, error)
    error = await _refused(
        api,
        owner,
        CREATE,
        {"kind": "CREDIT_NOTE", "contactId": mine["id"], "invoiceId": invoice["id"]},
        "documentCreate",
    )
    assert error == {
        "field": ["input", "invoiceId"],
        "message": "Invoice not found",
        "code": "NOT_FOUND",
    }
    # and reads of them and filters by them find nothing
    body = await api.gql(GET, {"id": est["id"]}, owner)
    assert (
        body["data"]["document"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    )
    listed = await api.data(LIST, {"filter": {"parentId": invoice["id"]}}, owner)
    assert listed["documents"]["totalCount"] == 0
    # and nothing of theirs moved
    after = (await api.data(GET, {"id": est["id"]}, stranger))["document"]
    assert after["status"] == "SENT" and after["children"] == []
