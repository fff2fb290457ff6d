"""Numbors REST: /api/projects (with the customer populated), /api/projects/{id} (with
its tasks and customer), /api/projects/{id}/tasks and /api/projects/time (time entries
with their project and user populated)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col
from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.pagination import PageArgs
from gql.domains.companies.loaders import MemberByUserIdLoader
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.projects import service
from gql.domains.projects.computed import (
    BILLABLE_HOURS,
    BILLABLE_MINUTES,
    BUDGET_USED,
    LOGGED_HOURS,
    LOGGED_MINUTES,
    UNBILLED_HOURS,
    UNBILLED_MINUTES,
)
from gql.domains.projects.loaders import ProjectByIdLoader
from gql.domains.projects.models import Project, ProjectStatus, Task, TimeEntry
from gql.domains.projects.schema import PROJECTS, TIME_ENTRIES
from gql.domains.projects.types import MODULE
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    date_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, day, flag, ref, text
from gql.rest.renames import Renames

# The Numbors names for the fields, and ours.
PROJECT_NAMES = Renames({"customer": "customerId", "currency": "currencyCode"})
TASK_NAMES = Renames({"assignedTo": "assigneeId"})
TIME_NAMES = Renames({"project": "projectId", "task": "taskId", "user": "memberId"})
# What a project reports, by its REST name (the expressions the GraphQL fields answer).
TOTALS = {
    "loggedMinutes": LOGGED_MINUTES,
    "billableMinutes": BILLABLE_MINUTES,
    "unbilledMinutes": UNBILLED_MINUTES,
    "loggedHours": LOGGED_HOURS,
    "billableHours": BILLABLE_HOURS,
    "unbilledHours": UNBILLED_HOURS,
    "budgetUsed": BUDGET_USED,
}


def _brief(row: Any, *fields: str) -> dict[str, Any] | None:
    return None if row is None else {name: getattr(row, name) for name in ("id", *fields)}


async def _by_id(ctx: RestContext, loader: type[Any], keys: set[str | None]) -> dict[str, Any]:
    """Rows of `loader` for `keys`, by key: one statement."""
    wanted = sorted(k for k in keys if k is not None)
    if not wanted:
        return {}
    return dict(zip(wanted, await loader(ctx.session).load_many(wanted), strict=True))


async def projects_json(ctx: RestContext, projects: list[Project]) -> list[dict[str, Any]]:
    """Each project with its customer and its time totals: two statements for the page."""
    customers = await _by_id(ctx, ContactByIdLoader, {p.customer_id for p in projects})
    totals = await computed_values(
        ctx.session, Project, list(TOTALS.values()), [p.id for p in projects]
    )
    return [
        row_json(
            p,
            exclude=("company_id", "customer_id"),
            currency=p.currency_code,
            customer=_brief(customers.get(p.customer_id or ""), "name", "email", "type"),
            **dict(zip(TOTALS, totals[p.id], strict=True)),
        )
        for p in projects
    ]


async def tasks_json(ctx: RestContext, tasks: list[Task]) -> list[dict[str, Any]]:
    members = await _by_id(ctx, MemberByUserIdLoader, {t.assignee_id for t in tasks})
    return [
        row_json(
            t,
            exclude=("company_id", "project_id", "assignee_id"),
            project=t.project_id,
            assignedTo=_brief(members.get(t.assignee_id or ""), "name", "email"),
        )
        for t in tasks
    ]


async def time_json(ctx: RestContext, entries: list[TimeEntry]) -> list[dict[str, Any]]:
    """Each entry with its project and user: two statements for the page."""
    projects = await _by_id(ctx, ProjectByIdLoader, {e.project_id for e in entries})
    members = await _by_id(ctx, MemberByUserIdLoader, {e.member_id for e in entries})
    refs = ("project_id", "task_id", "member_id", "invoice_id", "invoice_line_id")
    return [
        row_json(
            e,
            exclude=("company_id", *refs),
            project=_brief(projects.get(e.project_id), "name"),
            user=_brief(members.get(e.member_id), "name", "email"),
            task=e.task_id,
            invoiced=e.invoice_id is not None,
            invoice=e.invoice_id,
            invoiceLine=e.invoice_line_id,
        )
        for e in entries
    ]


def _page_args(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


@endpoint(module=MODULE)
async def list_projects(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.ProjectFilter(
        status=choice_param(ctx.request, "status", [s.value for s in ProjectStatus]),
        customer_id=id_param(ctx.request, "customer", "Contact"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, PROJECTS, args, where=filter)
    items = await projects_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=PROJECT_NAMES)
async def create_project(ctx: RestContext) -> Response:
    project = await service.create_project(session=ctx.session, data=await ctx.body())
    return ok((await projects_json(ctx, [project]))[0], 201)


async def _project_detail(ctx: RestContext, project: Project) -> dict[str, Any]:
    """The project, its customer and its tasks (oldest first)."""
    tasks = (
        await ctx.session.scalars(
            select(Task)
            .where(col(Task.project_id) == project.id)
            .order_by(col(Task.created_at), col(Task.id))
        )
    ).all()
    (out,) = await projects_json(ctx, [project])
    return out | {"tasks": await tasks_json(ctx, list(tasks))}


@endpoint(module=MODULE)
async def get_project(ctx: RestContext) -> Response:
    project = await service.get_project(session=ctx.session, id=ctx.request.path_params["id"])
    return ok(await _project_detail(ctx, project))


@endpoint(module=MODULE, write=True, names=PROJECT_NAMES)
async def update_project(ctx: RestContext) -> Response:
    project = await service.update_project(
        session=ctx.session, id=ctx.request.path_params["id"], data=await ctx.body()
    )
    return ok(await _project_detail(ctx, project))


@endpoint(module=MODULE, write=True, names=TASK_NAMES)
async def add_task(ctx: RestContext) -> Response:
    data = await ctx.body()  # a body that is not an object is a 400 before anything else
    project = await service.get_project(session=ctx.session, id=ctx.request.path_params["id"])
    task = await service.create_task(session=ctx.session, data={**data, "projectId": project.id})
    return ok((await tasks_json(ctx, [task]))[0], 201)


@endpoint(module=MODULE)
async def list_time(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.TimeEntryFilter(
        project_id=id_param(ctx.request, "project", "Project"),
        task_id=id_param(ctx.request, "task", "Task"),
        member_id=ctx.request.query_params.get("user") or None,
        billable=bool_param(ctx.request, "billable"),
        invoiced=bool_param(ctx.request, "invoiced"),
        started_from=date_param(ctx.request, "from"),
        started_to=date_param(ctx.request, "to"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, TIME_ENTRIES, args, where=filter)
    items = await time_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=TIME_NAMES)
async def create_time(ctx: RestContext) -> Response:
    entry = await service.create_time_entry(
        session=ctx.session, viewer=ctx.viewer, data=await ctx.body()
    )
    return ok((await time_json(ctx, [entry]))[0], 201)


# /projects/time before /projects/{id}: "time" is a path, not a project's id.
routes = [
    ApiRoute(
        "/projects/time",
        list_time,
        "GET",
        summary="List time entries",
        row=TimeEntry,
        query=[
            ref("project"),
            ref("task"),
            flag("billable"),
            flag("invoiced"),
            day("from"),
            day("to"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/projects/time",
        create_time,
        "POST",
        summary="Record time",
        row=TimeEntry,
        body=service.TimeCreate,
    ),
    ApiRoute(
        "/projects",
        list_projects,
        "GET",
        summary="List projects",
        row=Project,
        query=[choice("status", ProjectStatus), ref("customer"), text("search")],
    ),
    ApiRoute(
        "/projects",
        create_project,
        "POST",
        summary="Create a project",
        row=Project,
        body=service.ProjectCreate,
    ),
    ApiRoute("/projects/{id}", get_project, "GET", summary="Get a project", row=Project),
    ApiRoute(
        "/projects/{id}",
        update_project,
        "PUT",
        summary="Update a project",
        row=Project,
        body=service.ProjectUpdate,
    ),
    ApiRoute(
        "/projects/{id}/tasks",
        add_task,
        "POST",
        summary="Add a task to a project",
        row=Task,
        body=service.TaskCreate,
    ),
]
