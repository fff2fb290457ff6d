"""A contact that is an employee, as ONE SQL expression over the contact's row: the
`Contact.isEmployee` field (both read paths) and the REST shims use it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists

from gql.core.graph import Computed
from gql.domains.payroll.models import Employee
from gql.tenancy import tenant_table


def _is_employee(table: Any, env: Any) -> ColumnElement[bool]:
    """Some employee of the contact's company is linked to it."""
    employees = tenant_table(Employee, table.c.company_id)
    return exists(employees.select(employees.c.id).where(employees.c.contact_id == table.c.id))


IS_EMPLOYEE = Computed(_is_employee, "bool")
