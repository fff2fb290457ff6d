"""Payroll loaders: rows by id, and the employee a contact is."""

from __future__ import annotations

from gql.core.loaders import ByIdLoader, OneByForeignKeyLoader
from gql.domains.payroll.models import Department, Employee, PayRun, Payslip, Position


class DepartmentByIdLoader(ByIdLoader[Department]):
    model = Department


class PositionByIdLoader(ByIdLoader[Position]):
    model = Position


class EmployeeByIdLoader(ByIdLoader[Employee]):
    model = Employee


class PayRunByIdLoader(ByIdLoader[PayRun]):
    model = PayRun


class PayslipByIdLoader(ByIdLoader[Payslip]):
    model = Payslip


class EmployeeByContactIdLoader(OneByForeignKeyLoader[Employee]):
    """Contact.employee: the employee linked to the contact (at most one)."""

    model = Employee
    foreign_key = "contact_id"
