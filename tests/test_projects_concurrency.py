"""Ten identical projectInvoiceTime requests at the same moment on one project: exactly
one makes an invoice, every entry is billed once, and the others get what a client
trying again afterwards would get (nothing left to invoice); ten deletes of one entry
delete it once. Each request goes over its own client, so on PostgreSQL they really run
side by side; on SQLite they queue for the write lock."""

from __future__ import annotations

from typing import Any

from gql.domains.documents.models import Document
from tests.factories import Api, count_rows
from tests.projects import billable_project, time
from tests.test_money_concurrency import again, exactly_one_wins, race

INVOICE = """mutation($id: ID!) { projectInvoiceTime(input: {id: $id}) {
  invoice { objectId total { amount } } timeEntries { objectId }
  userErrors { field message code } } }"""
DELETE = """mutation($id: ID!) { timeEntryDelete(input: {id: $id}) {
  deletedTimeEntryId userErrors { field message code } } }"""
ENTRIES = """query($id: ID!) { project(id: $id) { unbilledMinutes billableMinutes
  timeEntries { nodes { invoice { objectId } } } } }"""


async def test_time_invoiced_ten_times_at_once_is_billed_once(api: Api, app: Any) -> None:
    # given a project with three hours of unbilled time
    owner = await api.register()
    made = await billable_project(api, owner)
    for day in (5, 6, 7):
        await time(api, owner, made["id"], f"2026-01-0{day}T09:00:00Z", f"2026-01-0{day}T10:00:00Z")
    # when ten requests invoice it at the same moment
    payloads = await race(app, owner, INVOICE, made["id"])
    # then one invoices all of it, the others find nothing left, as a retry does
    retry = await again(api, owner, INVOICE, made["id"])
    assert (
        retry["userErrors"][0]["message"] == "The project has no unbilled billable time to invoice"
    )
    exactly_one_wins(payloads, retry)
    (winner,) = [p for p in payloads if not p["userErrors"]]
    assert winner["invoice"]["total"] == {"amount": "270.00"} and len(winner["timeEntries"]) == 3
    assert await count_rows(app, Document, owner.company_id) == 1
    after = (await api.data(ENTRIES, {"id": made["id"]}, owner))["project"]
    assert after["unbilledMinutes"] == 0 and after["billableMinutes"] == 180
    assert {e["invoice"]["objectId"] for e in after["timeEntries"]["nodes"]} == {
        winner["invoice"]["objectId"]
    }


async def test_an_entry_deleted_ten_times_at_once_goes_once(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await billable_project(api, owner)
    entry = await time(api, owner, made["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    payloads = await race(app, owner, DELETE, entry["id"])
    retry = await again(api, owner, DELETE, entry["id"])
    assert retry["userErrors"][0]["code"] == "NOT_FOUND"
    exactly_one_wins(payloads, retry)
