"""The results: a table per database on stdout, and the same as JSON in .bench/."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scripts.benchmark.config import BenchConfig
from scripts.benchmark.runner import DatabaseResult, TargetResult
from scripts.benchmark.sqlcount import SqlProfile

COLUMNS = ["query", "executor", "SQL", "SQL ms", "req/s", "p50 ms", "p95 ms", "p99 ms",
           "peak RSS MB", "CPU ms/req", "client CPU%", "errors"]  # fmt: skip
NUMERIC = set(COLUMNS[2:])


def _cells(t: TargetResult) -> list[str]:
    load = t.load
    flags = ("*" if t.sql.grows_with_page_size else "") + ("?" if t.misrouted else "")
    return [
        t.target.query,
        t.target.executor.name,
        f"{t.sql.count}{flags}",
        f"{t.sql.sql_ms:.1f}",
        f"{load.rps:.1f}",
        f"{load.percentile(50):.1f}",
        f"{load.percentile(95):.1f}",
        f"{load.percentile(99):.1f}",
        f"{t.peak_rss_mb:.0f}",
        f"{t.cpu_ms_per_request:.1f}",
        f"{t.client_cpu_percent:.0f}",
        str(t.errors),
    ]


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        return " | ".join(
            c.rjust(w) if COLUMNS[i] in NUMERIC else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(COLUMNS), rule, *(line(r) for r in rows)])


# The targets, for the nested documents query.
TARGET_QUERY = "nested documents"
MIN_COMPILED_OVER_RESOLVERS = 5.0
MIN_COMPILED_OVER_BARE = 0.5
SIDE_BY_SIDE = ["query", "compiled", "resolvers", "bare", "rest", "compiled/resolvers",
                "compiled/bare", "compiled SQL per root field"]  # fmt: skip


def _verdict(value: float | None, ok: bool) -> str:
    """PASS/MISS; n/a when a row is missing (--only) or had errors."""
    if value is None:
        return "n/a"
    return "PASS" if ok else "MISS"


def _by_executor(result: DatabaseResult) -> dict[str, dict[str, TargetResult]]:
    """query -> executor -> result, in table order."""
    out: dict[str, dict[str, TargetResult]] = {}
    for t in result.targets:
        out.setdefault(t.target.query, {})[t.target.executor.name] = t
    return out


def _rps(t: TargetResult | None) -> str:
    if t is None:
        return "-"
    return f"{t.load.rps:.1f}" + ("!" if t.errors else "") + ("?" if t.misrouted else "")


def _ratio(a: TargetResult | None, b: TargetResult | None) -> float | None:
    if a is None or b is None or not b.load.rps or a.errors or b.errors:
        return None
    return a.load.rps / b.load.rps


def _per_root_field(t: TargetResult | None, baseline: int | None) -> int | None:
    """The compiled row's statements beyond auth + tenant resolution (one root field
    per query here), when it really was answered by the compiled path."""
    if t is None or baseline is None or t.misrouted or t.sql.failure:
        return None
    return t.sql.count - baseline


def side_by_side(result: DatabaseResult) -> list[str]:
    """Per query: req/s of each executor and the ratios of the compiled path, with
    PASS/MISS against the issue's targets for the nested documents query."""
    rows: list[list[str]] = []
    verdicts: list[str] = []
    baseline = result.baseline_statements.get("compiled")
    for query, rows_by in _by_executor(result).items():
        compiled, resolvers = rows_by.get("compiled"), rows_by.get("resolvers")
        bare, rest = rows_by.get("bare"), rows_by.get("rest")
        over_resolvers = _ratio(compiled, resolvers)
        over_bare = _ratio(compiled, bare)
        per_field = _per_root_field(compiled, baseline)
        cells = [
            query,
            _rps(compiled),
            _rps(resolvers),
            _rps(bare),
            _rps(rest),
            "-" if over_resolvers is None else f"{over_resolvers:.2f}x",
            "-" if over_bare is None else f"{over_bare:.2f}",
            "-" if per_field is None else str(per_field),
        ]
        if query == TARGET_QUERY:
            ok = over_resolvers is not None and over_resolvers >= MIN_COMPILED_OVER_RESOLVERS
            cells[5] += f" {_verdict(over_resolvers, ok)}"
            verdicts.append(
                f"  compiled/resolvers req/s >= {MIN_COMPILED_OVER_RESOLVERS:g}x: "
                f"{cells[5]} ({_rps(compiled)} / {_rps(resolvers)})"
            )
            ok = over_bare is not None and over_bare >= MIN_COMPILED_OVER_BARE
            cells[6] += f" {_verdict(over_bare, ok)}"
            verdicts.append(
                f"  compiled/bare req/s >= {MIN_COMPILED_OVER_BARE:g}: "
                f"{cells[6]} ({_rps(compiled)} / {_rps(bare)})"
            )
            cells[7] += f" {_verdict(per_field, per_field == 1)}"
            verdicts.append(
                f"  compiled SQL statements per root field == 1: {cells[7]} "
                f"({compiled.sql.count if compiled else '-'} per request, of which "
                f"{baseline} auth + tenant)"
            )
            cpu = ", ".join(
                f"{name} {t.cpu_ms_per_request:.1f}"
                for name, t in (("compiled", compiled), ("resolvers", resolvers), ("bare", bare))
                if t is not None
            )
            verdicts.append(
                f"  (server CPU ms per request, steadier than req/s on a shared machine: {cpu})"
            )
        rows.append(cells)
    widths = [max(len(r[i]) for r in [SIDE_BY_SIDE, *rows]) for i in range(len(SIDE_BY_SIDE))]

    def line(cells: list[str]) -> str:
        return " | ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [
        "",
        "side by side, req/s (bare: the same SQL statement served by a bare Starlette "
        "endpoint, the ceiling of this stack; '!': that row had errors, no ratio; '?': "
        "answered by another executor than its column says):",
        line(SIDE_BY_SIDE),
        "-+-".join("-" * w for w in widths),
        *(line(r) for r in rows),
    ]
    if verdicts:
        out += [f"targets ({TARGET_QUERY}, {result.database}):", *verdicts]
    return out


