"""The ledger's rules: the chart, financial years, and vouchers that always balance.

Every voucher is written here, manual or automatic, in the caller's transaction:
refused unless it has lines, each line has exactly one positive side, debits equal
credits, and every account is a leaf account of the tenant. Posted vouchers are
never edited; `reverse_voucher` writes the correcting entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import Field, model_validator
from sqlalchemy import ColumnElement, Date, bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import decode_id
from gql.core.inputs import InputModel, require_row, validate
from gql.core.search import contains, contains_any, equals, starts_with, storable
from gql.db.construct import new_row
from gql.db.tenant import get_tenant
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact
from gql.domains.events.outbox import emit
from gql.domains.ledger import balances
from gql.domains.ledger.chart import LEVELS, STANDARD_CHART, ChartEntry
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    LedgerAccountType,
    LedgerLevel,
    SourceType,
    Voucher,
    VoucherKind,
    VoucherLine,
    VoucherType,
)
from gql.tenancy import tenant_table

ZERO = Decimal("0.00")  # at the money columns' scale, as every amount posted is


# --- the chart -------------------------------------------------------------------------


def chart_rows() -> list[LedgerAccount]:
    """The standard chart as rows, parents before children (for a new company)."""
    rows: list[LedgerAccount] = []

    def add(
        entry: ChartEntry, type_: str, nature: str, depth: int, parent: LedgerAccount | None
    ) -> None:
        row = LedgerAccount(
            code=entry.code,
            name=entry.name,
            slug=entry.slug,
            type=type_,
            level=LEVELS[depth],
            nature=nature,
            parent_id=parent.id if parent else None,
            locked=entry.system is not None or depth < 3,
            system_key=entry.system,
        )
        rows.append(row)
        for child in entry.children:
            add(child, type_, nature, depth + 1, row)

    for type_, nature, tree in STANDARD_CHART:
        add(tree, type_, nature, 0, None)
    return rows


def default_year_for(today: date) -> FinancialYear:
    return FinancialYear(
        name=str(today.year),
        start_date=date(today.year, 1, 1),
        end_date=date(today.year, 12, 31),
        is_default=True,
    )


async def system_account(session: AsyncSession, key: str) -> LedgerAccount:
    return (await system_accounts(session, [key]))[key]


@cache
def _system_accounts() -> Any:
    """The accounts with the system keys `:keys` (a list), built once."""
    keys: Any = bindparam("keys", expanding=True)
    return select(LedgerAccount).where(col(LedgerAccount.system_key).in_(keys))


async def system_accounts(session: AsyncSession, keys: Iterable[str]) -> dict[str, LedgerAccount]:
    """The accounts automatic postings use, by key, in one statement."""
    wanted = set(keys)
    found = {
        account.system_key: account
        for account in (await session.scalars(_system_accounts(), {"keys": sorted(wanted)})).all()
    }
    missing = wanted - found.keys()
    if missing:  # the standard chart always has them; a broken chart is a bug
        raise RuntimeError(f"the chart of accounts has no {sorted(missing)!r} account")
    return found  # type: ignore[return-value]


class LedgerAccountCreate(InputModel):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z.-]+$")
    name: str = Field(min_length=1, max_length=200)
    type: LedgerAccountType
    parent_id: str | None = None


async def create_account(*, session: AsyncSession, data: dict[str, Any]) -> LedgerAccount:
    """A new leaf account. Under `parentId` (a detailed account of the same type), or
    under the first detailed account of its type."""
    payload = validate(LedgerAccountCreate, data)
    if await session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == payload.code)):
        raise UserInputError.single("code", "is already used by another account", ErrorCode.TAKEN)
    if payload.parent_id is not None:
        pk = decode_id(payload.parent_id, "LedgerAccount")
        parent = (
            await session.scalar(select(LedgerAccount).where(LedgerAccount.id == pk))
            if pk
            else None
        )
        if parent is None:
            raise UserInputError.single("parentId", "Ledger account not found", ErrorCode.NOT_FOUND)
        if parent.level != LedgerLevel.DETAILED.value or parent.type != payload.type:
            raise UserInputError.single("parentId", f"must be a detailed {payload.type} account")
    else:
        parent = await session.scalar(
            select(LedgerAccount)
            .where(
                LedgerAccount.type == payload.type,
                LedgerAccount.level == LedgerLevel.DETAILED.value,
            )
            .order_by(LedgerAccount.code)
            .limit(1)
        )
        assert parent is not None
    account = LedgerAccount(
        code=payload.code,
        name=payload.name,
        slug=_slug(payload.name),
        type=payload.type,
        level=LedgerLevel.ACCOUNT.value,
        nature=parent.nature,
        parent_id=parent.id,
    )
    session.add(account)
    await session.flush()
    return account


def _slug(name: str) -> str:
    return (
        "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())[:100]
        or "account"
    )


# --- financial years ---------------------------------------------------------------------


async def year_for(session: AsyncSession, on: date) -> FinancialYear:
    """The financial year containing `on`; a calendar year is opened when none does."""
    year = await session.scalar(
        select(FinancialYear).where(col(FinancialYear.id) == _year_containing(on))
    )
    if year is None:
        year = FinancialYear(
            name=str(on.year), start_date=date(on.year, 1, 1), end_date=date(on.year, 12, 31)
        )
        session.add(year)
        await session.flush()
    return year


async def _take_voucher_number(session: AsyncSession, on: date) -> tuple[str, int, str]:
    """The next number of the financial year containing `on` (one is opened when none
    does), taken atomically (UPDATE ... RETURNING) so concurrent postings never share
    one: (the year's id, the number, the company's base currency) in one statement."""
    company = get_tenant(session)
    if company is None:  # a session without a company cannot post
        raise RuntimeError("no company on this session")
    params = {"on": on, "company": company}
    row = (await session.execute(_take_number(), params)).first()
    if row is None:
        await year_for(session, on)
        row = (await session.execute(_take_number(), params)).one()
    return row[0], int(row[1]), row[2]


@cache
def _take_number() -> Any:
    """_take_voucher_number's UPDATE, built once: the year containing `:on`, and the
    base currency of the company `:company`."""
    fy = FinancialYear
    on = bindparam("on", type_=Date)
    base_currency = (
        select(col(Company.base_currency))
        .where(col(Company.id) == bindparam("company"))
        .scalar_subquery()
    )
    return (
        update(fy)
        .where(col(fy.id) == _year_containing(on))
        .values(next_voucher_number=fy.next_voucher_number + 1)
        .returning(col(fy.id), col(fy.next_voucher_number) - 1, base_currency)
        # A counter, not an edit of the year: no version bump (gql/core/versions.py).
        # A loaded year keeps its stale counter (nothing reads it): no Python evaluation
        # of the WHERE against the session's objects.
        .execution_options(synchronize_session=False)
    )


def _year_containing(on: Any) -> Any:
    """THE financial year a date (or a date parameter) belongs to (SQL): the earliest
    one containing it."""
    fy = FinancialYear
    return (
        select(col(fy.id))
        .where(col(fy.start_date) <= on, col(fy.end_date) >= on)
        .order_by(col(fy.start_date))
        .limit(1)
        .scalar_subquery()
    )


# --- vouchers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingLine:
    account_id: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str | None = None
    contact_id: str | None = None
    account_slug2: str | None = None
    account_slug3: str | None = None
    account_slug4: str | None = None


def signed_lines(
    entries: Iterable[tuple[str, Decimal]],
    *,
    description: str | None = None,
    contact_id: str | None = None,
) -> list[PostingLine]:
    """Lines from (account, amount) pairs: positive debits, negative credits; zero
    amounts are left out and one account's amounts are added together."""
    totals: dict[str, Decimal] = {}
    for account_id, amount in entries:
        totals[account_id] = totals.get(account_id, ZERO) + amount
    return [
        PostingLine(
            account_id=account_id,
            debit=amount if amount > 0 else ZERO,
            credit=-amount if amount < 0 else ZERO,
            description=description,
            contact_id=contact_id,
        )
        for account_id, amount in totals.items()
        if amount != 0
    ]


