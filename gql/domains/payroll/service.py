"""Payroll: the rules for departments, positions, employees and pay runs, and the filters
that list them.

A pay run moves draft -> approved -> paid. A draft's payslips are written when it is
created (gross from each employee's salary for the period, pro rata by days) and their
deductions may change while it is a draft; approving posts the salary voucher
(gql/domains/payroll/posting.py), paying writes one bank transaction per payslip through
banking's service; reversing an approved run reverses its voucher and makes it a draft
again. Every move is a claim on the pay run's row (gql/core/claims.py), so concurrent
approvals or payments of one run post and pay exactly once. An employee is paid at most
once per period: a unique constraint on (employee, period) that concurrent pay runs
meet too.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import Field, field_validator
from sqlalchemy import ColumnElement, delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import between
from gql.core.search import contains_any, equals, storable
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.banking import service as banking
from gql.domains.banking.models import Account
from gql.domains.catalogue.models import Currency
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact
from gql.domains.events.outbox import emit
from gql.domains.payroll import posting
from gql.domains.payroll.models import Department, Employee, PayRun, PayRunStatus, Payslip, Position

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# YYYY-MM within the sane dates (gql/core/scalars.py: 1900 to 2200): its days are dates.
PERIOD = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"
Money = Field(default=None, ge=0, max_digits=18, decimal_places=2)

# --- inputs ---------------------------------------------------------------------------------


class DepartmentCreate(InputModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)


class DepartmentUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)


class PositionCreate(InputModel):
    name: str = Field(min_length=1, max_length=100)
    department_id: str | None = None


class PositionUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    department_id: str | None = None


class EmployeeFields(InputModel):
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    department_id: str | None = None
    position_id: str | None = None
    salary: Decimal | None = Money
    currency_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    start_date: date | None = None
    end_date: date | None = None
    contact_id: str | None = None


class EmployeeCreate(EmployeeFields):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class EmployeeUpdate(EmployeeFields):
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)


class PayRunCreate(InputModel):
    pay_date: date
    period: str = Field(pattern=PERIOD)
    employee_ids: list[str] | None = Field(default=None, max_length=1000)


class PayslipUpdate(InputModel):
    deductions: Decimal = Field(ge=0, max_digits=18, decimal_places=2)


class PayRunPay(InputModel):
    account_id: str
    paid_at: datetime | None = None

    @field_validator("paid_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        # A time without a zone is UTC, as the columns store it.
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


# --- filters and orders ---------------------------------------------------------------------


def _periods(column: Any, low: str | None, high: str | None) -> list[ColumnElement[bool]]:
    """Periods from `low` to `high`, both included: YYYY-MM text sorts as the months do."""
    return between(column, low and storable(low), high and storable(high))


@dataclass(frozen=True)
class DepartmentFilter:
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        d = Department
        return [contains_any(self.search, d.name, d.description)] if self.search else []


@dataclass(frozen=True)
class PositionFilter:
    department_id: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.department_id is not None:
            out.append(col(Position.department_id) == self.department_id)
        if self.search:
            out.append(contains_any(self.search, Position.name))
        return out


@dataclass(frozen=True)
class EmployeeFilter:
    department_id: str | None = None
    position_id: str | None = None
    contact_id: str | None = None
    employed_on: date | None = None
    start_date_from: date | None = None
    start_date_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        e = Employee
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (e.department_id, self.department_id),
            (e.position_id, self.position_id),
            (e.contact_id, self.contact_id),
        ):
            if value is not None:
                out.append(col(column) == value)
        if self.employed_on is not None:
            out.append(_employed_between(self.employed_on, self.employed_on))
        out.extend(between(e.start_date, self.start_date_from, self.start_date_to))
        if self.search:
            out.append(contains_any(self.search, e.first_name, e.last_name, e.email))
        return out


def _employed_between(first: date, last: date) -> ColumnElement[bool]:
    """Employed on at least one day from `first` to `last`."""
    return (col(Employee.start_date) <= last) & (
        col(Employee.end_date).is_(None) | (col(Employee.end_date) >= first)
    )


@dataclass(frozen=True)
class PayRunFilter:
    status: str | None = None
    period: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    pay_date_from: date | None = None
    pay_date_to: date | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        r = PayRun
        out: list[ColumnElement[bool]] = []
        if self.status is not None:
            out.append(col(r.status) == self.status)
        if self.period is not None:
            out.append(equals(r.period, self.period))
        out.extend(_periods(r.period, self.period_from, self.period_to))
        out.extend(between(r.pay_date, self.pay_date_from, self.pay_date_to))
        return out


@dataclass(frozen=True)
class PayslipFilter:
    employee_id: str | None = None
    pay_run_id: str | None = None
    period: str | None = None
    period_from: str | None = None
    period_to: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        p = Payslip
        out: list[ColumnElement[bool]] = []
        for column, value in ((p.employee_id, self.employee_id), (p.pay_run_id, self.pay_run_id)):
            if value is not None:
                out.append(col(column) == value)
        if self.period is not None:
            out.append(equals(p.period, self.period))
        out.extend(_periods(p.period, self.period_from, self.period_to))
        return out


DEPARTMENT_ORDER_COLUMNS = {"name": Department.name, "created_at": Department.created_at}
POSITION_ORDER_COLUMNS = {"name": Position.name, "created_at": Position.created_at}
EMPLOYEE_ORDER_COLUMNS = {
    "last_name": Employee.last_name,
    "first_name": Employee.first_name,
    "start_date": Employee.start_date,
    "salary": Employee.salary,
    "created_at": Employee.created_at,
}
PAY_RUN_ORDER_COLUMNS = {
    "pay_date": PayRun.pay_date,
    "period": PayRun.period,
    "net": PayRun.net,
    "created_at": PayRun.created_at,
}
PAYSLIP_ORDER_COLUMNS = {
    "period": Payslip.period,
    "gross": Payslip.gross,
    "net": Payslip.net,
    "created_at": Payslip.created_at,
}


# --- shared checks --------------------------------------------------------------------------


async def _ref(
    session: AsyncSession, model: type[Any], ref: str | None, field: str, what: str
) -> str | None:
    """The id of the tenant's row `ref` names; another company's is not found."""
    if ref is None:
        return None
    return (await require_row(session, model, ref, path=(field,), what=what)).id  # type: ignore[no-any-return]


async def _flush_unique(session: AsyncSession, path: str, message: str) -> None:
    """Flush; a unique constraint a concurrent request won is TAKEN, not a 500."""
    try:
        await session.flush()
    except IntegrityError:
        raise UserInputError.single(path, message, ErrorCode.TAKEN) from None


async def _base_currency(session: AsyncSession) -> str:
    base = await session.scalar(
        select(Company.base_currency).where(col(Company.id) == get_tenant(session))
    )
    assert base is not None  # a session without a company never reaches a service
    return base


async def _currency(session: AsyncSession, code: str | None) -> str:
    """`code`, or the base currency; another code must be one of the company's."""
    base = await _base_currency(session)
    if code is None or code == base:
        return base
    if await session.scalar(select(Currency.id).where(col(Currency.code) == code)) is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)
    return code


