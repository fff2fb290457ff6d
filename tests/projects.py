"""Helpers of the projects tests: a project with a customer and a rate, time on it, and
the mutations that make them."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant

ERRORS = "userErrors { field message code }"
PROJECT_FIELDS = """id objectId name description status startDate endDate currencyCode
    budget { amount currency } hourlyRate loggedMinutes billableMinutes unbilledMinutes
    loggedHours billableHours unbilledHours budgetUsed { amount currency } customer { name }"""
TASK_FIELDS = "id objectId name status dueDate assignee { id name } project { name }"
ENTRY_FIELDS = """id objectId startTime endTime minutes description billable
    project { name } task { name } member { id name } invoice { id number status }
    invoiceLine { name quantity unitPrice }"""
PROJECT_CREATE = f"""mutation($input: ProjectCreateInput!) {{
  projectCreate(input: $input) {{ project {{ {PROJECT_FIELDS} }} {ERRORS} }} }}"""
PROJECT_UPDATE = f"""mutation($input: ProjectUpdateInput!) {{
  projectUpdate(input: $input) {{ project {{ {PROJECT_FIELDS} }} {ERRORS} }} }}"""
PROJECT_DELETE = f"""mutation($input: ProjectIdInput!) {{
  projectDelete(input: $input) {{ deletedProjectId {ERRORS} }} }}"""
TASK_CREATE = f"""mutation($input: TaskCreateInput!) {{
  taskCreate(input: $input) {{ task {{ {TASK_FIELDS} }} {ERRORS} }} }}"""
TASK_UPDATE = f"""mutation($input: TaskUpdateInput!) {{
  taskUpdate(input: $input) {{ task {{ {TASK_FIELDS} }} {ERRORS} }} }}"""
TASK_DELETE = f"""mutation($input: TaskIdInput!) {{
  taskDelete(input: $input) {{ deletedTaskId {ERRORS} }} }}"""
TIME_CREATE = f"""mutation($input: TimeEntryCreateInput!) {{
  timeEntryCreate(input: $input) {{ timeEntry {{ {ENTRY_FIELDS} }} {ERRORS} }} }}"""
TIME_UPDATE = f"""mutation($input: TimeEntryUpdateInput!) {{
  timeEntryUpdate(input: $input) {{ timeEntry {{ {ENTRY_FIELDS} }} {ERRORS} }} }}"""
TIME_DELETE = f"""mutation($input: TimeEntryIdInput!) {{
  timeEntryDelete(input: $input) {{ deletedTimeEntryId {ERRORS} }} }}"""
INVOICE_TIME = f"""mutation($input: ProjectInvoiceTimeInput!) {{
  projectInvoiceTime(input: $input) {{
    project {{ unbilledMinutes billableMinutes budgetUsed {{ amount }} }}
    invoice {{ id objectId status total {{ amount currency }} contact {{ name }}
      lines {{ name quantity unitPrice net }} }}
    timeEntries {{ objectId minutes invoice {{ objectId }} invoiceLine {{ name }} }}
    {ERRORS} }} }}"""


async def project(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Website rebuild", **fields}
    return (await api.mutate("projectCreate", PROJECT_CREATE, body, tenant))["project"]  # type: ignore[no-any-return]


async def task(api: Api, tenant: Tenant, project_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Design", "projectId": project_id, **fields}
    return (await api.mutate("taskCreate", TASK_CREATE, body, tenant))["task"]  # type: ignore[no-any-return]


async def time(
    api: Api, tenant: Tenant, project_id: str, start: str, end: str, **fields: Any
) -> dict[str, Any]:
    body = {"projectId": project_id, "startTime": start, "endTime": end, **fields}
    return (await api.mutate("timeEntryCreate", TIME_CREATE, body, tenant))["timeEntry"]  # type: ignore[no-any-return]


async def billable_project(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    """A project for a new customer at 90.00 an hour."""
    customer = await api.contact(tenant, name="Acme Ltd")
    return await project(api, tenant, customerId=customer["id"], hourlyRate="90", **fields)