async def post_voucher(
    session: AsyncSession,
    *,
    on: date,
    description: str,
    lines: Sequence[PostingLine],
    type: VoucherType = VoucherType.AUTO,
    kind: VoucherKind = VoucherKind.REGULAR,
    source_type: SourceType | None = None,
    source_id: str | None = None,
    reverses_id: str | None = None,
    accounts: Iterable[LedgerAccount] = (),
    created_by_id: str | None = None,
) -> Voucher:
    """Write a balanced voucher, or refuse it with errors naming the lines. `accounts`:
    the lines' accounts when the caller has them already (else they are read);
    `created_by_id` the user writing it, if a user does."""
    await _check_balanced(session, lines, {a.id: a for a in accounts})
    year_id, number, currency_code = await _take_voucher_number(session, on)
    voucher = new_row(
        Voucher,
        currency_code=currency_code,
        financial_year_id=year_id,
        number=number,
        date=on,
        description=description,
        type=type.value,
        kind=kind.value,
        source_type=source_type.value if source_type else None,
        source_id=source_id,
        reverses_id=reverses_id,
        total=sum((line.debit for line in lines), ZERO),
        created_by_id=created_by_id,
    )
    session.add(voucher)
    # One flush: the voucher's INSERT, then its lines' (the unit of work orders them).
    session.add_all(
        new_row(
            VoucherLine,
            voucher_id=voucher.id,
            position=position,
            account_id=line.account_id,
            debit=line.debit,
            credit=line.credit,
            description=line.description,
            contact_id=line.contact_id,
            account_slug2=line.account_slug2,
            account_slug3=line.account_slug3,
            account_slug4=line.account_slug4,
        )
        for position, line in enumerate(lines)
    )
    await session.flush()
    await balances.record_posting(session, voucher, lines)
    payload = {"number": voucher.number, "total": voucher.total, "sourceType": voucher.source_type}
    await emit(session, type="voucher.posted", row=voucher, payload=payload)
    return voucher


