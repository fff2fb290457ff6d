"""The ledger's rules: the chart, financial years, and vouchers that always balance.

Every voucher is written here, manual or automatic, in the caller's transaction:
refused unless it has lines, each line has exactly one positive side, debits equal
credits, and every account is a leaf account of the tenant. Posted vouchers are
never edited; `reverse_voucher` writes the correcting entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import decode_id
from gql.core.inputs import InputModel, validate
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

ZERO = Decimal("0")


# --- the chart -------------------------------------------------------------------------


def chart_rows() -> list[LedgerAccount]:
    """The standard chart as rows, parents before children (for a new company)."""
    rows: list[LedgerAccount] = []

    def add(entry: ChartEntry, type_: str, nature: str, depth: int, parent: LedgerAccount | None) -> None:
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
    account = await session.scalar(select(LedgerAccount).where(LedgerAccount.system_key == key))
    if account is None:  # the standard chart always has it; a broken chart is a bug
        raise RuntimeError(f"the chart of accounts has no {key!r} account")
    return account


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
        parent = await session.scalar(select(LedgerAccount).where(LedgerAccount.id == pk)) if pk else None
        if parent is None:
            raise UserInputError.single("parentId", "Ledger account not found", ErrorCode.NOT_FOUND)
        if parent.level != LedgerLevel.DETAILED.value or parent.type != payload.type:
            raise UserInputError.single("parentId", f"must be a detailed {payload.type} account")
    else:
        parent = await session.scalar(
            select(LedgerAccount)
            .where(LedgerAccount.type == payload.type, LedgerAccount.level == LedgerLevel.DETAILED.value)
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
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())[:100] or "account"


# --- financial years ---------------------------------------------------------------------


async def year_for(session: AsyncSession, on: date) -> FinancialYear:
    """The financial year containing `on`; a calendar year is opened when none does."""
    year = await session.scalar(
        select(FinancialYear)
        .where(FinancialYear.start_date <= on, FinancialYear.end_date >= on)
        .order_by(FinancialYear.start_date)
        .limit(1)
    )
    if year is None:
        year = FinancialYear(
            name=str(on.year), start_date=date(on.year, 1, 1), end_date=date(on.year, 12, 31)
        )
        session.add(year)
        await session.flush()
    return year


async def _next_voucher_number(session: AsyncSession, year: FinancialYear) -> int:
    """Taken atomically (UPDATE ... RETURNING): concurrent postings never share one."""
    stmt = (
        update(FinancialYear)
        .where(FinancialYear.id == year.id)
        .values(next_voucher_number=FinancialYear.next_voucher_number + 1)
        .returning(FinancialYear.next_voucher_number)
    )
    taken = (await session.execute(stmt)).scalar_one() - 1
    return int(taken)


# --- vouchers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingLine:
    account_id: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str | None = None
    contact_id: str | None = None


def signed_lines(
    entries: Iterable[tuple[str, Decimal]], *, description: str | None = None, contact_id: str | None = None
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
) -> Voucher:
    """Write a balanced voucher, or refuse it with errors naming the lines."""
    await _check_balanced(session, lines)
    year = await year_for(session, on)
    voucher = Voucher(
        financial_year_id=year.id,
        number=await _next_voucher_number(session, year),
        date=on,
        description=description,
        type=type.value,
        kind=kind.value,
        source_type=source_type.value if source_type else None,
        source_id=source_id,
        reverses_id=reverses_id,
        total=sum((line.debit for line in lines), ZERO),
    )
    session.add(voucher)
    await session.flush()
    session.add_all(
        VoucherLine(
            voucher_id=voucher.id,
            position=position,
            account_id=line.account_id,
            debit=line.debit,
            credit=line.credit,
            description=line.description,
            contact_id=line.contact_id,
        )
        for position, line in enumerate(lines)
    )
    await session.flush()
    return voucher


async def _check_balanced(session: AsyncSession, lines: Sequence[PostingLine]) -> None:
    if not lines:
        raise UserInputError.single("lines", "A voucher needs at least one line", ErrorCode.REQUIRED)
    errors: list[FieldError] = []
    for position, line in enumerate(lines):
        path = ("lines", str(position))
        if line.debit < 0 or line.credit < 0:
            errors.append(FieldError(path, "amounts cannot be negative"))
        elif (line.debit > 0) == (line.credit > 0):
            errors.append(FieldError(path, "a line has either a debit or a credit, not both or neither"))
    ids = {line.account_id for line in lines}
    accounts = {
        a.id: a for a in (await session.scalars(select(LedgerAccount).where(LedgerAccount.id.in_(ids)))).all()
    }
    for position, line in enumerate(lines):
        account = accounts.get(line.account_id)
        path = ("lines", str(position), "accountId")
        if account is None:
            errors.append(FieldError(path, "Ledger account not found", ErrorCode.NOT_FOUND))
        elif account.level != LedgerLevel.ACCOUNT.value:
            errors.append(FieldError(path, f"{account.code} is a {account.level} heading; post to an account under it"))
        elif not account.enabled:
            errors.append(FieldError(path, f"{account.code} is disabled"))
    if errors:
        raise UserInputError(errors)
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    if debits != credits:
        raise UserInputError.single("lines", f"debits ({debits}) and credits ({credits}) must be equal")
    if debits <= 0:
        raise UserInputError.single("lines", "a voucher must move a positive amount")


async def reverse_voucher(
    session: AsyncSession, *, voucher: Voucher, on: date | None = None, description: str | None = None
) -> Voucher:
    """The correcting entry for a posted voucher: the same lines, sides swapped."""
    already = await session.scalar(select(Voucher.id).where(Voucher.reverses_id == voucher.id))
    if already is not None:
        raise UserInputError.single("id", "This voucher has already been reversed", ErrorCode.INVALID_STATE)
    lines = (
        await session.scalars(
            select(VoucherLine).where(VoucherLine.voucher_id == voucher.id).order_by(VoucherLine.position)
        )
    ).all()
    return await post_voucher(
        session,
        on=on or voucher.date,
        description=description or f"Reversal of voucher {voucher.number}: {voucher.description}",
        lines=[
            PostingLine(l.account_id, debit=l.credit, credit=l.debit, description=l.description, contact_id=l.contact_id)
            for l in lines
        ],
        type=VoucherType(voucher.type),
        kind=VoucherKind(voucher.kind),
        source_type=SourceType.VOUCHER,
        source_id=voucher.id,
        reverses_id=voucher.id,
    )


async def vouchers_of(session: AsyncSession, source_type: SourceType, source_id: str) -> list[Voucher]:
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

    @model_validator(mode="after")
    def _names_an_account(self) -> VoucherLineIn:
        if self.account_id is None and self.account_code is None:
            raise ValueError("a line needs an accountId or an accountCode")
        return self


class VoucherCreate(InputModel):
    date: date
    description: str = Field(min_length=1, max_length=500)
    kind: VoucherKind = VoucherKind.REGULAR
    lines: list[VoucherLineIn] = Field(max_length=500)


async def create_manual_voucher(*, session: AsyncSession, data: dict[str, Any]) -> Voucher:
    payload = validate(VoucherCreate, data)
    codes = {line.account_code for line in payload.lines if line.account_code}
    by_code = {
        a.code: a.id
        for a in (await session.scalars(select(LedgerAccount).where(LedgerAccount.code.in_(codes)))).all()
    } if codes else {}
    lines: list[PostingLine] = []
    errors: list[FieldError] = []
    for position, line in enumerate(payload.lines):
        account_id = decode_id(line.account_id, "LedgerAccount") if line.account_id else by_code.get(line.account_code or "")
        if account_id is None:
            field_name = "accountId" if line.account_id else "accountCode"
            errors.append(FieldError(("lines", str(position), field_name), "Ledger account not found", ErrorCode.NOT_FOUND))
            continue
        lines.append(PostingLine(account_id, debit=line.debit, credit=line.credit, description=line.description))
    if errors:
        raise UserInputError(errors)
    return await post_voucher(
        session,
        on=payload.date,
        description=payload.description,
        lines=lines,
        type=VoucherType.MANUAL,
        kind=VoucherKind(payload.kind),
    )
