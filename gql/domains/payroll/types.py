"""GraphQL types of payroll: departments, positions, employees, pay runs and payslips,
their inputs, filters and orders (module: payroll)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.core.filter_values import id_filter, order_of
from gql.core.graph import EdgeConnection, connection_edge, money, to_one
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.banking.loaders import AccountByIdLoader, TransactionByIdLoader
from gql.domains.banking.types import AccountNode, TransactionNode
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.ledger.loaders import VoucherByIdLoader
from gql.domains.ledger.types import VoucherNode
from gql.domains.payroll import service
from gql.domains.payroll.loaders import (
    DepartmentByIdLoader,
    EmployeeByIdLoader,
    PayRunByIdLoader,
    PayslipByIdLoader,
    PositionByIdLoader,
)
from gql.domains.payroll.models import (
    Department,
    Employee,
    PayRun,
    PayRunStatus,
    Payslip,
    Position,
)

MODULE = ModuleAlias.PAYROLL

PayRunStatusEnum = strawberry.enum(
    PayRunStatus,
    name="PayRunStatus",
    description="DRAFT (payslips editable), APPROVED (salary voucher posted), PAID (final).",
)

# Types further down this module (edges that point down).
_THIS_MODULE = strawberry.lazy("gql.domains.payroll.types")


def _edge(model: type[Any], fk: str, filter_of: Any, order_of: Any, columns: Any) -> Any:
    return EdgeConnection(
        model,
        fk,
        filter_of=lambda value: filter_of()(value),
        order_of=lambda value: order_of()(value),
        order_columns=columns,
        module=MODULE,
    )


def _lazy(*names: str) -> tuple[Any, ...]:
    return tuple(Annotated[name, _THIS_MODULE] for name in names)


EMPLOYEES = _lazy("EmployeeConnection", "EmployeeFilter", "EmployeeOrder")
POSITIONS = _lazy("PositionConnection", "PositionFilter", "PositionOrder")
PAYSLIPS = _lazy("PayslipConnection", "PayslipFilter", "PayslipOrder")


def _employee_edge(fk: str) -> Any:
    return _edge(
        Employee,
        fk,
        lambda: employee_filter_of,
        lambda: employee_order_of,
        service.EMPLOYEE_ORDER_COLUMNS,
    )


def _payslip_edge(fk: str) -> Any:
    return _edge(
        Payslip,
        fk,
        lambda: payslip_filter_of,
        lambda: payslip_order_of,
        service.PAYSLIP_ORDER_COLUMNS,
    )


@node_type(
    name="Department",
    model=Department,
    load=load_with(DepartmentByIdLoader),
    module=MODULE,
    description="A part of the company that employees work in.",
)
class DepartmentNode(Node):
    name: str
    description: str | None
    created_at: datetime
    employees: Annotated[EmployeeConnection, _THIS_MODULE] = connection_edge(
        _employee_edge("department_id"),
        EMPLOYEES[0],
        filter=EMPLOYEES[1],
        order=EMPLOYEES[2],
        description="Its employees, by last name unless ordered otherwise.",
    )
    positions: Annotated[PositionConnection, _THIS_MODULE] = connection_edge(
        _edge(
            Position,
            "department_id",
            lambda: position_filter_of,
            lambda: position_order_of,
            service.POSITION_ORDER_COLUMNS,
        ),
        POSITIONS[0],
        filter=POSITIONS[1],
        order=POSITIONS[2],
        description="The positions in it, by name unless ordered otherwise.",
    )


@node_type(
    name="Position",
    model=Position,
    load=load_with(PositionByIdLoader),
    module=MODULE,
    description="A job title, optionally in a department.",
)
class PositionNode(Node):
    name: str
    created_at: datetime
    department: DepartmentNode | None = to_one(DepartmentByIdLoader, "department_id")


@node_type(
    name="Employee",
    model=Employee,
    load=load_with(EmployeeByIdLoader),
    module=MODULE,
    description="Someone the company pays a salary.",
)
class EmployeeNode(Node):
    first_name: str
    last_name: str
    email: str | None
    currency_code: str
    start_date: date
    end_date: date | None = strawberry.field(description="The last day employed; null: employed.")
    created_at: datetime
    updated_at: datetime
    salary: Money = money("salary", description="The annual gross salary.")
    department: DepartmentNode | None = to_one(DepartmentByIdLoader, "department_id")
    position: PositionNode | None = to_one(PositionByIdLoader, "position_id")
    contact: ContactNode | None = to_one(
        ContactByIdLoader, "contact_id", description="The contact this employee is, if linked."
    )
    payslips: Annotated[PayslipConnection, _THIS_MODULE] = connection_edge(
        _payslip_edge("employee_id"),
        PAYSLIPS[0],
        filter=PAYSLIPS[1],
        order=PAYSLIPS[2],
        description="Their payslips, latest period first unless ordered otherwise.",
    )


@node_type(
    name="PayRun",
    model=PayRun,
    load=load_with(PayRunByIdLoader),
    module=MODULE,
    description="A month's payroll: one payslip per employee; approving posts the salary "
    "voucher, paying writes the bank transactions.",
)
class PayRunNode(Node):
    period: str = strawberry.field(description="The month paid, YYYY-MM.")
    pay_date: date
    status: PayRunStatusEnum  # type: ignore[valid-type]
    currency_code: str
    approved_at: datetime | None
    paid_at: datetime | None
    created_at: datetime
    updated_at: datetime
    gross: Money = money("gross", description="The payslips' gross, together.")
    deductions: Money = money("deductions")
    net: Money = money("net", description="Gross less deductions: what is paid out.")
    voucher: VoucherNode | None = to_one(
        VoucherByIdLoader, "voucher_id", description="The salary voucher approving posted."
    )
    account: AccountNode | None = to_one(
        AccountByIdLoader, "account_id", description="The money account it was paid from."
    )
    payslips: Annotated[PayslipConnection, _THIS_MODULE] = connection_edge(
        _payslip_edge("pay_run_id"),
        PAYSLIPS[0],
        filter=PAYSLIPS[1],
        order=PAYSLIPS[2],
        description="Its payslips.",
    )


@node_type(
    name="Payslip",
    model=Payslip,
    load=load_with(PayslipByIdLoader),
    module=MODULE,
    description="One employee's pay for a period: gross from the salary, pro rata by days.",
)
class PayslipNode(Node):
    period: str
    days_paid: int = strawberry.field(description="Days of the period the employee was employed.")
    days_in_period: int
    currency_code: str
    created_at: datetime
    gross: Money = money("gross")
    deductions: Money = money("deductions")
    net: Money = money("net")
    employee: EmployeeNode = to_one(EmployeeByIdLoader, "employee_id")
    pay_run: PayRunNode = to_one(PayRunByIdLoader, "pay_run_id")
    voucher: VoucherNode | None = to_one(
        VoucherByIdLoader, "voucher_id", description="The salary voucher of its approved pay run."
    )
    transaction: TransactionNode | None = to_one(
        TransactionByIdLoader, "transaction_id", description="The bank payment that paid it."
    )


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="DepartmentConnection")
class DepartmentConnection(Connection[DepartmentNode]):
    pass


@strawberry.type(name="PositionConnection")
class PositionConnection(Connection[PositionNode]):
    pass


@strawberry.type(name="EmployeeConnection")
class EmployeeConnection(Connection[EmployeeNode]):
    pass


@strawberry.type(name="PayRunConnection")
class PayRunConnection(Connection[PayRunNode]):
    pass


@strawberry.type(name="PayslipConnection")
class PayslipConnection(Connection[PayslipNode]):
    pass


@strawberry.enum(description="What departments and positions can be sorted by.")
class NamedOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort departments.")
class DepartmentOrder:
    field: NamedOrderField = NamedOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="How to sort positions.")
class PositionOrder:
    field: NamedOrderField = NamedOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.enum(description="What employees can be sorted by.")
class EmployeeOrderField(Enum):
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    START_DATE = "start_date"
    SALARY = "salary"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort employees.")
class EmployeeOrder:
    field: EmployeeOrderField = EmployeeOrderField.LAST_NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.enum(description="What pay runs can be sorted by.")
class PayRunOrderField(Enum):
    PAY_DATE = "pay_date"
    PERIOD = "period"
    NET = "net"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort pay runs.")
class PayRunOrder:
    field: PayRunOrderField = PayRunOrderField.PAY_DATE
    direction: OrderDirection = OrderDirection.DESC


@strawberry.enum(description="What payslips can be sorted by.")
class PayslipOrderField(Enum):
    PERIOD = "period"
    GROSS = "gross"
    NET = "net"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort payslips.")
class PayslipOrder:
    field: PayslipOrderField = PayslipOrderField.PERIOD
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which departments to list.")
class DepartmentFilter:
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name or description."
    )


@strawberry.input(description="Which positions to list; all conditions must hold.")
class PositionFilter:
    department_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.input(description="Which employees to list; all conditions must hold.")
class EmployeeFilter:
    department_id: strawberry.ID | None = strawberry.UNSET
    position_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    employed_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Employed on this day (started, not yet left)."
    )
    start_date_from: date | None = strawberry.UNSET
    start_date_to: date | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the first name, last name or email."
    )


@strawberry.input(description="Which pay runs to list; all conditions must hold.")
class PayRunFilter:
    status: PayRunStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    period: str | None = strawberry.field(default=strawberry.UNSET, description="YYYY-MM.")
    period_from: str | None = strawberry.UNSET
    period_to: str | None = strawberry.UNSET
    pay_date_from: date | None = strawberry.UNSET
    pay_date_to: date | None = strawberry.UNSET


@strawberry.input(description="Which payslips to list; all conditions must hold.")
class PayslipFilter:
    employee_id: strawberry.ID | None = strawberry.UNSET
    pay_run_id: strawberry.ID | None = strawberry.UNSET
    period: str | None = strawberry.field(default=strawberry.UNSET, description="YYYY-MM.")
    period_from: str | None = strawberry.UNSET
    period_to: str | None = strawberry.UNSET


def department_filter_of(value: DepartmentFilter | None) -> service.DepartmentFilter:
    data = input_to_dict(value) if value else {}
    return service.DepartmentFilter(search=data.get("search"))


def position_filter_of(value: PositionFilter | None) -> service.PositionFilter:
    data = input_to_dict(value) if value else {}
    return service.PositionFilter(
        department_id=id_filter(data.get("departmentId"), "Department"), search=data.get("search")
    )


def employee_filter_of(value: EmployeeFilter | None) -> service.EmployeeFilter:
    data = input_to_dict(value) if value else {}
    return service.EmployeeFilter(
        department_id=id_filter(data.get("departmentId"), "Department"),
        position_id=id_filter(data.get("positionId"), "Position"),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        employed_on=data.get("employedOn"),
        start_date_from=data.get("startDateFrom"),
        start_date_to=data.get("startDateTo"),
        search=data.get("search"),
    )


def pay_run_filter_of(value: PayRunFilter | None) -> service.PayRunFilter:
    data = input_to_dict(value) if value else {}
    status = data.get("status")
    return service.PayRunFilter(
        status=getattr(status, "value", None),
        period=data.get("period"),
        period_from=data.get("periodFrom"),
        period_to=data.get("periodTo"),
        pay_date_from=data.get("payDateFrom"),
        pay_date_to=data.get("payDateTo"),
    )


def payslip_filter_of(value: PayslipFilter | None) -> service.PayslipFilter:
    data = input_to_dict(value) if value else {}
    return service.PayslipFilter(
        employee_id=id_filter(data.get("employeeId"), "Employee"),
        pay_run_id=id_filter(data.get("payRunId"), "PayRun"),
        period=data.get("period"),
        period_from=data.get("periodFrom"),
        period_to=data.get("periodTo"),
    )


def department_order_of(value: DepartmentOrder | None) -> tuple[str, str]:
    return order_of(value, DepartmentOrder)


def position_order_of(value: PositionOrder | None) -> tuple[str, str]:
    return order_of(value, PositionOrder)


def employee_order_of(value: EmployeeOrder | None) -> tuple[str, str]:
    return order_of(value, EmployeeOrder)


def pay_run_order_of(value: PayRunOrder | None) -> tuple[str, str]:
    return order_of(value, PayRunOrder)


def payslip_order_of(value: PayslipOrder | None) -> tuple[str, str]:
    return order_of(value, PayslipOrder)


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input
class DepartmentCreateInput:
    name: str
    description: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields sent change.")
class DepartmentUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.input
class PositionCreateInput:
    name: str
    department_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input(description="Only the fields sent change.")
class PositionUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    department_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input(description="An employee's fields; on update, only the fields sent change.")
class EmployeeFieldsInput:
    email: str | None = strawberry.UNSET
    department_id: strawberry.ID | None = strawberry.UNSET
    position_id: strawberry.ID | None = strawberry.UNSET
    salary: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Annual gross; zero or more."
    )
    currency_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The base currency (the default) or one of the company's currencies.",
    )
    start_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to today."
    )
    end_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="The last day employed; not before startDate."
    )
    contact_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The contact this employee is (at most one each)."
    )


@strawberry.input
class EmployeeCreateInput(EmployeeFieldsInput):
    first_name: str
    last_name: str


@strawberry.input
class EmployeeUpdateInput(EmployeeFieldsInput):
    id: strawberry.ID
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET


@strawberry.input
class PayrollIdInput:
    id: strawberry.ID


@strawberry.input(description="A draft pay run of a month.")
class PayRunCreateInput:
    pay_date: date
    period: str = strawberry.field(description="The month paid, YYYY-MM.")
    employee_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Who is paid; by default every employee employed in the period and paid "
        "in the base currency.",
    )


@strawberry.input(description="Pay an approved pay run.")
class PayRunPayInput:
    id: strawberry.ID
    account_id: strawberry.ID = strawberry.field(description="The money account paying it.")
    paid_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to now."
    )


@strawberry.input(description="A draft pay run's payslip.")
class PayslipUpdateInput:
    id: strawberry.ID
    deductions: Decimal = strawberry.field(description="Withheld from the gross; net = the rest.")


@strawberry.type
class DepartmentPayload:
    department: DepartmentNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DepartmentDeletePayload:
    deleted_department_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PositionPayload:
    position: PositionNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PositionDeletePayload:
    deleted_position_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EmployeePayload:
    employee: EmployeeNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EmployeeDeletePayload:
    deleted_employee_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PayRunPayload:
    pay_run: PayRunNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PayRunDeletePayload:
    deleted_pay_run_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PayslipPayload:
    payslip: PayslipNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
