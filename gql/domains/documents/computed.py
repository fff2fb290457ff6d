"""What a document's row implies, each written once as SQL over the row: the GraphQL
fields (both read paths), the filters, the REST shims and the services' checks all
use these expressions, so none of them can disagree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from gql.core.graph import Computed
from gql.domains.documents.models import DocumentKind, DocumentStatus
from gql.domains.documents.settlement import OPEN_STATUSES, amount_due_of


def _amount_due(table: Any, env: Any) -> ColumnElement[Any]:
    """What is still owed: the total less payments and credit notes applied."""
    return amount_due_of(table.c.total, table.c.amount_paid, table.c.amount_credited)


def _overdue(table: Any, env: Any) -> ColumnElement[bool]:
    """Issued, something still owed, and past its due date; never null (a document
    without a due date is simply not overdue), so its negation keeps the others."""
    return (
        table.c.status.in_(OPEN_STATUSES)
        & table.c.due_date.is_not(None)
        & (table.c.due_date < env.today)
        & (_amount_due(table, env) > 0)
    )


def _expired(table: Any, env: Any) -> ColumnElement[bool]:
    """An estimate sent and still open (not accepted, declined or converted) whose
    expiry date has passed; never null."""
    return (
        (table.c.kind == DocumentKind.ESTIMATE.value)
        & (table.c.status == DocumentStatus.SENT.value)
        & table.c.expiry_date.is_not(None)
        & (table.c.expiry_date < env.today)
    )


AMOUNT_DUE = Computed(_amount_due, "decimal")
OVERDUE = Computed(_overdue, "bool")
EXPIRED = Computed(_expired, "bool")
DERIVED = {"amountDue": AMOUNT_DUE, "overdue": OVERDUE, "expired": EXPIRED}
