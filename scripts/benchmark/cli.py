"""Command line of scripts/bench."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import signal
import sys
import time
import traceback
from pathlib import Path

from scripts.benchmark import subscriptions, wrk
from scripts.benchmark.config import DATABASES, DEFAULT_WORKERS, BenchConfig, Sizes
from scripts.benchmark.report import render, write_json
from scripts.benchmark.runner import machine_load, run_database, say
from scripts.benchmark.targets import TARGETS, select_targets


def _databases(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in DATABASES]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"choose from {','.join(DATABASES)}")
    return names


def _workers(value: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(n) for n in value.split(",") if n.strip())
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("comma-separated worker counts, e.g. 1,2")
    return counts


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Seed a realistic dataset, serve it with uvicorn, load it with wrk and "
        "measure per request: database round trips (PostgreSQL, counted on the wire) and "
        "SQL statements, req/s, p50/p95/p99 latency, server and database CPU, peak RSS; "
        "reads first, then with more workers, writes last.",
        epilog="rows: " + "; ".join(r.name for t in TARGETS for r in t.rows),
    )
    d = Sizes()
    p.add_argument(
        "--db", type=_databases, default=DATABASES, help="sqlite,postgres (default both)"
    )
    p.add_argument(
        "--contacts", type=int, default=d.contacts, help="contacts (default %(default)s)"
    )
    p.add_argument("--items", type=int, default=d.items, help="items (default %(default)s)")
    p.add_argument(
        "--documents", type=int, default=d.documents, help="documents (default %(default)s)"
    )
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply contacts, items, documents, deals, activities, tickets, proposals, "
        "contracts",
    )
    p.add_argument(
        "--concurrency", type=int, default=10, help="concurrent clients (default %(default)s)"
    )
    p.add_argument(
        "--duration",
        type=float,
        default=BenchConfig.duration,
        help="seconds of load per row, rounded up to whole seconds (default %(default)s)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=BenchConfig.warmup,
        help="seconds of warm-up per row (default %(default)s)",
    )
    p.add_argument(
        "--workers",
        type=_workers,
        default=DEFAULT_WORKERS,
        help="uvicorn worker counts: the first serves every row, the others repeat the "
        "compiled rows of the ratio queries (default 1,2; 1: no repeat)",
    )
    p.add_argument(
        "--python-load",
        action="store_true",
        help="load with the Python generator instead of wrk (the fallback when wrk is missing)",
    )
    p.add_argument(
        "--only",
        default="",
        help="comma-separated parts of row names to run, e.g. 'nested,trial' or '[compiled]'",
    )
    p.add_argument(
        "--seed", type=int, default=1, help="random seed of the dataset (default %(default)s)"
    )
    p.add_argument("--explain", action="store_true", help="print the plans of slow statements")
    p.add_argument(
        "--explain-ms",
        type=float,
        default=5.0,
        help="what --explain calls slow (default %(default)s)",
    )
    p.add_argument(
        "--postgres-url",
        default=os.environ.get("PG_TEST_URL"),
        help="an empty PostgreSQL database (scripts/bench starts a throwaway one)",
    )
    p.add_argument(
        "--out", type=Path, default=Path(".bench"), help="where results go (default %(default)s)"
    )
    return p


def config_from(argv: list[str]) -> BenchConfig:
    args = parser().parse_args(argv)
    sizes = Sizes(contacts=args.contacts, items=args.items, documents=args.documents).scaled(
        args.scale
    )
    entry = os.environ.get("BENCH_ENTRY", "python -m scripts.benchmark")
    return BenchConfig(
        databases=args.db,
        sizes=sizes,
        concurrency=args.concurrency,
        duration=args.duration,
        warmup=args.warmup,
        workers=args.workers,
        python_load=args.python_load,
        only=tuple(o.strip() for o in args.only.split(",") if o.strip()),
        random_seed=args.seed,
        postgres_url=args.postgres_url,
        explain=args.explain,
        explain_ms=args.explain_ms,
        out_dir=args.out,
        command=shlex.join([*shlex.split(entry), *argv]),
    )


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so the uvicorn server is stopped


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    config = config_from(sys.argv[1:] if argv is None else argv)
    if config.only == ("subscriptions",):  # a load test of its own, on its own small data
        return subscriptions.main(config.databases, config.postgres_url, config.out_dir)
    targets = select_targets(config.only)
    started = time.perf_counter()
    s = config.sizes
    say(f"command: {config.command}")
    say(
        f"dataset: 1 company with {s.contacts:,} contacts, {s.items:,} items, {s.taxes} taxes, "
        f"{s.categories} categories, {s.documents:,} documents of {s.min_lines}-{s.max_lines} "
        f"lines and the vouchers issuing them posts, {s.deals:,} deals, {s.activities:,} "
        f"activities, {s.tickets:,} tickets, {s.proposals:,} proposals, {s.contracts:,} "
        f"contracts, {s.employees:,} employees with a pay run a month (24 months), "
        f"{s.projects:,} projects with {s.time_entries:,} time entries; plus a second "
        "company with a little data"
    )
    rows = "; ".join(r.name for t in targets for r in t.rows)
    say(f"databases: {', '.join(config.databases)}; rows: {rows}")
    say(f"machine: {os.cpu_count()} CPUs; {machine_load()}")
    use_wrk = not config.python_load and wrk.available() is not None
    if use_wrk:
        say(f"load generator: wrk ({wrk.available()})")
    else:
        why = "--python-load" if config.python_load else "wrk is not installed"
        say(f"load generator: the Python one ({why}); it shares the CPUs with the server")
    failed: list[str] = []
    errors = 0
    for name in config.databases:
        try:
            result = asyncio.run(run_database(name, config, targets, use_wrk))
        except Exception:
            traceback.print_exc()
            say(f"!!! {name}: the benchmark FAILED (see the traceback above)")
            failed.append(name)
            continue
        say(render(result, config))
        say(f"written: {write_json(result, config)}")
        errors += result.errors
    say(f"\nwhole run: {time.perf_counter() - started:.0f}s; {machine_load()}")
    if errors or failed:
        say(f"!!! {errors} failed requests; failed databases: {', '.join(failed) or 'none'}")
        return 1
    return 0
