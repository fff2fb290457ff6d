"""Numbors REST /api/helpdesk/categories, tickets, slas and articles: the documented
paths and fields, populated tickets, errors naming the fields as sent, 403 when the
helpdesk module is off, and another company's rows invisible."""

from __future__ import annotations

from tests.helpdesk import hours_between

MODULE_OFF = """mutation { moduleSet(input: {alias: "helpdesk", enabled: false}) {
  userErrors { message } } }"""
PATHS = ("categories", "tickets", "slas", "articles")


async def post(api, tenant, path, body):
    return await api.rest("POST", f"/api/helpdesk/{path}", tenant, json=body)


async def created(api, tenant, path, body):
    r = await post(api, tenant, path, body)
    assert r.status_code == 201, r.text
    assert r.json()["success"] is True
    return r.json()["data"]


async def listed(api, tenant, path, query=""):
    r = await api.rest("GET", f"/api/helpdesk/{path}{query}", tenant)
    assert r.status_code == 200, r.text
    return r.json()


async def test_categories_and_slas(api):
    owner = await api.register()
    billing = await created(api, owner, "categories", {"name": "Billing"})
    assert billing["name"] == "Billing" and len(billing["id"]) == 24 and "companyId" not in billing
    r = await post(api, owner, "categories", {"name": "Billing"})
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {"field": "name", "message": "is already a ticket category", "code": "TAKEN"}
    ]
    page = await listed(api, owner, "categories")
    assert [c["name"] for c in page["data"]] == ["Billing"] and page["pagination"]["total"] == 1

    standard = await created(
        api, owner, "slas", {"name": "Standard SLA", "responseTime": 4, "resolutionTime": 24}
    )
    assert (standard["responseTime"], standard["resolutionTime"], standard["targets"]) == (
        4,
        24,
        [],
    )
    r = await post(api, owner, "slas", {"name": "Bad", "responseTime": "soon"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "responseTime"
    slas = await listed(api, owner, "slas")
    assert [s["name"] for s in slas["data"]] == ["Standard SLA"]


async def test_tickets_are_created_and_listed_populated(api):
    owner = await api.register()
    billing = await created(api, owner, "categories", {"name": "Billing"})
    standard = await created(
        api, owner, "slas", {"name": "Standard SLA", "responseTime": 4, "resolutionTime": 24}
    )
    contact = await api.contact(owner, name="Ada Ltd", email="ada@example.com")
    # when a ticket is created with the documented fields (and an SLA and an assignee)
    ticket = await created(
        api,
        owner,
        "tickets",
        {
            "subject": "Cannot access my account",
            "description": "Since this morning",
            "category": billing["id"],
            "priority": "high",
            "contact": contact["id"],
            "sla": standard["id"],
            "assignee": owner.user_id,
        },
    )
    # then it comes back numbered, with its clock and its references populated
    assert ticket["number"] == 1 and ticket["status"] == "open" and ticket["priority"] == "high"
    assert ticket["contact"] == {"id": contact["id"], "name": "Ada Ltd", "email": "ada@example.com"}
    assert ticket["category"] == {"id": billing["id"], "name": "Billing"}
    assert ticket["assignee"]["id"] == owner.user_id and ticket["assignee"]["name"] == "Owner"
    assert hours_between(ticket["firstResponseDue"], ticket["openedAt"]) == 4
    assert ticket["breached"] is False and ticket["sla"] == standard["id"]
    await created(api, owner, "tickets", {"subject": "Second"})
    page = await listed(api, owner, "tickets")
    assert [t["number"] for t in page["data"]] == [2, 1]
    assert page["data"][1]["category"]["name"] == "Billing"
    assert page["data"][0]["contact"] is None and page["pagination"]["total"] == 2
    filtered = await listed(api, owner, "tickets", "?priority=high&breached=false")
    assert [t["number"] for t in filtered["data"]] == [1]
    by_category = await listed(api, owner, "tickets", f"?category={billing['id']}")
    assert [t["number"] for t in by_category["data"]] == [1]


async def test_ticket_errors_name_the_fields_as_sent(api):
    owner = await api.register()
    r = await post(
        api, owner, "tickets", {"subject": "Hi", "category": "0" * 24, "priority": "asap"}
    )
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"priority"}
    r = await post(api, owner, "tickets", {"subject": "Hi", "contact": "0" * 24})
    assert r.json()["errors"] == [
        {"field": "contact", "message": "Contact not found", "code": "NOT_FOUND"}
    ]
    r = await post(api, owner, "tickets", {"description": "no subject"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "subject"
    r = await api.rest("GET", "/api/helpdesk/tickets?status=lost", owner)
    assert r.status_code == 400


async def test_articles_hide_unpublished_unless_asked(api):
    owner = await api.register()
    kb = await created(api, owner, "categories", {"name": "Account"})
    draft = await created(
        api,
        owner,
        "articles",
        {"title": "Reset your password", "body": "Steps", "category": kb["id"]},
    )
    assert draft["slug"] == "reset-your-password" and draft["published"] is False
    assert draft["category"] == kb["id"]
    live = await created(
        api, owner, "articles", {"title": "Billing FAQ", "body": "Answers", "published": True}
    )
    assert (await listed(api, owner, "articles"))["data"] == [live]
    drafts = await listed(api, owner, "articles", "?published=false")
    assert [a["id"] for a in drafts["data"]] == [draft["id"]]
    both = await listed(api, owner, "articles", "?includeUnpublished=true")
    assert both["pagination"]["total"] == 2
    r = await post(api, owner, "articles", {"title": "No body"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "body"


async def test_module_off_is_403_on_every_path(api):
    owner = await api.register()
    await api.data(MODULE_OFF, tenant=owner)
    for path in PATHS:
        for method in ("GET", "POST"):
            r = await api.rest(method, f"/api/helpdesk/{path}", owner, json={"name": "x"})
            assert r.status_code == 403, (method, path, r.text)
            assert "helpdesk" in r.json()["message"].lower()


async def test_another_companys_rows_are_invisible(api):
    a, b = await api.register(), await api.register()
    category = await created(api, a, "categories", {"name": "Billing"})
    contact = await api.contact(a)
    await created(api, a, "tickets", {"subject": "A's", "category": category["id"]})
    await created(api, a, "slas", {"name": "A's SLA"})
    await created(api, a, "articles", {"title": "A's", "body": "x", "published": True})
    for path in PATHS:
        assert (await listed(api, b, path))["data"] == []
    for field, ref in (("category", category["id"]), ("contact", contact["id"])):
        r = await post(api, b, "tickets", {"subject": "B's", field: ref})
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == "NOT_FOUND"
    r = await post(api, b, "tickets", {"subject": "B's", "assignee": a.user_id})
    assert r.json()["errors"] == [
        {"field": "assignee", "message": "Member not found", "code": "NOT_FOUND"}
    ]
    r = await post(api, b, "articles", {"title": "B's", "body": "x", "category": category["id"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "category"
    assert (await created(api, b, "tickets", {"subject": "B's"}))["number"] == 1
