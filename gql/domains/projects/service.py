"""Projects: the rules for projects, their tasks and time entries, and turning unbilled
billable time into a draft invoice; shared by GraphQL and REST.

A project moves planned -> active / on hold -> completed, or is cancelled (TRANSITIONS).
A time entry lasts whole minutes (start and end on the minute, end after start), so its
duration is exact. `invoice_time` first claims the project row (gql/core/claims.py):
concurrent invoicing of one project queues there, and whoever comes second finds the
time already invoiced, so no entry is ever billed twice. An invoiced entry is fixed:
every change or delete of one is a write guarded by `invoice_id IS NULL`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import decode_id
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import between, day_start, on_days
from gql.core.search import contains_any
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.catalogue.models import Currency
from gql.domains.companies.models import Company, Membership
from gql.domains.contacts.models import Contact, ContactType
from gql.domains.documents import service as documents
from gql.domains.projects.models import Project, ProjectStatus, Task, TaskStatus, TimeEntry

Amount = Field(default=None, ge=0, max_digits=18, decimal_places=2)
CurrencyCode = Field(default=None, pattern=r"^[A-Z]{3}$")
HOURS = Decimal("0.0001")  # an invoice line's quantity has four decimals

# The moves a project's status may make; cancelled is final, completed may reopen.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStatus.PLANNED.value: ("active", "on_hold", "cancelled"),
    ProjectStatus.ACTIVE.value: ("on_hold", "completed", "cancelled"),
    ProjectStatus.ON_HOLD.value: ("active", "completed", "cancelled"),
    ProjectStatus.COMPLETED.value: ("active",),
    ProjectStatus.CANCELLED.value: (),
}
# Time is logged only while a project runs (or waits to).
OPEN_FOR_TIME = (
    ProjectStatus.PLANNED.value,
    ProjectStatus.ACTIVE.value,
    ProjectStatus.ON_HOLD.value,
)


# --- inputs ---------------------------------------------------------------------------------


class ProjectFields(InputModel):
    description: str | None = Field(default=None, max_length=5000)
    customer_id: str | None = None
    budget: Decimal | None = Amount
    currency_code: str | None = CurrencyCode
    hourly_rate: Decimal | None = Amount
    start_date: date | None = None
    end_date: date | None = None
    status: ProjectStatus | None = None


class ProjectCreate(ProjectFields):
    name: str = Field(min_length=1, max_length=200)


class ProjectUpdate(ProjectFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class TaskFields(InputModel):
    assignee_id: str | None = None
    due_date: date | None = None
    status: TaskStatus | None = None


class TaskCreate(TaskFields):
    project_id: str
    name: str = Field(min_length=1, max_length=200)


class TaskUpdate(TaskFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class TimeFields(InputModel):
    task_id: str | None = None
    description: str | None = Field(default=None, max_length=2000)
    billable: bool | None = None


class TimeCreate(TimeFields):
    project_id: str
    member_id: str | None = None
    start_time: datetime
    end_time: datetime


class TimeUpdate(TimeFields):
    member_id: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None


class InvoiceTime(InputModel):
    up_to: date | None = None
    entry_ids: list[str] | None = Field(default=None, min_length=1, max_length=500)
    due_date: date | None = None


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilter:
    status: str | None = None
    customer_id: str | None = None
    start_date_from: date | None = None
    start_date_to: date | None = None
    end_date_from: date | None = None
    end_date_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        p = Project
        out: list[ColumnElement[bool]] = []
        if self.status is not None:
            out.append(col(p.status) == self.status)
        if self.customer_id is not None:
            out.append(col(p.customer_id) == self.customer_id)
        out.extend(between(p.start_date, self.start_date_from, self.start_date_to))
        out.extend(between(p.end_date, self.end_date_from, self.end_date_to))
        if self.search:
            out.append(contains_any(self.search, p.name, p.description))
        return out


@dataclass(frozen=True)
class TaskFilter:
    status: str | None = None
    project_id: str | None = None
    assignee_id: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        t = Task
        out: list[ColumnElement[bool]] = []
        if self.status is not None:
            out.append(col(t.status) == self.status)
        if self.project_id is not None:
            out.append(col(t.project_id) == self.project_id)
        if self.assignee_id is not None:
            out.append(col(t.assignee_id) == self.assignee_id)
        out.extend(between(t.due_date, self.due_from, self.due_to))
        if self.search:
            out.append(contains_any(self.search, t.name))
        return out


@dataclass(frozen=True)
class TimeEntryFilter:
    project_id: str | None = None
    task_id: str | None = None
    member_id: str | None = None
    invoice_id: str | None = None
    billable: bool | None = None
    invoiced: bool | None = None
    started_from: date | None = None  # UTC days, both included
    started_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        e = TimeEntry
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (e.project_id, self.project_id),
            (e.task_id, self.task_id),
            (e.member_id, self.member_id),
            (e.invoice_id, self.invoice_id),
        ):
            if value is not None:
                out.append(col(column) == value)
        if self.billable is not None:
            out.append(col(e.billable).is_(self.billable))
        if self.invoiced is not None:
            invoice = col(e.invoice_id)
            out.append(invoice.is_not(None) if self.invoiced else invoice.is_(None))
        out.extend(on_days(col(e.start_time), self.started_from, self.started_to))
        if self.search:
            out.append(contains_any(self.search, e.description))
        return out


PROJECT_ORDER_COLUMNS = {
    "created_at": Project.created_at,
    "name": Project.name,
    "start_date": Project.start_date,
    "end_date": Project.end_date,
    "budget": Project.budget,
}
TASK_ORDER_COLUMNS = {
    "created_at": Task.created_at,
    "name": Task.name,
    "due_date": Task.due_date,
    "status": Task.status,
}
TIME_ENTRY_ORDER_COLUMNS = {
    "start_time": TimeEntry.start_time,
    "minutes": TimeEntry.minutes,
    "created_at": TimeEntry.created_at,
}


# --- shared checks --------------------------------------------------------------------------


async def _customer(session: AsyncSession, ref: str | None) -> str | None:
    """A contact of the company that can be invoiced (a customer, or both)."""
    if ref is None:
        return None
    contact = await require_row(session, Contact, ref, path=("customerId",), what="Contact")
    if contact.type not in (ContactType.CUSTOMER.value, ContactType.BOTH.value):
        raise UserInputError.single("customerId", "must be a customer", ErrorCode.INVALID)
    return contact.id


async def _currency(session: AsyncSession, code: str | None) -> str:
    """`code`, or the company's base currency; another code must be one of the
    company's currencies."""
    base = await session.scalar(
        select(Company.base_currency).where(col(Company.id) == get_tenant(session))
    )
    assert base is not None  # a session without a company never reaches a service
    if code is None or code == base:
        return base
    if await session.scalar(select(Currency.id).where(col(Currency.code) == code)) is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)
    return code


