"""Financial reports, each one SQL statement whose rows Python only shapes: GROUP BY,
SUM, CASE and window SUMs do the arithmetic in the database, in Core over
`tenant_table`s (gql/tenancy.py) scoped to the session's tenant.

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

from gql.compiler.sqlenv import request_env
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
        return (a.id, a.code, a.name, a.type)

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


def _balances(session: AsyncSession) -> _Balances:
    tenant = request_env(session).tenant_id
    return _Balances(tenant_table(LedgerBalance, tenant), tenant_table(LedgerAccount, tenant))


# --- trial balance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: str
    code: str
    name: str
    type: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    start: date | None
    end: date | None
    rows: list[TrialBalanceRow]
    total_debit: Decimal
    total_credit: Decimal


async def trial_balance(
    *, session: AsyncSession, start: date | None = None, end: date | None = None
) -> TrialBalance:
    """Debit and credit totals of every account with movement in the period (one
    statement: per-account sums, and their totals as a window over the groups)."""
    t = _balances(session)
    debit = func.sum(t.balance.c.debit)
    credit = func.sum(t.balance.c.credit)
    stmt = (
        t.by_account()
        .add_columns(
            *t.account_columns, _money(debit), _money(credit), _total(debit), _total(credit)
        )
        .where(*t.period(start, end))
        .group_by(*t.account_columns)
        .order_by(t.account.c.code)
    )
    result = (await session.execute(stmt)).all()
    rows = [TrialBalanceRow(r[0], r[1], r[2], r[3], r[4], r[5]) for r in result]
    total_debit, total_credit = (result[0][6], result[0][7]) if result else (ZERO, ZERO)
    return TrialBalance(start, end, rows, total_debit, total_credit)


# --- profit and loss and balance sheet ---------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    account_id: str
    code: str
    name: str
    type: str
    amount: Decimal


@dataclass(frozen=True)
class ProfitAndLoss:
    start: date | None
    end: date | None
    income: list[ReportRow]
    expenses: list[ReportRow]
    total_income: Decimal
    total_expenses: Decimal

    @property
    def net_profit(self) -> Decimal:
        return self.total_income - self.total_expenses


def _by_type(
    t: _Balances, conditions: list[ColumnElement[bool]], *extra: ColumnElement[Any]
) -> Select[Any]:
    """Per-account amounts on their natural side, each type's total (a window over the
    groups of that type), and `extra` columns, grouped by account."""
    amount = func.sum(t.natural())
    return (
        t.by_account()
        .add_columns(
            *t.account_columns,
            _money(amount).label("amount"),
            _total(amount, partition_by=t.account.c.type).label("type_total"),
        )
        .add_columns(*extra)
        .where(*conditions)
        .group_by(*t.account_columns)
    )


def _shape(
    result: Any, types: tuple[str, ...]
) -> tuple[dict[str, list[ReportRow]], dict[str, Decimal]]:
    """Rows of (account_id, code, name, type, amount, type total, ...) by type."""
    rows: dict[str, list[ReportRow]] = {t: [] for t in types}
    totals: dict[str, Decimal] = dict.fromkeys(types, ZERO)
    for account_id, code, name, type_, value, total, *_ in result:
        rows[type_].append(ReportRow(account_id, code, name, type_, value))
        totals[type_] = total
    return rows, totals


async def profit_and_loss(
    *, session: AsyncSession, start: date | None = None, end: date | None = None
) -> ProfitAndLoss:
    t = _balances(session)
    conditions = [
        t.account.c.type.in_((INCOME, EXPENSE)),
        *t.period(start, end),
        t.balance.c.closing.is_(False),
    ]
    stmt = _by_type(t, conditions).order_by(t.account.c.code)
    rows, totals = _shape((await session.execute(stmt)).all(), (INCOME, EXPENSE))
    return ProfitAndLoss(start, end, rows[INCOME], rows[EXPENSE], totals[INCOME], totals[EXPENSE])


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

    @property
    def total_equity(self) -> Decimal:
        return sum((r.amount for r in self.equity), ZERO) + self.current_earnings

    @property
    def total_liabilities_and_equity(self) -> Decimal:
        return self.total_liabilities + self.total_equity


async def balance_sheet(*, session: AsyncSession, as_of: date) -> BalanceSheet:
    """Assets, liabilities and equity as of a date (every posted voucher up to it), with
    the earnings not yet closed to equity, in one statement: every account's amount,
    the earnings as a window over the income and expense accounts, and then only the
    balance-sheet accounts with a nonzero amount. (Every voucher balances, so nonzero
    earnings always leave some such account nonzero, on the earnings' row.)"""
    t = _balances(session)
    b = t.balance.c
    temporary = t.account.c.type.in_((INCOME, EXPENSE))
    earnings = _total(func.sum(case((temporary, b.credit - b.debit), else_=_zero())))
    grouped = _by_type(t, t.period(None, as_of), earnings.label("earnings")).subquery()
    g = grouped.c
    sheet = g.type.in_((ASSET, LIABILITY, EQUITY))
    stmt = select(grouped).where(sheet, g.amount != 0).order_by(g.code)
    result = (await session.execute(stmt)).all()
    rows, totals = _shape(result, (ASSET, LIABILITY, EQUITY))
    current = result[0][-1] if result else ZERO
    return BalanceSheet(
        as_of, rows[ASSET], rows[LIABILITY], rows[EQUITY], totals[ASSET], totals[LIABILITY], current
    )


# --- ageing ------------------------------------------------------------------------------------

BUCKETS = ("current", "days_1_to_30", "days_31_to_60", "days_61_to_90", "over_90")


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


def _to_base(
    session: AsyncSession, amount: ColumnElement[Any], rate: Any
) -> ColumnElement[Decimal]:
    """`amount / rate` rounded half-up to the cent, as posting.to_base does. SQLite keeps
    decimals as integer units (cents, and rates x 10^8), so there it is integer arithmetic."""
    if session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
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


async def ageing(*, session: AsyncSession, kind: DocumentKind, as_of: date) -> Ageing:
    """What contacts owe on open invoices (or what is owed on open bills), per contact,
    bucketed by days past due on `as_of` (a document without a due date is due on its
    issue date): one statement, with the totals as windows over the contacts."""
    env = request_env(session)
    document, contact = tenant_table(Document, env.tenant_id), tenant_table(Contact, env.tenant_id)
    d, c = document.c, contact.c
    owed = AMOUNT_DUE.sql(document.table, env)
    base = _to_base(session, owed, d.currency_rate)
    due = func.coalesce(d.due_date, d.issue_date)
    sums = [func.sum(case((cond, base), else_=_zero())) for cond in _bucket_conditions(due, as_of)]
    sums.append(func.sum(base))
    stmt = (
        document.select(c.id, c.name, *[_money(s) for s in sums], *[_total(s) for s in sums])
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
    result = (await session.execute(stmt)).all()
    width = len(sums)
    rows = [AgeingRow(r[0], r[1], AgeingAmounts(*r[2 : 2 + width])) for r in result]  # type: ignore[arg-type]
    totals = AgeingAmounts(*(result[0][2 + width :] if result else [ZERO] * width))  # type: ignore[arg-type]
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
    contact: Contact
    start: date | None
    end: date | None
    opening_balance: Decimal
    entries: list[StatementEntry]

    @property
    def closing_balance(self) -> Decimal:
        return self.entries[-1].balance if self.entries else self.opening_balance


CONTACT_ACCOUNTS = ("receivables", "payables")


async def contact_statement(
    *, session: AsyncSession, contact_id: str, start: date | None = None, end: date | None = None
) -> ContactStatement:
    """The contact's account with the company, from the ledger: every posted line on
    receivables or payables for the contact (invoices, credit notes, bills, payments and
    their reversals), in date order, with the running balance (what the contact owes,
    less what is owed to them) as a window SUM over the balance brought forward. One
    statement: the contact, outer-joined to its entries (no contact: no row)."""
    pk = decode_id(contact_id, "Contact")
    if pk is None:
        raise _contact_not_found()
    tenant = request_env(session).tenant_id
    line, voucher, account = (
        tenant_table(m, tenant) for m in (VoucherLine, Voucher, LedgerAccount)
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
            func.row_number().over(order_by=order).label("position"),
        )
        .where(*mine, *([v.date >= start] if start else []), *([v.date <= end] if end else []))
        .subquery()
    )
    e = entries.c
    columns = [e.voucher_id, e.date, e.number, e.description, e.debit, e.credit, e.balance]
    stmt = (
        select(Contact, opening.label("opening"), *columns)
        .outerjoin(entries, true())
        .where(Contact.id == pk)  # type: ignore[arg-type]
        .order_by(e.position)
    )
    result = (await session.execute(stmt)).all()
    if not result:
        raise _contact_not_found()
    contact, brought_forward = result[0][0], result[0][1]
    found = [StatementEntry(*row[2:]) for row in result if row[2] is not None]
    return ContactStatement(contact, start, end, brought_forward, found)


def _contact_not_found() -> UserInputError:
    return UserInputError([FieldError(("contactId",), "Contact not found", ErrorCode.NOT_FOUND)])
