"""Query plans of captured statements: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL,
EXPLAIN QUERY PLAN on SQLite. Text and parameters are the driver-level ones the cursor
saw, so they go back through the driver as they are (whichever driver it is)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gql.tenancy import TENANT_SETTING


async def explain(engine: AsyncEngine, sql: str, params: Any, tenant: str) -> list[str]:
    """The plan, in a transaction scoped to `tenant` as the app's are: row-level
    security's policies are part of every plan the app's role gets."""
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    async with engine.connect() as conn:
        if postgres:
            await conn.execute(
                text(f"SELECT set_config('{TENANT_SETTING}', :tenant, true)"), {"tenant": tenant}
            )
        rows = (await conn.exec_driver_sql(prefix + sql, params or ())).all()
        await conn.rollback()
    if postgres:
        return [r[0] for r in rows]
    depth: dict[int, int] = {}
    lines = []
    for node, parent, _, detail in (tuple(r) for r in rows):
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines
