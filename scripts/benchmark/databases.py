"""A fresh, empty database per engine: a temp SQLite file, or the throwaway PostgreSQL
database that scripts/bench started (scripts/pg)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from gql.db.engine import create_engine
from gql.models import metadata
from gql.tenancy import app_role_grants, enable_row_level_security

# The role the served app logs in as on PostgreSQL (scripts/pg creates it): no superuser,
# no BYPASSRLS, so the benchmark pays for row-level security as production does.
APP_ROLE = os.environ.get("PG_APP_ROLE", "ledgergraph_app")


@dataclass
class Database:
    name: str  # "sqlite" or "postgres"
    url: str  # the owner's: builds the schema and seeds it
    folder: Path | None = None  # a temp folder to delete afterwards

    @property
    def app_url(self) -> str:
        """What the served app connects with: on PostgreSQL the app role, which
        row-level security applies to; on SQLite the same file."""
        if self.name != "postgres":
            return self.url
        url = make_url(self.url).set(username=APP_ROLE, password=None)
        return url.render_as_string(hide_password=False)

    def cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def prepare(name: str, postgres_url: str | None) -> Database:
    if name == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="ledgergraph-bench-"))
        return Database(name, f"sqlite+aiosqlite:///{folder / 'bench.db'}", folder)
    if name == "postgres":
        if not postgres_url:
            raise SystemExit(
                "postgres: no database URL; run through scripts/bench (which starts a throwaway "
                "cluster) or pass --postgres-url / set PG_TEST_URL"
            )
        return Database(name, postgres_url)
    raise SystemExit(f"unknown database {name!r}")


async def create_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
        await conn.run_sync(enable_row_level_security)
        if engine.dialect.name == "postgresql":
            for grant in app_role_grants(APP_ROLE):
                await conn.exec_driver_sql(grant)


async def server_version(engine: AsyncEngine) -> str:
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    async with engine.connect() as conn:
        version = await conn.scalar(text("SHOW server_version"))
    return f"PostgreSQL {version}"


def engine_for(database: Database) -> AsyncEngine:
    return create_engine(database.url)