async def _member(session: AsyncSession, user_id: str | None, field: str) -> str | None:
    """A user of the request's company (any role)."""
    if user_id is None:
        return None
    found = await session.scalar(
        select(Membership.user_id).where(
            Membership.user_id == user_id, Membership.company_id == get_tenant(session)
        )
    )
    if found is None:
        raise UserInputError.single(field, "Member not found", ErrorCode.NOT_FOUND)
    return found


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise UserInputError.single("endDate", "must not be before startDate")


def _utc(value: datetime) -> datetime:
    """A time without a zone is UTC, as the columns store it."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _minutes(start: datetime, end: datetime) -> int:
    """The whole minutes from start to end; both must be on a minute, end after start."""
    errors = [
        FieldError((name,), "must be on a whole minute (no seconds)")
        for name, value in (("startTime", start), ("endTime", end))
        if value.second or value.microsecond
    ]
    if errors:
        raise UserInputError(errors)
    if end <= start:
        raise UserInputError.single("endTime", "must be after startTime")
    return int((end - start).total_seconds()) // 60


# --- projects -------------------------------------------------------------------------------


async def get_project(*, session: AsyncSession, id: str) -> Project:
    return await require_row(session, Project, id, path=("id",), what="Project")


async def create_project(*, session: AsyncSession, data: dict[str, Any]) -> Project:
    payload = validate(ProjectCreate, data)
    _check_dates(payload.start_date, payload.end_date)
    project = Project(
        name=payload.name,
        description=payload.description,
        customer_id=await _customer(session, payload.customer_id),
        budget=payload.budget if payload.budget is not None else Decimal("0.00"),
        currency_code=await _currency(session, payload.currency_code),
        hourly_rate=payload.hourly_rate,
        start_date=payload.start_date,
        end_date=payload.end_date,
        status=payload.status or ProjectStatus.PLANNED.value,
    )
    session.add(project)
    await session.flush()
    return project


def _refuse_move(current: str, wanted: str) -> None:
    if wanted != current and wanted not in TRANSITIONS[current]:
        allowed = ", ".join(TRANSITIONS[current]) or "nothing: it is final"
        raise UserInputError.single(
            "status",
            f"A {current} project cannot become {wanted} (it may become: {allowed})",
            ErrorCode.INVALID_STATE,
        )


async def update_project(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Project:
    """Its fields; a status move must be one of TRANSITIONS, guarded by the status read."""
    project = await get_project(session=session, id=id)
    payload = validate(ProjectUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    require_not_null(ProjectUpdate, values, "name", "budget", "currency_code", "status")
    _check_dates(
        values.get("start_date", project.start_date), values.get("end_date", project.end_date)
    )
    if "customer_id" in values:
        values["customer_id"] = await _customer(session, values["customer_id"])
    if "currency_code" in values:
        values["currency_code"] = await _currency(session, values["currency_code"])
    if "status" in values:
        _refuse_move(project.status, values["status"])
    seen = project.status
    await claim(
        session,
        project,
        col(Project.status) == seen,
        what="Project",
        values={"updated_at": utcnow(), **values},
        refuse=lambda current: _refuse_move(current.status, values.get("status", seen)),
    )
    return project


async def delete_project(*, session: AsyncSession, id: str) -> Project:
    """A project without time goes with its tasks; one with time is a record."""
    project = await get_project(session=session, id=id)
    if await session.scalar(select(exists().where(col(TimeEntry.project_id) == project.id))):
        raise UserInputError.single(
            "id", "The project has time entries; cancel it instead", ErrorCode.IN_USE
        )
    await session.execute(delete(Task).where(col(Task.project_id) == project.id))
    await session.delete(project)
    await session.flush()
    return project


# --- tasks ----------------------------------------------------------------------------------


async def get_task(*, session: AsyncSession, id: str) -> Task:
    return await require_row(session, Task, id, path=("id",), what="Task")


async def create_task(*, session: AsyncSession, data: dict[str, Any]) -> Task:
    payload = validate(TaskCreate, data)
    project = await require_row(
        session, Project, payload.project_id, path=("projectId",), what="Project"
    )
    task = Task(
        project_id=project.id,
        name=payload.name,
        assignee_id=await _member(session, payload.assignee_id, "assigneeId"),
        due_date=payload.due_date,
        status=payload.status or TaskStatus.TODO.value,
    )
    session.add(task)
    await session.flush()
    return task


async def update_task(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Task:
    task = await get_task(session=session, id=id)
    payload = validate(TaskUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    require_not_null(TaskUpdate, values, "name", "status")
    if "assignee_id" in values:
        values["assignee_id"] = await _member(session, values["assignee_id"], "assigneeId")
    for key, value in values.items():
        setattr(task, key, value)
    task.updated_at = utcnow()
    await session.flush()
    return task


async def delete_task(*, session: AsyncSession, id: str) -> Task:
    task = await get_task(session=session, id=id)
    if await session.scalar(select(exists().where(col(TimeEntry.task_id) == task.id))):
        raise UserInputError.single("id", "The task has time entries", ErrorCode.IN_USE)
    await session.delete(task)
    await session.flush()
    return task


# --- time entries ---------------------------------------------------------------------------


async def get_time_entry(*, session: AsyncSession, id: str) -> TimeEntry:
    return await require_row(session, TimeEntry, id, path=("id",), what="TimeEntry")


async def _task_of(session: AsyncSession, ref: str | None, project_id: str) -> str | None:
    if ref is None:
        return None
    task = await require_row(session, Task, ref, path=("taskId",), what="Task")
    if task.project_id != project_id:
        raise UserInputError.single("taskId", "is a task of another project", ErrorCode.INVALID)
    return task.id


def _refuse_closed(project: Project) -> None:
    if project.status not in OPEN_FOR_TIME:
        raise UserInputError.single(
            "projectId",
            f"The project is {project.status}; no time is logged on it",
            ErrorCode.INVALID_STATE,
        )


async def create_time_entry(
    *, session: AsyncSession, viewer: Viewer, data: dict[str, Any]
) -> TimeEntry:
    """Time on a project (and maybe one of its tasks), by a member: the viewer unless
    another member is named."""
    payload = validate(TimeCreate, data)
    start, end = _utc(payload.start_time), _utc(payload.end_time)
    minutes = _minutes(start, end)
    project = await require_row(
        session, Project, payload.project_id, path=("projectId",), what="Project"
    )
    _refuse_closed(project)
    assert viewer.user is not None  # a write needs a signed-in member
    member = await _member(session, payload.member_id, "memberId") or viewer.user.id
    entry = TimeEntry(
        project_id=project.id,
        task_id=await _task_of(session, payload.task_id, project.id),
        member_id=member,
        start_time=start,
        end_time=end,
        minutes=minutes,
        description=payload.description,
        billable=True if payload.billable is None else payload.billable,
    )
    session.add(entry)
    await session.flush()
    return entry


def _refuse_invoiced(entry: TimeEntry) -> None:
    if entry.invoice_id is not None:
        raise UserInputError.single(
            "id",
            "The time entry is invoiced; it cannot be changed or deleted",
            ErrorCode.LOCKED,
        )


async def update_time_entry(*, session: AsyncSession, id: str, data: dict[str, Any]) -> TimeEntry:
    """An entry not yet invoiced; its project stays."""
    entry = await get_time_entry(session=session, id=id)
    payload = validate(TimeUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    require_not_null(TimeUpdate, values, "member_id", "start_time", "end_time", "billable")
    _refuse_invoiced(entry)
    start = _utc(values.get("start_time", entry.start_time))
    end = _utc(values.get("end_time", entry.end_time))
    values.update(start_time=start, end_time=end, minutes=_minutes(start, end))
    if "task_id" in values:
        values["task_id"] = await _task_of(session, values["task_id"], entry.project_id)
    if "member_id" in values:
        values["member_id"] = await _member(session, values["member_id"], "memberId")
    await claim(
        session,
        entry,
        col(TimeEntry.invoice_id).is_(None),
        what="TimeEntry",
        values={"updated_at": utcnow(), **values},
        refuse=_refuse_invoiced,
    )
    return entry


async def delete_time_entry(*, session: AsyncSession, id: str) -> TimeEntry:
    entry = await get_time_entry(session=session, id=id)
    _refuse_invoiced(entry)
    await claim(
        session,
        entry,
        col(TimeEntry.invoice_id).is_(None),
        what="TimeEntry",
        refuse=_refuse_invoiced,
    )
    return entry


# --- invoicing time -------------------------------------------------------------------------


def hours_of(minutes: int) -> Decimal:
    """An invoice line's quantity: the hours to four decimals, half up."""
    return (Decimal(minutes) / 60).quantize(HOURS, rounding=ROUND_HALF_UP)


