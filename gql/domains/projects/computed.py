"""What a project's time adds up to, each ONE SQL expression over the project's row (a
correlated aggregate over its time entries): the GraphQL fields on both read paths and
the REST shims use these, so they cannot disagree, and no row is summed in Python.

Minutes are exact integers. Hours and the budget used are rounded half up to the
hundredth in SQL; on SQLite an amount is an integer count of hundredths (ExactDecimal),
so the rounding there is integer arithmetic.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, Numeric, cast, func, type_coerce

from gql.core.graph import Computed
from gql.db.columns import ExactDecimal
from gql.domains.projects.models import TimeEntry
from gql.tenancy import tenant_table

HUNDREDTHS = ExactDecimal(2)


def _minutes(table: Any, *where: Any) -> ColumnElement[Any]:
    """The project's minutes of the entries meeting `where`; 0 for none."""
    entry = tenant_table(TimeEntry, table.c.company_id)
    total = entry.select(func.coalesce(func.sum(entry.c.minutes), 0)).where(
        entry.c.project_id == table.c.id, *(w(entry.c) for w in where)
    )
    return total.scalar_subquery()


def _per_hour(minutes: ColumnElement[Any], per_hour: Any, env: Any) -> ColumnElement[Any]:
    """minutes x per_hour / 60, to the hundredth (half up; never negative)."""
    if env.pg:
        return func.round(cast(minutes, Numeric) * per_hour / 60, 2, type_=HUNDREDTHS)
    # SQLite: per_hour is a whole number of hundredths (an ExactDecimal's storage).
    product = type_coerce(minutes * per_hour, Integer)
    return type_coerce((product * 2 + 60) // 120, HUNDREDTHS)


def _billable(c: Any) -> ColumnElement[bool]:
    return c.billable.is_(True)


def _unbilled(c: Any) -> ColumnElement[bool]:
    return c.billable.is_(True) & c.invoice_id.is_(None)


def _logged_minutes(table: Any, env: Any) -> ColumnElement[Any]:
    return _minutes(table)


def _billable_minutes(table: Any, env: Any) -> ColumnElement[Any]:
    return _minutes(table, _billable)


def _unbilled_minutes(table: Any, env: Any) -> ColumnElement[Any]:
    return _minutes(table, _unbilled)


def _hours(minutes: ColumnElement[Any], env: Any) -> ColumnElement[Any]:
    return _per_hour(minutes, 1 if env.pg else 100, env)


def _budget_used(table: Any, env: Any) -> ColumnElement[Any]:
    """Billable time at the project's hourly rate (invoiced or not); 0 without a rate."""
    return _per_hour(_minutes(table, _billable), func.coalesce(table.c.hourly_rate, 0), env)


LOGGED_MINUTES = Computed(_logged_minutes, "int")
BILLABLE_MINUTES = Computed(_billable_minutes, "int")
UNBILLED_MINUTES = Computed(_unbilled_minutes, "int")
LOGGED_HOURS = Computed(lambda t, env: _hours(_logged_minutes(t, env), env), "decimal")
BILLABLE_HOURS = Computed(lambda t, env: _hours(_billable_minutes(t, env), env), "decimal")
UNBILLED_HOURS = Computed(lambda t, env: _hours(_unbilled_minutes(t, env), env), "decimal")
BUDGET_USED = Computed(_budget_used, "decimal")
