"""A company's people and projects, generated like relations.py does the CRM: payroll
(departments, positions, employees, a pay run per month with one payslip per employee)
and client projects with their tasks and time entries. Plain dicts for Core inserts.

Each row is what the service would have written (gql/domains/payroll, projects): a
payslip's gross is the employee's salary for the period (payroll.service.gross_for:
annual / 12, pro rata by days for one who starts or leaves within it), its net the
gross less its deductions, a pay run's totals its payslips' sums, an employee on at
most one payslip per period; a time entry lasts whole minutes (`minutes` = end - start),
on a project that had started, within its dates. The current month's pay run is a
draft (no deductions yet, as created); the earlier ones are approved, each with the
salary voucher approving posts (Dr salaries / Cr deductions payable / Cr wages payable,
written by dataset.VoucherWriter) when the ledger accounts are known. No run is paid
(paying writes a bank transaction per payslip through a money account; the dataset
has no banking) and no time is invoiced (that makes an invoice of the time).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace
from typing import Any, cast

from sqlmodel import SQLModel

from gql.domains.contacts.models import ContactType, EntityType
from gql.domains.documents.totals import cents
from gql.domains.payroll.models import (
    Department,
    Employee,
    PayRun,
    PayRunStatus,
    Payslip,
    Position,
)
from gql.domains.payroll.service import gross_for, period_days
from gql.domains.projects.models import Project, ProjectStatus, Task, TaskStatus, TimeEntry
from scripts.benchmark.config import Sizes

Row = dict[str, Any]

HISTORY_MONTHS = 24  # pay runs: this month's (a draft) and the 23 before it (approved)
DEPARTMENTS = [
    ("Operations", ["Operations manager", "Warehouse clerk", "Driver"]),
    ("Sales", ["Account manager", "Sales representative"]),
    ("Finance", ["Accountant", "Bookkeeper"]),
    ("Engineering", ["Engineer", "Senior engineer", "Technician"]),
    ("Support", ["Support agent", "Support lead"]),
    ("People", ["HR partner"]),
]
FIRST = "Alex, Bea, Carl, Dina, Eli, Fay, Gil, Hugo, Iris, Jon, Kim, Lou, Max, Noa, Otto".split(
    ", "
)
LAST = "Abbott, Baker, Clarke, Dunn, Ellis, Ford, Grant, Hale, Irwin, Jones, Knox, Lane".split(", ")
PROJECT_WHAT = (
    "Website rebuild, ERP rollout, Office move, Brand refresh, Data migration, "
    "Network upgrade, Staff training, Security audit, Mobile app, Warehouse layout"
).split(", ")
TASKS = (
    "Kick-off, Requirements, Design, Build, Review, Testing, Handover, Documentation, "
    "Training, Follow-up"
).split(", ")
TIME_NOTES = ["Workshop", "Implementation", "Client call", "Fixes", "Planning", None]


@dataclass
class PeopleRows:
    departments: list[Row]
    positions: list[Row]
    employees: list[Row]
    pay_runs: list[Row]
    payslips: list[Row]
    projects: list[Row]
    tasks: list[Row]
    time_entries: list[Row]

    def tables(self) -> list[tuple[type[SQLModel], list[Row]]]:
        """Parents before children (the pay runs' vouchers are the company's)."""
        return [
            (Department, self.departments),
            (Position, self.positions),
            (Employee, self.employees),
            (PayRun, self.pay_runs),
            (Payslip, self.payslips),
            (Project, self.projects),
            (Task, self.tasks),
            (TimeEntry, self.time_entries),
        ]

    def busiest_employee(self) -> tuple[str, int]:
        """The first employee (hired before the history, linked to a contact), and how
        many payslips they have."""
        first = self.employees[0]["id"]
        return first, sum(s["employee_id"] == first for s in self.payslips)

    def busiest_project(self) -> tuple[str, int]:
        """The project with the most time entries, and how many."""
        counts: dict[str, int] = {}
        for e in self.time_entries:
            counts[e["project_id"]] = counts.get(e["project_id"], 0) + 1
        return max(counts.items(), key=lambda kv: (kv[1], kv[0]))


def month_of(day: date, back: int) -> str:
    """The YYYY-MM `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class PeopleGenerator:
    def __init__(
        self,
        new: Any,  # (model, created_at, **values) -> Row: dataset.row for this company
        sizes: Sizes,
        contacts: list[Row],
        members: list[str],
        base_currency: str,
        rng: random.Random,
        today: date,
    ) -> None:
        self.new = new
        self.sizes = sizes
        self.contacts = contacts
        self.members = members
        self.base_currency = base_currency
        self.rng = rng
        self.today = today
        self.now = datetime.combine(today, time(), tzinfo=UTC)  # the start of today
        self.out = PeopleRows([], [], [], [], [], [], [], [])

    def _at(self, day: date) -> datetime:
        """A time during `day`'s working hours, never after the start of today."""
        at = datetime.combine(day, time(9), tzinfo=UTC) + timedelta(
            minutes=self.rng.randint(0, 8 * 60)
        )
        return min(at, self.now - timedelta(minutes=1))

    def generate(self) -> PeopleRows:
        self._departments()
        self._employees()
        self._pay_runs()
        self._projects()
        return self.out

    # --- payroll -------------------------------------------------------------------------

    def _departments(self) -> None:
        at = self._at(self.today - timedelta(days=9 * 365))
        for name, positions in DEPARTMENTS[: self.sizes.departments]:
            department = self.new(Department, at, name=name, description=f"The {name} team")
            self.out.departments.append(department)
            for position in positions:
                self.out.positions.append(
                    self.new(Position, at, name=position, department_id=department["id"])
                )

    def _employees(self) -> None:
        """Most hired before the history starts, some within it (a pro rata first
        payslip), a few gone (a pro rata last one); about a quarter linked to a contact
        (an individual, each at most one employee). The first is the one the benchmark
        asks for: hired before the history, still employed, linked."""
        rng = self.rng
        individuals = [
            c["id"]
            for c in self.contacts
            if c["entity_type"] == EntityType.INDIVIDUAL.value
            and c["type"] in (ContactType.CUSTOMER.value, ContactType.BOTH.value)
        ]
        rng.shuffle(individuals)
        positions_of: dict[str | None, list[Row]] = {}
        for p in self.out.positions:
            positions_of.setdefault(p["department_id"], []).append(p)
        history_start = period_days(month_of(self.today, HISTORY_MONTHS - 1))[0]
        for i in range(self.sizes.employees):
            first_name, last_name = rng.choice(FIRST), rng.choice(LAST)
            department = rng.choice(self.out.departments) if self.out.departments else None
            position = (
                rng.choice(positions_of[department["id"]])
                if department and rng.random() < 0.95
                else None
            )
            if i == 0 or rng.random() < 0.7:
                start = history_start - timedelta(days=rng.randint(30, 6 * 365))
            else:
                start = self.today - timedelta(days=rng.randint(1, HISTORY_MONTHS * 30))
            end = None
            if i > 0 and rng.random() < 0.1:
                end = start + timedelta(days=rng.randint(60, 900))
                end = end if end < self.today else None
            contact = individuals.pop() if individuals and (i == 0 or rng.random() < 0.25) else None
            self.out.employees.append(
                self.new(
                    Employee,
                    self._at(start - timedelta(days=rng.randint(1, 20))),
                    first_name=first_name,
                    last_name=f"{last_name} {i + 1}",
                    email=f"{first_name.lower()}.{last_name.lower()}.{i + 1}@staff.example.com",
                    department_id=department["id"] if department else None,
                    position_id=position["id"] if position else None,
                    salary=Decimal(rng.randint(300, 1500) * 100),
                    currency_code=self.base_currency,
                    start_date=start,
                    end_date=end,
                    contact_id=contact,
                )
            )

    def _pay_runs(self) -> None:
        """One run per month of the history, with a payslip for each employee employed
        in it (as create_pay_run chooses them); approved runs' payslips have deductions."""
        rng = self.rng
        for back in range(HISTORY_MONTHS - 1, -1, -1):
            period = month_of(self.today, back)
            first, last = period_days(period)
            employed = sorted(
                (
                    e
                    for e in self.out.employees
                    if e["start_date"] <= last and (e["end_date"] is None or e["end_date"] >= first)
                ),
                key=lambda e: (e["last_name"], e["id"]),
            )
            if not employed:
                continue
            draft = back == 0
            created = self._at(min(last - timedelta(days=5), self.today - timedelta(days=1)))
            approved_at = None if draft else self._at(last - timedelta(days=2))
            run = self.new(
                PayRun,
                created,
                updated_at=approved_at or created,
                period=period,
                pay_date=last,
                status=(PayRunStatus.DRAFT if draft else PayRunStatus.APPROVED).value,
                currency_code=self.base_currency,
                approved_at=approved_at,
            )
            totals = [Decimal("0.00")] * 3
            for e in employed:
                employee = cast(Employee, SimpleNamespace(**e))
                gross, days, days_in_period = gross_for(employee, first, last)
                deductions = (
                    Decimal("0.00") if draft else cents(gross * Decimal(rng.randint(12, 28)) / 100)
                )
                net = gross - deductions
                for k, amount in enumerate((gross, deductions, net)):
                    totals[k] += amount
                self.out.payslips.append(
                    self.new(
                        Payslip,
                        created,
                        updated_at=approved_at or created,
                        pay_run_id=run["id"],
                        employee_id=e["id"],
                        period=period,
                        days_paid=days,
                        days_in_period=days_in_period,
                        gross=gross,
                        deductions=deductions,
                        net=net,
                        currency_code=self.base_currency,
                    )
                )
            run["gross"], run["deductions"], run["net"] = totals
            self.out.pay_runs.append(run)

    # --- projects ------------------------------------------------------------------------

    def _projects(self) -> None:
        """Projects for customers (a few without), most with an hourly rate; the ones
        that ended completed or cancelled, the others active, on hold or still planned
        (those not started yet have no time)."""
        rng = self.rng
        customers = [
            c["id"]
            for c in self.contacts
            if c["type"] in (ContactType.CUSTOMER.value, ContactType.BOTH.value)
        ]
        for i in range(self.sizes.projects):
            start = self.today - timedelta(days=rng.randint(-30, 700))
            end = start + timedelta(days=rng.randint(30, 300)) if rng.random() < 0.85 else None
            if start > self.today:
                status = ProjectStatus.PLANNED
            elif end is not None and end < self.today:
                status = ProjectStatus.COMPLETED if rng.random() < 0.85 else ProjectStatus.CANCELLED
            else:
                status = rng.choices(
                    [ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD, ProjectStatus.PLANNED],
                    weights=[75, 15, 10],
                )[0]
            created = self._at(min(start, self.today) - timedelta(days=rng.randint(1, 20)))
            project = self.new(
                Project,
                created,
                name=f"{rng.choice(PROJECT_WHAT)} {i + 1}",
                description="As agreed with the customer." if rng.random() < 0.5 else None,
                customer_id=rng.choice(customers) if customers and rng.random() < 0.9 else None,
                budget=Decimal(rng.randint(20, 600) * 100),
                currency_code=self.base_currency,
                hourly_rate=Decimal(rng.randint(6, 18) * 10) if rng.random() < 0.8 else None,
                start_date=start,
                end_date=end,
                status=status.value,
            )
            self.out.projects.append(project)
            done = status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)
            for name in rng.sample(TASKS, rng.randint(2, 8)):
                task_status = (
                    TaskStatus.DONE
                    if done
                    else rng.choice([TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.DONE])
                )
                self.out.tasks.append(
                    self.new(
                        Task,
                        created,
                        project_id=project["id"],
                        name=name,
                        assignee_id=rng.choice(self.members)
                        if self.members and rng.random() < 0.8
                        else None,
                        due_date=start + timedelta(days=rng.randint(7, 120)),
                        status=task_status.value,
                    )
                )
        self._time_entries()

    def _time_entries(self) -> None:
        """Zipf-weighted over the projects that started (a few get many), each entry on
        a day from the project's start to its end (or yesterday), on whole minutes;
        most billable when the project has a rate."""
        rng = self.rng
        started = [p for p in self.out.projects if p["start_date"] < self.today]
        if not started or not self.members:
            return
        rng.shuffle(started)
        weights = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(started))))
        tasks_of: dict[str, list[Row]] = {}
        for t in self.out.tasks:
            tasks_of.setdefault(t["project_id"], []).append(t)
        yesterday = self.today - timedelta(days=1)
        for project in rng.choices(started, cum_weights=weights, k=self.sizes.time_entries):
            last = min(project["end_date"] or yesterday, yesterday)
            span = max((last - project["start_date"]).days, 0)
            day = project["start_date"] + timedelta(days=rng.randint(0, span))
            start = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, 8 * 60)
            )
            minutes = rng.choice([15, 30, 45, 60, 90, 120, 180, 240, 300, 480])
            task = rng.choice(tasks_of[project["id"]]) if rng.random() < 0.8 else None
            billable = rng.random() < (0.8 if project["hourly_rate"] is not None else 0.4)
            end = start + timedelta(minutes=minutes)
            self.out.time_entries.append(
                self.new(
                    TimeEntry,
                    min(end, self.now - timedelta(minutes=1)),
                    project_id=project["id"],
                    task_id=task["id"] if task else None,
                    member_id=rng.choice(self.members),
                    start_time=start,
                    end_time=end,
                    minutes=minutes,
                    description=rng.choice(TIME_NOTES),
                    billable=billable,
                )
            )
