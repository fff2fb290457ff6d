"""Query and Mutation fields of projects, tasks and time entries (module: projects)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.projects import service
from gql.domains.projects.models import Project, Task, TimeEntry
from gql.domains.projects.types import (
    MODULE,
    ProjectConnection,
    ProjectCreateInput,
    ProjectDeletePayload,
    ProjectFilter,
    ProjectIdInput,
    ProjectInvoiceTimeInput,
    ProjectInvoiceTimePayload,
    ProjectNode,
    ProjectOrder,
    ProjectPayload,
    ProjectUpdateInput,
    TaskConnection,
    TaskCreateInput,
    TaskDeletePayload,
    TaskFilter,
    TaskIdInput,
    TaskNode,
    TaskOrder,
    TaskPayload,
    TaskUpdateInput,
    TimeEntryConnection,
    TimeEntryCreateInput,
    TimeEntryDeletePayload,
    TimeEntryFilter,
    TimeEntryIdInput,
    TimeEntryNode,
    TimeEntryOrder,
    TimeEntryPayload,
    TimeEntryUpdateInput,
    project_filter_of,
    project_order_of,
    task_filter_of,
    task_order_of,
    time_entry_filter_of,
    time_entry_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

PROJECTS = RootConnection(
    Project, project_filter_of, project_order_of, service.PROJECT_ORDER_COLUMNS
)
TASKS = RootConnection(Task, task_filter_of, task_order_of, service.TASK_ORDER_COLUMNS)
TIME_ENTRIES = RootConnection(
    TimeEntry, time_entry_filter_of, time_entry_order_of, service.TIME_ENTRY_ORDER_COLUMNS
)


@strawberry.type
class Query:
    project: ProjectNode | None = root_get(Project, "Project", permission_classes=READ)
    projects: ProjectConnection = root_connection(
        PROJECTS,
        ProjectConnection,
        filter=ProjectFilter,
        order=ProjectOrder,
        permission_classes=READ,
        description="The company's projects, newest first unless ordered otherwise.",
    )
    task: TaskNode | None = root_get(Task, "Task", permission_classes=READ)
    tasks: TaskConnection = root_connection(
        TASKS,
        TaskConnection,
        filter=TaskFilter,
        order=TaskOrder,
        permission_classes=READ,
        description="The tasks of every project, oldest first unless ordered otherwise.",
    )
    time_entry: TimeEntryNode | None = root_get(TimeEntry, "TimeEntry", permission_classes=READ)
    time_entries: TimeEntryConnection = root_connection(
        TIME_ENTRIES,
        TimeEntryConnection,
        filter=TimeEntryFilter,
        order=TimeEntryOrder,
        permission_classes=READ,
        description="The time logged on every project, latest first unless ordered otherwise.",
    )


@strawberry.type
class Mutation:
    project_create = mutation(
        input=ProjectCreateInput,
        payload=ProjectPayload,
        field="project",
        run=service.create_project,
        permission=WRITE,
        description="Start a project (PLANNED unless a status is given).",
    )
    project_update = mutation(
        input=ProjectUpdateInput,
        payload=ProjectPayload,
        field="project",
        run=service.update_project,
        permission=WRITE,
        description="Change a project; a status move outside ProjectStatus's is INVALID_STATE.",
    )
    project_delete = mutation(
        input=ProjectIdInput,
        payload=ProjectDeletePayload,
        field="deleted_project_id",
        returns="deleted_id",
        run=service.delete_project,
        permission=WRITE,
        description="Delete a project without time entries, with its tasks (IN_USE otherwise).",
    )
    project_invoice_time = mutation(
        input=ProjectInvoiceTimeInput,
        payload=ProjectInvoiceTimePayload,
        run=service.invoice_time,
        permission=WRITE,
        description="Bill the project's unbilled billable time on a draft invoice to its "
        "customer: one line per task (time without a task on a line of the project's name), "
        "quantity the hours (four decimals), unit price the hourly rate. Each entry is billed "
        "once, also under concurrent requests. REQUIRED without a customer or an hourly rate; "
        "INVALID_STATE with nothing to invoice.",
    )
    task_create = mutation(
        input=TaskCreateInput,
        payload=TaskPayload,
        field="task",
        run=service.create_task,
        permission=WRITE,
        description="Add a task to a project.",
    )
    task_update = mutation(
        input=TaskUpdateInput,
        payload=TaskPayload,
        field="task",
        run=service.update_task,
        permission=WRITE,
        description="Change a task.",
    )
    task_delete = mutation(
        input=TaskIdInput,
        payload=TaskDeletePayload,
        field="deleted_task_id",
        returns="deleted_id",
        run=service.delete_task,
        permission=WRITE,
        description="Delete a task without time entries (IN_USE otherwise).",
    )
    time_entry_create = mutation(
        input=TimeEntryCreateInput,
        payload=TimeEntryPayload,
        field="time_entry",
        run=service.create_time_entry,
        permission=WRITE,
        description="Log time on a project that is not completed or cancelled.",
    )
    time_entry_update = mutation(
        input=TimeEntryUpdateInput,
        payload=TimeEntryPayload,
        field="time_entry",
        run=service.update_time_entry,
        permission=WRITE,
        description="Change a time entry; an invoiced one is LOCKED.",
    )
    time_entry_delete = mutation(
        input=TimeEntryIdInput,
        payload=TimeEntryDeletePayload,
        field="deleted_time_entry_id",
        returns="deleted_id",
        run=service.delete_time_entry,
        permission=WRITE,
        description="Delete a time entry; an invoiced one is LOCKED.",
    )
