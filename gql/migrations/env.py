"""Alembic environment: async engines (aiosqlite, psycopg) driven through run_sync.

Three ways in:
- `gql.migrations.upgrade_to_head(url)` (the CLI, tests) hands over an open
  connection in `config.attributes["connection"]`;
- the plain alembic CLI (`alembic -c gql/migrations/alembic.ini ...`) makes its own
  async engine from the URL;
- `--sql` (offline) renders SQL without a database.
The URL is `config.attributes["database_url"]` when given, else Settings().migrations_url
(LEDGERGRAPH_MIGRATION_DATABASE_URL, by default LEDGERGRAPH_DATABASE_URL).
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel.sql.sqltypes import AutoString

from gql.db.columns import ExactDecimal, UTCDateTime
from gql.models import metadata
from gql.settings import Settings, postgres_driver_url

config = context.config
target_metadata = metadata

if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return postgres_driver_url(str(url))

    return Settings().migrations_url


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render the app's and sqlmodel's TypeDecorators as plain SQLAlchemy types, so a
    revision never imports app code (and never changes when that code does)."""
    if type_ == "type" and isinstance(obj, ExactDecimal):
        # Whatever ExactDecimal.load_dialect_impl picks today (NUMERIC on PostgreSQL,
        # something exact on SQLite), frozen into the revision as plain types.
        main = obj.load_dialect_impl(postgresql.dialect()).as_generic()
        lite = obj.load_dialect_impl(sqlite.dialect()).as_generic()
        rendered = f"sa.{main!r}"
        if repr(lite) != repr(main):
            rendered += f".with_variant(sa.{lite!r}, 'sqlite')"
        return rendered
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        # sqlmodel's str column: a plain VARCHAR everywhere but MySQL, which we do not use.
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_item=render_item,
        compare_type=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    url = database_url()
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_async_engine(database_url(), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
