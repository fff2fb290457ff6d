"""Numbors REST for estimates, credit notes and orders: the documented paths, the
kind fixed by the path, the same rules as GraphQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

NEXT_MONTH = (date.today() + timedelta(days=30)).isoformat()
PAST = (date.today() - timedelta(days=30)).isoformat()
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()
ITEMS = [{"name": "Consulting", "quantity": 2, "price": 50}]


async def _post(api, tenant, path, **body):
    return await api.rest("POST", path, tenant, json=body)


async def _issued_invoice(api, tenant, contact_id, price=100):
    r = await _post(
        api,
        tenant,
        "/api/documents",
        type="invoice",
        contact=contact_id,
        items=[{"name": "Work", "price": price}],
    )
    doc = r.json()["data"]
    r = await api.rest("PUT", f"/api/documents/{doc['id']}", tenant, json={"status": "sent"})
    assert r.status_code == 200, r.text
    return doc


# --- estimates -------------------------------------------------------------------------------


async def test_estimates_create_get_update_and_move_through_their_statuses(api):
    owner = await api.register()
    contact = await api.contact(owner, name="Acme")
    # POST /api/estimates with the documented fields
    r = await _post(
        api, owner, "/api/estimates", contact=contact["id"], items=ITEMS, expiryDate=NEXT_MONTH
    )
    assert r.status_code == 201, r.text
    est = r.json()["data"]
    assert (est["type"], est["status"], est["number"], est["expiryDate"]) == (
        "estimate",
        "draft",
        "EST-00001",
        NEXT_MONTH,
    )
    assert est["contact"]["name"] == "Acme" and est["total"] == 100 and est["expired"] is False
    # GET and PUT by id
    r = await api.rest("GET", f"/api/estimates/{est['id']}", owner)
    assert r.status_code == 200 and r.json()["data"]["items"][0]["name"] == "Consulting"
    r = await api.rest(
        "PUT",
        f"/api/estimates/{est['id']}",
        owner,
        json={"notes": "Valid a month", "items": [{"name": "B", "price": 3}]},
    )
    assert (
        r.status_code == 200
        and r.json()["data"]["total"] == 3
        and r.json()["data"]["notes"] == "Valid a month"
    )
    # status moves: sent, accepted, converted
    for status in ("sent", "accepted", "converted"):
        r = await api.rest("PUT", f"/api/estimates/{est['id']}", owner, json={"status": status})
        assert r.status_code == 200, r.text
        assert r.json()["data"]["status"] == status
    invoices = (await api.rest("GET", "/api/documents?type=invoice", owner)).json()
    assert invoices["pagination"]["total"] == 1
    assert invoices["data"][0]["parentId"] == est["id"] and invoices["data"][0]["total"] == 3
    # a status the kind does not have is a 400 naming the field
    r = await api.rest("PUT", f"/api/estimates/{est['id']}", owner, json={"status": "paid"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"


async def test_estimates_list_filters_by_status_and_paginates(api):
    owner = await api.register()
    contact = await api.contact(owner)
    ids = []
    for _ in range(3):
        r = await _post(
            api,
            owner,
            "/api/estimates",
            contact=contact["id"],
            items=ITEMS,
            issueDate=PAST,
            expiryDate=YESTERDAY,
        )
        ids.append(r.json()["data"]["id"])
    await api.rest("PUT", f"/api/estimates/{ids[0]}", owner, json={"status": "sent"})
    await _post(
        api, owner, "/api/documents", type="invoice", contact=contact["id"], items=ITEMS
    )  # not an estimate
    r = await api.rest("GET", "/api/estimates?limit=2&page=2", owner)
    body = r.json()
    assert r.status_code == 200 and body["pagination"] == {
        "page": 2,
        "limit": 2,
        "total": 3,
        "pages": 2,
    }
    assert len(body["data"]) == 1 and body["data"][0]["type"] == "estimate"
    assert (await api.rest("GET", "/api/estimates?status=draft", owner)).json()["pagination"][
        "total"
    ] == 2
    expired = (await api.rest("GET", "/api/estimates?status=expired", owner)).json()
    assert [e["id"] for e in expired["data"]] == [ids[0]] and expired["data"][0]["expired"] is True
    r = await api.rest("GET", "/api/estimates?status=bogus", owner)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"


async def test_estimate_paths_answer_only_for_the_companys_estimates(api):
    owner, stranger = await api.register(), await api.register()
    contact = await api.contact(owner)
    invoice = (
        await _post(
            api, owner, "/api/documents", type="invoice", contact=contact["id"], items=ITEMS
        )
    ).json()["data"]
    theirs = (
        await _post(
            api,
            stranger,
            "/api/estimates",
            contact=(await api.contact(stranger))["id"],
            items=ITEMS,
        )
    ).json()["data"]
    for doc_id in (invoice["id"], theirs["id"], "000000000000000000000000"):
        for method in ("GET", "PUT", "DELETE"):
            r = await api.rest(method, f"/api/estimates/{doc_id}", owner, json={"notes": "x"})
            assert r.status_code == 404, (method, doc_id, r.text)
            assert r.json() == {
                "success": False,
                "message": "Estimate not found",
                "code": "NOT_FOUND",
            }
    # nothing of theirs changed or disappeared
    r = await api.rest("GET", f"/api/estimates/{theirs['id']}", stranger)
    assert r.status_code == 200 and r.json()["data"]["notes"] is None


async def test_deleting_estimates_follows_the_document_rules(api):
    owner = await api.register()
    contact = await api.contact(owner)
    draft = (await _post(api, owner, "/api/estimates", contact=contact["id"], items=ITEMS)).json()[
        "data"
    ]
    sent = (await _post(api, owner, "/api/estimates", contact=contact["id"], items=ITEMS)).json()[
        "data"
    ]
    await api.rest("PUT", f"/api/estimates/{sent['id']}", owner, json={"status": "sent"})
    r = await api.rest("DELETE", f"/api/estimates/{draft['id']}", owner)
    assert r.status_code == 200 and r.json()["data"] == {"id": draft["id"], "deleted": True}
    r = await api.rest("DELETE", f"/api/estimates/{sent['id']}", owner)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "INVALID_STATE"


# --- credit notes ----------------------------------------------------------------------------


async def test_credit_note_from_contact_amount_and_reason_is_issued_on_account(api):
    owner = await api.register()
    contact = await api.contact(owner, name="Acme")
    r = await _post(
        api, owner, "/api/credit-notes", contact=contact["id"], amount=25.5, reason="Damaged goods"
    )
    assert r.status_code == 201, r.text
    note = r.json()["data"]
    assert (note["type"], note["status"], note["number"]) == ("credit_note", "sent", "CN-00001")
    assert (
        note["amount"] == Decimal("25.50")
        and note["reason"] == "Damaged goods"
        and note["invoice"] is None
    )
    assert [i["name"] for i in note["items"]] == ["Credit: Damaged goods"] and note["contact"][
        "name"
    ] == "Acme"
    listed = (await api.rest("GET", "/api/credit-notes", owner)).json()
    assert listed["pagination"]["total"] == 1 and listed["data"][0]["amount"] == Decimal("25.50")
    assert listed["data"][0]["contact"]["name"] == "Acme"


async def test_credit_note_against_an_invoice_reduces_what_is_due(api):
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await _issued_invoice(api, owner, contact["id"])
    r = await _post(
        api,
        owner,
        "/api/credit-notes",
        contact=contact["id"],
        amount=40,
        reason="Discount",
        invoice=invoice["id"],
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["invoice"] == invoice["id"]
    doc = (await api.rest("GET", f"/api/documents/{invoice['id']}", owner)).json()["data"]
    assert doc["amountCredited"] == 40 and doc["amountDue"] == 60 and doc["status"] == "sent"
    # more than is due: a 400 naming `amount`, and nothing written
    r = await _post(
        api, owner, "/api/credit-notes", contact=contact["id"], amount=60.01, invoice=invoice["id"]
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "amount", r.text
    assert (await api.rest("GET", "/api/credit-notes", owner)).json()["pagination"]["total"] == 1
    # the rest of it settles the invoice
    r = await _post(
        api, owner, "/api/credit-notes", contact=contact["id"], amount=60, invoice=invoice["id"]
    )
    assert r.status_code == 201
    doc = (await api.rest("GET", f"/api/documents/{invoice['id']}", owner)).json()["data"]
    assert doc["amountDue"] == 0 and doc["status"] == "paid"


async def test_credit_note_refusals(api):
    owner, stranger = await api.register(), await api.register()
    contact, other = await api.contact(owner), await api.contact(owner)
    invoice = await _issued_invoice(api, owner, contact["id"])
    theirs = await _issued_invoice(api, stranger, (await api.contact(stranger))["id"])
    cases = [
        ({"amount": 5}, "contact"),
        ({"contact": contact["id"]}, "amount"),
        ({"contact": contact["id"], "amount": -1}, "amount"),
        ({"contact": contact["id"], "amount": 5, "items": ITEMS}, "amount"),
        ({"contact": other["id"], "amount": 5, "invoice": invoice["id"]}, "contact"),
        ({"contact": contact["id"], "amount": 5, "invoice": theirs["id"]}, "invoice"),
        ({"contact": contact["id"], "amount": 5, "reason": "x" * 191}, "reason"),
    ]
    for body, field in cases:
        r = await _post(api, owner, "/api/credit-notes", **body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["errors"][0]["field"] == field, (body, r.json())
    assert (await api.rest("GET", "/api/credit-notes", owner)).json()["pagination"]["total"] == 0


# --- orders ----------------------------------------------------------------------------------


async def test_sales_and_purchase_orders_with_populated_contact(api):
    owner = await api.register()
    customer = await api.contact(owner, name="Buyer")
    supplier = await api.contact(owner, name="Maker", type="supplier")
    r = await _post(api, owner, "/api/sales/orders", contact=customer["id"], items=ITEMS)
    assert r.status_code == 201, r.text
    so = r.json()["data"]
    assert (so["type"], so["number"], so["status"], so["total"]) == (
        "sales_order",
        "SO-00001",
        "draft",
        100,
    )
    r = await _post(api, owner, "/api/purchases/orders", contact=supplier["id"], items=ITEMS)
    assert r.status_code == 201, r.text
    po = r.json()["data"]
    assert (po["type"], po["number"]) == ("purchase_order", "PO-00001")
    sales = (await api.rest("GET", "/api/sales/orders", owner)).json()
    purchases = (await api.rest("GET", "/api/purchases/orders", owner)).json()
    assert [(o["number"], o["contact"]["name"]) for o in sales["data"]] == [("SO-00001", "Buyer")]
    assert [(o["number"], o["contact"]["name"]) for o in purchases["data"]] == [
        ("PO-00001", "Maker")
    ]
    # converting through the documents path makes the bill
    r = await api.rest("PUT", f"/api/documents/{po['id']}", owner, json={"status": "converted"})
    assert r.status_code == 200 and r.json()["data"]["status"] == "converted"
    bills = (await api.rest("GET", "/api/documents?type=bill", owner)).json()["data"]
    assert [(b["number"], b["parentId"], b["status"]) for b in bills] == [
        ("BILL-00001", po["id"], "draft")
    ]


async def test_orders_require_items_and_the_right_contact(api):
    owner, stranger = await api.register(), await api.register()
    customer = await api.contact(owner)
    supplier = await api.contact(owner, type="supplier")
    cases = [
        ("/api/sales/orders", {"contact": customer["id"]}, "items"),
        ("/api/sales/orders", {"contact": customer["id"], "items": []}, "items"),
        ("/api/sales/orders", {"items": ITEMS}, "contact"),
        ("/api/sales/orders", {"contact": supplier["id"], "items": ITEMS}, "contact"),
        ("/api/purchases/orders", {"contact": customer["id"], "items": ITEMS}, "contact"),
        (
            "/api/purchases/orders",
            {"contact": (await api.contact(stranger, type="supplier"))["id"], "items": ITEMS},
            "contact",
        ),
        (
            "/api/sales/orders",
            {"contact": customer["id"], "items": [{"name": "x", "price": -1}]},
            "items[0].price",
        ),
    ]
    for path, body, field in cases:
        r = await _post(api, owner, path, **body)
        assert r.status_code == 400, (path, body, r.text)
        assert r.json()["errors"][0]["field"] == field, (path, body, r.json())
    for path in ("/api/sales/orders", "/api/purchases/orders"):
        assert (await api.rest("GET", path, owner)).json()["pagination"]["total"] == 0
