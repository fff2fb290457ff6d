"""Client projects, their tasks and the time logged on them (module: projects)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field


class ProjectStatus(str, Enum):
    PLANNED = "planned"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskStatus(str, Enum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Project(Versioned, TenantOwned, table=True):
    __table_args__ = (
        # Contact.projects pages newest first without sorting the contact's rows.
        Index(
            "ix_project_company_customer_created", "company_id", "customer_id", "created_at", "id"
        ),
        Index("ix_project_company_status", "company_id", "status"),
    )

    name: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    customer_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)
    budget: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    # What an hour of billable time is invoiced at; none: its time cannot be invoiced.
    hourly_rate: Decimal | None = money_field(None)
    start_date: date | None = None
    end_date: date | None = None
    status: str = Field(default=ProjectStatus.PLANNED.value, max_length=20)


class Task(Versioned, TenantOwned, table=True):
    __tablename__ = "project_task"
    __table_args__ = (
        Index("ix_project_task_company_project", "company_id", "project_id", "created_at", "id"),
    )

    project_id: str = Field(foreign_key="project.id", max_length=24)
    name: str = Field(max_length=200)
    # A member of the company (a user id).
    assignee_id: str | None = Field(default=None, foreign_key="user.id", max_length=24, index=True)
    due_date: date | None = None
    status: str = Field(default=TaskStatus.TODO.value, max_length=20)


class TimeEntry(Versioned, TenantOwned, table=True):
    """Time a member spent on a project (and maybe one of its tasks). `minutes` is
    derived from the start and end, both on whole minutes, so it is exact."""

    __tablename__ = "time_entry"
    __table_args__ = (
        Index("ix_time_entry_company_project_start", "company_id", "project_id", "start_time"),
        Index("ix_time_entry_company_task", "company_id", "task_id"),
        Index("ix_time_entry_company_member_start", "company_id", "member_id", "start_time"),
    )

    project_id: str = Field(foreign_key="project.id", max_length=24)
    task_id: str | None = Field(default=None, foreign_key="project_task.id", max_length=24)
    member_id: str = Field(foreign_key="user.id", max_length=24)
    start_time: datetime = Field(sa_type=UTCDateTime)
    end_time: datetime = Field(sa_type=UTCDateTime)
    minutes: int
    description: str | None = Field(default=None, max_length=2000)
    billable: bool = True
    # The invoice (and its line) the entry was billed on. Deleting a draft invoice
    # releases its time (SET NULL); replacing its lines keeps the invoice, loses the line.
    invoice_id: str | None = Field(
        default=None, foreign_key="document.id", ondelete="SET NULL", max_length=24, index=True
    )
    invoice_line_id: str | None = Field(
        default=None, foreign_key="document_line.id", ondelete="SET NULL", max_length=24
    )
