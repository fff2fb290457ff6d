"""Payroll: departments, positions, employees, and monthly pay runs with one payslip per
employee (module: payroll)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field


class PayRunStatus(str, Enum):
    DRAFT = "draft"  # payslips editable; nothing posted
    APPROVED = "approved"  # the salary voucher is posted
    PAID = "paid"  # the bank transactions are written; final


class Department(Versioned, TenantOwned, table=True):
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=500)


class Position(Versioned, TenantOwned, table=True):
    """A job title, optionally belonging to a department."""

    __tablename__ = "job_position"  # POSITION is a function name in SQL

    name: str = Field(max_length=100)
    department_id: str | None = Field(
        default=None, foreign_key="department.id", max_length=24, index=True
    )


class Employee(Versioned, TenantOwned, table=True):
    __table_args__ = (
        # A contact is at most one employee (Contact.employee).
        UniqueConstraint("company_id", "contact_id"),
        Index("ix_employee_company_last_name", "company_id", "last_name", "id"),
    )

    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=254)
    department_id: str | None = Field(
        default=None, foreign_key="department.id", max_length=24, index=True
    )
    position_id: str | None = Field(
        default=None, foreign_key="job_position.id", max_length=24, index=True
    )
    salary: Decimal = money_field()  # annual, gross
    currency_code: str = Field(max_length=3)
    start_date: date
    end_date: date | None = None  # the last day employed
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)


class PayRun(Versioned, TenantOwned, table=True):
    __tablename__ = "pay_run"
    __table_args__ = (Index("ix_pay_run_company_pay_date", "company_id", "pay_date", "id"),)

    period: str = Field(max_length=7)  # YYYY-MM
    pay_date: date
    status: str = Field(default=PayRunStatus.DRAFT.value, max_length=10)
    currency_code: str = Field(max_length=3)
    gross: Decimal = money_field()
    deductions: Decimal = money_field()
    net: Decimal = money_field()
    # The salary voucher approving posted (cleared when the approval is reversed).
    voucher_id: str | None = Field(default=None, foreign_key="voucher.id", max_length=24)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The money account it was paid from, and when.
    account_id: str | None = Field(default=None, foreign_key="account.id", max_length=24)
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Payslip(Versioned, TenantOwned, table=True):
    __table_args__ = (
        # An employee is paid at most once per period, across pay runs; concurrent
        # pay runs naming the same employee meet here.
        UniqueConstraint("company_id", "employee_id", "period"),
        Index("ix_payslip_company_pay_run", "company_id", "pay_run_id", "id"),
    )

    pay_run_id: str = Field(foreign_key="pay_run.id", max_length=24)
    employee_id: str = Field(foreign_key="employee.id", max_length=24, index=True)
    period: str = Field(max_length=7)  # the pay run's
    days_paid: int  # days of the period the employee was employed
    days_in_period: int
    gross: Decimal = money_field()
    deductions: Decimal = money_field()
    net: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    # The salary voucher (the pay run's), and the bank transaction that paid it.
    voucher_id: str | None = Field(default=None, foreign_key="voucher.id", max_length=24)
    transaction_id: str | None = Field(default=None, foreign_key="transaction.id", max_length=24)