async def _check_balanced(
    session: AsyncSession, lines: Sequence[PostingLine], known: dict[str, LedgerAccount]
) -> None:
    if not lines:
        raise UserInputError.single(
            "lines", "A voucher needs at least one line", ErrorCode.REQUIRED
        )
    errors: list[FieldError] = []
    for position, line in enumerate(lines):
        path: tuple[str, ...] = ("lines", str(position))
        if line.debit < 0 or line.credit < 0:
            errors.append(FieldError(path, "amounts cannot be negative"))
        elif (line.debit > 0) == (line.credit > 0):
            errors.append(
                FieldError(path, "a line has either a debit or a credit, not both or neither")
            )
    ids = {line.account_id for line in lines}
    accounts = dict(known)
    if not ids <= accounts.keys():
        read = await session.scalars(select(LedgerAccount).where(LedgerAccount.id.in_(ids)))
        accounts.update((a.id, a) for a in read.all())
    for position, line in enumerate(lines):
        account = accounts.get(line.account_id)
        path = ("lines", str(position), "accountId")
        if account is None:
            errors.append(FieldError(path, "Ledger account not found", ErrorCode.NOT_FOUND))
        elif account.level != LedgerLevel.ACCOUNT.value:
            errors.append(
                FieldError(
                    path,
                    f"{account.code} is a {account.level} heading; post to an account under it",
                )
            )
        elif not account.enabled:
            errors.append(FieldError(path, f"{account.code} is disabled"))
    if errors:
        raise UserInputError(errors)
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    if debits != credits:
        raise UserInputError.single(
            "lines", f"debits ({debits}) and credits ({credits}) must be equal"
        )
    if debits <= 0:
        raise UserInputError.single("lines", "a voucher must move a positive amount")


def _check_not_a_reversal(voucher: Voucher) -> None:
    if voucher.reverses_id is not None:
        raise UserInputError.single(
            "id",
            "This voucher is itself a reversal; post a new voucher instead",
            ErrorCode.INVALID_STATE,
        )


async def reverse_voucher(
    session: AsyncSession,
    *,
    voucher: Voucher,
    on: date | None = None,
    description: str | None = None,
) -> Voucher:
    """The correcting entry for a posted voucher: the same lines, sides swapped. A
    voucher is reversed at most once, and a reversal is never reversed itself."""
    _check_not_a_reversal(voucher)
    # The claim: a write that changes nothing takes the voucher's row lock (SQLite: the
    # write lock), so two reversals at once are serialised and the second one's check
    # below, a statement of its own, sees the first one's reversal. The check cannot be
    # a guard of the claim: a waiting UPDATE re-checks only the row's own columns.
    await claim(
        session,
        voucher,
        col(Voucher.reverses_id).is_(None),
        what="Voucher",
        values={"updated_at": Voucher.updated_at},
        refuse=_check_not_a_reversal,
    )
    already = await session.scalar(select(Voucher.id).where(Voucher.reverses_id == voucher.id))
    if already is not None:
        raise UserInputError.single(
            "id", "This voucher has already been reversed", ErrorCode.INVALID_STATE
        )
    lines = (
        await session.scalars(
            select(VoucherLine)
            .where(VoucherLine.voucher_id == voucher.id)
            .order_by(VoucherLine.position)
        )
    ).all()
    return await post_voucher(
        session,
        on=on or voucher.date,
        description=description or f"Reversal of voucher {voucher.number}: {voucher.description}",
        lines=[
            PostingLine(
                line.account_id,
                debit=line.credit,
                credit=line.debit,
                description=line.description,
                contact_id=line.contact_id,
            )
            for line in lines
        ],
        type=VoucherType(voucher.type),
        kind=VoucherKind(voucher.kind),
        source_type=SourceType.VOUCHER,
        source_id=voucher.id,
        reverses_id=voucher.id,
    )


