"""The pay run's salary voucher, written through the ledger's service.

Approving a pay run owes its gross: Dr Salaries (6300, an expense) the gross, Cr Payroll
deductions payable (2410) what is withheld, Cr Wages payable (2400) the net, owed to
the employees until paid. Paying clears wages payable against the bank (banking's
service posts each payment). The two liabilities are in the standard chart
(gql/domains/ledger/chart.py, "214 Payroll liabilities"); a company whose chart was
seeded before they existed gets them added here, the way the chart seeds them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.core.claims import claim
from gql.domains.ledger.chart import LEVELS, PAYROLL_LIABILITIES
from gql.domains.ledger.models import LedgerAccount, SourceType, Voucher
from gql.domains.ledger.service import post_voucher, reverse_voucher, signed_lines, system_accounts
from gql.domains.payroll.models import PayRun

SALARIES = "salaries"
WAGES_PAYABLE = "wages_payable"
DEDUCTIONS_PAYABLE = "payroll_deductions"
KEYS = (SALARIES, WAGES_PAYABLE, DEDUCTIONS_PAYABLE)


async def ensure_payroll_accounts(session: AsyncSession) -> None:
    """Add the chart's payroll liabilities when the company's chart predates them. The
    parent heading ("21 Current liabilities") is locked first, so concurrent first
    approvals add them once. A code the company already uses for an account of its own
    is not taken over: the account goes to the next free code."""
    keys = [e.system for e in PAYROLL_LIABILITIES.children]
    have = set(
        (
            await session.scalars(
                select(col(LedgerAccount.system_key)).where(col(LedgerAccount.system_key).in_(keys))
            )
        ).all()
    )
    if have == set(keys):
        return
    parent = await session.scalar(select(LedgerAccount).where(col(LedgerAccount.code) == "21"))
    assert parent is not None  # the standard chart's current liabilities
    await claim(
        session, parent, what="LedgerAccount", values={"updated_at": LedgerAccount.updated_at}
    )
    codes = set((await session.scalars(select(col(LedgerAccount.code)))).all())
    heading = await session.scalar(
        select(LedgerAccount).where(
            col(LedgerAccount.code) == PAYROLL_LIABILITIES.code,
            col(LedgerAccount.parent_id) == parent.id,
            col(LedgerAccount.level) == LEVELS[2],
        )
    )
    if heading is None:
        code = _free_code(codes, PAYROLL_LIABILITIES.code)
        heading = _account(
            code, PAYROLL_LIABILITIES.name, PAYROLL_LIABILITIES.slug, 2, parent.id, None
        )
        codes.add(code)
        session.add(heading)
    for entry in PAYROLL_LIABILITIES.children:
        if entry.system not in have:
            code = _free_code(codes, entry.code)
            codes.add(code)
            session.add(_account(code, entry.name, entry.slug, 3, heading.id, entry.system))
    await session.flush()


def _free_code(taken: set[str], wanted: str) -> str:
    """`wanted`, or the first number after it that no account of the company has."""
    candidate = int(wanted)
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


def _account(
    code: str, name: str, slug: str, depth: int, parent_id: str, system: str | None
) -> LedgerAccount:
    # company_id: stamped on flush by the tenant hook (gql/db/tenant.py).
    return LedgerAccount(  # type: ignore[call-arg]
        code=code,
        name=name,
        slug=slug,
        type="liability",
        level=LEVELS[depth],
        nature="credit",
        parent_id=parent_id,
        locked=True,
        system_key=system,
    )


async def post_pay_run(session: AsyncSession, run: PayRun) -> Voucher:
    """The salary voucher of an approved run, dated its pay date."""
    await ensure_payroll_accounts(session)
    accounts = await system_accounts(session, KEYS)
    entries = [
        (accounts[SALARIES].id, run.gross),
        (accounts[DEDUCTIONS_PAYABLE].id, -run.deductions),
        (accounts[WAGES_PAYABLE].id, -run.net),
    ]
    return await post_voucher(
        session,
        on=run.pay_date,
        description=f"Payroll {run.period}",
        lines=signed_lines(entries),
        source_type=SourceType.PAY_RUN,
        source_id=run.id,
        accounts=accounts.values(),
    )


async def reverse_pay_run(session: AsyncSession, run: PayRun, voucher_id: str) -> Voucher:
    voucher = await session.scalar(select(Voucher).where(col(Voucher.id) == voucher_id))
    assert voucher is not None
    return await reverse_voucher(
        session, voucher=voucher, description=f"Payroll {run.period} reversed"
    )
