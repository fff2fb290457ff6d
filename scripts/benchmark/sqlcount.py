"""SQL statements per request, measured in-process: the real app over ASGI, with a
cursor listener on its engine and, on PostgreSQL, behind the round-trip proxy
(roundtrips.py). Each request runs twice to warm up, then once counted."""

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
from gql.compiler.direct import observe_statements, stop_observing
from gql.db.driver import DriverStatement
from gql.settings import Settings
from scripts.benchmark.api import login, send
from scripts.benchmark.config import JWT_SECRET, THROTTLE_BUCKET_SIZE, THROTTLE_RESTORE_RATE
from scripts.benchmark.explain import explain
from scripts.benchmark.pgwire import WireCounts
from scripts.benchmark.roundtrips import RoundTripProxy
from scripts.benchmark.targets import (
    BASELINE,
    Executor,
    Fixture,
    Probe,
    Target,
    answered_by,
    captured_id,
)

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
    wire: WireCounts | None = None  # PostgreSQL: what crossed the wire (roundtrips.py)

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
    while `recording()` is active, each with its time in the driver. With `direct`,
    also those the compiled path's steady state sends on the driver itself
    (gql/compiler/direct.py), which pass no engine event (their time: not known)."""

    def __init__(self, engine: AsyncEngine, *, direct: bool = True) -> None:
        self._async_engine = engine
        self._engine = engine.sync_engine
        self._direct = direct
        self._statements: list[Statement] | None = None

    def _sent_directly(self, statement: DriverStatement) -> None:
        if self._statements is not None:
            self._statements.append(Statement(statement.text, statement.params))

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
        if self._direct:
            observe_statements(self._async_engine, self._sent_directly)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._before)
        event.remove(self._engine, "after_cursor_execute", self._after)
        if self._direct:
            stop_observing(self._async_engine, self._sent_directly)

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


async def _send_steps(
    client: httpx.AsyncClient, probes: list[Probe], headers: dict[str, str]
) -> None:
    """The sequence once, unrecorded (a warm-up)."""
    captured: str | None = None
    for probe in probes:
        failure, body = await send(client, probe.with_id(captured or ""), headers)
        if failure is not None:
            return
        captured = captured_id(body) if probe.captures_id else captured


async def _profile(
    client: httpx.AsyncClient,
    recorder: Recorder,
    proxy: RoundTripProxy | None,
    probes: list[Probe],
    headers: dict[str, str],
) -> list[SqlProfile]:
    """Statements (and, behind the proxy, round trips) of each step of a sequence, sent
    twice to warm up (plans, caches, prepared statements, pool), then once counted."""
    profiles: list[SqlProfile] = []
    captured: str | None = None
    with compiler_notes() as notes:
        # Twice: the first resolves the access on the full path; on the compiled path
        # the second pays ahead of the next reads (gql/core/prepaid.py), so the counted
        # one is the steady state's.
        for _ in range(2):
            await _send_steps(client, probes, headers)
        for probe in probes:
            if proxy is not None:
                await proxy.settled()
                before = proxy.snapshot()
            with recorder.recording() as statements:
                failure, body = await send(client, probe.with_id(captured or ""), headers)
            wire = None
            if proxy is not None:
                await proxy.settled()
                wire = proxy.snapshot() - before
            executor = answered_by(body) if probe.style == "graphql" else None
            profiles.append(SqlProfile(statements, failure, executor, wire=wire))
            if probe.captures_id:
                captured = captured_id(body)
    for profile in profiles:
        profile.notes = list(dict.fromkeys(notes))
    return profiles


async def measure(
    database_url: str,
    executor: Executor,
    fixture: Fixture,
    targets: list[Target],
    *,
    explain_ms: float | None,
    proxy: RoundTripProxy | None = None,
) -> SqlReport:
    """Statement counts of `targets` (and of the rows of their sequences) on an app
    configured as `executor` needs; round trips too when `proxy` (a RoundTripProxy to
    the database) is given; and, when `explain_ms` is set, the plans of statements that
    took at least that long."""
    settings = Settings(
        database_url=database_url if proxy is None else proxy.url_for(database_url),
        jwt_secret=JWT_SECRET,
        log_level="warning",
        # As the served rows' bucket (config.py): counted reads all spend points ahead
        # alike, none is ever refused, whatever the rows before them cost.
        throttle_bucket_size=THROTTLE_BUCKET_SIZE,
        throttle_restore_rate=THROTTLE_RESTORE_RATE,
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
                (baseline,) = await _profile(client, recorder, proxy, [BASELINE], headers)
                report = SqlReport(baseline, {})
                for target in targets:
                    probes = [row.probe(fixture) for row in target.rows]
                    profiles = await _profile(client, recorder, proxy, probes, headers)
                    if target.page_size > 0:  # 0: not a paged query
                        smaller = target.probe(fixture, max(1, target.page_size // 4))
                        (small,) = await _profile(client, recorder, None, [smaller], headers)
                        profiles[0].smaller_page_statements = small.count
                    for row, profile in zip(target.rows, profiles, strict=True):
                        report.targets[row.name] = profile
        if explain_ms is not None:
            for profile in report.targets.values():
                for statement in profile.statements:
                    if statement.ms >= explain_ms:
                        statement.plan = await explain(
                            engine, statement.sql, statement.params, fixture.company_id
                        )
    return report
