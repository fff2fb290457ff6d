"""The issue's targets, checked on one database's results: on PostgreSQL at concurrency
10, for each ratio query, the compiled path at least 0.9x the bare ceiling's req/s in
the same run, its server CPU per request within 1.5x the bare ceiling's, and 1 round
trip per request; the trial balance's p50 under 20 ms at concurrency 1.

Checked on the first worker count's rows (the run every row has). Elsewhere (SQLite,
another concurrency) the same checks are shown for information."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.benchmark.runner import DatabaseResult, TargetResult
from scripts.benchmark.targets import RATIO_QUERIES

MIN_COMPILED_OVER_BARE = 0.9
MAX_CPU_OVER_BARE = 1.5
ROUND_TRIPS = 1
TRIAL_BALANCE = "trial balance"
TRIAL_BALANCE_P50_MS = 20.0
GOAL_DATABASE = "postgres"
GOAL_CONCURRENCY = 10


@dataclass(frozen=True)
class Goal:
    query: str
    what: str
    value: str  # the measured figure(s)
    passed: bool | None  # None: not measured (--only), or its rows had errors

    @property
    def verdict(self) -> str:
        return "n/a" if self.passed is None else "PASS" if self.passed else "MISS"


def applies(result: DatabaseResult, concurrency: int) -> bool:
    """Whether these are the conditions the issue's targets are stated for."""
    return result.database == GOAL_DATABASE and concurrency == GOAL_CONCURRENCY


def _row(result: DatabaseResult, query: str, executor: str) -> TargetResult | None:
    workers = min((t.workers for t in result.targets), default=1)
    for t in result.targets:
        if t.target.query == query and t.target.executor.name == executor and t.workers == workers:
            return t
    return None


def _usable(*rows: TargetResult | None) -> bool:
    return all(r is not None and not r.errors and r.load.ok for r in rows)


def round_trips(t: TargetResult | None) -> int | None:
    """Counted round trips of one request of that row (PostgreSQL only)."""
    if t is None or t.sql.wire is None or t.sql.failure:
        return None
    return t.sql.wire.round_trips


def _ratio_goals(result: DatabaseResult, query: str) -> list[Goal]:
    compiled, bare = _row(result, query, "compiled"), _row(result, query, "bare")
    goals = []
    if compiled is not None and bare is not None and _usable(compiled, bare):
        rps = compiled.load.rps / bare.load.rps
        cpu = compiled.cpu_ms_per_request / bare.cpu_ms_per_request
        goals += [
            Goal(
                query,
                f"compiled/bare req/s >= {MIN_COMPILED_OVER_BARE:g}",
                f"{rps:.2f} ({compiled.load.rps:.1f} / {bare.load.rps:.1f})",
                rps >= MIN_COMPILED_OVER_BARE,
            ),
            Goal(
                query,
                f"compiled/bare server CPU per request <= {MAX_CPU_OVER_BARE:g}",
                f"{cpu:.2f} ({compiled.cpu_ms_per_request:.2f} / {bare.cpu_ms_per_request:.2f} ms)",
                cpu <= MAX_CPU_OVER_BARE,
            ),
        ]
    else:
        for what in ("compiled/bare req/s", "compiled/bare server CPU per request"):
            goals.append(Goal(query, what, "-", None))
    trips = round_trips(compiled)
    goals.append(
        Goal(
            query,
            f"compiled round trips per request == {ROUND_TRIPS}",
            "-" if trips is None else str(trips),
            None if trips is None or compiled is None or compiled.misrouted else trips == 1,
        )
    )
    return goals


def _trial_balance_goal(result: DatabaseResult) -> Goal:
    row = next((t for t in result.targets if t.target.query == TRIAL_BALANCE), None)
    what = f"p50 < {TRIAL_BALANCE_P50_MS:g} ms at concurrency 1"
    if row is None or not _usable(row) or row.concurrency != 1:
        return Goal(TRIAL_BALANCE, what, "-", None)
    p50 = row.load.percentile(50)
    return Goal(TRIAL_BALANCE, what, f"{p50:.1f} ms", p50 < TRIAL_BALANCE_P50_MS)


def goals(result: DatabaseResult) -> list[Goal]:
    out = [g for query in RATIO_QUERIES for g in _ratio_goals(result, query)]
    return [*out, _trial_balance_goal(result)]
