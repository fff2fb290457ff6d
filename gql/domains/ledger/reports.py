"""Financial reports, each computed by SQL aggregation over the ledger (or, for ageing,
over open documents): GROUP BY, SUM, CASE and window SUMs do the arithmetic in the
database, so no report loads the lines it sums. One or two statements per report, in
Core over `tenant_table`s (gql/tenancy.py) scoped to the session's tenant.

Every amount is in the company's base currency. Balances and reports count posted
vouchers: every kind but DRAFT. Profit and loss also leaves out the year-end closing
voucher (CLOSING_TEMPORARY_ACCOUNTS), which moves the year's result to equity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Numeric, Select, case, func, literal, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from gql.compiler.sqlenv import request_env
from gql.core.inputs import require_row
from gql.db.columns import ExactDecimal
from gql.domains.contacts.models import Contact
from gql.domains.documents.computed import AMOUNT_DUE
from gql.domains.documents.models import Document, DocumentKind
from gql.domains.documents.settlement import OPEN_STATUSES
from gql.domains.ledger.loaders import posted
from gql.domains.ledger.models import (
    LedgerAccount,
    LedgerAccountType,
    Voucher,
    VoucherKind,
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


def _total(aggregate: ColumnElement[Any]) -> ColumnElement[Decimal]:
    """The sum of a grouped aggregate over every group: a window over the groups."""
    return _money(func.coalesce(func.sum(aggregate).over(), _zero()))


@dataclass(frozen=True)
class _Ledger:
    """The tables of one report statement: voucher lines, their vouchers and accounts."""

    line: TenantTable
    voucher: TenantTable
    account: TenantTable

    @property
    def account_columns(self) -> tuple[ColumnElement[Any], ...]:
        a = self.account.c
        return (a.id, a.code, a.name, a.type)

    def lines_by_account(self) -> Select[Any]:
        """voucher_line joined to its voucher and its ledger account, each confined to
        the tenant."""
        line, voucher, account = self.line, self.voucher, self.account
        return line.select().select_from(
            line.table.join(voucher.table, voucher.on(voucher.c.id == line.c.voucher_id)).join(
                account.table, account.on(account.c.id == line.c.account_id)
            )
        )

    def period(self, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
        v = self.voucher.c
        out: list[ColumnElement[bool]] = [posted(v)]
        if start is not None:
            out.append(v.date >= start)
        if end is not None:
            out.append(v.date <= end)
        return out


def _ledger(session: AsyncSession) -> _Ledger:
    tenant = request_env(session).tenant_id
    return _Ledger(*(tenant_table(m, tenant) for m in (VoucherLine, Voucher, LedgerAccount)))


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
    t = _ledger(session)
    debit = func.sum(t.line.c.debit)
    credit = func.sum(t.line.c.credit)
    stmt = (
        t.lines_by_account()
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


def _natural(t: _Ledger, debit_types: tuple[str, ...]) -> ColumnElement[Any]:
    """A line's amount on its account's natural side: debit - credit for debit-natured
    types (assets, expenses), credit - debit for the others."""
    line = t.line.c
    return case(
        (t.account.c.type.in_(debit_types), line.debit - line.credit),
        else_=line.credit - line.debit,
    )


async def _rows_by_type(
    session: AsyncSession,
    t: _Ledger,
    types: tuple[str, ...],
    conditions: list[ColumnElement[bool]],
    *,
    nonzero: bool,
) -> tuple[dict[str, list[ReportRow]], dict[str, Decimal]]:
    """Per-account amounts of the given types, and each type's total (a window over the
    groups of that type), in one statement."""
    account_type = t.account.c.type
    amount = func.sum(_natural(t, (ASSET, EXPENSE)))
    by_type = _money(func.coalesce(func.sum(amount).over(partition_by=account_type), _zero()))
    stmt = (
        t.lines_by_account()
        .add_columns(*t.account_columns, _money(amount), by_type)
        .where(account_type.in_(types), *conditions)
        .group_by(*t.account_columns)
        .order_by(t.account.c.code)
    )
    if nonzero:
        stmt = stmt.having(amount != 0)
    rows: dict[str, list[ReportRow]] = {t: [] for t in types}
    totals: dict[str, Decimal] = dict.fromkeys(types, ZERO)
    for account_id, code, name, type_, value, total in (await session.execute(stmt)).all():
        rows[type_].append(ReportRow(account_id, code, name, type_, value))
        totals[type_] = total
    return rows, totals


async def profit_and_loss(
    *, session: AsyncSession, start: date | None = None, end: date | None = None
) -> ProfitAndLoss:
    t = _ledger(session)
    conditions = [
        *t.period(start, end),
        t.voucher.c.kind != VoucherKind.CLOSING_TEMPORARY_ACCOUNTS.value,
    ]
    rows, totals = await _rows_by_type(session, t, (INCOME, EXPENSE), conditions, nonzero=False)
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
    the earnings not yet closed to equity: two statements."""
    t = _ledger(session)
    conditions = t.period(None, as_of)
    rows, totals = await _rows_by_type(
        session, t, (ASSET, LIABILITY, EQUITY), conditions, nonzero=True
    )
    line = t.line.c
    earnings = (
        t.lines_by_account()
        .add_columns(_money(func.coalesce(func.sum(line.credit - line.debit), _zero())))
        .where(t.account.c.type.in_((INCOME, EXPENSE)), *conditions)
    )
    current = (await session.execute(earnings)).scalar_one()
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
    less what is owed to them) as a window SUM. Two statements: the balance brought
    forward, and the entries."""
    contact = await require_row(session, Contact, contact_id, path=("contactId",), what="Contact")
    t = _ledger(session)
    line, voucher = t.line.c, t.voucher.c
    movement = line.debit - line.credit
    mine = [line.contact_id == contact.id, t.account.c.system_key.in_(CONTACT_ACCOUNTS)]
    opening = ZERO
    if start is not None:
        brought = (
            t.lines_by_account()
            .add_columns(_money(func.coalesce(func.sum(movement), _zero())))
            .where(*mine, posted(voucher), voucher.date < start)
        )
        opening = (await session.execute(brought)).scalar_one()
    order = [voucher.date, voucher.number, voucher.id, line.position, line.id]
    running = _money(literal(opening, MONEY) + func.sum(movement).over(order_by=order))
    stmt = (
        t.lines_by_account()
        .add_columns(
            voucher.id,
            voucher.date,
            voucher.number,
            func.coalesce(line.description, voucher.description),
            line.debit,
            line.credit,
            running,
        )
        .where(*mine, *t.period(start, end))
        .order_by(*order)
    )
    entries = [StatementEntry(*row) for row in (await session.execute(stmt)).all()]
    return ContactStatement(contact, start, end, opening, entries)