def render(result: DatabaseResult, config: BenchConfig) -> str:
    shape = f"{config.requests} requests" if config.requests else f"{config.duration:g}s"
    baselines = ", ".join(f"{k} {v}" for k, v in result.baseline_statements.items())
    idle = ", ".join(f"{k} {v:.0f}" for k, v in result.idle_rss_mb.items())
    out = [
        "",
        f"=== {result.database}: {result.version}; uvicorn --workers {result.workers}; "
        f"concurrency {config.concurrency}; {shape} per query after a {config.warmup:g}s "
        "warm-up ===",
        table([_cells(t) for t in result.targets]),
        "SQL: statements per request, counted in-process; they include auth + tenant "
        f"resolution, which alone costs ({baselines}) for `{{ __typename }}`.",
        "SQL ms: their time in the driver, single request, no load. RSS: uvicorn master + "
        f"workers (idle after start, MB: {idle}); peak during that row's load. CPU ms/req: "
        "the uvicorn processes' CPU per request (with SQLite it includes the database's "
        "work; PostgreSQL's own processes are not counted). client CPU%: the load "
        "generator (this process; near 100 it may be what limits req/s).",
    ]
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
    out.extend(side_by_side(result))
    out.extend(_plans(result))
    out.extend(_failures(result))
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
                out.append(f"  {t.target.name}: {t.errors} errors")
                if t.sql.failure:
                    out.append(f"    in-process: {t.sql.failure}")
                out += [f"    {sample}" for sample in t.load.error_samples]
    if result.server_log:
        out.append(f"server log ({len(result.server_log)} lines; last 10):")
        out += [f"  {line}" for line in result.server_log[-10:]]
    return out


