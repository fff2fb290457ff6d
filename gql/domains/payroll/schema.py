"""Query and Mutation fields of payroll (module: payroll)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.payroll import service
from gql.domains.payroll.models import Department, Employee, PayRun, Payslip, Position
from gql.domains.payroll.types import (
    MODULE,
    DepartmentConnection,
    DepartmentCreateInput,
    DepartmentDeletePayload,
    DepartmentFilter,
    DepartmentNode,
    DepartmentOrder,
    DepartmentPayload,
    DepartmentUpdateInput,
    EmployeeConnection,
    EmployeeCreateInput,
    EmployeeDeletePayload,
    EmployeeFilter,
    EmployeeNode,
    EmployeeOrder,
    EmployeePayload,
    EmployeeUpdateInput,
    PayrollIdInput,
    PayRunConnection,
    PayRunCreateInput,
    PayRunDeletePayload,
    PayRunFilter,
    PayRunNode,
    PayRunOrder,
    PayRunPayInput,
    PayRunPayload,
    PayslipConnection,
    PayslipFilter,
    PayslipNode,
    PayslipOrder,
    PayslipPayload,
    PayslipUpdateInput,
    PositionConnection,
    PositionCreateInput,
    PositionDeletePayload,
    PositionFilter,
    PositionNode,
    PositionOrder,
    PositionPayload,
    PositionUpdateInput,
    department_filter_of,
    department_order_of,
    employee_filter_of,
    employee_order_of,
    pay_run_filter_of,
    pay_run_order_of,
    payslip_filter_of,
    payslip_order_of,
    position_filter_of,
    position_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

DEPARTMENTS = RootConnection(
    Department, department_filter_of, department_order_of, service.DEPARTMENT_ORDER_COLUMNS
)
POSITIONS = RootConnection(
    Position, position_filter_of, position_order_of, service.POSITION_ORDER_COLUMNS
)
EMPLOYEES = RootConnection(
    Employee, employee_filter_of, employee_order_of, service.EMPLOYEE_ORDER_COLUMNS
)
PAY_RUNS = RootConnection(
    PayRun, pay_run_filter_of, pay_run_order_of, service.PAY_RUN_ORDER_COLUMNS
)
PAYSLIPS = RootConnection(
    Payslip, payslip_filter_of, payslip_order_of, service.PAYSLIP_ORDER_COLUMNS
)


@strawberry.type
class Query:
    department: DepartmentNode | None = root_get(Department, "Department", permission_classes=READ)
    departments: DepartmentConnection = root_connection(
        DEPARTMENTS,
        DepartmentConnection,
        filter=DepartmentFilter,
        order=DepartmentOrder,
        permission_classes=READ,
        description="The company's departments, by name unless ordered otherwise.",
    )
    position: PositionNode | None = root_get(Position, "Position", permission_classes=READ)
    positions: PositionConnection = root_connection(
        POSITIONS,
        PositionConnection,
        filter=PositionFilter,
        order=PositionOrder,
        permission_classes=READ,
        description="The company's positions, by name unless ordered otherwise.",
    )
    employee: EmployeeNode | None = root_get(Employee, "Employee", permission_classes=READ)
    employees: EmployeeConnection = root_connection(
        EMPLOYEES,
        EmployeeConnection,
        filter=EmployeeFilter,
        order=EmployeeOrder,
        permission_classes=READ,
        description="The company's employees, by last name unless ordered otherwise.",
    )
    pay_run: PayRunNode | None = root_get(PayRun, "PayRun", permission_classes=READ)
    pay_runs: PayRunConnection = root_connection(
        PAY_RUNS,
        PayRunConnection,
        filter=PayRunFilter,
        order=PayRunOrder,
        permission_classes=READ,
        description="The company's pay runs, latest pay date first unless ordered otherwise.",
    )
    payslip: PayslipNode | None = root_get(Payslip, "Payslip", permission_classes=READ)
    payslips: PayslipConnection = root_connection(
        PAYSLIPS,
        PayslipConnection,
        filter=PayslipFilter,
        order=PayslipOrder,
        permission_classes=READ,
        description="The company's payslips, latest period first unless ordered otherwise.",
    )


@strawberry.type
class Mutation:
    department_create = mutation(
        input=DepartmentCreateInput,
        payload=DepartmentPayload,
        field="department",
        run=service.create_department,
        permission=WRITE,
        description="A department; names are unique in the company (TAKEN).",
    )
    department_update = mutation(
        input=DepartmentUpdateInput,
        payload=DepartmentPayload,
        field="department",
        run=service.update_department,
        permission=WRITE,
    )
    department_delete = mutation(
        input=PayrollIdInput,
        payload=DepartmentDeletePayload,
        field="deleted_department_id",
        returns="deleted_id",
        run=service.delete_department,
        permission=WRITE,
        description="Delete a department without employees or positions (else IN_USE).",
    )
    position_create = mutation(
        input=PositionCreateInput,
        payload=PositionPayload,
        field="position",
        run=service.create_position,
        permission=WRITE,
    )
    position_update = mutation(
        input=PositionUpdateInput,
        payload=PositionPayload,
        field="position",
        run=service.update_position,
        permission=WRITE,
    )
    position_delete = mutation(
        input=PayrollIdInput,
        payload=PositionDeletePayload,
        field="deleted_position_id",
        returns="deleted_id",
        run=service.delete_position,
        permission=WRITE,
        description="Delete a position no employee holds (else IN_USE).",
    )
    employee_create = mutation(
        input=EmployeeCreateInput,
        payload=EmployeePayload,
        field="employee",
        run=service.create_employee,
        permission=WRITE,
    )
    employee_update = mutation(
        input=EmployeeUpdateInput,
        payload=EmployeePayload,
        field="employee",
        run=service.update_employee,
        permission=WRITE,
        description="Change an employee; payslips written keep the salary they were made from.",
    )
    employee_delete = mutation(
        input=PayrollIdInput,
        payload=EmployeeDeletePayload,
        field="deleted_employee_id",
        returns="deleted_id",
        run=service.delete_employee,
        permission=WRITE,
        description="Delete an employee who has no payslips (else IN_USE: set an end date).",
    )
    pay_run_create = mutation(
        input=PayRunCreateInput,
        payload=PayRunPayload,
        field="pay_run",
        run=service.create_pay_run,
        permission=WRITE,
        description="A draft pay run with a payslip per employee. An employee already paid "
        "for the period (in any pay run) is refused with TAKEN.",
    )
    pay_run_approve = mutation(
        input=PayrollIdInput,
        payload=PayRunPayload,
        field="pay_run",
        run=service.approve_pay_run,
        permission=WRITE,
        description="Approve a draft: posts the salary voucher (Dr Salaries / Cr Payroll "
        "deductions payable / Cr Wages payable), once however many approvals arrive together.",
    )
    pay_run_reverse = mutation(
        input=PayrollIdInput,
        payload=PayRunPayload,
        field="pay_run",
        run=service.reverse_pay_run,
        permission=WRITE,
        description="Undo an approval not yet paid: its voucher is reversed and it is a draft "
        "again.",
    )
    pay_run_pay = mutation(
        input=PayRunPayInput,
        payload=PayRunPayload,
        field="pay_run",
        run=service.pay_pay_run,
        permission=WRITE,
        description="Pay an approved run from a money account: one expense per payslip "
        "(Dr Wages payable / Cr the account), once however many payments arrive together.",
    )
    pay_run_delete = mutation(
        input=PayrollIdInput,
        payload=PayRunDeletePayload,
        field="deleted_pay_run_id",
        returns="deleted_id",
        run=service.delete_pay_run,
        permission=WRITE,
        description="Delete a draft pay run and its payslips.",
    )
    payslip_update = mutation(
        input=PayslipUpdateInput,
        payload=PayslipPayload,
        field="payslip",
        run=service.update_payslip,
        permission=WRITE,
        description="Set a draft pay run's payslip deductions (not more than its gross).",
    )
