"""Financial reports, each one SQL statement whose rows Python only shapes: GROUP BY,
SUM, CASE and window SUMs do the arithmetic in the database, in Core over
`tenant_table`s (gql/tenancy.py) scoped to the request's tenant.

Each report's statement is built once, by its `*_rows(env, ...)` function, with
labelled columns: the resolver path runs it here and shapes the rows; the compiled
path (gql/compiler/reports.py) builds the report's JSON over the same statement,
reading the columns that the report's GraphQL type declares (ledger/types.py). So
every total, difference and running balance is a column, computed once, in SQL.

The trial balance, profit and loss and balance sheet sum the daily account balances
(models.LedgerBalance: a few rows per account and day, kept as vouchers are posted)
rather than every voucher line; a contact's statement lists its voucher lines; ageing
reads the open documents.

Every amount is in the company's base currency. Balances and reports count posted
vouchers: every kind but DRAFT. Profit and loss also leaves out the year-end closing
voucher (CLOSING_TEMPORARY_ACCOUNTS), which moves the year's result to equity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Numeric,
    Select,
    case,
    func,
    literal,
    select,
    true,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession

from gql.compiler.sqlenv import SqlEnv, request_env
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import decode_id
from gql.db.columns import ExactDecimal
from gql.domains.contacts.models import Contact
from gql.domains.documents.computed import AMOUNT_DUE
from gql.domains.documents.models import Document, DocumentKind
from gql.domains.documents.settlement import OPEN_STATUSES
from gql.domains.ledger.loaders import posted
from gql.domains.ledger.models import (
    LedgerAccount,
    LedgerAccountType,
    LedgerBalance,
    Voucher,
    VoucherLine,
)
from gql.tenancy import TenantTable, tenant_table

ZERO = Decimal("0.00")
MONEY = ExactDecimal(2)
ASSET, LIABILITY, EQUITY, INCOME, EXPENSE = (t.value for t in LedgerAccountType)


def _money(expr: ColumnElement[Any]) -> ColumnElement[Decimal]:
    """An amount expression read back as an exact Decimal on both databases."""
    return type_coerce(expr, MONEY)


def _zero() -> ColumnElement[Decimal]:
    return literal(ZERO, MONEY)


def _total(aggregate: ColumnElement[Any], **over: Any) -> ColumnElement[Decimal]:
    """The sum of a grouped aggregate over every group (or each partition of them): a
    window over the groups."""
    return _money(func.coalesce(func.sum(aggregate).over(**over), _zero()))


@dataclass(frozen=True)
class _Balances:
    """The tables of one report over the daily balances: balances and their accounts."""

    balance: TenantTable
    account: TenantTable

    @property
    def account_columns(self) -> tuple[ColumnElement[Any], ...]:
        a = self.account.c
        return (a.id.label("account_id"), a.code, a.name, a.type)

    def by_account(self) -> Select[Any]:
        """ledger_balance joined to its ledger account, each confined to the tenant."""
        balance, account = self.balance, self.account
        return balance.select().select_from(
            balance.table.join(account.table, account.on(account.c.id == balance.c.account_id))
        )

    def period(self, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
        day = self.balance.c.date
        return [
            *([day >= start] if start is not None else []),
            *([day <= end] if end is not None else []),
        ]

    def natural(self) -> ColumnElement[Any]:
        """A balance on its account's natural side: debit - credit for debit-natured
        types (assets, expenses), credit - debit for the others."""
        b = self.balance.c
        return case(
            (self.account.c.type.in_((ASSET, EXPENSE)), b.debit - b.credit),
            else_=b.credit - b.debit,
        )


def _balances(env: SqlEnv) -> _Balances:
    return _Balances(
        tenant_table(LedgerBalance, env.tenant_id), tenant_table(LedgerAccount, env.tenant_id)
    )


def _all(result: Any) -> list[Any]:
    return result.all()  # type: ignore[no-any-return]


# --- trial balance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: str
    code: str
    name: str
    type: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # debit less credit


@dataclass(frozen=True)
class TrialBalance:
    start: date | None
    end: date | None
    rows: list[TrialBalanceRow]
    total_debit: Decimal
    total_credit: Decimal
    balanced: bool


def trial_balance_rows(env: SqlEnv, start: date | None, end: date | None) -> Select[Any]:
    """Debit and credit totals of every account with movement in the period, by code:
    per-account sums, and their totals as windows over the groups."""
    t = _balances(env)
    debit = func.sum(t.balance.c.debit)
    credit = func.sum(t.balance.c.credit)
    total_debit, total_credit = _total(debit), _total(credit)
    return (
        t.by_account()
        .add_columns(
            *t.account_columns,
            _money(debit).label("debit"),
            _money(credit).label("credit"),
            _money(debit - credit).label("balance"),
            total_debit.label("total_debit"),
            total_credit.label("total_credit"),
            type_coerce(total_debit == total_credit, Boolean).label("balanced"),
        )
        .where(*t.period(start, end))
        .group_by(*t.account_columns)
        .order_by(t.account.c.code)
    )


async def trial_balance(
    *, session: AsyncSession, start: date | None = None, end: date | None = None
) -> TrialBalance:
    result = _all(await session.execute(trial_balance_rows(request_env(session), start, end)))
    rows = [TrialBalanceRow(*r[:7]) for r in result]
    if not result:
        return TrialBalance(start, end, rows, ZERO, ZERO, True)
    first = result[0]
    return TrialBalance(start, end, rows, first.total_debit, first.total_credit, first.balanced)


# --- profit and loss and balance sheet ---------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    account_id: str
    code: str
    name: str
    type: str
    amount: Decimal


def _by_type(
    t: _Balances, conditions: list[ColumnElement[bool]], **totals: tuple[str, ...]
) -> Select[Any]:
    """Per-account amounts on their natural side, grouped by account, with `totals`:
    each the sum of the amounts of the accounts of those types (a window over the
    groups)."""
    amount = func.sum(t.natural())
    type_ = t.account.c.type
    return (
        t.by_account()
        .add_columns(
            *t.account_columns,
            _money(amount).label("amount"),
            *[
                _total(case((type_.in_(types), amount), else_=_zero())).label(name)
                for name, types in totals.items()
            ],
        )
        .where(*conditions)
        .group_by(*t.account_columns)
    )


def _of_type(result: list[Any], type_: str) -> list[ReportRow]:
    return [ReportRow(*r[:5]) for r in result if r.type == type_]


@dataclass(frozen=True)
class ProfitAndLoss:
    start: date | None
    end: date | None
    income: list[ReportRow]
    expenses: list[ReportRow]
    total_income: Decimal
    total_expenses: Decimal
    net_profit: Decimal


def profit_and_loss_rows(env: SqlEnv, start: date | None, end: date | None) -> Select[Any]:
    """Income and expense accounts by code, leaving out the year-end closing voucher."""
    t = _balances(env)
    conditions = [
        t.account.c.type.in_((INCOME, EXPENSE)),
        *t.period(start, end),
        t.balance.c.closing.is_(False),
    ]
    grouped = _by_type(t, conditions, total_income=(INCOME,), total_expenses=(EXPENSE,)).subquery()
    g = grouped.c
    net = _money(g.total_income - g.total_expenses).label("net_profit")
    return select(grouped, net).order_by(g.code)


async def profit_and_loss(
    *, session: AsyncSession, start: date | None = None, end: date | None = None
) -> ProfitAndLoss:
    result = _all(await session.execute(profit_and_loss_rows(request_env(session), start, end)))
    first = result[0] if result else None
    return ProfitAndLoss(
        start,
        end,
        _of_type(result, INCOME),
        _of_type(result, EXPENSE),
        first.total_income if first else ZERO,
        first.total_expenses if first else ZERO,
        first.net_profit if first else ZERO,
    )


@dataclass(frozen=True)
class BalanceSheet:
    as_of: date
    assets: list[ReportRow]
    liabilities: list[ReportRow]
    equity: list[ReportRow]
    total_assets: Decimal
    total_liabilities: Decimal
    # Income less expenses of every posted voucher up to the date not yet closed to equity.
    current_earnings: Decimal
    total_equity: Decimal  # the equity accounts plus the current earnings
    total_liabilities_and_equity: Decimal


def balance_sheet_rows(env: SqlEnv, as_of: date) -> Select[Any]:
    """Assets, liabilities and equity as of a date (every posted voucher up to it), with
    the earnings not yet closed to equity: every account's amount, the totals and the
    earnings as windows over the accounts, and then only the balance-sheet accounts
    with a nonzero amount, by code. (Every voucher balances, so nonzero earnings
    always leave some such account nonzero, on the earnings' row.)"""
    t = _balances(env)
    grouped = _by_type(
        t,
        t.period(None, as_of),
        total_assets=(ASSET,),
        total_liabilities=(LIABILITY,),
        equity_accounts=(EQUITY,),
        # income and expenses on their natural sides: income less expenses
        income=(INCOME,),
        expenses=(EXPENSE,),
    ).subquery()
    g = grouped.c
    earnings = g.income - g.expenses
    total_equity = g.equity_accounts + earnings
    return (
        select(
            g.account_id,
            g.code,
            g.name,
            g.type,
            g.amount,
            g.total_assets,
            g.total_liabilities,
            _money(earnings).label("current_earnings"),
            _money(total_equity).label("total_equity"),
            _money(g.total_liabilities + total_equity).label("total_liabilities_and_equity"),
        )
        .where(g.type.in_((ASSET, LIABILITY, EQUITY)), g.amount != 0)
        .order_by(g.code)
    )


async def balance_sheet(*, session: AsyncSession, as_of: date) -> BalanceSheet:
    result = _all(await session.execute(balance_sheet_rows(request_env(session), as_of)))
    first = result[0] if result else None
    names = ("total_assets", "total_liabilities", "current_earnings", "total_equity")
    totals = [
        getattr(first, n) if first else ZERO for n in (*names, "total_liabilities_and_equity")
    ]
    return BalanceSheet(
        as_of,
        _of_type(result, ASSET),
        _of_type(result, LIABILITY),
        _of_type(result, EQUITY),
        *totals,  # type: ignore[arg-type]
    )


# --- ageing ------------------------------------------------------------------------------------

BUCKETS = ("current", "days_1_to_30", "days_31_to_60", "days_61_to_90", "over_90")
AMOUNTS = (*BUCKETS, "total")


@dataclass(frozen=True)
class AgeingAmounts:
    current: Decimal
    days_1_to_30: Decimal
    days_31_to_60: Decimal
    days_61_to_90: Decimal
    over_90: Decimal
    total: Decimal


@dataclass(frozen=True)
class AgeingRow:
    contact_id: str
    name: str
    amounts: AgeingAmounts


@dataclass(frozen=True)
class Ageing:
    as_of: date
    rows: list[AgeingRow]
    totals: AgeingAmounts


def _to_base(env: SqlEnv, amount: ColumnElement[Any], rate: Any) -> ColumnElement[Decimal]:
    """`amount / rate` rounded half-up to the cent, as posting.to_base does. SQLite keeps
    decimals as integer units (cents, and rates x 10^8), so there it is integer arithmetic."""
    if not env.pg:
        units, rate_units = type_coerce(amount, BigInteger), type_coerce(rate, BigInteger)
        one = literal(10**8, BigInteger)
        rounded = (units * one * 2 + rate_units) // (rate_units * 2)  # integer division
        return _money(case((rate_units == one, units), else_=rounded))
    return _money(func.round(type_coerce(amount, Numeric) / type_coerce(rate, Numeric), 2))


def _bucket_conditions(due: Any, as_of: date) -> list[ColumnElement[bool]]:
    """current: not yet due (due on or after the date); then 1-30, 31-60, 61-90 and over
    90 days past due. Compared as dates, so both databases agree to the day."""
    edge = [as_of - timedelta(days=d) for d in (30, 60, 90)]
    return [
        due >= as_of,
        (due < as_of) & (due >= edge[0]),
        (due < edge[0]) & (due >= edge[1]),
        (due < edge[1]) & (due >= edge[2]),
        due < edge[2],
    ]


TOTAL = "total_"  # the prefix of the totals' columns


def ageing_rows(env: SqlEnv, kind: DocumentKind, as_of: date) -> Select[Any]:
    """What contacts owe on open invoices (or what is owed on open bills), per contact
    by name, bucketed by days past due on `as_of` (a document without a due date is
    due on its issue date), with the totals as windows over the contacts."""
    document, contact = tenant_table(Document, env.tenant_id), tenant_table(Contact, env.tenant_id)
    d, c = document.c, contact.c
    owed = AMOUNT_DUE.sql(document.table, env)
    base = _to_base(env, owed, d.currency_rate)
    due = func.coalesce(d.due_date, d.issue_date)
    sums = [func.sum(case((cond, base), else_=_zero())) for cond in _bucket_conditions(due, as_of)]
    sums.append(func.sum(base))
    return (
        document.select(
            c.id.label("contact_id"),
            c.name,
            *[_money(s).label(name) for s, name in zip(sums, AMOUNTS, strict=True)],
            *[_total(s).label(TOTAL + name) for s, name in zip(sums, AMOUNTS, strict=True)],
        )
        .select_from(document.table.join(contact.table, contact.on(c.id == d.contact_id)))
        .where(
            d.kind == kind.value,
            d.status.in_(OPEN_STATUSES),
            d.issue_date <= as_of,
            owed > 0,
        )
        .group_by(c.id, c.name)
        .order_by(c.name, c.id)
    )


async def ageing(*, session: AsyncSession, kind: DocumentKind, as_of: date) -> Ageing:
    result = _all(await session.execute(ageing_rows(request_env(session), kind, as_of)))
    width = len(AMOUNTS)
    rows = [AgeingRow(r[0], r[1], AgeingAmounts(*r[2 : 2 + width])) for r in result]
    totals = AgeingAmounts(*(result[0][2 + width :] if result else [ZERO] * width))
    return Ageing(as_of, rows, totals)


# --- contact statement -----------------------------------------------------------------------


@dataclass(frozen=True)
class StatementEntry:
    voucher_id: str
    date: date
    number: int
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class ContactStatement:
    contact_id: str
    start: date | None
    end: date | None
    opening_balance: Decimal
    entries: list[StatementEntry]
    closing_balance: Decimal


CONTACT_ACCOUNTS = ("receivables", "payables")


def contact_statement_rows(
    env: SqlEnv, contact_id: str, start: date | None, end: date | None
) -> Select[Any]:
    """The contact's account with the company, from the ledger: every posted line on
    receivables or payables for the contact (invoices, credit notes, bills, payments and
    their reversals), in date order, with the running balance (what the contact owes,
    less what is owed to them) as a window SUM over the balance brought forward. The
    contact, outer-joined to its entries: no contact, no row; no entries, one row
    without a voucher. `contact_id`: a global or object id."""
    pk = decode_id(contact_id, "Contact") or ""  # not an id: no contact has it
    tenant = env.tenant_id
    line, voucher, account, contact = (
        tenant_table(m, tenant) for m in (VoucherLine, Voucher, LedgerAccount, Contact)
    )
    ln, v = line.c, voucher.c
    movement = ln.debit - ln.credit
    lines = line.select().select_from(
        line.table.join(voucher.table, voucher.on(v.id == ln.voucher_id)).join(
            account.table, account.on(account.c.id == ln.account_id)
        )
    )
    mine = [ln.contact_id == pk, account.c.system_key.in_(CONTACT_ACCOUNTS), posted(v)]
    opening: ColumnElement[Decimal] = _zero()
    if start is not None:
        brought = lines.add_columns(func.coalesce(func.sum(movement), _zero()))
        opening = _money(brought.where(*mine, v.date < start).scalar_subquery())
    order = [v.date, v.number, v.id, ln.position, ln.id]
    entries = (
        lines.add_columns(
            v.id.label("voucher_id"),
            v.date.label("date"),
            v.number.label("number"),
            func.coalesce(ln.description, v.description).label("description"),
            ln.debit.label("debit"),
            ln.credit.label("credit"),
            _money(opening + func.sum(movement).over(order_by=order)).label("balance"),
            _money(opening + func.sum(movement).over()).label("closing"),
            func.row_number().over(order_by=order).label("position"),
        )
        .where(*mine, *([v.date >= start] if start else []), *([v.date <= end] if end else []))
        .subquery()
    )
    e = entries.c
    opening_balance = opening.label("opening_balance")
    return (
        contact.select(
            contact.c.id.label("contact_id"),
            opening_balance,
            e.voucher_id,
            e.date,
            e.number,
            e.description,
            e.debit,
            e.credit,
            e.balance,
            _money(func.coalesce(e.closing, opening)).label("closing_balance"),
            e.position,
        )
        .outerjoin(entries, true())
        .where(contact.c.id == pk)
        .order_by(e.position)
    )


def has_entry(rows: Any) -> ColumnElement[bool]:
    """A row of `contact_statement_rows` that is an entry (not the contact alone)."""
    return rows.voucher_id.is_not(None)  # type: ignore[no-any-return]


async def contact_statement(
    *, session: AsyncSession, contact_id: str, start: date | None = None, end: date | None = None
) -> ContactStatement:
    stmt = contact_statement_rows(request_env(session), contact_id, start, end)
    result = _all(await session.execute(stmt))
    if not result:
        raise _contact_not_found()
    first = result[0]
    found = [StatementEntry(*row[2:9]) for row in result if row.voucher_id is not None]
    return ContactStatement(
        first.contact_id, start, end, first.opening_balance, found, first.closing_balance
    )


def _contact_not_found() -> UserInputError:
    return UserInputError([FieldError(("contactId",), "Contact not found", ErrorCode.NOT_FOUND)])
