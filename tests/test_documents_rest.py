"""Numbors REST /api/documents: paths, envelopes, status codes, renamed fields."""

from __future__ import annotations

from decimal import Decimal


async def _create(api, tenant, contact_id, **fields):
    body = {
        "type": "invoice",
        "contact": contact_id,
        "items": [{"name": "Work", "quantity": 2, "price": 12.5}],
        **fields,
    }
    return await api.rest("POST", "/api/documents", tenant, json=body)


async def test_create_returns_201_with_populated_contact_and_items(api):
    owner = await api.register()
    contact = await api.contact(owner, name="Acme Ltd")
    r = await _create(api, owner, contact["id"], dueDate="2030-01-31")
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert r.json()["success"] is True
    assert data["type"] == "invoice" and data["status"] == "draft" and data["number"] == "INV-00001"
    assert data["contact"]["name"] == "Acme Ltd"
    assert data["items"][0]["name"] == "Work" and data["items"][0]["net"] == 25
    assert data["total"] == 25 and data["amountDue"] == 25 and data["dueDate"] == "2030-01-31"


async def test_create_answers_exactly_what_reading_the_document_answers(api):
    # given items with default prices and taxes, and lines that name taxes and discounts
    owner = await api.register()
    contact = await api.contact(owner, name="Acme Ltd")
    vat = await api.tax(owner, rate="17.5")
    withheld = await api.tax(owner, rate="5", type="WITHHOLDING")
    widget = await api.item(owner, salePrice="12.5", taxId=vat["id"])
    plain = await api.item(owner, salePrice="3")
    items = [
        {"item": widget["id"], "quantity": 3, "discountRate": 12.5},
        {"item": plain["id"], "tax": withheld["id"], "discountAmount": 0.5},
        {"name": "Labour", "quantity": 1.5, "price": 40.1, "tax": vat["id"]},
    ]
    # when the document is created
    r = await _create(api, owner, contact["id"], items=items, discountRate=10, shipping=4.99)
    assert r.status_code == 201, r.text
    created = r.json(parse_float=str)["data"]  # "0.30" and "0.3" stay apart
    # then the answer is the document as it is read back, to the last digit
    read = await api.rest("GET", f"/api/documents/{created['id']}", owner)
    assert created == read.json(parse_float=str)["data"]
    assert [line["item"] and line["item"]["name"] for line in created["items"]] == [
        widget["name"],
        plain["name"],
        None,
    ]


async def test_money_is_an_exact_json_number(api):
    owner = await api.register()
    contact = await api.contact(owner)
    r = await api.rest(
        "POST",
        "/api/documents",
        owner,
        content=b'{"type": "invoice", "contact": "%s", "items": [{"name": "x", "quantity": 3, "price": 0.1}]}'
        % contact["id"].encode(),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 201, r.text
    assert b'"total":0.30' in r.content


async def test_get_update_delete_and_404s(api):
    owner, stranger = await api.register(), await api.register()
    contact = await api.contact(owner)
    doc = (await _create(api, owner, contact["id"])).json()["data"]
    r = await api.rest("GET", f"/api/documents/{doc['id']}", owner)
    assert r.status_code == 200 and r.json()["data"]["items"][0]["quantity"] == Decimal("2.0000")
    r = await api.rest(
        "PUT",
        f"/api/documents/{doc['id']}",
        owner,
        json={"notes": "Hi", "items": [{"name": "B", "price": 3}]},
    )
    assert (
        r.status_code == 200
        and r.json()["data"]["notes"] == "Hi"
        and r.json()["data"]["total"] == 3
    )
    # another company's id is a 404 exactly like a missing one
    missing = await api.rest("GET", "/api/documents/000000000000000000000000", owner)
    foreign = await api.rest("GET", f"/api/documents/{doc['id']}", stranger)
    assert missing.status_code == foreign.status_code == 404
    assert (
        missing.json()
        == foreign.json()
        == {"success": False, "message": "Document not found", "code": "NOT_FOUND"}
    )
    for method in ("PUT", "DELETE"):
        r = await api.rest(method, f"/api/documents/{doc['id']}", stranger, json={"notes": "x"})
        assert r.status_code == 404
    r = await api.rest("DELETE", f"/api/documents/{doc['id']}", owner)
    assert r.status_code == 200 and r.json()["data"]["deleted"] is True
    assert (await api.rest("GET", f"/api/documents/{doc['id']}", owner)).status_code == 404


async def test_status_put_issues_and_cancels(api):
    owner = await api.register()
    contact = await api.contact(owner)
    doc = (await _create(api, owner, contact["id"])).json()["data"]
    r = await api.rest("PUT", f"/api/documents/{doc['id']}", owner, json={"status": "sent"})
    assert r.json()["data"]["status"] == "sent"
    r = await api.rest(
        "PUT", f"/api/documents/{doc['id']}", owner, json={"items": [{"name": "x", "price": 1}]}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "items"
    r = await api.rest("PUT", f"/api/documents/{doc['id']}", owner, json={"status": "paid"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"
    r = await api.rest("PUT", f"/api/documents/{doc['id']}", owner, json={"status": "cancelled"})
    assert r.json()["data"]["status"] == "cancelled"


async def test_validation_errors_name_the_fields_the_client_sent(api):
    owner = await api.register()
    contact = await api.contact(owner)
    r = await _create(
        api,
        owner,
        contact["id"],
        items=[{"name": "x", "quantity": -1, "price": 1}, {"item": "000000000000000000000000"}],
    )
    assert r.status_code == 400
    fields = {e["field"] for e in r.json()["errors"]}
    assert "items[0].quantity" in fields
    r = await _create(api, owner, contact["id"], items=[{"item": "000000000000000000000000"}])
    assert [e["field"] for e in r.json()["errors"]] == ["items[0].item"]
    r = await api.rest("POST", "/api/documents", owner, json={"contact": contact["id"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "type"
    r = await api.rest(
        "POST", "/api/documents", owner, json={"type": "receipt", "contact": contact["id"]}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "type"
    r = await api.rest("POST", "/api/documents", owner, json={"type": "invoice", "contact": "nope"})
    assert r.status_code == 400 and r.json()["errors"][0] == {
        "field": "contact",
        "message": "Contact not found",
        "code": "NOT_FOUND",
    }
    listed = await api.rest("GET", "/api/documents", owner)
    assert listed.json()["pagination"]["total"] == 0


async def test_list_paginates_and_filters(api):
    owner = await api.register()
    customer = await api.contact(owner)
    supplier = await api.contact(owner, type="supplier")
    for _ in range(3):
        await _create(api, owner, customer["id"])
    await api.rest(
        "POST",
        "/api/documents",
        owner,
        json={"type": "bill", "contact": supplier["id"], "items": []},
    )
    r = await api.rest("GET", "/api/documents?limit=2&page=2", owner)
    body = r.json()
    assert body["pagination"] == {"page": 2, "limit": 2, "total": 4, "pages": 2}
    assert len(body["data"]) == 2 and body["data"][0]["contact"]["id"]
    bills = (await api.rest("GET", "/api/documents?type=bill", owner)).json()
    assert [d["type"] for d in bills["data"]] == ["bill"]
    drafts = (await api.rest("GET", "/api/documents?status=draft", owner)).json()
    assert drafts["pagination"]["total"] == 4
    bad = await api.rest("GET", "/api/documents?status=lost&limit=0", owner)
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"limit"}
    bad = await api.rest("GET", "/api/documents?status=lost", owner)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"
