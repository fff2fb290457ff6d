"""Migrations: a fresh database upgraded to head has exactly the schema of the models,
and downgrading to base takes every table away again.

Runs on whatever LEDGERGRAPH_TEST_DATABASE_URL names (a temp SQLite file when unset).
On PostgreSQL it works in a scratch database of its own, created and dropped here, so
the shared test database (built by conftest with metadata.create_all) is untouched.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, column, insert, inspect, select, table, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gql.cli import migrate
from gql.domains.companies.models import Company
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    LedgerBalance,
    Voucher,
    VoucherLine,
)
from gql.migrations import downgrade, head_revision, upgrade_to_head
from gql.models import metadata
from gql.settings import Settings
from gql.tenancy import tables_without_row_level_security, tenant_tables
from tests.conftest import IS_POSTGRES

VERSION_TABLE = "alembic_version"


@pytest.fixture
async def scratch_url() -> AsyncIterator[str]:
    """An empty database of this test's own."""
    shared = os.environ.get("LEDGERGRAPH_TEST_DATABASE_URL")
    if not shared or not shared.startswith("postgresql"):
        folder = Path(tempfile.mkdtemp(prefix="ledgergraph-migrations-"))
        yield f"sqlite+aiosqlite:///{folder / 'scratch.db'}"
        return
    url = make_url(shared)
    name = f"lg_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()


async def inspect_db(url: str, look: Any) -> Any:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(look)
    finally:
        await engine.dispose()


def schema_diffs(conn: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(conn), metadata))


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


async def test_upgrade_to_head_builds_exactly_the_models_schema(scratch_url: str) -> None:
    # given an empty database
    # when it is upgraded to head (twice: the second run must be a no-op)
    await upgrade_to_head(scratch_url)
    await upgrade_to_head(scratch_url)

    # then it is at head and autogenerate finds nothing between it and the models
    assert await inspect_db(scratch_url, current_revision) == head_revision()
    diffs = await inspect_db(scratch_url, schema_diffs)
    assert diffs == [], (
        "the migrations and gql.models.metadata disagree; generate a revision with\n"
        "  .venv/bin/alembic -c gql/migrations/alembic.ini revision --autogenerate -m '...'\n"
        f"differences: {diffs}"
    )
    assert set(metadata.tables) <= await inspect_db(scratch_url, table_names)


async def test_downgrade_to_base_removes_every_table(scratch_url: str) -> None:
    # given a database at head
    await upgrade_to_head(scratch_url)

    # when it is downgraded to base
    await downgrade(scratch_url, "base")

    # then only alembic's bookkeeping is left, and it can go up again
    assert await inspect_db(scratch_url, table_names) <= {VERSION_TABLE}
    assert await inspect_db(scratch_url, current_revision) is None
    await upgrade_to_head(scratch_url)
    assert await inspect_db(scratch_url, schema_diffs) == []


@pytest.mark.skipif(
    not IS_POSTGRES,
    reason="row-level security is PostgreSQL's (the revision is a no-op on SQLite)",
)
async def test_head_confines_every_tenant_owned_table_and_downgrading_lifts_it(
    scratch_url: str,
) -> None:
    # given a database at head: every tenant-owned table of the models has its policy,
    # enabled and forced (a TenantOwned model whose revision forgot it fails here)
    await upgrade_to_head(scratch_url)
    assert await inspect_db(scratch_url, tables_without_row_level_security) == []

    # when it is downgraded to the revision before row-level security
    await downgrade(scratch_url, "0001")

    # then no table has it any more
    assert await inspect_db(scratch_url, tables_without_row_level_security) == tenant_tables()


async def test_migrate_runs_as_the_migration_url_when_one_is_set(scratch_url: str) -> None:
    # given settings whose app URL could not even be opened, and a migration URL
    unusable = "sqlite+aiosqlite:////nonexistent-ledgergraph-dir/app.db"
    settings = Settings(database_url=unusable, migration_database_url=scratch_url)
    # when the CLI migrates (in a thread: it runs its own event loop)
    await asyncio.to_thread(migrate, settings)
    # then the migration URL's database is at head
    assert await inspect_db(scratch_url, current_revision) == head_revision()


async def test_the_balances_revision_sums_the_posted_lines_already_there(scratch_url: str) -> None:
    # given books written before revision 0003: a day with two vouchers on one account,
    # a draft (counts nowhere) and a year-end closing voucher (kept apart)
    await upgrade_to_head(scratch_url)
    await downgrade(scratch_url, "0002")
    company = Company(name="Old Books Ltd")
    cash, sales = (
        LedgerAccount(
            company_id=company.id,
            code=code,
            name=code,
            slug=code,
            type=kind,
            level="account",
            nature="debit",
        )
        for code, kind in (("1000", "asset"), ("4000", "income"))
    )
    year = FinancialYear(
        company_id=company.id, name="2026", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
    )
    rows: list[Any] = [company, cash, sales, year]
    for number, (on, kind, amount) in enumerate(
        [
            (date(2026, 3, 1), "REGULAR", "10.00"),
            (date(2026, 3, 1), "REGULAR", "2.50"),
            (date(2026, 3, 2), "DRAFT", "99.00"),
            (date(2026, 12, 31), "CLOSING_TEMPORARY_ACCOUNTS", "1.00"),
        ]
    ):
        voucher = Voucher(
            company_id=company.id,
            financial_year_id=year.id,
            number=number,
            date=on,
            description="v",
            kind=kind,
            total=Decimal(amount),
            currency_code="USD",
        )
        rows += [
            voucher,
            VoucherLine(
                company_id=company.id,
                voucher_id=voucher.id,
                account_id=cash.id,
                debit=Decimal(amount),
            ),
            VoucherLine(
                company_id=company.id,
                voucher_id=voucher.id,
                account_id=sales.id,
                credit=Decimal(amount),
                position=1,
            ),
        ]

    def write(conn: Connection) -> None:
        for row in rows:
            # Only the columns the table had at 0002 (later revisions add some).
            model = type(row)
            there = {c["name"] for c in inspect(conn).get_columns(model.__tablename__)}
            names = [c.name for c in model.__table__.c if c.name in there]  # type: ignore[attr-defined]
            then = table(model.__tablename__, *(column(n) for n in names))
            # Bound through the model's column types (exact decimals are integers on SQLite).
            values = {n: bindparam(n, getattr(row, n), model.__table__.c[n].type) for n in names}  # type: ignore[attr-defined]
            conn.execute(insert(then).values(values))

    engine = create_async_engine(scratch_url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(write)
    finally:
        await engine.dispose()

    # when the database is brought to head
    await upgrade_to_head(scratch_url)

    # then the balances are the posted lines per account and day
    def balances(conn: Connection) -> list[tuple[Any, ...]]:
        b = LedgerBalance.__table__.c
        query = select(b.account_id, b.date, b.closing, b.debit, b.credit).order_by(
            b.date, b.debit.desc()
        )
        return [tuple(r) for r in conn.execute(query)]

    cents = Decimal("0.00")
    assert await inspect_db(scratch_url, balances) == [
        (cash.id, date(2026, 3, 1), False, Decimal("12.50"), cents),
        (sales.id, date(2026, 3, 1), False, cents, Decimal("12.50")),
        (cash.id, date(2026, 12, 31), True, Decimal("1.00"), cents),
        (sales.id, date(2026, 12, 31), True, cents, Decimal("1.00")),
    ]
