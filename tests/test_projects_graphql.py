"""Projects over GraphQL: projects with their status moves, tasks assigned to members,
time entries in whole minutes, the time totals (by SQL, on both read paths), and
projectInvoiceTime turning unbilled billable time into a draft invoice, once."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant
from tests.projects import (
    ERRORS,
    INVOICE_TIME,
    PROJECT_CREATE,
    PROJECT_DELETE,
    PROJECT_UPDATE,
    TASK_CREATE,
    TASK_DELETE,
    TASK_UPDATE,
    TIME_CREATE,
    TIME_DELETE,
    TIME_UPDATE,
    billable_project,
    project,
    task,
    time,
)

PROJECTS = """query($filter: ProjectFilter, $orderBy: ProjectOrder) {
  projects(filter: $filter, orderBy: $orderBy) { totalCount nodes { name status } } }"""
TIME_ENTRIES = """query($filter: TimeEntryFilter, $orderBy: TimeEntryOrder) {
  timeEntries(filter: $filter, orderBy: $orderBy) { totalCount nodes { minutes description } } }"""
TASKS = """query($filter: TaskFilter) { tasks(filter: $filter) { totalCount nodes { name } } }"""
TOTALS = """query($id: ID!) { project(id: $id) { loggedMinutes billableMinutes unbilledMinutes
  loggedHours billableHours unbilledHours budgetUsed { amount currency }
  tasks { nodes { name timeEntries { totalCount } } } timeEntries { totalCount } } }"""


async def errors_of(api: Api, tenant: Tenant, name: str, query: str, input: Any) -> list[Any]:
    return (await api.data(query, {"input": input}, tenant))[name]["userErrors"]  # type: ignore[no-any-return]


async def test_a_project_is_written_with_its_customer_budget_rate_and_dates(api):
    owner = await api.register()
    customer = await api.contact(owner, name="Acme Ltd")
    created = await project(
        api,
        owner,
        customerId=customer["id"],
        budget="12000.5",
        hourlyRate="95",
        startDate="2026-01-01",
        endDate="2026-03-31",
        description="Shop and CMS",
    )
    assert created["status"] == "PLANNED" and created["customer"] == {"name": "Acme Ltd"}
    assert created["budget"] == {"amount": "12000.50", "currency": "USD"}
    assert created["hourlyRate"] == "95.00" and created["loggedMinutes"] == 0
    assert created["budgetUsed"] == {"amount": "0.00", "currency": "USD"}


async def test_bad_project_input_is_refused_naming_the_field(api):
    owner = await api.register()
    supplier = await api.contact(owner, type="supplier")
    cases = [
        ({"name": "X", "startDate": "2026-02-01", "endDate": "2026-01-31"}, "endDate", "INVALID"),
        ({"name": "X", "customerId": supplier["id"]}, "customerId", "INVALID"),
        ({"name": "X", "customerId": "000000000000000000000000"}, "customerId", "NOT_FOUND"),
        ({"name": "X", "budget": "-1"}, "budget", "INVALID"),
        ({"name": "X", "currencyCode": "EUR"}, "currencyCode", "NOT_FOUND"),
        ({"name": ""}, "name", "INVALID"),
    ]
    for input, field, code in cases:
        errors = await errors_of(api, owner, "projectCreate", PROJECT_CREATE, input)
        assert [(e["field"], e["code"]) for e in errors] == [(["input", field], code)], input


async def test_project_status_moves_only_as_allowed(api):
    owner = await api.register()
    made = await project(api, owner)

    async def move(status: str) -> list[Any]:
        return await errors_of(
            api, owner, "projectUpdate", PROJECT_UPDATE, {"id": made["id"], "status": status}
        )

    assert await move("COMPLETED") == [
        {
            "field": ["input", "status"],
            "message": "A planned project cannot become completed "
            "(it may become: active, on_hold, cancelled)",
            "code": "INVALID_STATE",
        }
    ]
    for status in ("ACTIVE", "ON_HOLD", "ACTIVE", "COMPLETED", "ACTIVE", "CANCELLED"):
        assert await move(status) == [], status
    assert (await move("ACTIVE"))[0]["message"] == (
        "A cancelled project cannot become active (it may become: nothing: it is final)"
    )


async def test_tasks_are_assigned_to_members_only(api):
    owner = await api.register()
    stranger = await api.register()
    made = await project(api, owner)
    created = await task(api, owner, made["id"], assigneeId=owner.user_id, dueDate="2026-02-01")
    assert created["assignee"]["id"] == owner.user_id and created["status"] == "TODO"
    errors = await errors_of(
        api,
        owner,
        "taskCreate",
        TASK_CREATE,
        {"projectId": made["id"], "name": "X", "assigneeId": stranger.user_id},
    )
    assert errors == [
        {"field": ["input", "assigneeId"], "message": "Member not found", "code": "NOT_FOUND"}
    ]
    moved = await api.mutate(
        "taskUpdate", TASK_UPDATE, {"id": created["id"], "status": "IN_PROGRESS"}, owner
    )
    assert moved["task"]["status"] == "IN_PROGRESS"
    listed = await api.data(TASKS, {"filter": {"status": "IN_PROGRESS"}}, owner)
    assert listed["tasks"]["totalCount"] == 1
    await api.mutate("taskDelete", TASK_DELETE, {"id": created["id"]}, owner)
    assert (await api.data(TASKS, {}, owner))["tasks"]["totalCount"] == 0


async def test_time_is_whole_minutes_with_the_end_after_the_start(api):
    owner = await api.register()
    made = await project(api, owner)
    other = await project(api, owner, name="Other")
    foreign_task = await task(api, owner, other["id"])
    entry = await time(api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:45:00Z")
    assert entry["minutes"] == 105 and entry["member"]["id"] == owner.user_id
    assert entry["billable"] is True and entry["invoice"] is None
    base = {"projectId": made["id"], "startTime": "2026-01-05T09:00:00Z"}
    cases = [
        ({**base, "endTime": "2026-01-05T09:00:00Z"}, ["endTime"]),
        ({**base, "endTime": "2026-01-05T08:00:00Z"}, ["endTime"]),
        ({**base, "endTime": "2026-01-05T09:30:30Z"}, ["endTime"]),
        ({**base, "endTime": "2026-01-05T10:00:00Z", "taskId": foreign_task["id"]}, ["taskId"]),
    ]
    for input, fields in cases:
        errors = await errors_of(api, owner, "timeEntryCreate", TIME_CREATE, input)
        assert [e["field"][1] for e in errors] == fields, input
    # a time without a zone is UTC
    naive = await time(api, owner, made["id"], "2026-01-06T09:00:00", "2026-01-06T09:01:00")
    assert naive["startTime"] == "2026-01-06T09:00:00+00:00" and naive["minutes"] == 1
    changed = await api.mutate(
        "timeEntryUpdate",
        TIME_UPDATE,
        {"id": entry["id"], "endTime": "2026-01-05T09:30:00Z", "billable": False},
        owner,
    )
    assert changed["timeEntry"]["minutes"] == 30 and changed["timeEntry"]["billable"] is False


async def test_no_time_on_a_completed_or_cancelled_project(api):
    owner = await api.register()
    made = await project(api, owner, status="ACTIVE")
    await api.mutate(
        "projectUpdate", PROJECT_UPDATE, {"id": made["id"], "status": "COMPLETED"}, owner
    )
    input = {
        "projectId": made["id"],
        "startTime": "2026-01-05T09:00:00Z",
        "endTime": "2026-01-05T10:00:00Z",
    }
    errors = await errors_of(api, owner, "timeEntryCreate", TIME_CREATE, input)
    assert errors[0]["code"] == "INVALID_STATE" and errors[0]["field"] == ["input", "projectId"]


async def test_a_project_reports_its_time_by_sql_on_both_paths(api, resolver_client):
    owner = await api.register()
    made = await billable_project(api, owner)
    design = await task(api, owner, made["id"])
    await time(
        api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:10:00Z", taskId=design["id"]
    )
    await time(api, owner, made["id"], "2026-01-05T11:00:00Z", "2026-01-05T11:20:00Z")
    await time(
        api, owner, made["id"], "2026-01-05T12:00:00Z", "2026-01-05T12:07:00Z", billable=False
    )
    compiled = await api.data(TOTALS, {"id": made["id"]}, owner)
    r = await resolver_client.post(
        "/graphql", json={"query": TOTALS, "variables": {"id": made["id"]}}, headers=owner.headers
    )
    assert r.json()["data"] == compiled
    totals = compiled["project"]
    assert (totals["loggedMinutes"], totals["billableMinutes"], totals["unbilledMinutes"]) == (
        97,
        90,
        90,
    )
    assert (totals["loggedHours"], totals["billableHours"]) == ("1.62", "1.50")
    # 90 minutes at 90.00 an hour
    assert totals["budgetUsed"] == {"amount": "135.00", "currency": "USD"}
    assert totals["tasks"]["nodes"] == [{"name": "Design", "timeEntries": {"totalCount": 1}}]


async def test_unbilled_time_becomes_a_draft_invoice_once_with_a_line_per_task(api):
    # given time on two tasks, time without a task, and time not billable
    owner = await api.register()
    made = await billable_project(api, owner)
    design, build = (
        await task(api, owner, made["id"], name="Design"),
        await task(api, owner, made["id"], name="Build"),
    )
    await time(
        api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", taskId=design["id"]
    )
    await time(
        api, owner, made["id"], "2026-01-06T09:00:00Z", "2026-01-06T09:40:00Z", taskId=design["id"]
    )
    await time(
        api, owner, made["id"], "2026-01-07T09:00:00Z", "2026-01-07T11:30:00Z", taskId=build["id"]
    )
    await time(api, owner, made["id"], "2026-01-08T09:00:00Z", "2026-01-08T09:10:00Z")
    await time(
        api, owner, made["id"], "2026-01-08T10:00:00Z", "2026-01-08T11:00:00Z", billable=False
    )
    # when the time up to 7 January is invoiced
    payload = await api.mutate(
        "projectInvoiceTime", INVOICE_TIME, {"id": made["id"], "upTo": "2026-01-07"}, owner
    )
    # then one draft invoice to the customer, a line per task at the rate, the hours exact
    invoice = payload["invoice"]
    assert invoice["status"] == "DRAFT" and invoice["contact"] == {"name": "Acme Ltd"}
    assert invoice["lines"] == [
        {"name": "Build", "quantity": "2.5000", "unitPrice": "90.0000", "net": "225.00"},
        {"name": "Design", "quantity": "1.6667", "unitPrice": "90.0000", "net": "150.00"},
    ]
    assert invoice["total"] == {"amount": "375.00", "currency": "USD"}
    assert len(payload["timeEntries"]) == 3
    assert {e["invoice"]["objectId"] for e in payload["timeEntries"]} == {invoice["objectId"]}
    assert payload["project"]["unbilledMinutes"] == 10
    # the rest next time, on a line of the project's name; then nothing is left
    rest = await api.mutate("projectInvoiceTime", INVOICE_TIME, {"id": made["id"]}, owner)
    assert rest["invoice"]["lines"] == [
        {"name": "Website rebuild", "quantity": "0.1667", "unitPrice": "90.0000", "net": "15.00"}
    ]
    errors = await errors_of(api, owner, "projectInvoiceTime", INVOICE_TIME, {"id": made["id"]})
    assert errors == [
        {
            "field": ["input", "id"],
            "message": "The project has no unbilled billable time to invoice",
            "code": "INVALID_STATE",
        }
    ]
    listed = await api.data(
        TIME_ENTRIES, {"filter": {"projectId": made["id"], "invoiced": False}}, owner
    )
    assert listed["timeEntries"]["nodes"] == [{"minutes": 60, "description": None}]


async def test_invoicing_is_refused_without_customer_or_rate_and_for_chosen_bad_entries(api):
    owner = await api.register()
    customer = await api.contact(owner)
    no_customer = await project(api, owner, hourlyRate="50")
    no_rate = await project(api, owner, customerId=customer["id"])
    for made, message in (
        (no_customer, "The project has no customer to invoice; set its customer first"),
        (no_rate, "The project has no hourly rate to bill its time at"),
    ):
        await time(api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
        errors = await errors_of(api, owner, "projectInvoiceTime", INVOICE_TIME, {"id": made["id"]})
        assert errors == [{"field": ["input", "id"], "message": message, "code": "REQUIRED"}]
    made = await billable_project(api, owner)
    other = await billable_project(api, owner)
    free = await time(
        api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", billable=False
    )
    elsewhere = await time(api, owner, other["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    errors = await errors_of(
        api,
        owner,
        "projectInvoiceTime",
        INVOICE_TIME,
        {"id": made["id"], "entryIds": [free["id"], elsewhere["id"]]},
    )
    assert [(e["field"], e["code"]) for e in errors] == [
        (["input", "entryIds", "0"], "INVALID"),
        (["input", "entryIds", "1"], "NOT_FOUND"),
    ]
    chosen = await api.mutate(
        "projectInvoiceTime",
        INVOICE_TIME,
        {"id": other["id"], "entryIds": [elsewhere["objectId"]]},
        owner,
    )
    assert [e["objectId"] for e in chosen["timeEntries"]] == [elsewhere["objectId"]]


async def test_an_invoiced_entry_is_locked_and_a_deleted_draft_releases_its_time(api):
    owner = await api.register()
    made = await billable_project(api, owner)
    entry = await time(api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    invoiced = await api.mutate("projectInvoiceTime", INVOICE_TIME, {"id": made["id"]}, owner)
    locked = "The time entry is invoiced; it cannot be changed or deleted"
    for name, query, input in (
        ("timeEntryUpdate", TIME_UPDATE, {"id": entry["id"], "description": "x"}),
        ("timeEntryDelete", TIME_DELETE, {"id": entry["id"]}),
    ):
        errors = await errors_of(api, owner, name, query, input)
        assert errors == [{"field": ["input", "id"], "message": locked, "code": "LOCKED"}]
    # a project with time is not deleted
    errors = await errors_of(api, owner, "projectDelete", PROJECT_DELETE, {"id": made["id"]})
    assert errors[0]["code"] == "IN_USE"
    # deleting the draft invoice makes its time unbilled again
    delete = f"""mutation($id: ID!) {{ documentDelete(input: {{id: $id}}) {{ {ERRORS} }} }}"""
    assert (await api.data(delete, {"id": invoiced["invoice"]["id"]}, owner))["documentDelete"][
        "userErrors"
    ] == []
    totals = await api.data(TOTALS, {"id": made["id"]}, owner)
    assert totals["project"]["unbilledMinutes"] == 60
    await api.mutate("timeEntryDelete", TIME_DELETE, {"id": entry["id"]}, owner)


async def test_lists_filter_and_order(api):
    owner = await api.register()
    customer = await api.contact(owner)
    await project(api, owner, name="Alpha shop", customerId=customer["id"], startDate="2026-01-01")
    await project(api, owner, name="Beta app", status="ACTIVE", startDate="2026-03-01")
    by_name = await api.data(PROJECTS, {"orderBy": {"field": "NAME", "direction": "ASC"}}, owner)
    assert [p["name"] for p in by_name["projects"]["nodes"]] == ["Alpha shop", "Beta app"]
    for filter, names in (
        ({"status": "ACTIVE"}, ["Beta app"]),
        ({"customerId": customer["id"]}, ["Alpha shop"]),
        ({"startDateFrom": "2026-02-01"}, ["Beta app"]),
        ({"search": "shop"}, ["Alpha shop"]),
        ({"search": "%"}, []),
    ):
        listed = await api.data(PROJECTS, {"filter": filter}, owner)
        assert [p["name"] for p in listed["projects"]["nodes"]] == names, filter
    made = await project(api, owner)
    await time(
        api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", description="Call"
    )
    await time(
        api, owner, made["id"], "2026-01-07T09:00:00Z", "2026-01-07T09:30:00Z", billable=False
    )
    for filter, minutes in (
        ({}, [30, 60]),
        ({"billable": True}, [60]),
        ({"startedFrom": "2026-01-06"}, [30]),
        ({"startedTo": "2026-01-05"}, [60]),
        ({"memberId": owner.user_id, "search": "Call"}, [60]),
    ):
        listed = await api.data(TIME_ENTRIES, {"filter": filter}, owner)
        assert [e["minutes"] for e in listed["timeEntries"]["nodes"]] == minutes, filter
    shortest = await api.data(
        TIME_ENTRIES, {"orderBy": {"field": "MINUTES", "direction": "ASC"}}, owner
    )
    assert [e["minutes"] for e in shortest["timeEntries"]["nodes"]] == [30, 60]