def _profile_json(profile: SqlProfile) -> dict[str, Any]:
    slowest = profile.slowest
    return {
        "statements": profile.count,
        "statements_at_quarter_page": profile.smaller_page_statements,
        "grows_with_page_size": profile.grows_with_page_size,
        "answered_by": profile.answered_by,
        "notes": profile.notes,
        "sql_ms": round(profile.sql_ms, 2),
        "slowest_ms": round(slowest.ms, 2) if slowest else None,
        "failure": profile.failure,
        "sql": [{"ms": round(s.ms, 2), "sql": s.sql, "plan": s.plan} for s in profile.statements],
    }


def _target_json(t: TargetResult) -> dict[str, Any]:
    return {
        "query": t.target.query,
        "executor": t.target.executor.name,
        "page_size": t.target.page_size,
        "sql": _profile_json(t.sql),
        "requests": t.load.requests,
        "rps": round(t.load.rps, 2),
        "p50_ms": round(t.load.percentile(50), 2),
        "p95_ms": round(t.load.percentile(95), 2),
        "p99_ms": round(t.load.percentile(99), 2),
        "max_ms": round(max(t.load.latencies_ms, default=0.0), 2),
        "peak_rss_mb": round(t.peak_rss_mb, 1),
        "server_cpu_ms_per_request": round(t.cpu_ms_per_request, 2),
        "client_cpu_percent": round(t.client_cpu_percent, 1),
        "errors": t.errors,
        "error_samples": t.load.error_samples,
    }


def _side_by_side_json(result: DatabaseResult) -> list[dict[str, Any]]:
    baseline = result.baseline_statements.get("compiled")
    out = []
    for query, rows_by in _by_executor(result).items():
        compiled = rows_by.get("compiled")
        over_resolvers = _ratio(compiled, rows_by.get("resolvers"))
        over_bare = _ratio(compiled, rows_by.get("bare"))
        entry: dict[str, Any] = {
            "query": query,
            "rps": {name: round(t.load.rps, 2) for name, t in rows_by.items()},
            "compiled_over_resolvers": None if over_resolvers is None else round(over_resolvers, 3),
            "compiled_over_bare": None if over_bare is None else round(over_bare, 3),
            "compiled_statements_per_root_field": _per_root_field(compiled, baseline),
        }
        if query == TARGET_QUERY:
            per_field = _per_root_field(compiled, baseline)
            entry["targets"] = {  # a pass is null when not measured (--only) or had errors
                "compiled_over_resolvers_min": MIN_COMPILED_OVER_RESOLVERS,
                "compiled_over_resolvers_pass": None
                if over_resolvers is None
                else over_resolvers >= MIN_COMPILED_OVER_RESOLVERS,
                "compiled_over_bare_min": MIN_COMPILED_OVER_BARE,
                "compiled_over_bare_pass": None
                if over_bare is None
                else over_bare >= MIN_COMPILED_OVER_BARE,
                "statements_per_root_field_pass": None if per_field is None else per_field == 1,
            }
        out.append(entry)
    return out


def to_json(result: DatabaseResult, config: BenchConfig) -> dict[str, Any]:
    return {
        "command": config.command,
        "database": result.database,
        "version": result.version,
        "workers": result.workers,
        "load": {
            "concurrency": config.concurrency,
            "duration_s": config.duration,
            "requests": config.requests,
            "warmup_s": config.warmup,
        },
        "dataset": {
            "sizes": asdict(config.sizes),
            "rows": result.seeded.rows,
            "busy_contact_documents": result.seeded.fixture.busy_contact_documents,
        },
        "seconds": {"seed": result.seeded.seconds, "run": result.seconds["total"]},
        "baseline_statements": result.baseline_statements,
        "idle_rss_mb": {k: round(v, 1) for k, v in result.idle_rss_mb.items()},
        "machine": result.machine,
        "errors": result.errors,
        "results": [_target_json(t) for t in result.targets],
        "side_by_side": _side_by_side_json(result),
        "server_log": result.server_log[-50:],
    }


def write_json(result: DatabaseResult, config: BenchConfig) -> Path:
    config.out_dir.mkdir(parents=True, exist_ok=True)
    path = config.out_dir / f"results-{result.database}.json"
    path.write_text(json.dumps(to_json(result, config), indent=2, default=str) + "\n")
    return path