async def vouchers_of(
    session: AsyncSession, source_type: SourceType, source_id: str
) -> list[Voucher]:
    stmt = (
        select(Voucher)
        .where(Voucher.source_type == source_type.value, Voucher.source_id == source_id)
        .order_by(Voucher.date, Voucher.number)
    )
    return list((await session.scalars(stmt)).all())


# --- manual vouchers (GraphQL voucherCreate, REST journal) -------------------------------


class VoucherLineIn(InputModel):
    account_id: str | None = None
    account_code: str | None = Field(default=None, max_length=20)
    debit: Decimal = Field(default=ZERO, ge=0, max_digits=18, decimal_places=2)
    credit: Decimal = Field(default=ZERO, ge=0, max_digits=18, decimal_places=2)
    description: str | None = Field(default=None, max_length=500)
    contact_id: str | None = None
    account_slug2: str | None = Field(default=None, max_length=100)
    account_slug3: str | None = Field(default=None, max_length=100)
    account_slug4: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _names_an_account(self) -> VoucherLineIn:
        if self.account_id is None and self.account_code is None:
            raise ValueError("a line needs an accountId or an accountCode")
        return self


class VoucherCreate(InputModel):
    date: date
    description: str = Field(default="Journal entry", min_length=1, max_length=500)
    kind: VoucherKind = VoucherKind.REGULAR
    lines: list[VoucherLineIn] = Field(max_length=500)


