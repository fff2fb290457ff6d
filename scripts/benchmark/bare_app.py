"""The "bare" server: the ceiling of this stack (uvicorn + Starlette + the SQLAlchemy
async engine + the driver) for the bytes the compiled read path serves.

One endpoint per GraphQL query. Each runs EXACTLY the SQL statement (text and driver
parameters) that the compiled path sent for that query, as `capture.py` recorded it
on the real app in-process, and answers `{"data":{"<root field>":` + the statement's
JSON text + `}}` as application/json. No GraphQL parsing or validation, no auth, no
tenant lookup, no ORM: what is left is HTTP, the pool, the driver and the database.
It connects as the database's owner, so row-level security (which needs the tenant
set in the transaction) does not apply to it.

Served as `uvicorn --factory scripts.benchmark.bare_app:app_factory` with
BENCH_BARE_SQL naming the JSON file of statements and the database, pool size and
engine setup (SQLite pragmas and the functions the compiled SQL calls,
gql/compiler/sqlenv.py) taken from the same LEDGERGRAPH_* settings and the same
`gql.db.engine.create_engine` as the app.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SPEC_ENV = "BENCH_BARE_SQL"

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


# --- driver parameters as JSON (types kept: the driver binds a date as a date) ----------------

_TAGGED: dict[str, Callable[[str], Any]] = {
    "decimal": Decimal,
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "time": time.fromisoformat,
    "bytes": bytes.fromhex,
}


def encode_param(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {"$": "time", "v": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$": "bytes", "v": bytes(value).hex()}
    raise TypeError(f"cannot replay a driver parameter of type {type(value).__name__}: {value!r}")


def decode_param(value: Any) -> Any:
    if isinstance(value, dict):
        return _TAGGED[value["$"]](value["v"])
    return value


def encode_params(params: Any) -> list[Any] | dict[str, Any]:
    """Positional (SQLite's qmark) or named (psycopg's pyformat) driver parameters."""
    if params is None:
        return []
    if isinstance(params, dict):
        return {name: encode_param(p) for name, p in params.items()}
    return [encode_param(p) for p in params]


def decode_params(params: list[Any] | dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
    if isinstance(params, dict):
        return {name: decode_param(p) for name, p in params.items()}
    return tuple(decode_param(p) for p in params)


# --- what the server replays ------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    """One endpoint: the compiled statement of one GraphQL query."""

    path: str  # e.g. /bare/nested-documents
    root_key: str  # the query's (single) root field, e.g. "documents"
    sql: str  # as the driver received it
    params: list[Any] | dict[str, Any]  # encode_params() of the driver parameters
    query: str = ""  # the GraphQL query it stands for (for the reader)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "root_key": self.root_key,
            "sql": self.sql,
            "params": self.params,
            "query": self.query,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Replay:
        return cls(data["path"], data["root_key"], data["sql"], data["params"], data["query"])


def write_spec(path: Path, replays: list[Replay]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([r.to_json() for r in replays], indent=2) + "\n")
    return path


def read_spec(path: Path) -> list[Replay]:
    return [Replay.from_json(d) for d in json.loads(path.read_text())]


# --- the app ------------------------------------------------------------------------------------


def _endpoint(app: Starlette, replay: Replay) -> Endpoint:
    sql = replay.sql
    params = decode_params(replay.params)
    prefix = '{"data":{' + json.dumps(replay.root_key) + ":"

    async def run(request: Request) -> Response:
        engine: AsyncEngine = app.state.engine
        async with engine.connect() as conn:
            value = (await conn.exec_driver_sql(sql, params)).scalar()
        body = prefix + ("null" if value is None else value) + "}}"
        return Response(body, media_type="application/json")

    return run


async def healthz(request: Request) -> Response:
    async with request.app.state.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


def create_app(database_url: str, pool_size: int, replays: list[Replay]) -> Starlette:
    from gql.db.engine import create_engine  # the app's engine setup (SQLite functions included)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = create_engine(database_url, pool_size=pool_size)
        try:
            yield
        finally:
            await app.state.engine.dispose()

    app = Starlette(lifespan=lifespan)
    app.router.routes.append(Route("/healthz", healthz, methods=["GET"]))
    for replay in replays:
        # GET or POST: the load sends the GraphQL request body unchanged; it is not read.
        app.router.routes.append(
            Route(replay.path, _endpoint(app, replay), methods=["GET", "POST"])
        )
    return app


def app_factory() -> Starlette:
    """For `uvicorn --factory scripts.benchmark.bare_app:app_factory`: the database and
    pool size as the app reads them (LEDGERGRAPH_*), the statements from BENCH_BARE_SQL."""
    from gql.heap import settle_heap
    from gql.settings import Settings

    settings = Settings()
    spec = os.environ.get(SPEC_ENV)
    if not spec:
        raise SystemExit(f"bare app: {SPEC_ENV} must name the JSON file of statements")
    app = create_app(settings.database_url, settings.db_pool_size, read_spec(Path(spec)))
    settle_heap()  # as the app's own factory does: the ceiling gets the same process
    return app
