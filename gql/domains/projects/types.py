"""GraphQL types of projects, tasks and time entries, their inputs, filters and orders
(module: projects)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import EdgeConnection, computed, connection_edge, money, python_only, to_one
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.companies.modules import ModuleAlias
from gql.domains.companies.types import UserType, member_user
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.documents.loaders import DocumentByIdLoader, DocumentLineByIdLoader
from gql.domains.documents.types import DocumentLineNode, DocumentNode
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
from gql.domains.projects.loaders import (
    ProjectByIdLoader,
    TaskByIdLoader,
    TimeEntryByIdLoader,
)
from gql.domains.projects.models import Project, ProjectStatus, Task, TaskStatus, TimeEntry

MODULE = ModuleAlias.PROJECTS
# The connections are declared after the nodes that use them.
_THIS_MODULE = strawberry.lazy("gql.domains.projects.types")
TASKS = Annotated["TaskConnection", _THIS_MODULE]
TIME_ENTRIES = Annotated["TimeEntryConnection", _THIS_MODULE]
MEMBER = "a user, not a row of the company's tables"

ProjectStatusEnum = strawberry.enum(
    ProjectStatus,
    name="ProjectStatus",
    description="PLANNED -> ACTIVE / ON_HOLD -> COMPLETED (which may reopen to ACTIVE); "
    "CANCELLED from any but COMPLETED, and final.",
)
TaskStatusEnum = strawberry.enum(
    TaskStatus, name="TaskStatus", description="TODO, IN_PROGRESS, DONE."
)


async def _assignee(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.assignee_id)


async def _time_member(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.member_id)


# --- filters and orders ---------------------------------------------------------------------


@strawberry.enum(description="What projects can be sorted by.")
class ProjectOrderField(Enum):
    CREATED_AT = "created_at"
    NAME = "name"
    START_DATE = "start_date"
    END_DATE = "end_date"
    BUDGET = "budget"


@strawberry.input(description="How to sort projects.")
class ProjectOrder:
    field: ProjectOrderField = ProjectOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which projects to list; all conditions must hold.")
class ProjectFilter:
    status: ProjectStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    customer_id: strawberry.ID | None = strawberry.UNSET
    start_date_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Starting on or after this day."
    )
    start_date_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Starting on or before this day."
    )
    end_date_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Ending on or after this day."
    )
    end_date_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Ending on or before this day."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name or description."
    )


@strawberry.enum(description="What tasks can be sorted by.")
class TaskOrderField(Enum):
    CREATED_AT = "created_at"
    NAME = "name"
    DUE_DATE = "due_date"
    STATUS = "status"


@strawberry.input(description="How to sort tasks (oldest first by default).")
class TaskOrder:
    field: TaskOrderField = TaskOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which tasks to list; all conditions must hold.")
class TaskFilter:
    status: TaskStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    project_id: strawberry.ID | None = strawberry.UNSET
    assignee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The member's user id."
    )
    due_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Due on or after this day."
    )
    due_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Due on or before this day."
    )
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.enum(description="What time entries can be sorted by.")
class TimeEntryOrderField(Enum):
    START_TIME = "start_time"
    MINUTES = "minutes"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort time entries (latest start first by default).")
class TimeEntryOrder:
    field: TimeEntryOrderField = TimeEntryOrderField.START_TIME
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which time entries to list; all conditions must hold.")
class TimeEntryFilter:
    project_id: strawberry.ID | None = strawberry.UNSET
    task_id: strawberry.ID | None = strawberry.UNSET
    member_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The member's user id."
    )
    invoice_id: strawberry.ID | None = strawberry.UNSET
    billable: bool | None = strawberry.UNSET
    invoiced: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Billed on an invoice (true) or not yet (false)."
    )
    started_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Started on or after this day (UTC)."
    )
    started_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Started on or before this day (UTC)."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the description."
    )


def project_filter_of(value: ProjectFilter | None) -> service.ProjectFilter:
    data = input_to_dict(value) if value else {}
    return service.ProjectFilter(
        status=enum_value(data.get("status")),
        customer_id=id_filter(data.get("customerId"), "Contact"),
        start_date_from=data.get("startDateFrom"),
        start_date_to=data.get("startDateTo"),
        end_date_from=data.get("endDateFrom"),
        end_date_to=data.get("endDateTo"),
        search=data.get("search"),
    )


def task_filter_of(value: TaskFilter | None) -> service.TaskFilter:
    data = input_to_dict(value) if value else {}
    return service.TaskFilter(
        status=enum_value(data.get("status")),
        project_id=id_filter(data.get("projectId"), "Project"),
        assignee_id=data.get("assigneeId"),
        due_from=data.get("dueFrom"),
        due_to=data.get("dueTo"),
        search=data.get("search"),
    )


def time_entry_filter_of(value: TimeEntryFilter | None) -> service.TimeEntryFilter:
    data = input_to_dict(value) if value else {}
    return service.TimeEntryFilter(
        project_id=id_filter(data.get("projectId"), "Project"),
        task_id=id_filter(data.get("taskId"), "Task"),
        member_id=data.get("memberId"),
        invoice_id=id_filter(data.get("invoiceId"), "Document"),
        billable=data.get("billable"),
        invoiced=data.get("invoiced"),
        started_from=data.get("startedFrom"),
        started_to=data.get("startedTo"),
        search=data.get("search"),
    )


def project_order_of(value: ProjectOrder | None) -> tuple[str, str]:
    return order_of(value, ProjectOrder)


def task_order_of(value: TaskOrder | None) -> tuple[str, str]:
    return order_of(value, TaskOrder)


def time_entry_order_of(value: TimeEntryOrder | None) -> tuple[str, str]:
    return order_of(value, TimeEntryOrder)


def _edge(model: type[Any], fk: str, filter_of: Any, order_of: Any, columns: Any) -> EdgeConnection:
    return EdgeConnection(model, fk, filter_of, order_of, columns, module=MODULE)


TASK_EDGE = _edge(Task, "project_id", task_filter_of, task_order_of, service.TASK_ORDER_COLUMNS)
PROJECT_TIME_EDGE = _edge(
    TimeEntry,
    "project_id",
    time_entry_filter_of,
    time_entry_order_of,
    service.TIME_ENTRY_ORDER_COLUMNS,
)
TASK_TIME_EDGE = _edge(
    TimeEntry,
    "task_id",
    time_entry_filter_of,
    time_entry_order_of,
    service.TIME_ENTRY_ORDER_COLUMNS,
)


# --- nodes ----------------------------------------------------------------------------------


@node_type(
    name="Project",
    model=Project,
    load=load_with(ProjectByIdLoader),
    module=MODULE,
    description="Work for a customer, with a budget, tasks and the time logged on it.",
)
class ProjectNode(Node):
    name: str
    description: str | None
    status: ProjectStatusEnum  # type: ignore[valid-type]
    start_date: date | None
    end_date: date | None = strawberry.field(description="Not before startDate.")
    currency_code: str
    created_at: datetime
    updated_at: datetime
    budget: Money = money("budget")
    hourly_rate: Decimal | None = strawberry.field(
        description="What a billable hour is invoiced at, in the project's currency; null: "
        "its time cannot be invoiced yet."
    )
    logged_minutes: int = computed(LOGGED_MINUTES, description="All time logged, in minutes.")
    billable_minutes: int = computed(BILLABLE_MINUTES, description="Billable time, in minutes.")
    unbilled_minutes: int = computed(
        UNBILLED_MINUTES, description="Billable time not yet invoiced, in minutes."
    )
    logged_hours: Decimal = computed(
        LOGGED_HOURS, description="All time logged, in hours (to the hundredth, half up)."
    )
    billable_hours: Decimal = computed(BILLABLE_HOURS, description="Billable time, in hours.")
    unbilled_hours: Decimal = computed(
        UNBILLED_HOURS, description="Billable time not yet invoiced, in hours."
    )
    budget_used: Money = money(
        BUDGET_USED,
        description="Billable time (invoiced or not) at the hourly rate, to the cent; zero "
        "without a rate.",
    )
    customer: ContactNode | None = to_one(ContactByIdLoader, "customer_id")
    tasks: Annotated[TaskConnection, _THIS_MODULE] = connection_edge(
        TASK_EDGE, TASKS, filter=TaskFilter, order=TaskOrder, description="Its tasks."
    )
    time_entries: Annotated[TimeEntryConnection, _THIS_MODULE] = connection_edge(
        PROJECT_TIME_EDGE,
        TIME_ENTRIES,
        filter=TimeEntryFilter,
        order=TimeEntryOrder,
        description="The time logged on it, latest first.",
    )


@node_type(
    name="Task",
    model=Task,
    load=load_with(TaskByIdLoader),
    module=MODULE,
    description="A piece of a project's work, maybe assigned to a member.",
)
class TaskNode(Node):
    name: str
    status: TaskStatusEnum  # type: ignore[valid-type]
    due_date: date | None
    created_at: datetime
    updated_at: datetime
    project: ProjectNode = to_one(ProjectByIdLoader, "project_id")
    assignee: UserType | None = python_only(
        _assignee, MEMBER, description="The member it is assigned to."
    )
    time_entries: Annotated[TimeEntryConnection, _THIS_MODULE] = connection_edge(
        TASK_TIME_EDGE,
        TIME_ENTRIES,
        filter=TimeEntryFilter,
        order=TimeEntryOrder,
        description="The time logged on it, latest first.",
    )


@node_type(
    name="TimeEntry",
    model=TimeEntry,
    load=load_with(TimeEntryByIdLoader),
    module=MODULE,
    description="Time a member spent on a project, from start to end, in whole minutes.",
)
class TimeEntryNode(Node):
    start_time: datetime
    end_time: datetime = strawberry.field(description="After startTime.")
    minutes: int = strawberry.field(description="The duration, exact: endTime - startTime.")
    description: str | None
    billable: bool
    created_at: datetime
    updated_at: datetime
    project: ProjectNode = to_one(ProjectByIdLoader, "project_id")
    task: TaskNode | None = to_one(TaskByIdLoader, "task_id")
    member: UserType | None = python_only(_time_member, MEMBER, description="Who logged it.")
    invoice: DocumentNode | None = to_one(
        DocumentByIdLoader, "invoice_id", description="The invoice it was billed on, if it was."
    )
    invoice_line: DocumentLineNode | None = to_one(
        DocumentLineByIdLoader, "invoice_line_id", description="The invoice line it went into."
    )


@strawberry.type(name="ProjectConnection")
class ProjectConnection(Connection[ProjectNode]):
    pass


@strawberry.type(name="TaskConnection")
class TaskConnection(Connection[TaskNode]):
    pass


@strawberry.type(name="TimeEntryConnection")
class TimeEntryConnection(Connection[TimeEntryNode]):
    pass


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="A project's fields; on update, only the fields sent change.")
class ProjectFieldsInput:
    description: str | None = strawberry.UNSET
    customer_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A customer (or both) contact: whom time is billed to.",
    )
    budget: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Zero or more; defaults to zero."
    )
    currency_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The base currency (the default) or one of the company's currencies.",
    )
    hourly_rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="What a billable hour is invoiced at."
    )
    start_date: date | None = strawberry.UNSET
    end_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="Not before startDate."
    )
    status: ProjectStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="On update: one of the moves ProjectStatus allows."
    )


@strawberry.input(description="A new project (PLANNED unless a status is given).")
class ProjectCreateInput(ProjectFieldsInput):
    name: str


@strawberry.input
class ProjectUpdateInput(ProjectFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input
class ProjectIdInput:
    id: strawberry.ID


@strawberry.input(
    description="Which unbilled billable time to invoice: all of it (the default), that "
    "started up to a day, or the entries named."
)
class ProjectInvoiceTimeInput:
    id: strawberry.ID
    up_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Time started on or before this day (UTC)."
    )
    entry_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="These entries of the project, and no others."
    )
    due_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="The invoice's due date."
    )


@strawberry.input(description="A task's fields; on update, only the fields sent change.")
class TaskFieldsInput:
    assignee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A member of the company (the user's id)."
    )
    due_date: date | None = strawberry.UNSET
    status: TaskStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]


@strawberry.input(description="A new task of a project (TODO unless a status is given).")
class TaskCreateInput(TaskFieldsInput):
    project_id: strawberry.ID
    name: str


@strawberry.input
class TaskUpdateInput(TaskFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input
class TaskIdInput:
    id: strawberry.ID


@strawberry.input(description="A time entry's fields; on update, only the fields sent change.")
class TimeEntryFieldsInput:
    task_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A task of the entry's project."
    )
    member_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Who worked: a member's user id; the viewer by default.",
    )
    description: str | None = strawberry.UNSET
    billable: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Billed to the customer; true by default."
    )


@strawberry.input(description="Time on a project; start and end on whole minutes, end after start.")
class TimeEntryCreateInput(TimeEntryFieldsInput):
    project_id: strawberry.ID
    start_time: datetime
    end_time: datetime


@strawberry.input(description="Changes to a time entry not yet invoiced.")
class TimeEntryUpdateInput(TimeEntryFieldsInput):
    id: strawberry.ID
    start_time: datetime | None = strawberry.UNSET
    end_time: datetime | None = strawberry.UNSET


@strawberry.input
class TimeEntryIdInput:
    id: strawberry.ID


@strawberry.type
class ProjectPayload:
    project: ProjectNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProjectDeletePayload:
    deleted_project_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProjectInvoiceTimePayload:
    project: ProjectNode | None = None
    invoice: DocumentNode | None = strawberry.field(
        default=None, description="The draft invoice the time went to."
    )
    time_entries: list[TimeEntryNode] | None = strawberry.field(
        default=None, description="The entries billed on it."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TaskPayload:
    task: TaskNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TaskDeletePayload:
    deleted_task_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TimeEntryPayload:
    time_entry: TimeEntryNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TimeEntryDeletePayload:
    deleted_time_entry_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
