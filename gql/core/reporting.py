"""Declarations of objects that are not rows of a table, for the compiled read path.

The request's company (`TenantRow`), objects that only group fields (`Namespace`:
`Company.reports`) and reports (`Report`): one SQL statement of rows, which the
report's GraphQL type reads through its fields' declarations. The resolver path runs
the same statement and shapes its rows in Python (gql/domains/ledger/reports.py);
the compiler (gql/compiler/reports.py) builds the report's JSON from it in the
database. Totals are window columns of the statement, the same in every row, so
neither path adds anything up itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from sqlalchemy import ColumnElement

from gql.core.graph import sql_meta


@dataclass(frozen=True)
class TenantRow:
    """A root field answering the request's own row of `model` (its company)."""

    model: type[Any]


@dataclass(frozen=True)
class Namespace:
    """An object without a table of its own: its fields read the enclosing row (a
    report's row, or the company) with column names prefixed by `prefix`."""

    prefix: str = ""


@dataclass(frozen=True)
class Report:
    """A report field: `rows(env, args)` is its one statement (a Select with labelled
    columns; args: the field's arguments by GraphQL name). Money is in the currency
    of the enclosing row's `currency` column (the company's base currency). With
    `not_found`, no rows at all is null with that NOT_FOUND message."""

    rows: Callable[[Any, dict[str, Any]], Any]
    currency: str = "base_currency"
    not_found: str | None = None


@dataclass(frozen=True)
class ReportRows:
    """A list of the report's rows that meet `where(columns)`, in `order_by` order (the
    statement's own). The element type's plain fields are the rows' columns."""

    order_by: tuple[str, ...]
    where: Callable[[Any], ColumnElement[bool]] | None = None


@dataclass(frozen=True)
class ReportValue:
    """A column of the row; on the report itself, of any row (a total: the same in
    each), or `default` when there are no rows. On a Money field: its amount."""

    column: str
    default: Any = None


@dataclass(frozen=True)
class ReportArgument:
    """The report's argument `name`, as given; `today` when it defaults to the day."""

    name: str
    today: bool = False


def report_field(spec: Any, *, description: str | None = None, name: str | None = None) -> Any:
    """A plain field of a report type (the resolver path sets its value) and what it is
    in the report's SQL."""
    return strawberry.field(name=name, description=description, metadata=sql_meta(spec))