def _refuse_invoicing(project: Project) -> None:
    if project.customer_id is None:
        raise UserInputError.single(
            "id",
            "The project has no customer to invoice; set its customer first",
            ErrorCode.REQUIRED,
        )
    if project.hourly_rate is None:
        raise UserInputError.single(
            "id", "The project has no hourly rate to bill its time at", ErrorCode.REQUIRED
        )
    if project.status == ProjectStatus.CANCELLED.value:
        raise UserInputError.single(
            "id", "The project is cancelled; its time is not invoiced", ErrorCode.INVALID_STATE
        )


async def _chosen(session: AsyncSession, project: Project, refs: list[str]) -> list[TimeEntry]:
    """The entries named, each an unbilled billable entry of the project."""
    ids = [decode_id(ref, "TimeEntry") for ref in refs]
    found = {
        e.id: e
        for e in (
            await session.scalars(
                select(TimeEntry).where(col(TimeEntry.id).in_([i for i in ids if i]))
            )
        ).all()
    }
    errors: list[FieldError] = []
    for n, pk in enumerate(ids):
        entry = found.get(pk) if pk else None
        path = ("entryIds", str(n))
        if entry is None or entry.project_id != project.id:
            errors.append(
                FieldError(path, "Time entry of this project not found", ErrorCode.NOT_FOUND)
            )
        elif entry.invoice_id is not None:
            errors.append(FieldError(path, "is invoiced already", ErrorCode.INVALID_STATE))
        elif not entry.billable:
            errors.append(FieldError(path, "is not billable", ErrorCode.INVALID))
    if errors:
        raise UserInputError(errors)
    return sorted(found.values(), key=lambda e: (e.start_time, e.id))


