"""Alembic migrations, shipped inside the package so `ledgergraph migrate` works from an
installed wheel and from any working directory.

The configuration is built in code (`alembic_config`); `alembic.ini` next to this file
only serves the plain alembic CLI for authoring revisions:

    .venv/bin/alembic -c gql/migrations/alembic.ini revision --autogenerate -m "..."

(the database is LEDGERGRAPH_DATABASE_URL, as for the app).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from gql.settings import postgres_driver_url

HERE = Path(__file__).resolve().parent


def alembic_config(url: str | None = None) -> Config:
    """An alembic Config pointing at this folder. The URL travels in `attributes`, not
    in the ini options, so a password containing `%` needs no escaping."""
    config = Config()
    config.set_main_option("script_location", str(HERE).replace("%", "%%"))
    if url is not None:
        config.attributes["database_url"] = url
    return config


async def _run(url: str, operation: Any, revision: str) -> None:
    # NullPool and no app pragmas: a migration connection is used once and closed.
    engine = create_async_engine(postgres_driver_url(url), poolclass=pool.NullPool)
    config = alembic_config(url)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        operation(config, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()


async def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` up to the newest revision (a no-op when it is)."""
    await _run(url, command.upgrade, "head")


async def upgrade(url: str, revision: str = "head") -> None:
    await _run(url, command.upgrade, revision)


async def downgrade(url: str, revision: str = "base") -> None:
    await _run(url, command.downgrade, revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at (None when it has never been migrated)."""
    revision, _ = await database_state(url)
    return revision


async def database_state(url: str) -> tuple[str | None, set[str]]:
    """The database's revision and the names of its tables (alembic's own left out)."""

    def look(conn: Connection) -> tuple[str | None, set[str]]:
        context = MigrationContext.configure(conn)
        tables = set(inspect(conn).get_table_names()) - {context.version_table}
        return context.get_current_revision(), tables

    engine = create_async_engine(postgres_driver_url(url), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()
