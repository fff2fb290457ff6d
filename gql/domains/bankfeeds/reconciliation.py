"""Account.reconciliation: how an account's books stand against its bank statement.

Each figure is ONE SQL expression over the account's row (correlated aggregates), so the
compiled path inlines them and the resolver path selects them all for every account of
a page in one statement (gql.core.loaders.ComputedLoader); REST uses the same ones.

- statement balance: the closing balance of the latest import that gave one (an OFX
  file's LEDGERBAL, or `closingBalance` sent with a CSV), by its date; without any, the
  account's opening balance plus every feed line imported for it;
- reconciled balance: the opening balance plus the transactions reconciled with a feed
  line (matched, or created from one);
- unreconciled: the transactions not reconciled with any line (their sum and count);
- difference: statement balance less reconciled balance (zero when every line is
  reconciled and the statement agrees with them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, case, func, literal, type_coerce

from gql.core.graph import Computed, computed, money
from gql.core.money import Money
from gql.db.columns import ExactDecimal
from gql.domains.bankfeeds.models import BankFeedImport, BankFeedTransaction, FeedStatus
from gql.domains.banking.models import Transaction, TransactionType
from gql.tenancy import tenant_table

ZERO = Decimal("0.00")
AMOUNT = ExactDecimal(2)


def _zero() -> ColumnElement[Any]:
    return literal(ZERO, AMOUNT)


def _movement(account: Any, env: Any, *, reconciled: bool) -> ColumnElement[Any]:
    """The signed sum of the account's transactions that are (or are not) reconciled."""
    t = tenant_table(Transaction, env.tenant_id)
    signed = case((t.c.type == TransactionType.INCOME.value, t.c.amount), else_=-t.c.amount)
    linked = t.c.bank_feed_transaction_id
    return (
        t.select(func.coalesce(func.sum(signed), _zero()))
        .where(
            t.c.account_id == account.c.id,
            linked.is_not(None) if reconciled else linked.is_(None),
        )
        .correlate(account)
        .scalar_subquery()
    )


def statement_balance_sql(account: Any, env: Any) -> ColumnElement[Any]:
    imp = tenant_table(BankFeedImport, env.tenant_id)
    closing = (
        imp.select(imp.c.closing_balance)
        .where(imp.c.account_id == account.c.id, imp.c.closing_balance.is_not(None))
        .order_by(imp.c.closing_date.desc(), imp.c.created_at.desc(), imp.c.id.desc())
        .limit(1)
        .correlate(account)
        .scalar_subquery()
    )
    line = tenant_table(BankFeedTransaction, env.tenant_id)
    lines = (
        line.select(func.coalesce(func.sum(line.c.amount), _zero()))
        .where(line.c.account_id == account.c.id)
        .correlate(account)
        .scalar_subquery()
    )
    return type_coerce(func.coalesce(closing, account.c.opening_balance + lines), AMOUNT)


def reconciled_balance_sql(account: Any, env: Any) -> ColumnElement[Any]:
    return type_coerce(account.c.opening_balance + _movement(account, env, reconciled=True), AMOUNT)


def unreconciled_amount_sql(account: Any, env: Any) -> ColumnElement[Any]:
    return type_coerce(_movement(account, env, reconciled=False), AMOUNT)


def unreconciled_count_sql(account: Any, env: Any) -> ColumnElement[Any]:
    t = tenant_table(Transaction, env.tenant_id)
    return (
        t.select(func.count())
        .where(t.c.account_id == account.c.id, t.c.bank_feed_transaction_id.is_(None))
        .correlate(account)
        .scalar_subquery()
    )


def unmatched_lines_sql(account: Any, env: Any) -> ColumnElement[Any]:
    line = tenant_table(BankFeedTransaction, env.tenant_id)
    return (
        line.select(func.count())
        .where(line.c.account_id == account.c.id, line.c.status == FeedStatus.UNMATCHED.value)
        .correlate(account)
        .scalar_subquery()
    )


def difference_sql(account: Any, env: Any) -> ColumnElement[Any]:
    return type_coerce(
        statement_balance_sql(account, env) - reconciled_balance_sql(account, env), AMOUNT
    )


STATEMENT_BALANCE = Computed(statement_balance_sql, "decimal")
RECONCILED_BALANCE = Computed(reconciled_balance_sql, "decimal")
UNRECONCILED_AMOUNT = Computed(unreconciled_amount_sql, "decimal")
UNRECONCILED_COUNT = Computed(unreconciled_count_sql, "int")
UNMATCHED_LINES = Computed(unmatched_lines_sql, "int")
DIFFERENCE = Computed(difference_sql, "decimal")

# By their REST names: GET /api/banking/feeds/connections reports them per account.
FIGURES = {
    "statementBalance": STATEMENT_BALANCE,
    "reconciledBalance": RECONCILED_BALANCE,
    "unreconciledAmount": UNRECONCILED_AMOUNT,
    "unreconciledCount": UNRECONCILED_COUNT,
    "unmatchedLines": UNMATCHED_LINES,
    "difference": DIFFERENCE,
}


@strawberry.type(
    name="AccountReconciliation",
    description="How the account's books stand against its bank statement (bank feeds). "
    "Read from the account's own row: every figure is one SQL expression over it.",
)
class AccountReconciliation:
    statement_balance: Money = money(
        STATEMENT_BALANCE,
        description="The closing balance of the latest import that gave one; otherwise the "
        "opening balance plus every feed line imported.",
    )
    reconciled_balance: Money = money(
        RECONCILED_BALANCE,
        description="The opening balance plus the transactions reconciled with a feed line.",
    )
    unreconciled_amount: Money = money(
        UNRECONCILED_AMOUNT,
        description="The signed sum of the transactions not reconciled with any feed line.",
    )
    unreconciled_count: int = computed(
        UNRECONCILED_COUNT, description="How many transactions are not reconciled."
    )
    unmatched_lines: int = computed(
        UNMATCHED_LINES, description="How many feed lines are still unmatched."
    )
    difference: Money = money(
        DIFFERENCE, description="The statement balance less the reconciled balance."
    )
