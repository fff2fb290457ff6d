"""Another company's project, task, time entry, customer or member behaves exactly like
an id that does not exist, at write time and read time, over GraphQL."""

from __future__ import annotations

from tests.projects import (
    INVOICE_TIME,
    PROJECT_CREATE,
    PROJECT_UPDATE,
    TASK_CREATE,
    TIME_CREATE,
    TIME_DELETE,
    billable_project,
    task,
    time,
)

READS = """query($p: ID!, $t: ID!, $e: ID!) { project(id: $p) { name } task(id: $t) { name }
  timeEntry(id: $e) { minutes } }"""
LISTS = """{ projects { totalCount } tasks { totalCount } timeEntries { totalCount }
  contacts { nodes { projects { totalCount } } } }"""


async def test_another_companys_rows_are_not_found(api):
    owner, other = await api.register(), await api.register()
    made = await billable_project(api, owner)
    theirs_task = await task(api, owner, made["id"])
    entry = await time(api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    customer = await api.contact(owner)
    # reads: null with NOT_FOUND, lists empty
    body = await api.gql(READS, {"p": made["id"], "t": theirs_task["id"], "e": entry["id"]}, other)
    assert body["data"] == {"project": None, "task": None, "timeEntry": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}
    lists = await api.data(LISTS, None, other)
    assert lists["projects"]["totalCount"] == lists["tasks"]["totalCount"] == 0
    assert lists["timeEntries"]["totalCount"] == 0
    # writes naming their rows: NOT_FOUND on the field, as for an id that never existed
    mine = await billable_project(api, other)
    start, end = "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"
    for name, query, input, field in (
        (
            "projectCreate",
            PROJECT_CREATE,
            {"name": "X", "customerId": customer["id"]},
            "customerId",
        ),
        ("projectUpdate", PROJECT_UPDATE, {"id": made["id"], "name": "X"}, "id"),
        ("projectInvoiceTime", INVOICE_TIME, {"id": made["id"]}, "id"),
        ("taskCreate", TASK_CREATE, {"projectId": made["id"], "name": "X"}, "projectId"),
        (
            "taskCreate",
            TASK_CREATE,
            {"projectId": mine["id"], "name": "X", "assigneeId": owner.user_id},
            "assigneeId",
        ),
        (
            "timeEntryCreate",
            TIME_CREATE,
            {"projectId": made["id"], "startTime": start, "endTime": end},
            "projectId",
        ),
        (
            "timeEntryCreate",
            TIME_CREATE,
            {
                "projectId": mine["id"],
                "taskId": theirs_task["id"],
                "startTime": start,
                "endTime": end,
            },
            "taskId",
        ),
        (
            "timeEntryCreate",
            TIME_CREATE,
            {
                "projectId": mine["id"],
                "memberId": owner.user_id,
                "startTime": start,
                "endTime": end,
            },
            "memberId",
        ),
        ("timeEntryDelete", TIME_DELETE, {"id": entry["id"]}, "id"),
        (
            "projectInvoiceTime",
            INVOICE_TIME,
            {"id": mine["id"], "entryIds": [entry["id"]]},
            "entryIds",
        ),
    ):
        errors = (await api.data(query, {"input": input}, other))[name]["userErrors"]
        assert errors[0]["code"] == "NOT_FOUND" and errors[0]["field"][1] == field, (name, errors)
    # and theirs is untouched
    still = await api.data(
        READS, {"p": made["id"], "t": theirs_task["id"], "e": entry["id"]}, owner
    )
    assert still["timeEntry"] == {"minutes": 60} and still["project"]["name"] == "Website rebuild"
