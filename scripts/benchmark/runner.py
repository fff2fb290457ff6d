"""One database, end to end: fresh schema and seed, then three phases: the read rows
with one uvicorn worker, the compiled read rows again with more workers, and
the write rows last (they change the data). In each phase: for each server
configuration its rows need, the counting pass in-process (SQL statements, and on
PostgreSQL round trips through the proxy); then every configuration's uvicorn at once,
and the rows under HTTP load one after the other, in table order (a query's compiled,
resolver and bare rows back to back), each with the servers' and the database's CPU."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from scripts.benchmark import load
from scripts.benchmark.api import login
from scripts.benchmark.bare_app import SPEC_ENV
from scripts.benchmark.capture import BareCapture, capture
from scripts.benchmark.config import BenchConfig
from scripts.benchmark.databases import (
    Database,
    create_schema,
    engine_for,
    prepare,
    server_version,
)
from scripts.benchmark.dbcpu import BackendCpu
from scripts.benchmark.loaders import Loader, loader_for
from scripts.benchmark.roundtrips import RoundTripProxy
from scripts.benchmark.rss import PeakRss, tree_cpu_seconds, tree_rss
from scripts.benchmark.seed import SeedResult, describe, seed
from scripts.benchmark.server import APP_FACTORY, BARE_FACTORY, Server
from scripts.benchmark.sqlcount import SqlProfile, SqlReport, measure
from scripts.benchmark.targets import Fixture, Target, more_workers_targets


@dataclass
class TargetResult:
    target: Target
    sql: SqlProfile
    load: load.LoadResult
    warmup_errors: int
    peak_rss_mb: float
    workers: int  # uvicorn workers of the server that answered
    concurrency: int  # clients
    server_cpu_s: float = 0.0  # the uvicorn processes' CPU during the measured load
    client_cpu_s: float = 0.0  # the load generator's CPU, same span
    db_cpu_s: float | None = None  # PostgreSQL backends' CPU for this server, same span
    # Requests the load sent over its whole sequence (create + issue: both rows'); the
    # CPU figures are per request of the sequence, which cannot be split by step.
    sequence_requests: int = 0

    def _per_request(self, seconds: float | None) -> float | None:
        requests = self.sequence_requests or self.load.requests
        return None if seconds is None or not requests else seconds * 1000 / requests

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request: steadier than req/s when others load the machine."""
        return self._per_request(self.server_cpu_s) or 0.0

    @property
    def db_cpu_ms_per_request(self) -> float | None:
        return self._per_request(self.db_cpu_s)

    @property
    def client_cpu_percent(self) -> float:
        """How busy the load generator was (100: one core saturated: it may be the limit)."""
        return self.client_cpu_s * 100 / self.load.elapsed_s if self.load.elapsed_s else 0.0

    @property
    def errors(self) -> int:
        return self.warmup_errors + self.load.errors + (1 if self.sql.failure else 0)

    @property
    def misrouted(self) -> bool:
        """A GraphQL answer from another executor than the row claims."""
        expected = self.target.executor.expect
        return expected is not None and self.sql.answered_by != expected


@dataclass
class DatabaseResult:
    database: str
    version: str
    seeded: SeedResult
    load_generator: str = "wrk"  # or "python", the fallback
    baseline_statements: dict[str, int] = field(default_factory=dict)  # executor -> count
    baseline_round_trips: dict[str, int] = field(default_factory=dict)  # executor -> count
    idle_rss_mb: dict[str, float] = field(default_factory=dict)  # server -> MB
    targets: list[TargetResult] = field(default_factory=list)
    server_log: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    machine: list[str] = field(default_factory=list)  # load average at start and end

    @property
    def errors(self) -> int:
        return sum(t.errors for t in self.targets)


_STARTED = time.perf_counter()


def say(message: str) -> None:
    print(message, flush=True)


def progress(message: str) -> None:
    """A progress line, stamped with the seconds since the bench started."""
    say(f"[{time.perf_counter() - _STARTED:5.0f}s] {message}")


