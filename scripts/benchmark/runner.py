"""One database, end to end: fresh schema and seed; for each server configuration
the executors need, the SQL counts in-process; then every configuration's uvicorn at
once, and the targets under HTTP load one after the other, in table order (a query's
compiled, resolver and bare rows back to back)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

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
from scripts.benchmark.rss import PeakRss, tree_cpu_seconds, tree_rss
from scripts.benchmark.seed import SeedResult, describe, seed
from scripts.benchmark.server import APP_FACTORY, BARE_FACTORY, Server
from scripts.benchmark.sqlcount import SqlProfile, SqlReport, measure
from scripts.benchmark.targets import Probe, Target


@dataclass
class TargetResult:
    target: Target
    sql: SqlProfile
    load: load.LoadResult
    warmup_errors: int
    peak_rss_mb: float
    server_cpu_s: float = 0.0  # the uvicorn processes' CPU during the measured load
    client_cpu_s: float = 0.0  # the bench process's (the load generator's) CPU, same span

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request: steadier than req/s when others load the machine."""
        return self.server_cpu_s * 1000 / self.load.requests if self.load.requests else 0.0

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
    workers: int
    seeded: SeedResult
    baseline_statements: dict[str, int] = field(default_factory=dict)  # executor -> count
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


async def run_database(name: str, config: BenchConfig, targets: list[Target]) -> DatabaseResult:
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
        say(f"busiest contact: {seeded.fixture.busy_contact_documents} documents")
        result = DatabaseResult(name, version, config.workers[name], seeded)
        result.machine.append(machine_load())
        # Every configuration's in-process part first, on a quiet machine...
        configurations = [
            await _prepare_configuration(result, database, group, config)
            for group in by_configuration(targets)
        ]
        # ...then every server at once, and each query's rows loaded back to back, so
        # the rows a ratio compares meet the same machine (colleagues' load drifts).
        await _load_all(result, configurations, targets, config)
    finally:
        database.cleanup()
    result.machine.append(machine_load())
    order = {t.name: i for i, t in enumerate(targets)}
    result.targets.sort(key=lambda t: order[t.target.name])
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
    result: DatabaseResult, database: Database, targets: list[Target], config: BenchConfig
) -> Configuration:
    """Its SQL counts in-process (for the bare app: the compiled statements it
    replays, recorded on the real app) and its server, not started yet. The app
    connects as the app role (row-level security on); the bare ceiling as the owner,
    since it replays a statement without setting a tenant."""
    executor = targets[0].executor
    database_url = database.app_url
    names = sorted({t.executor.name for t in targets})
    label = "+".join(names)
    fixture = result.seeded.fixture
    log_path = config.out_dir / f"server-{result.database}-{label}.log"
    bare: BareCapture | None = None
    if executor.server == "bare":
        progress(f"[{label}] recording the compiled statements in-process; replaying them")
        spec = config.out_dir / f"bare-{result.database}.json"
        bare = await capture(database_url, executor, fixture, targets, spec, database.url)
        sql = bare.report
        env = {**executor.env(), SPEC_ENV: str(spec.resolve())}
        factory = BARE_FACTORY
    else:
        progress(f"[{label}] counting SQL statements in-process")
        explain_ms = config.explain_ms if config.explain else None
        sql = await measure(database_url, executor, fixture, targets, explain_ms=explain_ms)
        env = executor.env()
        factory = APP_FACTORY
    for name in names:
        result.baseline_statements[name] = sql.baseline.count
    server = Server(
        database_url=database.url if executor.server == "bare" else database_url,
        workers=result.workers,
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
) -> None:
    fixture = result.seeded.fixture
    serving = {t.name: c for c in configurations for t in c.targets}
    try:
        with contextlib.ExitStack() as servers:
            for c in configurations:
                servers.enter_context(c.server)
            progress(f"starting {len(configurations)} servers")
            await asyncio.gather(*(c.server.wait_ready() for c in configurations))
            async with contextlib.AsyncExitStack() as clients:
                client_of: dict[str, httpx.AsyncClient] = {}
                for c in configurations:
                    progress(f"[{c.label}] uvicorn {' '.join(c.server.command[1:])} {c.env or ''}")
                    if c.bare is not None:
                        headers = c.bare.headers  # the compiled rows' request; not read
                    else:
                        async with httpx.AsyncClient(
                            base_url=c.server.base_url, timeout=30.0
                        ) as auth_client:
                            headers = await login(auth_client, fixture)
                    result.idle_rss_mb[c.label] = tree_rss(c.server.pid) / 2**20
                    client_of[c.label] = await clients.enter_async_context(
                        load.client_for(c.server.base_url, headers, config.concurrency)
                    )
                for target in targets:
                    c = serving[target.name]
                    client = client_of[c.label]
                    probe = target.probe(fixture)
                    profile = c.sql.targets[target.name]
                    if c.bare is not None and profile.failure is None:
                        # The served bare app answers what the compiled path answers.
                        response = await client.request(
                            probe.method, probe.path, json=probe.json, params=probe.params
                        )
                        profile.failure = c.bare.check(
                            target, response.status_code, response.content
                        )
                    outcome = await _load_target(
                        client, c.server.pid, target, probe, profile, config
                    )
                    result.targets.append(outcome)
        progress("servers stopped")
    finally:
        for c in configurations:
            result.server_log += [f"[{c.label}] {line}" for line in c.server.log_lines()]


async def _load_target(
    client: httpx.AsyncClient,
    pid: int,
    target: Target,
    probe: Probe,
    sql: SqlProfile,
    config: BenchConfig,
) -> TargetResult:
    warm = await load.run(client, probe, concurrency=config.concurrency, duration=config.warmup)
    server_cpu, client_cpu = tree_cpu_seconds(pid), time.process_time()
    with PeakRss(pid) as peak:
        measured = await load.run(
            client,
            probe,
            concurrency=config.concurrency,
            duration=None if config.requests else config.duration,
            requests=config.requests,
        )
    server_cpu, client_cpu = tree_cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu
    measured.error_samples = [*warm.error_samples, *measured.error_samples][: load.MAX_SAMPLES]
    outcome = TargetResult(target, sql, measured, warm.errors, peak.mb, server_cpu, client_cpu)
    rps, p50 = measured.rps, measured.percentile(50)
    progress(
        f"  {target.name}: {rps:.1f} req/s, p50 {p50:.1f} ms, "
        f"server CPU {outcome.cpu_ms_per_request:.1f} ms/req, errors {outcome.errors}"
    )
    return outcome
