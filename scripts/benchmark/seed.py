"""Seed a fresh database fast: the companies through the real `register`, everything
else with bulk Core inserts (which bypass the ORM's tenant stamping, so company_id is
set by the generator): catalogue, contacts, documents and the vouchers their issue
(and cancellation) posts, against the ledger accounts registration made; CRM,
helpdesk and contracts rows (relations.py); payroll (with the approved pay runs'
vouchers) and projects (people.py); then the number series, voucher numbers
and planner statistics."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

from gql.db.engine import session_factory
from gql.domains.catalogue.models import Category, Tax
from gql.domains.companies.models import Membership
from gql.domains.companies.service import register
from gql.domains.documents.models import NumberSeries
from gql.domains.ledger import balances
from gql.domains.ledger.models import FinancialYear, LedgerAccount
from gql.models import metadata
from scripts.benchmark.config import OTHER_COMPANY, PASSWORD, Sizes
from scripts.benchmark.dataset import CompanyRows, Existing, Row, generate_company
from scripts.benchmark.targets import WRITE_LINES, Fixture

CHUNK = 5_000


@dataclass
class SeedResult:
    fixture: Fixture
    rows: dict[str, int]  # table -> rows in the database (every company)
    seconds: dict[str, float] = field(default_factory=dict)


class Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._start = self._lap = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._lap, 2)
        self._lap = now

    def total(self) -> dict[str, float]:
        return {**self.laps, "total": round(time.perf_counter() - self._start, 2)}


async def _register(engine: AsyncEngine, name: str, email: str, company: str) -> str:
    async with session_factory(engine)() as session:
        _, row = await register(
            session=session,
            data={"name": name, "email": email, "password": PASSWORD, "companyName": company},
        )
        await session.commit()
        return row.id


async def read_existing(conn: AsyncConnection, company_id: str, base_currency: str) -> Existing:
    async def rows(model: type[SQLModel]) -> list[Row]:
        table = model.__table__  # type: ignore[attr-defined]
        stmt = select(table).where(table.c.company_id == company_id).order_by(table.c.created_at)
        return [dict(r) for r in (await conn.execute(stmt)).mappings()]

    accounts = LedgerAccount.__table__  # type: ignore[attr-defined]
    by_key = await conn.execute(
        select(accounts.c.system_key, accounts.c.id).where(
            accounts.c.company_id == company_id, accounts.c.system_key.is_not(None)
        )
    )
    members = Membership.__table__  # type: ignore[attr-defined]
    users = await conn.scalars(
        select(members.c.user_id)
        .where(members.c.company_id == company_id)
        .order_by(members.c.user_id)
    )
    return Existing(
        taxes=await rows(Tax),
        categories=await rows(Category),
        base_currency=base_currency,
        accounts={key: id_ for key, id_ in by_key},
        years=await rows(FinancialYear),
        members=list(users),
    )


async def bulk_insert(conn: AsyncConnection, model: type[SQLModel], rows: list[Row]) -> None:
    table = model.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), CHUNK):
        await conn.execute(insert(table), rows[start : start + CHUNK])


async def write_company(conn: AsyncConnection, company: CompanyRows) -> None:
    for model, rows in company.tables():
        await bulk_insert(conn, model, rows)
    series = NumberSeries.__table__  # type: ignore[attr-defined]
    for kind, next_number in company.next_numbers.items():
        await conn.execute(
            update(series)
            .where(series.c.company_id == company.company_id, series.c.kind == kind)
            .values(next_number=next_number)
        )
    years = FinancialYear.__table__  # type: ignore[attr-defined]
    new_years = {y["id"] for y in company.years}
    for year_id, next_number in company.next_voucher_numbers.items():
        if year_id not in new_years:  # opened by registration
            await conn.execute(
                update(years).where(years.c.id == year_id).values(next_voucher_number=next_number)
            )


async def _skip_foreign_key_triggers(conn: AsyncConnection) -> None:
    """On PostgreSQL, as a superuser, skip the per-row foreign-key triggers for this
    transaction (what `pg_restore --disable-triggers` does): it halves the insert time.
    The generator's references are consistent by construction, and the SQLite run
    (foreign keys on) checks the very same generator."""
    if conn.dialect.name != "postgresql":
        return
    if await conn.scalar(text("SHOW is_superuser")) == "on":
        await conn.execute(text("SET LOCAL session_replication_role = replica"))


async def _row_counts(conn: AsyncConnection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in metadata.sorted_tables:
        counts[table.name] = int(await conn.scalar(select(func.count()).select_from(table)) or 0)
    return counts


async def seed(engine: AsyncEngine, sizes: Sizes, random_seed: int) -> SeedResult:
    watch = Stopwatch()
    rng = random.Random(random_seed)
    email = "owner@bench.example.com"
    main_id = await _register(engine, "Bench Owner", email, "Bench Books Ltd")
    other_id = await _register(engine, "Other Owner", "owner@other.example.com", "Other Company")
    watch.lap("register")

    async with engine.connect() as conn:
        main = generate_company(main_id, sizes, await read_existing(conn, main_id, "USD"), rng)
        other = generate_company(
            other_id, OTHER_COMPANY, await read_existing(conn, other_id, "USD"), rng
        )
    watch.lap("generate")

    async with engine.begin() as conn:
        await _skip_foreign_key_triggers(conn)
        for company in (main, other):
            await write_company(conn, company)
        # The bulk insert went around post_voucher, which keeps the reports' balances.
        await balances.rebuild(conn)
    watch.lap("insert")

    await analyze(engine)
    watch.lap("analyze")

    async with engine.connect() as conn:
        rows = await _row_counts(conn)
    busy_id, busy_count = main.busiest_contact()
    writes_contact, items = main.writes_fixture(WRITE_LINES)
    deals, activities, tickets = main.busiest_contact_relations()
    employee, payslips, project, entries = main.busiest_people()
    fixture = Fixture(
        main_id,
        email,
        PASSWORD,
        busy_id,
        busy_count,
        writes_contact,
        items,
        busy_contact_deals=deals,
        busy_contact_activities=activities,
        busy_contact_tickets=tickets,
        busy_employee_id=employee,
        busy_employee_payslips=payslips,
        busy_project_id=project,
        busy_project_entries=entries,
    )
    return SeedResult(fixture=fixture, rows=rows, seconds=watch.total())


async def analyze(engine: AsyncEngine) -> None:
    """Statistics (and on PostgreSQL the visibility map, which index-only scans need) as
    autovacuum or `PRAGMA optimize` would leave them after a bulk load."""
    command = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(command))


def describe(rows: dict[str, int]) -> str:
    shown: list[tuple[str, Any]] = [(name, n) for name, n in rows.items() if n]
    return ", ".join(f"{name} {n:,}" for name, n in shown)
