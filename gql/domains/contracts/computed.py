"""A contract's status on the day it is read, written once as SQL over its row: the
GraphQL field (both read paths), the status filter, the REST shim and the services'
checks all use this one expression, so none of them can disagree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, literal

from gql.core.graph import Computed
from gql.domains.contracts.models import ContractStatus


def _status(table: Any, env: Any) -> ColumnElement[Any]:
    """Terminated and draft are stored (terminated_at, no signed_at); a signed contract
    is active between its dates (both included, either open), expired after its end
    date and signed (waiting) before its start date."""
    c = table.c
    return case(
        (c.terminated_at.is_not(None), literal(ContractStatus.TERMINATED.value)),
        (c.signed_at.is_(None), literal(ContractStatus.DRAFT.value)),
        (c.end_date.is_not(None) & (c.end_date < env.today), literal(ContractStatus.EXPIRED.value)),
        (
            c.start_date.is_not(None) & (c.start_date > env.today),
            literal(ContractStatus.SIGNED.value),
        ),
        else_=literal(ContractStatus.ACTIVE.value),
    )


STATUS = Computed(_status, "string")
