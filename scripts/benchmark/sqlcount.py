"""SQL statements per request, measured in-process: the real app over ASGI, with a
cursor listener on its engine. Each request runs once to warm up, then once counted."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from gql.app import create_app
from gql.settings import Settings
from scripts.benchmark.api import login, send
from scripts.benchmark.config import JWT_SECRET
from scripts.benchmark.explain import explain
from scripts.benchmark.targets import BASELINE, Executor, Fixture, Probe, Target, answered_by

COMPILER_LOGGER = "ledgergraph.compiler"


@dataclass
class Statement:
    sql: str
    params: Any
    ms: float = 0.0
    plan: list[str] = field(default_factory=list)


@dataclass
class SqlProfile:
    statements: list[Statement]
    failure: str | None = None
    answered_by: str | None = None  # GraphQL: "compiled", "resolver" or both
    smaller_page_statements: int | None = None  # the same request at a quarter of the page size
    notes: list[str] = field(default_factory=list)  # from the SQL compiler's log

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def sql_ms(self) -> float:
        return sum(s.ms for s in self.statements)

    @property
    def slowest(self) -> Statement | None:
        return max(self.statements, key=lambda s: s.ms, default=None)

    @property
    def grows_with_page_size(self) -> bool:
        return (
            self.smaller_page_statements is not None and self.smaller_page_statements != self.count
        )


@dataclass
class SqlReport:
    baseline: SqlProfile  # `{ __typename }`: auth and tenant resolution only
    targets: dict[str, SqlProfile]


class Recorder:
    """Listens on the engine for the whole measurement; keeps the statements sent
    while `recording()` is active, each with its time in the driver."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine
        self._statements: list[Statement] | None = None

    def _before(
        self, conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool
    ) -> None:
        conn.info["bench_started"] = time.perf_counter()
        if self._statements is not None:
            self._statements.append(Statement(sql, params))

    def _after(
        self, conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool
    ) -> None:
        started = conn.info.pop("bench_started", None)
        if self._statements and started is not None:
            self._statements[-1].ms = (time.perf_counter() - started) * 1000

    def __enter__(self) -> Recorder:
        event.listen(self._engine, "before_cursor_execute", self._before)
        event.listen(self._engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._before)
        event.remove(self._engine, "after_cursor_execute", self._after)

    @contextmanager
    def recording(self) -> Iterator[list[Statement]]:
        """Every statement the engine sends while the block runs, with its duration."""
        statements: list[Statement] = []
        self._statements = statements
        try:
            yield statements
        finally:
            self._statements = None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def compiler_notes() -> Iterator[list[str]]:
    """What the SQL compiler logs while planning (e.g. why a field took the resolver path)."""
    logger = logging.getLogger(COMPILER_LOGGER)
    handler, level, propagate = _Collect(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # collected here, not printed
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


async def _profile(
    client: httpx.AsyncClient, recorder: Recorder, probe: Probe, headers: dict[str, str]
) -> SqlProfile:
    with compiler_notes() as notes:
        await send(client, probe, headers)  # warm: plans, caches, prepared statements, pool
        with recorder.recording() as statements:
            failure, body = await send(client, probe, headers)
    executor = answered_by(body) if probe.style == "graphql" else None
    return SqlProfile(statements, failure, executor, notes=list(dict.fromkeys(notes)))


async def measure(
    database_url: str,
    executor: Executor,
    fixture: Fixture,
    targets: list[Target],
    *,
    explain_ms: float | None,
) -> SqlReport:
    """Statement counts of `targets` on an app configured as `executor` needs (and, when
    `explain_ms` is set, the plans of statements that took at least that long)."""
    settings = Settings(
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        log_level="warning",
        **executor.settings_dict(),
    )
    app = create_app(settings)
    async with LifespanManager(app):
        engine: AsyncEngine = app.state.engine  # set by the app's lifespan
        # The app itself, not manager.app: asgi-lifespan hands every request the same
        # `scope["state"]` dict, where the GraphQL view keeps per-request objects.
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            headers = await login(client, fixture)
            with Recorder(engine) as recorder:
                report = SqlReport(await _profile(client, recorder, BASELINE, headers), {})
                for target in targets:
                    profile = await _profile(client, recorder, target.probe(fixture), headers)
                    if target.page_size > 0:  # 0: not a paged query
                        smaller = target.probe(fixture, max(1, target.page_size // 4))
                        small = await _profile(client, recorder, smaller, headers)
                        profile.smaller_page_statements = small.count
                    report.targets[target.name] = profile
        if explain_ms is not None:
            for profile in report.targets.values():
                for statement in profile.statements:
                    if statement.ms >= explain_ms:
                        statement.plan = await explain(engine, statement.sql, statement.params)
    return report
