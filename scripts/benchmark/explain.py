"""Query plans of captured statements: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL,
EXPLAIN QUERY PLAN on SQLite. Parameters are the driver-level ones the cursor saw."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine


async def explain(engine: AsyncEngine, sql: str, params: Any) -> list[str]:
    async with engine.connect() as conn:
        raw: Any = (await conn.get_raw_connection()).driver_connection
        if engine.dialect.name == "postgresql":
            rows = await raw.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *(params or ()))
            return [r[0] for r in rows]
        cursor = await raw.execute(f"EXPLAIN QUERY PLAN {sql}", params or ())
        depth: dict[int, int] = {}
        lines = []
        for node, parent, _, detail in await cursor.fetchall():
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return lines