def machine_load() -> str:
    """Other processes compete with the server and the load generator for the CPUs."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def by_configuration(targets: list[Target]) -> list[list[Target]]:
    """Targets grouped by the server configuration their executor needs."""
    groups: dict[tuple[Any, ...], list[Target]] = {}
    for target in targets:
        groups.setdefault(target.executor.configuration, []).append(target)
    return list(groups.values())


@dataclass
class Tools:
    """What a PostgreSQL run measures the database with: the round-trip proxy (for the
    counting passes) and a monitoring connection (for the backends' CPU)."""

    proxy: RoundTripProxy | None = None
    monitor: AsyncEngine | None = None


@contextlib.asynccontextmanager
async def tools_for(database: Database) -> AsyncIterator[Tools]:
    if database.name != "postgres":
        yield Tools()
        return
    monitor = engine_for(database)
    try:
        async with RoundTripProxy.to(database.url) as proxy:
            yield Tools(proxy, monitor)
    finally:
        await monitor.dispose()


async def run_database(
    name: str, config: BenchConfig, targets: list[Target], use_wrk: bool
) -> DatabaseResult:
    started = time.perf_counter()
    database = prepare(name, config.postgres_url)
    try:
        engine = engine_for(database)
        try:
            await create_schema(engine)
            version = await server_version(engine)
            say(f"\n== {name}: {version} ==")
            progress("seeding")
            seeded = await seed(engine, config.sizes, config.random_seed)
        finally:
            await engine.dispose()
        progress(f"seeded in {seeded.seconds['total']:.1f}s {seeded.seconds}")
        say(f"rows: {describe(seeded.rows)}")
        f = seeded.fixture
        say(
            f"busiest contact: {f.busy_contact_documents} documents, {f.busy_contact_deals} "
            f"deals, {f.busy_contact_activities} activities, {f.busy_contact_tickets} tickets"
        )
        say(
            f"busiest employee: {f.busy_employee_payslips} payslips; busiest project: "
            f"{f.busy_project_entries} time entries"
        )
        result = DatabaseResult(name, version, seeded, "wrk" if use_wrk else "python")
        result.machine.append(machine_load())
        reads = [t for t in targets if not t.writes]
        first, *more = config.workers
        phases = [(reads, first), *((more_workers_targets(reads), w) for w in more)]
        phases.append(([t for t in targets if t.writes], first))  # they change the data: last
        async with tools_for(database) as tools:
            for phase, workers in phases:
                if not phase:
                    continue
                # Every configuration's in-process part first, on a quiet machine...
                configurations = [
                    await _prepare_configuration(result, database, group, config, workers, tools)
                    for group in by_configuration(phase)
                ]
                # ...then every server at once, and each query's rows loaded back to back,
                # so the rows a ratio compares meet the same machine (colleagues' load drifts).
                await _load_all(result, configurations, phase, config, tools, use_wrk)
    finally:
        database.cleanup()
    result.machine.append(machine_load())
    order = {row.name: i for i, t in enumerate(targets) for row in t.rows}
    result.targets.sort(key=lambda t: (order[t.target.name], t.workers))
    result.seconds = {
        "seed": seeded.seconds["total"],
        "total": round(time.perf_counter() - started, 1),
    }
    return result


@dataclass
class Configuration:
    """One server configuration, measured in-process and ready to serve."""

    label: str
    targets: list[Target]
    sql: SqlReport
    server: Server
    env: dict[str, str]
    bare: BareCapture | None = None  # the bare app's statements and expected answers


async def _prepare_configuration(
    result: DatabaseResult,
    database: Database,
    targets: list[Target],
    config: BenchConfig,
    workers: int,
    tools: Tools,
) -> Configuration:
    """Its counting pass in-process (for the bare app: the compiled statements it
    replays, recorded on the real app) and its server, not started yet. The app
    connects as the app role (row-level security on); the bare ceiling as the owner,
    since it replays a statement without setting a tenant."""
    executor = targets[0].executor
    database_url = database.app_url
    names = sorted({t.executor.name for t in targets})
    label = "+".join(names)
    fixture = result.seeded.fixture
    log_path = config.out_dir / f"server-{result.database}-{label}-x{workers}.log"
    bare: BareCapture | None = None
    if executor.server == "bare":
        progress(f"[{label}] recording the compiled statements in-process; replaying them")
        spec = config.out_dir / f"bare-{result.database}.json"
        bare = await capture(
            database_url, executor, fixture, targets, spec, database.url, tools.proxy
        )
        sql = bare.report
        env = {**executor.env(), SPEC_ENV: str(spec.resolve())}
        factory = BARE_FACTORY
    else:
        what = "SQL statements" + (" and round trips" if tools.proxy else "")
        progress(f"[{label}] counting {what} in-process")
        explain_ms = config.explain_ms if config.explain else None
        sql = await measure(
            database_url, executor, fixture, targets, explain_ms=explain_ms, proxy=tools.proxy
        )
        env = executor.env()
        factory = APP_FACTORY
    for name in names:
        result.baseline_statements[name] = sql.baseline.count
        if sql.baseline.wire is not None:
            result.baseline_round_trips[name] = sql.baseline.wire.round_trips
    server = Server(
        database_url=database.url if executor.server == "bare" else database_url,
        workers=workers,
        log_path=log_path,
        env=env,
        factory=factory,
    )
    return Configuration(label, targets, sql, server, env, bare)


async def _load_all(
    result: DatabaseResult,
    configurations: list[Configuration],
    targets: list[Target],
    config: BenchConfig,
    tools: Tools,
    use_wrk: bool,
) -> None:
    fixture = result.seeded.fixture
    serving = {t.name: c for c in configurations for t in c.targets}
    try:
        with contextlib.ExitStack() as servers:
            for c in configurations:
                servers.enter_context(c.server)
            progress(f"starting {len(configurations)} servers")
            await asyncio.gather(*(c.server.wait_ready() for c in configurations))
            async with contextlib.AsyncExitStack() as stack:
                loader_of: dict[str, Loader] = {}
                for c in configurations:
                    progress(f"[{c.label}] uvicorn {' '.join(c.server.command[1:])} {c.env or ''}")
                    if c.bare is not None:
                        headers = c.bare.headers  # the compiled rows' request; not read
                    else:
                        async with httpx.AsyncClient(
                            base_url=c.server.base_url, timeout=30.0
                        ) as auth_client:
                            headers = await login(auth_client, fixture)
                    idle = f"{c.label} x{c.server.workers}"
                    result.idle_rss_mb[idle] = tree_rss(c.server.pid) / 2**20
                    loader_of[c.label] = await stack.enter_async_context(
                        loader_for(c.server.base_url, headers, config.concurrency, use_wrk)
                    )
                for target in targets:
                    c = serving[target.name]
                    if c.bare is not None:
                        await _check_bare(c, target, fixture)
                    result.targets += await _load_target(
                        loader_of[c.label], c, target, fixture, config, tools
                    )
        progress("servers stopped")
    finally:
        for c in configurations:
            result.server_log += [f"[{c.label}] {line}" for line in c.server.log_lines()]


async def _check_bare(c: Configuration, target: Target, fixture: Fixture) -> None:
    """The served bare app answers what the compiled path answers."""
    assert c.bare is not None
    profile = c.sql.targets[target.name]
    if profile.failure is not None:
        return
    probe = target.probe(fixture)
    async with httpx.AsyncClient(base_url=c.server.base_url, timeout=30.0) as client:
        response = await client.request(probe.method, probe.path, json=probe.json)
    profile.failure = c.bare.check(target, response.status_code, response.content)


async def _server_idle(pid: int, within: float = 6.0) -> None:
    """Wait until the server has finished what the warm-up left it: wrk stops with a
    request in flight on every connection, and the server still answers them (a write
    waiting for SQLite's lock can take seconds), which would load the measured run."""
    deadline = time.monotonic() + within
    last = tree_cpu_seconds(pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        now = tree_cpu_seconds(pid)
        if now - last < 0.002:  # under 2% of a core: idle
            return
        last = now


async def _load_target(
    loader: Loader,
    c: Configuration,
    target: Target,
    fixture: Fixture,
    config: BenchConfig,
    tools: Tools,
) -> list[TargetResult]:
    """One load of `target` (and its sequence): one result per row."""
    probes = [row.probe(fixture) for row in target.rows]
    concurrency = target.concurrency or config.concurrency
    warm = await loader.run(probes, concurrency=concurrency, duration=config.warmup)
    await _server_idle(c.server.pid)
    db_cpu = None
    if tools.monitor is not None:
        db_cpu = BackendCpu.for_url(tools.monitor, c.server.pid, c.server.database_url)
        await db_cpu.start()
    server_cpu, client_cpu = tree_cpu_seconds(c.server.pid), loader.cpu_seconds()
    with PeakRss(c.server.pid) as peak:
        measured = await loader.run(probes, concurrency=concurrency, duration=config.duration)
    server_cpu = tree_cpu_seconds(c.server.pid) - server_cpu
    client_cpu = loader.cpu_seconds() - client_cpu
    if db_cpu is not None:
        await db_cpu.stop()
    total = sum(m.requests for m in measured)
    outcomes = []
    for row, run, warmed in zip(target.rows, measured, warm, strict=True):
        run.error_samples = [*warmed.error_samples, *run.error_samples][: load.MAX_SAMPLES]
        if not run.requests:  # too slow for the duration: no figure to report
            run.record_failure(f"no request completed in {config.duration:g}s")
        outcome = TargetResult(
            row,
            c.sql.targets[row.name],
            run,
            warmed.errors,
            peak.mb,
            c.server.workers,
            concurrency,
            server_cpu,
            client_cpu,
            None if db_cpu is None else db_cpu.seconds,
            total if len(measured) > 1 else 0,
        )
        db = outcome.db_cpu_ms_per_request
        progress(
            f"  {row.name} x{c.server.workers}: {run.rps:.1f} req/s, "
            f"p50 {run.percentile(50):.1f} ms, server CPU {outcome.cpu_ms_per_request:.1f} "
            f"ms/req, DB CPU {'-' if db is None else f'{db:.1f}'} ms/req, errors {outcome.errors}"
        )
        outcomes.append(outcome)
    return outcomes