async def create_manual_voucher(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> Voucher:
    """A manual voucher; `viewer` the user writing it (its creator), if any."""
    payload = validate(VoucherCreate, data)
    codes = {line.account_code for line in payload.lines if line.account_code}
    by_code = (
        {
            a.code: a.id
            for a in (
                await session.scalars(select(LedgerAccount).where(LedgerAccount.code.in_(codes)))
            ).all()
        }
        if codes
        else {}
    )
    contact_refs = {
        line.contact_id: decode_id(line.contact_id, "Contact")
        for line in payload.lines
        if line.contact_id
    }
    contact_pks = {pk for pk in contact_refs.values() if pk}
    found_contacts = (
        set(
            (
                await session.scalars(
                    select(col(Contact.id)).where(col(Contact.id).in_(contact_pks))
                )
            ).all()
        )
        if contact_pks
        else set()
    )
    lines: list[PostingLine] = []
    errors: list[FieldError] = []
    for position, line in enumerate(payload.lines):
        account_id = (
            decode_id(line.account_id, "LedgerAccount")
            if line.account_id
            else by_code.get(line.account_code or "")
        )
        if account_id is None:
            field_name = "accountId" if line.account_id else "accountCode"
            errors.append(
                FieldError(
                    ("lines", str(position), field_name),
                    "Ledger account not found",
                    ErrorCode.NOT_FOUND,
                )
            )
            continue
        contact_id = contact_refs.get(line.contact_id) if line.contact_id else None
        if line.contact_id and contact_id not in found_contacts:
            errors.append(
                FieldError(
                    ("lines", str(position), "contactId"), "Contact not found", ErrorCode.NOT_FOUND
                )
            )
            continue
        lines.append(
            PostingLine(
                account_id,
                debit=line.debit,
                credit=line.credit,
                description=line.description,
                contact_id=contact_id,
                account_slug2=line.account_slug2,
                account_slug3=line.account_slug3,
                account_slug4=line.account_slug4,
            )
        )
    if errors:
        raise UserInputError(errors)
    return await post_voucher(
        session,
        on=payload.date,
        description=payload.description,
        lines=lines,
        type=VoucherType.MANUAL,
        kind=VoucherKind(payload.kind),
        created_by_id=viewer.user.id if viewer is not None and viewer.user is not None else None,
    )


class VoucherReverse(InputModel):
    id: str
    date: dt.date | None = None
    description: str | None = Field(default=None, min_length=1, max_length=500)


async def reverse_manual_voucher(*, session: AsyncSession, data: dict[str, Any]) -> Voucher:
    """voucherReverse: the correcting entry of a manual voucher. Automatic vouchers are
    corrected through what caused them (cancelling the invoice, say), so the ledger
    always agrees with the documents and payments behind it."""
    payload = validate(VoucherReverse, data)
    voucher = await require_row(session, Voucher, payload.id, path=("id",), what="Voucher")
    if voucher.type != VoucherType.MANUAL.value:
        raise UserInputError.single(
            "id",
            "An automatic voucher is corrected through what caused it "
            "(cancel or credit the document)",
            ErrorCode.INVALID_STATE,
        )
    return await reverse_voucher(
        session, voucher=voucher, on=payload.date, description=payload.description
    )


async def voucher_lines(session: AsyncSession, voucher_ids: Sequence[str]) -> list[VoucherLine]:
    """The lines of the vouchers, by voucher and position (one statement)."""
    if not voucher_ids:
        return []
    stmt = (
        select(VoucherLine)
        .where(col(VoucherLine.voucher_id).in_(voucher_ids))
        .order_by(col(VoucherLine.voucher_id), col(VoucherLine.position), col(VoucherLine.id))
    )
    return list((await session.scalars(stmt)).all())


# --- listing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerAccountFilter:
    type: str | None = None
    level: str | None = None
    code: str | None = None
    code_prefix: str | None = None
    parent_id: str | None = None
    enabled: bool | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        a = LedgerAccount
        out: list[ColumnElement[bool]] = []
        if self.type is not None:
            out.append(a.type == self.type)  # type: ignore[arg-type]
        if self.level is not None:
            out.append(a.level == self.level)  # type: ignore[arg-type]
        if self.code is not None:
            out.append(equals(a.code, self.code))
        if self.code_prefix:
            out.append(starts_with(a.code, self.code_prefix))
        if self.parent_id is not None:
            out.append(a.parent_id == self.parent_id)  # type: ignore[arg-type]
        if self.enabled is not None:
            out.append(a.enabled == self.enabled)  # type: ignore[arg-type]
        if self.search:
            out.append(contains_any(self.search, a.name, a.code))
        return out


ACCOUNT_ORDER_COLUMNS = {"code": LedgerAccount.code, "name": LedgerAccount.name}


def _under(code: str) -> ColumnElement[bool]:
    """A voucher line on the account with `code`, or on any account under it. Its
    tables are confined to the voucher's company (the voucher itself is confined to the
    tenant by the ORM criterion, or by the compiler's tenant_table)."""
    company = col(Voucher.company_id)
    line = tenant_table(VoucherLine, company)
    account, parent, grand, great = (tenant_table(LedgerAccount, company) for _ in range(4))
    return exists(
        line.select(line.c.id)
        .select_from(
            line.table.join(account.table, account.on(account.c.id == line.c.account_id))
            .outerjoin(parent.table, parent.on(parent.c.id == account.c.parent_id))
            .outerjoin(grand.table, grand.on(grand.c.id == parent.c.parent_id))
            .outerjoin(great.table, great.on(great.c.id == grand.c.parent_id))
        )
        .where(
            line.c.voucher_id == Voucher.id,
            or_(*(a.c.code == code for a in (account, parent, grand, great))),
        )
    )


@dataclass(frozen=True)
class VoucherFilter:
    kind: str | None = None
    type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    number_from: int | None = None
    number_to: int | None = None
    account_code: str | None = None
    financial_year_id: str | None = None
    source_type: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        v = Voucher
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (v.kind, self.kind),
            (v.type, self.type),
            (v.financial_year_id, self.financial_year_id),
            (v.source_type, self.source_type),
        ):
            if value is not None:
                out.append(column == value)  # type: ignore[arg-type]
        ranges: tuple[tuple[Any, Any, Any], ...] = (
            (col(v.date), self.date_from, self.date_to),
            (col(v.number), self.number_from, self.number_to),
        )
        for column, low, high in ranges:
            if low is not None:
                out.append(column >= low)
            if high is not None:
                out.append(column <= high)
        if self.account_code:
            out.append(_under(storable(self.account_code.strip())))
        if self.search:
            out.append(contains(v.description, self.search))
        return out


VOUCHER_ORDER_COLUMNS = {
    "date": Voucher.date,
    "number": Voucher.number,
    "created_at": Voucher.created_at,
}


@dataclass(frozen=True)
class FinancialYearFilter:
    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        return []


YEAR_ORDER_COLUMNS = {"start_date": FinancialYear.start_date}