async def invoice_time(*, session: AsyncSession, id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The project's unbilled billable time (all of it, up to a day, or the entries
    named) as a draft invoice to its customer, written by the documents service: one
    line per task (time without a task on one line of the project's name), quantity the
    hours, unit price the hourly rate. The entries point at their invoice and line."""
    project = await get_project(session=session, id=id)
    payload = validate(InvoiceTime, data)
    _refuse_invoicing(project)
    # The claim first: of concurrent invoicings of this project one goes on at a time,
    # and each reads the entries as the one before it left them.
    await claim(
        session,
        project,
        what="Project",
        values={"updated_at": utcnow()},
    )
    if payload.entry_ids is not None:
        entries = await _chosen(session, project, payload.entry_ids)
    else:
        stmt = select(TimeEntry).where(
            col(TimeEntry.project_id) == project.id,
            col(TimeEntry.billable).is_(True),
            col(TimeEntry.invoice_id).is_(None),
        )
        if payload.up_to is not None:
            stmt = stmt.where(
                col(TimeEntry.start_time) < day_start(payload.up_to + timedelta(days=1))
            )
        entries = list((await session.scalars(stmt.order_by(col(TimeEntry.start_time)))).all())
    if not entries:
        raise UserInputError.single(
            "id", "The project has no unbilled billable time to invoice", ErrorCode.INVALID_STATE
        )
    by_task: dict[str | None, list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        by_task[entry.task_id].append(entry)
    names = {
        t.id: t.name
        for t in (
            await session.scalars(select(Task).where(col(Task.id).in_([k for k in by_task if k])))
        ).all()
    }
    groups = sorted(by_task.items(), key=lambda kv: (kv[0] is None, names.get(kv[0] or "", "")))
    lines = [
        {
            "name": names[task_id] if task_id else project.name,
            "description": f"{project.name}: {len(group)} time entries",
            "quantity": hours_of(sum(e.minutes for e in group)),
            "unitPrice": project.hourly_rate,
        }
        for task_id, group in groups
    ]
    made = await documents.create_document_with_lines(
        session=session,
        data={
            "kind": "invoice",
            "contactId": project.customer_id,
            "currencyCode": project.currency_code,
            "dueDate": payload.due_date,
            "reference": project.name[:100],
            "lines": lines,
        },
    )
    for (_, group), line in zip(groups, made.lines, strict=True):
        claimed = await session.execute(
            update(TimeEntry)
            .where(
                col(TimeEntry.id).in_([e.id for e in group]), col(TimeEntry.invoice_id).is_(None)
            )
            .values(
                invoice_id=made.document.id,
                invoice_line_id=line.id,
                updated_at=utcnow(),
                **bump(TimeEntry),
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != len(group):  # type: ignore[attr-defined]  # the project's claim forbids it
            raise UserInputError.single(
                "id", "The project's time changed meanwhile; try again", ErrorCode.INVALID_STATE
            )
    billed = (
        await session.scalars(
            select(TimeEntry)
            .where(col(TimeEntry.invoice_id) == made.document.id)
            .order_by(col(TimeEntry.start_time), col(TimeEntry.id))
            .execution_options(populate_existing=True)
        )
    ).all()
    return {"project": project, "invoice": made.document, "time_entries": list(billed)}
