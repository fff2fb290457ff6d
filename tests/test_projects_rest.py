"""Numbors REST /api/projects, /api/projects/{id}, /api/projects/{id}/tasks and
/api/projects/time: the documented paths and fields, the customer, tasks, project and
user populated, status codes, errors naming the client's fields, and 403 while the
projects module is off."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from tests.factories import Api, Tenant

MODULE_OFF = """mutation { moduleSet(input: {alias: "projects", enabled: false}) {
  userErrors { message } } }"""


def body(r: httpx.Response) -> Any:
    """The response with exact decimals."""
    return json.loads(r.text, parse_float=Decimal)


async def post(api: Api, tenant: Tenant, path: str, **fields: Any) -> dict[str, Any]:
    r = await api.rest("POST", path, tenant, json=fields)
    assert r.status_code == 201, r.text
    return body(r)["data"]  # type: ignore[no-any-return]


async def test_projects_are_created_listed_read_and_updated_with_customer_and_tasks(api):
    owner = await api.register()
    customer = await api.contact(owner, name="Acme Ltd", email="ops@acme-example.com")
    # POST with the documented fields (and a rate)
    created = await post(
        api,
        owner,
        "/api/projects",
        name="Website Redesign",
        customer=customer["id"],
        budget=5000.5,
        startDate="2026-01-01",
        endDate="2026-06-30",
        hourlyRate=80,
    )
    assert created["name"] == "Website Redesign" and created["status"] == "planned"
    assert created["budget"] == Decimal("5000.50") and created["currency"] == "USD"
    assert created["customer"] == {
        "id": customer["id"],
        "name": "Acme Ltd",
        "email": "ops@acme-example.com",
        "type": "customer",
    }
    # GET the list: each with its customer populated
    r = await api.rest("GET", "/api/projects", owner)
    assert r.status_code == 200
    listed = body(r)
    assert (
        listed["pagination"]["total"] == 1 and listed["data"][0]["customer"]["name"] == "Acme Ltd"
    )
    # a task added under the project, assigned to a member
    added = await post(
        api,
        owner,
        f"/api/projects/{created['id']}/tasks",
        name="Design mockups",
        assignedTo=owner.user_id,
        dueDate="2026-02-01",
    )
    assert added["name"] == "Design mockups" and added["assignedTo"]["id"] == owner.user_id
    assert added["project"] == created["id"] and added["status"] == "todo"
    # GET one: details with tasks and customer
    r = await api.rest("GET", f"/api/projects/{created['id']}", owner)
    assert r.status_code == 200
    detail = body(r)["data"]
    assert [t["name"] for t in detail["tasks"]] == ["Design mockups"]
    assert detail["customer"]["id"] == customer["id"]
    # PUT
    r = await api.rest(
        "PUT", f"/api/projects/{created['id']}", owner, json={"status": "active", "budget": 6000}
    )
    assert r.status_code == 200, r.text
    assert body(r)["data"]["status"] == "active" and body(r)["data"]["budget"] == Decimal("6000.00")


async def test_time_entries_are_logged_and_listed_with_project_and_user(api):
    owner = await api.register()
    made = await post(api, owner, "/api/projects", name="Support")
    created = await post(
        api,
        owner,
        "/api/projects/time",
        project=made["id"],
        startTime="2026-01-05T09:00:00Z",
        endTime="2026-01-05T10:30:00Z",
        description="Call",
    )
    assert created["minutes"] == 90 and created["description"] == "Call"
    assert created["project"] == {"id": made["id"], "name": "Support"}
    assert created["user"]["id"] == owner.user_id and created["invoiced"] is False
    await post(
        api,
        owner,
        "/api/projects/time",
        project=made["id"],
        startTime="2026-01-06T09:00:00Z",
        endTime="2026-01-06T09:15:00Z",
        billable=False,
    )
    r = await api.rest("GET", "/api/projects/time", owner)
    assert r.status_code == 200
    assert [e["minutes"] for e in body(r)["data"]] == [15, 90]
    r = await api.rest("GET", f"/api/projects/time?project={made['id']}&billable=true", owner)
    assert [e["minutes"] for e in body(r)["data"]] == [90]
    r = await api.rest("GET", "/api/projects/time?from=2026-01-06", owner)
    assert [e["minutes"] for e in body(r)["data"]] == [15]


async def test_bad_requests_name_the_fields_as_sent(api):
    owner = await api.register()
    made = await post(api, owner, "/api/projects", name="Support")
    r = await api.rest(
        "POST", "/api/projects", owner, json={"name": "X", "customer": "000000000000000000000000"}
    )
    assert r.status_code == 400
    assert [(e["field"], e["code"]) for e in body(r)["errors"]] == [("customer", "NOT_FOUND")]
    r = await api.rest(
        "POST",
        "/api/projects/time",
        owner,
        json={
            "project": made["id"],
            "startTime": "2026-01-05T10:00:00Z",
            "endTime": "2026-01-05T09:00:00Z",
        },
    )
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "endTime"
    r = await api.rest(
        "POST", "/api/projects/time", owner, json={"startTime": "2026-01-05T10:00:00Z"}
    )
    assert r.status_code == 400
    assert {e["field"] for e in body(r)["errors"]} == {"project", "endTime"}
    r = await api.rest(
        "POST",
        f"/api/projects/{made['id']}/tasks",
        owner,
        json={"name": "X", "assignedTo": "nobody"},
    )
    assert r.status_code == 400 and body(r)["errors"][0]["field"] == "assignedTo"
    for method, path in (
        ("GET", "/api/projects/000000000000000000000000"),
        ("PUT", "/api/projects/000000000000000000000000"),
        ("POST", "/api/projects/000000000000000000000000/tasks"),
    ):
        r = await api.rest(method, path, owner, json={"name": "X"})
        assert r.status_code == 404, (method, path, r.text)


async def test_another_companys_project_is_not_found_over_rest(api):
    owner, other = await api.register(), await api.register()
    made = await post(api, owner, "/api/projects", name="Secret")
    for method, path, payload in (
        ("GET", f"/api/projects/{made['id']}", None),
        ("PUT", f"/api/projects/{made['id']}", {"name": "Mine"}),
        ("POST", f"/api/projects/{made['id']}/tasks", {"name": "Mine"}),
    ):
        r = await api.rest(method, path, other, json=payload)
        assert r.status_code == 404, (method, path)
    r = await api.rest(
        "POST",
        "/api/projects/time",
        other,
        json={
            "project": made["id"],
            "startTime": "2026-01-05T09:00:00Z",
            "endTime": "2026-01-05T10:00:00Z",
        },
    )
    assert r.status_code == 400 and body(r)["errors"][0]["code"] == "NOT_FOUND"
    r = await api.rest("GET", "/api/projects", other)
    assert body(r)["data"] == []


async def test_every_path_is_403_while_the_module_is_off(api):
    owner = await api.register()
    made = await post(api, owner, "/api/projects", name="Support")
    assert (await api.data(MODULE_OFF, None, owner))["moduleSet"]["userErrors"] == []
    for method, path in (
        ("GET", "/api/projects"),
        ("POST", "/api/projects"),
        ("GET", f"/api/projects/{made['id']}"),
        ("PUT", f"/api/projects/{made['id']}"),
        ("POST", f"/api/projects/{made['id']}/tasks"),
        ("GET", "/api/projects/time"),
        ("POST", "/api/projects/time"),
    ):
        r = await api.rest(method, path, owner, json={})
        assert r.status_code == 403, (method, path)
        assert "projects" in r.json()["message"].lower(), r.json()
    gql = await api.gql("{ projects { totalCount } }", None, owner)
    assert gql["errors"][0]["extensions"]["code"] == "FORBIDDEN"
