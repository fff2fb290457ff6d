"""Numbors REST: /api/payroll/departments, /api/payroll/employees (with department and
position populated) and /api/payroll/pay-runs (sorted by pay date, with payslips)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import RootConnection, list_page
from gql.core.lookups import rows_by_id
from gql.core.pagination import PageArgs
from gql.domains.companies.modules import ModuleAlias
from gql.domains.payroll import service
from gql.domains.payroll.models import Department, Employee, PayRun, PayRunStatus, Position
from gql.domains.payroll.schema import DEPARTMENTS, EMPLOYEES, PAY_RUNS
from gql.rest.numbors import (
    RestContext,
    choice_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, ref, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.PAYROLL

# The Numbors names for the fields, and ours.
EMPLOYEE_NAMES = Renames(
    {
        "department": "departmentId",
        "position": "positionId",
        "contact": "contactId",
        "currency": "currencyCode",
    }
)
PAY_RUN_NAMES = Renames({"employees": "employeeIds"})


def _named(row: Department | Position | None) -> dict[str, Any] | None:
    return None if row is None else {"id": row.id, "name": row.name}


async def employees_json(ctx: RestContext, employees: list[Employee]) -> list[dict[str, Any]]:
    """Each employee with department and position populated: two statements."""
    departments = await rows_by_id(ctx.session, Department, {e.department_id for e in employees})
    positions = await rows_by_id(ctx.session, Position, {e.position_id for e in employees})
    return [
        row_json(
            e,
            exclude=("company_id", "department_id", "position_id", "contact_id"),
            currency=e.currency_code,
            contact=e.contact_id,
            department=_named(departments.get(e.department_id or "")),
            position=_named(positions.get(e.position_id or "")),
        )
        for e in employees
    ]


async def pay_runs_json(ctx: RestContext, runs: list[PayRun]) -> list[dict[str, Any]]:
    """Each pay run with its payslips (one statement for the page)."""
    slips = await service.payslips_of(ctx.session, [r.id for r in runs])
    return [
        row_json(
            r,
            exclude=("company_id", "voucher_id", "account_id"),
            currency=r.currency_code,
            voucher=r.voucher_id,
            account=r.account_id,
            employees=[s.employee_id for s in slips.get(r.id, [])],
            payslips=[
                row_json(
                    s,
                    exclude=(
                        "company_id",
                        "pay_run_id",
                        "employee_id",
                        "voucher_id",
                        "transaction_id",
                    ),
                    employee=s.employee_id,
                    transaction=s.transaction_id,
                )
                for s in slips.get(r.id, [])
            ],
        )
        for r in runs
    ]


async def _page(ctx: RestContext, spec: RootConnection, where: Any) -> tuple[Any, int, int]:
    page = page_params(ctx.request, ctx.settings)
    args = PageArgs(first=page.limit, after=page.offset or None)
    return await list_page(ctx.session, spec, args, where=where), page.page, page.limit


@endpoint(module=MODULE)
async def list_departments(ctx: RestContext) -> Response:
    where = service.DepartmentFilter(search=text_param(ctx.request, "search", ctx.settings))
    result, page, limit = await _page(ctx, DEPARTMENTS, where)
    items = [row_json(d) for d in result.rows]
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True)
async def create_department(ctx: RestContext) -> Response:
    department = await service.create_department(session=ctx.session, data=await ctx.body())
    return ok(row_json(department), 201)


@endpoint(module=MODULE)
async def list_employees(ctx: RestContext) -> Response:
    where = service.EmployeeFilter(
        department_id=id_param(ctx.request, "department", "Department"),
        position_id=id_param(ctx.request, "position", "Position"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result, page, limit = await _page(ctx, EMPLOYEES, where)
    items = await employees_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=EMPLOYEE_NAMES)
async def create_employee(ctx: RestContext) -> Response:
    employee = await service.create_employee(session=ctx.session, data=await ctx.body())
    return ok((await employees_json(ctx, [employee]))[0], 201)


@endpoint(module=MODULE)
async def list_pay_runs(ctx: RestContext) -> Response:
    where = service.PayRunFilter(
        status=choice_param(ctx.request, "status", [s.value for s in PayRunStatus]),
        period=text_param(ctx.request, "period", ctx.settings),
    )
    result, page, limit = await _page(ctx, PAY_RUNS, where)
    items = await pay_runs_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=PAY_RUN_NAMES)
async def create_pay_run(ctx: RestContext) -> Response:
    run = await service.create_pay_run(session=ctx.session, data=await ctx.body())
    return ok((await pay_runs_json(ctx, [run]))[0], 201)


routes = [
    ApiRoute(
        "/payroll/departments",
        list_departments,
        "GET",
        summary="List departments",
        row=Department,
        query=[text("search")],
    ),
    ApiRoute(
        "/payroll/departments",
        create_department,
        "POST",
        summary="Create a department",
        row=Department,
        body=service.DepartmentCreate,
    ),
    ApiRoute(
        "/payroll/employees",
        list_employees,
        "GET",
        summary="List employees",
        row=Employee,
        query=[ref("department"), ref("position"), text("search")],
    ),
    ApiRoute(
        "/payroll/employees",
        create_employee,
        "POST",
        summary="Create an employee",
        row=Employee,
        body=service.EmployeeCreate,
    ),
    ApiRoute(
        "/payroll/pay-runs",
        list_pay_runs,
        "GET",
        summary="List pay runs",
        row=PayRun,
        query=[choice("status", PayRunStatus), text("period", "a period, YYYY-MM")],
    ),
    ApiRoute(
        "/payroll/pay-runs",
        create_pay_run,
        "POST",
        summary="Create a pay run",
        row=PayRun,
        body=service.PayRunCreate,
    ),
]
