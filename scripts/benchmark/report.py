"""The results: a table per database on stdout, and the same as JSON in .bench/."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scripts.benchmark.config import BenchConfig
from scripts.benchmark.goals import applies, goals, round_trips
from scripts.benchmark.runner import DatabaseResult, TargetResult
from scripts.benchmark.sqlcount import SqlProfile

COLUMNS = ["query", "executor", "workers", "clients", "round trips", "SQL", "req/s", "p50 ms",
           "p95 ms", "p99 ms", "server CPU ms/req", "DB CPU ms/req", "peak RSS MB",
           "client CPU%", "errors"]  # fmt: skip
TEXT = {"query", "executor"}


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cells(t: TargetResult) -> list[str]:
    load = t.load
    flags = ("*" if t.sql.grows_with_page_size else "") + ("?" if t.misrouted else "")
    trips = round_trips(t)
    return [
        t.target.query,
        t.target.executor.name,
        str(t.workers),
        str(t.concurrency),
        "-" if trips is None else str(trips),
        f"{t.sql.count}{flags}",
        f"{load.rps:.1f}",
        f"{load.percentile(50):.1f}",
        f"{load.percentile(95):.1f}",
        f"{load.percentile(99):.1f}",
        _ms(t.cpu_ms_per_request),
        _ms(t.db_cpu_ms_per_request),
        f"{t.peak_rss_mb:.0f}",
        f"{t.client_cpu_percent:.0f}",
        str(t.errors),
    ]


def table(columns: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]

    def line(cells: list[str]) -> str:
        return " | ".join(
            c.ljust(w) if columns[i] in TEXT else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(columns), rule, *(line(r) for r in rows)])


SIDE_BY_SIDE = ["query", "workers", "compiled", "resolvers", "bare", "compiled/resolvers",
                "compiled/bare"]  # fmt: skip


def _by_executor(result: DatabaseResult) -> dict[tuple[str, int], dict[str, TargetResult]]:
    """(query, workers) -> executor -> result, in table order."""
    out: dict[tuple[str, int], dict[str, TargetResult]] = {}
    for t in result.targets:
        out.setdefault((t.target.query, t.workers), {})[t.target.executor.name] = t
    return out


def _rps(t: TargetResult | None) -> str:
    if t is None:
        return "-"
    return f"{t.load.rps:.1f}" + ("!" if t.errors else "") + ("?" if t.misrouted else "")


def _ratio(a: TargetResult | None, b: TargetResult | None) -> float | None:
    if a is None or b is None or not b.load.rps or a.errors or b.errors:
        return None
    return a.load.rps / b.load.rps


def _side_by_side_rows(result: DatabaseResult) -> list[list[str]]:
    rows = []
    for (query, workers), by in _by_executor(result).items():
        compiled = by.get("compiled")
        if compiled is None:
            continue
        over_resolvers = _ratio(compiled, by.get("resolvers"))
        over_bare = _ratio(compiled, by.get("bare"))
        rows.append(
            [
                query,
                str(workers),
                _rps(compiled),
                _rps(by.get("resolvers")),
                _rps(by.get("bare")),
                "-" if over_resolvers is None else f"{over_resolvers:.2f}x",
                "-" if over_bare is None else f"{over_bare:.2f}",
            ]
        )
    return rows


def _goal_lines(result: DatabaseResult, config: BenchConfig) -> list[str]:
    where = (
        ""
        if applies(result, config.concurrency)
        else " (for information: the issue states them for PostgreSQL at concurrency 10)"
    )
    out = [f"targets ({result.database}, the {min(_workers(result))}-worker rows){where}:"]
    out += [f"  {g.verdict:4} {g.query}: {g.what}: {g.value}" for g in goals(result)]
    return out


def _workers(result: DatabaseResult) -> list[int]:
    return sorted({t.workers for t in result.targets}) or [1]


def _notes(result: DatabaseResult) -> list[str]:
    out = []
    for t in result.targets:
        if t.sql.grows_with_page_size:
            smaller = max(1, t.target.page_size // 4)
            out.append(
                f"* {t.target.name}: {t.sql.count} statements at page size "
                f"{t.target.page_size}, {t.sql.smaller_page_statements} at {smaller}: the "
                "count grows with the page size (N+1)."
            )
        if t.misrouted:
            why = f" ({'; '.join(t.sql.notes)})" if t.sql.notes else ""
            out.append(
                f"? {t.target.name}: answered by '{t.sql.answered_by}', "
                f"not '{t.target.executor.expect}'{why}."
            )
    return out


def render(result: DatabaseResult, config: BenchConfig) -> str:
    baselines = ", ".join(f"{k} {v}" for k, v in result.baseline_statements.items())
    trips = ", ".join(f"{k} {v}" for k, v in result.baseline_round_trips.items())
    idle = ", ".join(f"{k} {v:.0f}" for k, v in result.idle_rss_mb.items())
    generator = "wrk" if result.load_generator == "wrk" else "the Python load generator"
    out = [
        "",
        f"=== {result.database}: {result.version}; {config.duration:g}s per row after a "
        f"{config.warmup:g}s warm-up; load by {generator} ===",
        table(COLUMNS, [_cells(t) for t in result.targets]),
        "round trips: to PostgreSQL per request, counted on the wire by a proxy in a "
        "separate in-process pass (a Sync or simple Query sent with none outstanding; "
        "SQLite: in-process, '-'). SQL: statements per request, counted at the engine in "
        f"the same pass; auth + tenant alone ({{ __typename }}) cost: statements "
        f"{baselines}" + (f"; round trips {trips}" if trips else "") + ".",
        "server CPU: the uvicorn processes' per request (with SQLite it includes the "
        "database's work). DB CPU: the PostgreSQL backends serving that server, from "
        "/proc. Rows of one sequence (create, then issue it) share their CPU figures: the "
        "sequence's per request. RSS: uvicorn master + workers (idle after start, MB: "
        f"{idle}); peak during that row's load. client CPU%: the load generator's.",
        *_notes(result),
        "",
        "side by side, req/s (bare: the compiled path's own statement served by a bare "
        "Starlette endpoint, the ceiling of this stack; '!': that row had errors, no "
        "ratio; '?': answered by another executor than its column says):",
        table(SIDE_BY_SIDE, _side_by_side_rows(result)),
        *_goal_lines(result, config),
        *_plans(result),
        *_failures(result),
    ]
    seconds = result.seconds
    out.append(f"seeding {seconds['seed']:.1f}s; {result.database} run {seconds['total']:.1f}s")
    out.append(f"machine before / after the load: {' / '.join(result.machine)}")
    return "\n".join(out)


def _plans(result: DatabaseResult) -> list[str]:
    out = []
    for t in result.targets:
        for statement in t.sql.statements:
            if statement.plan:
                out.append(f"\n-- {t.target.name}: {statement.ms:.1f} ms\n{statement.sql}")
                out.extend(f"   {line}" for line in statement.plan)
    return out


def _failures(result: DatabaseResult) -> list[str]:
    out = []
    if result.errors:
        bar = "!" * 78
        out += [
            bar,
            f"!!! {result.database}: {result.errors} FAILED REQUESTS; these numbers are not valid",
            bar,
        ]
        for t in result.targets:
            if t.errors:
                out.append(f"  {t.target.name} x{t.workers}: {t.errors} errors")
                if t.sql.failure:
                    out.append(f"    in-process: {t.sql.failure}")
                out += [f"    {sample}" for sample in t.load.error_samples]
    if result.server_log:
        out.append(f"server log ({len(result.server_log)} lines; last 10):")
        out += [f"  {line}" for line in result.server_log[-10:]]
    return out


def _profile_json(profile: SqlProfile) -> dict[str, Any]:
    slowest = profile.slowest
    wire = profile.wire
    return {
        "statements": profile.count,
        "statements_at_quarter_page": profile.smaller_page_statements,
        "grows_with_page_size": profile.grows_with_page_size,
        "answered_by": profile.answered_by,
        "notes": profile.notes,
        "sql_ms": round(profile.sql_ms, 2),
        "slowest_ms": round(slowest.ms, 2) if slowest else None,
        "failure": profile.failure,
        "wire": None if wire is None else asdict(wire),  # round trips, syncs, what each carried
        "sql": [{"ms": round(s.ms, 2), "sql": s.sql, "plan": s.plan} for s in profile.statements],
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _target_json(t: TargetResult) -> dict[str, Any]:
    return {
        "query": t.target.query,
        "executor": t.target.executor.name,
        "workers": t.workers,
        "concurrency": t.concurrency,
        "page_size": t.target.page_size,
        "round_trips": round_trips(t),
        "sql": _profile_json(t.sql),
        "requests": t.load.requests,
        "rps": round(t.load.rps, 2),
        "p50_ms": round(t.load.percentile(50), 2),
        "p95_ms": round(t.load.percentile(95), 2),
        "p99_ms": round(t.load.percentile(99), 2),
        "max_ms": round(max(t.load.latencies_ms, default=0.0), 2),
        "peak_rss_mb": round(t.peak_rss_mb, 1),
        "server_cpu_ms_per_request": _rounded(t.cpu_ms_per_request),
        "db_cpu_ms_per_request": _rounded(t.db_cpu_ms_per_request),
        "sequence_requests": t.sequence_requests or None,
        "client_cpu_percent": round(t.client_cpu_percent, 1),
        "errors": t.errors,
        "error_samples": t.load.error_samples,
    }


def to_json(result: DatabaseResult, config: BenchConfig) -> dict[str, Any]:
    return {
        "command": config.command,
        "database": result.database,
        "version": result.version,
        "load_generator": result.load_generator,
        "load": {
            "concurrency": config.concurrency,
            "duration_s": config.duration,
            "warmup_s": config.warmup,
            "workers": list(config.workers),
        },
        "dataset": {
            "sizes": asdict(config.sizes),
            "rows": result.seeded.rows,
            "busy_contact_documents": result.seeded.fixture.busy_contact_documents,
        },
        "seconds": {"seed": result.seeded.seconds, "run": result.seconds["total"]},
        "baseline_statements": result.baseline_statements,
        "baseline_round_trips": result.baseline_round_trips,
        "idle_rss_mb": {k: round(v, 1) for k, v in result.idle_rss_mb.items()},
        "machine": result.machine,
        "errors": result.errors,
        "results": [_target_json(t) for t in result.targets],
        "side_by_side": [
            dict(zip(SIDE_BY_SIDE, r, strict=True)) for r in _side_by_side_rows(result)
        ],
        "targets": {
            "stated_conditions": applies(result, config.concurrency),
            "checks": [{**asdict(g), "verdict": g.verdict} for g in goals(result)],
        },
        "server_log": result.server_log[-50:],
    }


def write_json(result: DatabaseResult, config: BenchConfig) -> Path:
    config.out_dir.mkdir(parents=True, exist_ok=True)
    path = config.out_dir / f"results-{result.database}.json"
    path.write_text(json.dumps(to_json(result, config), indent=2, default=str) + "\n")
    return path
