"""Daily account balances (models.LedgerBalance), kept as vouchers are posted, so the
reports sum a few rows per account and day rather than every voucher line.

`record_posting` adds one posted voucher's lines in one upsert. It runs inside
post_voucher after the voucher number was taken, which locks the financial year's row
until commit: postings of one year (whose dates are that year's, so whose balance rows
are too) are serialized, and two of them never wait on each other's balance rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from gql.compiler.sqlenv import request_env
from gql.core.ids import new_id
from gql.domains.ledger.models import LedgerBalance, Voucher, VoucherKind, VoucherLine
from gql.tenancy import mapped_table

CONFLICT_KEY = ("company_id", "account_id", "date", "closing")


class Amounts(Protocol):
    account_id: str
    debit: Decimal
    credit: Decimal


def counts(kind: str) -> bool:
    """Whether a voucher of this kind counts in balances: every kind but drafts."""
    return kind != VoucherKind.DRAFT.value


def is_closing(kind: str) -> bool:
    return kind == VoucherKind.CLOSING_TEMPORARY_ACCOUNTS.value


@cache
def _upsert(dialect: str) -> Any:
    """INSERT a row; where a row of the key exists, add the amounts to it. Built once
    and run with every row's parameters (one executemany: the drivers batch it), so
    SQLAlchemy neither rebuilds it nor walks a statement carrying every row's values."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(LedgerBalance)
    table = mapped_table(LedgerBalance)
    return stmt.on_conflict_do_update(
        index_elements=list(CONFLICT_KEY),
        set_={
            "debit": table.c.debit + stmt.excluded.debit,
            "credit": table.c.credit + stmt.excluded.credit,
            "updated_at": stmt.excluded.updated_at,
        },
    )


def _rows(
    company_id: str, on: Any, closing: bool, totals: dict[str, tuple[Decimal, Decimal]]
) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "company_id": company_id,
            "account_id": account_id,
            "date": on,
            "closing": closing,
            "debit": debit,
            "credit": credit,
        }
        # By key, so concurrent upserts that do meet take the rows' locks in one order.
        for account_id, (debit, credit) in sorted(totals.items())
    ]


async def record_posting(session: AsyncSession, voucher: Voucher, lines: Sequence[Amounts]) -> None:
    """Add a just-posted voucher's lines to its day's balances (one statement)."""
    if not counts(voucher.kind) or not lines:
        return
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        debit, credit = totals.get(line.account_id, (Decimal(0), Decimal(0)))
        totals[line.account_id] = (debit + line.debit, credit + line.credit)
    rows = _rows(voucher.company_id, voucher.date, is_closing(voucher.kind), totals)
    await session.execute(_upsert(request_env(session).dialect), rows)


async def rebuild(conn: AsyncConnection) -> None:
    """Recompute every balance from the voucher lines, for data written around
    post_voucher (the benchmark's bulk seed). Reads every company's rows: run it as a
    role that row-level security does not apply to."""
    line, voucher = mapped_table(VoucherLine), mapped_table(Voucher)
    grouped = (
        select(
            line.c.company_id,
            line.c.account_id,
            voucher.c.date,
            voucher.c.kind,
            func.sum(line.c.debit),
            func.sum(line.c.credit),
        )
        .select_from(line.join(voucher, voucher.c.id == line.c.voucher_id))
        .group_by(line.c.company_id, line.c.account_id, voucher.c.date, voucher.c.kind)
    )
    await conn.execute(mapped_table(LedgerBalance).delete())
    days: dict[tuple[str, Any, bool], dict[str, tuple[Decimal, Decimal]]] = {}
    for company_id, account_id, on, kind, debit, credit in (await conn.execute(grouped)).all():
        if not counts(kind):
            continue
        totals = days.setdefault((company_id, on, is_closing(kind)), {})
        old_debit, old_credit = totals.get(account_id, (Decimal(0), Decimal(0)))
        totals[account_id] = (old_debit + debit, old_credit + credit)
    rows = [row for key, totals in days.items() for row in _rows(*key, totals)]
    for start in range(0, len(rows), 2_000):
        await conn.execute(mapped_table(LedgerBalance).insert(), rows[start : start + 2_000])