async def _refuse_in_use(session: AsyncSession, uses: Sequence[tuple[Any, str]]) -> None:
    """IN_USE naming the first kind of row that still refers to the one to delete, asked
    in one statement."""
    found = (await session.execute(select(*(exists().where(c) for c, _ in uses)))).one()
    for used, (_, message) in zip(found, uses, strict=True):
        if used:
            raise UserInputError.single("id", message, ErrorCode.IN_USE)


def _apply(row: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()


# --- departments and positions ------------------------------------------------------------


async def get_department(*, session: AsyncSession, id: str) -> Department:
    return await require_row(session, Department, id, path=("id",), what="Department")


async def create_department(*, session: AsyncSession, data: dict[str, Any]) -> Department:
    payload = validate(DepartmentCreate, data)
    department = Department(name=payload.name, description=payload.description)
    session.add(department)
    await _flush_unique(session, "name", "Another department has this name")
    return department


async def update_department(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Department:
    department = await get_department(session=session, id=id)
    values = validate(DepartmentUpdate, data).model_dump(exclude_unset=True)
    require_not_null(DepartmentUpdate, values, "name")
    _apply(department, values)
    await _flush_unique(session, "name", "Another department has this name")
    return department


async def delete_department(*, session: AsyncSession, id: str) -> Department:
    department = await get_department(session=session, id=id)
    await _refuse_in_use(
        session,
        [
            (col(Employee.department_id) == department.id, "The department has employees"),
            (col(Position.department_id) == department.id, "The department has positions"),
        ],
    )
    await session.delete(department)
    await session.flush()
    return department


async def get_position(*, session: AsyncSession, id: str) -> Position:
    return await require_row(session, Position, id, path=("id",), what="Position")


async def create_position(*, session: AsyncSession, data: dict[str, Any]) -> Position:
    payload = validate(PositionCreate, data)
    position = Position(
        name=payload.name,
        department_id=await _ref(
            session, Department, payload.department_id, "departmentId", "Department"
        ),
    )
    session.add(position)
    await session.flush()
    return position


async def update_position(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Position:
    position = await get_position(session=session, id=id)
    values = validate(PositionUpdate, data).model_dump(exclude_unset=True)
    require_not_null(PositionUpdate, values, "name")
    if "department_id" in values:
        values["department_id"] = await _ref(
            session, Department, values["department_id"], "departmentId", "Department"
        )
    _apply(position, values)
    await session.flush()
    return position


async def delete_position(*, session: AsyncSession, id: str) -> Position:
    position = await get_position(session=session, id=id)
    await _refuse_in_use(
        session, [(col(Employee.position_id) == position.id, "The position has employees")]
    )
    await session.delete(position)
    await session.flush()
    return position


# --- employees ------------------------------------------------------------------------------


async def get_employee(*, session: AsyncSession, id: str) -> Employee:
    return await require_row(session, Employee, id, path=("id",), what="Employee")


async def _employee_refs(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key, field, model, what in (
        ("department_id", "departmentId", Department, "Department"),
        ("position_id", "positionId", Position, "Position"),
        ("contact_id", "contactId", Contact, "Contact"),
    ):
        if key in out:
            out[key] = await _ref(session, model, out[key], field, what)
    if "currency_code" in out:
        out["currency_code"] = await _currency(session, out["currency_code"])
    return out


def _check_dates(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise UserInputError.single("endDate", "must not be before startDate")


CONTACT_TAKEN = "The contact is already linked to another employee"


async def create_employee(*, session: AsyncSession, data: dict[str, Any]) -> Employee:
    """An employee; starting today unless a start date is given."""
    payload = validate(EmployeeCreate, data)
    values = await _employee_refs(session, payload.model_dump())
    values["start_date"] = values["start_date"] or utcnow().date()
    values["salary"] = values["salary"] if values["salary"] is not None else ZERO
    _check_dates(values["start_date"], values["end_date"])
    employee = Employee(**values)
    session.add(employee)
    await _flush_unique(session, "contactId", CONTACT_TAKEN)
    return employee


async def update_employee(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Employee:
    """Fields sent change; payslips already written keep the salary they were made from."""
    employee = await get_employee(session=session, id=id)
    values = validate(EmployeeUpdate, data).model_dump(exclude_unset=True)
    require_not_null(
        EmployeeUpdate, values, "first_name", "last_name", "salary", "currency_code", "start_date"
    )
    values = await _employee_refs(session, values)
    _check_dates(
        values.get("start_date", employee.start_date), values.get("end_date", employee.end_date)
    )
    _apply(employee, values)
    await _flush_unique(session, "contactId", CONTACT_TAKEN)
    return employee


async def delete_employee(*, session: AsyncSession, id: str) -> Employee:
    """An employee who was never on a payslip; one who was stays on record (give an end
    date instead)."""
    employee = await get_employee(session=session, id=id)
    await _refuse_in_use(
        session,
        [(col(Payslip.employee_id) == employee.id, "The employee has payslips; set an end date")],
    )
    await session.delete(employee)
    await session.flush()
    return employee


# --- pay runs -------------------------------------------------------------------------------


def period_days(period: str) -> tuple[date, date]:
    """The first and the last day of a YYYY-MM period."""
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def gross_for(employee: Employee, first: date, last: date) -> tuple[Decimal, int, int]:
    """(gross, days paid, days in the period): a month's salary (annual / 12) for a full
    month, pro rata by calendar days for one who starts or leaves within it, rounded
    to the cent."""
    days_in_period = (last - first).days + 1
    start = max(first, employee.start_date)
    end = min(last, employee.end_date) if employee.end_date else last
    days = max((end - start).days + 1, 0)
    monthly = employee.salary / 12
    gross = monthly if days == days_in_period else monthly * days / days_in_period
    return gross.quantize(CENT, rounding=ROUND_HALF_UP), days, days_in_period


async def get_pay_run(*, session: AsyncSession, id: str) -> PayRun:
    return await require_row(session, PayRun, id, path=("id",), what="PayRun")


async def _chosen_employees(
    session: AsyncSession, refs: list[str] | None, first: date, last: date, currency: str
) -> list[Employee]:
    """The employees named (each the company's, employed in the period and paid in the
    run's currency), or every such employee when none are named."""
    employed = _employed_between(first, last)
    if refs is None:
        stmt = (
            select(Employee)
            .where(employed, col(Employee.currency_code) == currency)
            .order_by(col(Employee.last_name), col(Employee.id))
        )
        return list((await session.scalars(stmt)).all())
    errors: list[FieldError] = []
    chosen: dict[str, Employee] = {}
    for n, ref in enumerate(refs):
        path = ("employeeIds", str(n))
        try:
            employee = await require_row(session, Employee, ref, path=path, what="Employee")
        except UserInputError as exc:
            errors.extend(exc.errors)
            continue
        if not (
            employee.start_date <= last
            and (employee.end_date is None or employee.end_date >= first)
        ):
            errors.append(FieldError(path, "The employee is not employed in the period"))
        elif employee.currency_code != currency:
            errors.append(
                FieldError(
                    path, f"The employee is paid in {employee.currency_code}, not {currency}"
                )
            )
        chosen.setdefault(employee.id, employee)
    if errors:
        raise UserInputError(errors)
    return list(chosen.values())


async def create_pay_run(*, session: AsyncSession, data: dict[str, Any]) -> PayRun:
    """A draft pay run in the base currency with a payslip for each employee chosen. An
    employee already on a payslip of the period (in any pay run) is refused, TAKEN."""
    payload = validate(PayRunCreate, data)
    first, last = period_days(payload.period)
    currency = await _base_currency(session)
    employees = await _chosen_employees(session, payload.employee_ids, first, last, currency)
    if not employees:
        raise UserInputError.single(
            "employeeIds", "No employee is employed in the period", ErrorCode.REQUIRED
        )
    paid = set(
        (
            await session.scalars(
                select(Payslip.employee_id).where(
                    col(Payslip.period) == payload.period,
                    col(Payslip.employee_id).in_([e.id for e in employees]),
                )
            )
        ).all()
    )
    if paid:
        names = ", ".join(f"{e.first_name} {e.last_name}" for e in employees if e.id in paid)
        raise UserInputError.single(
            "employeeIds", f"Already in a pay run of {payload.period}: {names}", ErrorCode.TAKEN
        )
    run = PayRun(period=payload.period, pay_date=payload.pay_date, currency_code=currency)
    session.add(run)
    total = ZERO
    for employee in employees:
        gross, days, days_in_period = gross_for(employee, first, last)
        total += gross
        session.add(
            Payslip(
                pay_run_id=run.id,
                employee_id=employee.id,
                period=payload.period,
                days_paid=days,
                days_in_period=days_in_period,
                gross=gross,
                deductions=ZERO,
                net=gross,
                currency_code=currency,
            )
        )
    run.gross = run.net = total
    # A concurrent pay run naming one of these employees for the period meets the
    # unique constraint here.
    await _flush_unique(
        session, "employeeIds", f"An employee is already in a pay run of {payload.period}"
    )
    return run


def _refuse_unless(run: PayRun, wanted: PayRunStatus, doing: str) -> None:
    if run.status != wanted.value:
        raise UserInputError.single(
            "id",
            f"Only {'an' if wanted.value[0] in 'aeiou' else 'a'} {wanted.value} pay run can be "
            f"{doing}; this one is {run.status}",
            ErrorCode.INVALID_STATE,
        )


async def _move(
    session: AsyncSession, run: PayRun, wanted: PayRunStatus, doing: str, **values: Any
) -> None:
    """`values` written only while the run is still `wanted`: the move's claim, the
    first write of the operation."""
    _refuse_unless(run, wanted, doing)
    await claim(
        session,
        run,
        col(PayRun.status) == wanted.value,
        what="PayRun",
        values={"updated_at": utcnow(), **values},
        refuse=lambda current: _refuse_unless(current, wanted, doing),
    )


async def payslips_of(session: AsyncSession, run_ids: Sequence[str]) -> dict[str, list[Payslip]]:
    """Each run's payslips, in one statement."""
    out: dict[str, list[Payslip]] = defaultdict(list)
    if run_ids:
        stmt = (
            select(Payslip)
            .where(col(Payslip.pay_run_id).in_(list(run_ids)))
            .order_by(col(Payslip.pay_run_id), col(Payslip.id))
        )
        for slip in (await session.scalars(stmt)).all():
            out[slip.pay_run_id].append(slip)
    return out


async def update_payslip(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Payslip:
    """A draft run's payslip deductions; net = gross - deductions, never below zero. The
    run's totals follow in the same guarded write."""
    slip = await require_row(session, Payslip, id, path=("id",), what="Payslip")
    payload = validate(PayslipUpdate, data)
    if payload.deductions > slip.gross:
        raise UserInputError.single("deductions", f"must not be more than the gross ({slip.gross})")
    run = await get_pay_run(session=session, id=slip.pay_run_id)
    change = payload.deductions - slip.deductions
    await _move(
        session,
        run,
        PayRunStatus.DRAFT,
        "changed",
        deductions=PayRun.deductions + change,
        net=PayRun.net - change,
    )
    slip.deductions = payload.deductions
    slip.net = slip.gross - payload.deductions
    slip.updated_at = utcnow()
    await session.flush()
    return slip


async def delete_pay_run(*, session: AsyncSession, id: str) -> PayRun:
    """A draft and its payslips (its employees may then be paid for the period again)."""
    run = await get_pay_run(session=session, id=id)
    await _move(session, run, PayRunStatus.DRAFT, "deleted")
    await session.execute(delete(Payslip).where(col(Payslip.pay_run_id) == run.id))
    await session.delete(run)
    await session.flush()
    return run


async def approve_pay_run(*, session: AsyncSession, id: str) -> PayRun:
    """draft -> approved, posting the salary voucher on the pay date."""
    run = await get_pay_run(session=session, id=id)
    await _move(session, run, PayRunStatus.DRAFT, "approved", status="approved")
    voucher = await posting.post_pay_run(session, run)
    now = utcnow()
    run.voucher_id, run.approved_at = voucher.id, now
    await session.execute(
        update(Payslip)
        .where(col(Payslip.pay_run_id) == run.id)
        .values(voucher_id=voucher.id, updated_at=now, **bump(Payslip))
        .execution_options(synchronize_session=False)
    )
    await session.flush()
    return run


async def reverse_pay_run(*, session: AsyncSession, id: str) -> PayRun:
    """approved -> draft: the salary voucher is reversed (dated today), the payslips may
    be changed again or the run deleted. A paid run is final."""
    run = await get_pay_run(session=session, id=id)
    voucher_id = run.voucher_id
    await _move(
        session,
        run,
        PayRunStatus.APPROVED,
        "reversed",
        status="draft",
        voucher_id=None,
        approved_at=None,
    )
    assert voucher_id is not None  # an approved run has its voucher
    await posting.reverse_pay_run(session, run, voucher_id)
    await session.execute(
        update(Payslip)
        .where(col(Payslip.pay_run_id) == run.id)
        .values(voucher_id=None, updated_at=utcnow(), **bump(Payslip))
        .execution_options(synchronize_session=False)
    )
    return run


async def pay_pay_run(*, session: AsyncSession, id: str, data: dict[str, Any]) -> PayRun:
    """approved -> paid from a money account in the run's currency: one expense per
    payslip with a net to pay (banking's service writes it and its voucher, Dr wages
    payable / Cr the account's ledger account)."""
    run = await get_pay_run(session=session, id=id)
    payload = validate(PayRunPay, data)
    account = await require_row(
        session, Account, payload.account_id, path=("accountId",), what="Account"
    )
    if account.currency_code != run.currency_code:
        raise UserInputError.single(
            "accountId", f"must be an account in {run.currency_code}, the pay run's currency"
        )
    paid_at = payload.paid_at or utcnow()
    await _move(
        session,
        run,
        PayRunStatus.APPROVED,
        "paid",
        status="paid",
        account_id=account.id,
        paid_at=paid_at,
    )
    slips = (await payslips_of(session, [run.id]))[run.id]
    employees = {
        e.id: e
        for e in (
            await session.scalars(
                select(Employee).where(col(Employee.id).in_([s.employee_id for s in slips]))
            )
        ).all()
    }
    for slip in slips:
        if slip.net <= 0:
            continue
        employee = employees[slip.employee_id]
        name = f"{employee.first_name} {employee.last_name}"
        try:
            tx = await banking.create_transaction(
                session=session,
                data={
                    "type": "expense",
                    "accountId": account.id,
                    "amount": slip.net,
                    "paidAt": paid_at,
                    "description": f"Salary {run.period}: {name}",
                    "contactId": employee.contact_id,
                    "paymentMethod": "bank_transfer",
                },
                against=posting.WAGES_PAYABLE,
            )
        except UserInputError as exc:  # the account: name it as this input does
            raise UserInputError(
                [FieldError(("accountId",), e.message, e.code) for e in exc.errors]
            ) from None
        slip.transaction_id = tx.id
        slip.updated_at = utcnow()
    await session.flush()
    summary = {"period": run.period, "net": run.net, "currency": run.currency_code}
    await emit(session, type="payrun.paid", row=run, payload=summary)
    return run


# --- for the REST shims ---------------------------------------------------------------------
