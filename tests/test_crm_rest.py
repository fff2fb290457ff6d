"""Numbors REST of the CRM: every documented path (GET and POST /api/crm/pipelines,
leads, deals, activities, campaigns), their envelopes, populated fields and errors,
tenancy, and 403 while the module is off."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, Tenant

PATHS = ["pipelines", "leads", "deals", "activities", "campaigns"]


async def post(api: Api, tenant: Tenant, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await api.rest("POST", f"/api/crm/{path}", tenant, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["success"] is True
    return r.json()["data"]  # type: ignore[no-any-return]


async def listed(api: Api, tenant: Tenant, path: str, query: str = "") -> dict[str, Any]:
    r = await api.rest("GET", f"/api/crm/{path}{query}", tenant)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def sales(api: Api, tenant: Tenant) -> dict[str, Any]:
    body = {"name": "Sales Pipeline", "stages": ["New", {"name": "Won?", "probability": 90}]}
    return await post(api, tenant, "pipelines", body)


async def test_pipelines_are_created_with_their_stages_and_listed(api):
    owner = await api.register()
    made = await sales(api, owner)
    assert made["name"] == "Sales Pipeline" and len(made["id"]) == 24
    assert [(s["name"], s["position"], s["probability"]) for s in made["stages"]] == [
        ("New", 0, 0),
        ("Won?", 1, 90),
    ]
    body = await listed(api, owner, "pipelines")
    assert body["data"] == [made]
    assert body["pagination"] == {"page": 1, "limit": 25, "total": 1, "pages": 1}


async def test_a_pipeline_without_stages_is_a_400_naming_the_field(api):
    owner = await api.register()
    r = await api.rest("POST", "/api/crm/pipelines", owner, json={"name": "X"})
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "stages"
    assert r.json()["errors"][0]["code"] == "REQUIRED"


async def test_leads_are_created_and_listed_with_filters(api):
    owner = await api.register()
    lead = await post(
        api,
        owner,
        "leads",
        {"name": "Ada", "email": "ada@example.com", "source": "website", "company": "Engines"},
    )
    assert (lead["status"], lead["source"], lead["company"], lead["contact"]) == (
        "new",
        "website",
        "Engines",
        None,
    )
    await post(api, owner, "leads", {"name": "Bob", "source": "cold_call"})
    assert [x["name"] for x in (await listed(api, owner, "leads", "?source=website"))["data"]] == [
        "Ada"
    ]
    r = await api.rest("POST", "/api/crm/leads", owner, json={"name": "C", "source": "tv"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "source"
    r = await api.rest("POST", "/api/crm/leads", owner, json={"name": "C", "email": "nope"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "email"


async def test_deals_are_listed_with_their_contact_and_pipeline_populated(api):
    owner = await api.register()
    pipeline = await sales(api, owner)
    contact = await api.contact(owner, name="Acme", email="hi@acme.example.com")
    made = await post(
        api,
        owner,
        "deals",
        {
            "name": "Enterprise Contract",
            "pipeline": pipeline["id"],
            "contact": contact["id"],
            "value": 1500.5,
            "stage": pipeline["stages"][1]["id"],
        },
    )
    expected_contact = {"id": contact["id"], "name": "Acme", "email": "hi@acme.example.com"}
    assert made["contact"] == expected_contact
    assert made["pipeline"] == {"id": pipeline["id"], "name": "Sales Pipeline"}
    assert (made["stage"], made["value"], made["currency"], made["status"]) == (
        pipeline["stages"][1]["id"],
        1500.5,
        "USD",
        "open",
    )
    assert made["owner"] == owner.user_id
    body = await listed(api, owner, "deals", f"?pipeline={pipeline['id']}&status=open")
    assert body["data"] == [made] and body["pagination"]["total"] == 1
    assert (await listed(api, owner, "deals", "?status=won"))["data"] == []


async def test_a_deal_on_a_stage_of_another_pipeline_is_a_400_naming_the_stage(api):
    owner = await api.register()
    first, second = await sales(api, owner), await sales(api, owner)
    body = {"name": "D", "pipeline": first["id"], "stage": second["stages"][0]["id"]}
    r = await api.rest("POST", "/api/crm/deals", owner, json=body)
    assert r.status_code == 400, r.text
    assert r.json()["errors"] == [
        {
            "field": "stage",
            "message": "is not a stage of the pipeline Sales Pipeline",
            "code": "INVALID",
        }
    ]


async def test_activities_are_sorted_by_scheduled_date(api):
    owner = await api.register()
    pipeline = await sales(api, owner)
    deal = await post(api, owner, "deals", {"name": "D", "pipeline": pipeline["id"]})
    contact = await api.contact(owner)
    for subject, at in (("Third", "2199-03-01T09:00:00Z"), ("First", "2020-01-01T09:00:00Z")):
        await post(
            api,
            owner,
            "activities",
            {"type": "call", "subject": subject, "scheduledAt": at, "deal": deal["id"]},
        )
    await post(
        api,
        owner,
        "activities",
        {
            "type": "meeting",
            "subject": "Second",
            "scheduledAt": "2150-01-01T09:00:00Z",
            "contact": contact["id"],
        },
    )
    data = (await listed(api, owner, "activities"))["data"]
    assert [(a["subject"], a["overdue"]) for a in data] == [
        ("First", True),
        ("Second", False),
        ("Third", False),
    ]
    assert data[0]["deal"] == deal["id"] and data[0]["scheduledAt"].startswith("2020-01-01T09:00")
    on_deal = (await listed(api, owner, "activities", f"?deal={deal['id']}"))["data"]
    assert [a["subject"] for a in on_deal] == ["First", "Third"]
    r = await api.rest("POST", "/api/crm/activities", owner, json={"type": "visit", "subject": "x"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "type"


async def test_campaigns_are_created_and_listed(api):
    owner = await api.register()
    made = await post(
        api,
        owner,
        "campaigns",
        {
            "name": "Spring Sale",
            "type": "email",
            "startDate": "2026-03-01",
            "endDate": "2026-04-01",
        },
    )
    assert (made["type"], made["status"], made["startDate"], made["budget"]) == (
        "email",
        "planned",
        "2026-03-01",
        0,
    )
    assert (await listed(api, owner, "campaigns", "?type=email"))["data"] == [made]
    body = {"name": "Bad", "type": "sms", "startDate": "2026-03-02", "endDate": "2026-03-01"}
    r = await api.rest("POST", "/api/crm/campaigns", owner, json=body)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "endDate"


async def test_another_companys_rows_are_not_found_and_not_listed(api):
    owner, other = await api.register(), await api.register()
    theirs = await sales(api, other)
    their_contact = await api.contact(other)
    r = await api.rest(
        "POST", "/api/crm/deals", owner, json={"name": "D", "pipeline": theirs["id"]}
    )
    assert r.status_code == 400 and r.json()["errors"][0] == {
        "field": "pipeline",
        "message": "Pipeline not found",
        "code": "NOT_FOUND",
    }
    mine = await sales(api, owner)
    body = {"name": "D", "pipeline": mine["id"], "contact": their_contact["id"]}
    r = await api.rest("POST", "/api/crm/deals", owner, json=body)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "NOT_FOUND"
    for path in PATHS:
        data = (await listed(api, owner, path))["data"]
        assert all(row.get("id") != theirs["id"] for row in data)
    assert [p["id"] for p in (await listed(api, owner, "pipelines"))["data"]] == [mine["id"]]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", PATHS)
async def test_every_path_is_403_while_the_crm_module_is_off(api, path, method):
    owner = await api.register()
    await api.data(
        'mutation { moduleSet(input: {alias: "crm", enabled: false}) { userErrors { message } } }',
        tenant=owner,
    )
    r = await api.rest(method, f"/api/crm/{path}", owner, json={} if method == "POST" else None)
    assert r.status_code == 403, r.text
    assert r.json()["success"] is False
    assert "crm" in r.json()["message"].lower() and "module" in r.json()["message"].lower()


async def test_every_path_needs_authentication(client):
    for path in PATHS:
        assert (await client.get(f"/api/crm/{path}")).status_code == 401
