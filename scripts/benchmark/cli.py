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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Seed a realistic dataset, serve it with uvicorn and measure throughput, "
        "latency, memory and SQL statements per request.",
        epilog="queries: " + "; ".join(t.name for t in TARGETS),
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
    p.add_argument("--scale", type=float, default=1.0, help="multiply contacts, items, documents")
    p.add_argument(
        "--concurrency", type=int, default=10, help="concurrent clients (default %(default)s)"
    )
    p.add_argument(
        "--duration",
        type=float,
        default=8.0,
        help="seconds of load per query (default %(default)s)",
    )
    p.add_argument(
        "--requests", type=int, help="a fixed number of requests per query instead of --duration"
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=1.0,
        help="seconds of warm-up per query (default %(default)s)",
    )
    p.add_argument("--workers", type=int, help="uvicorn workers (default: sqlite 1, postgres 2)")
    p.add_argument("--only", default="", help="comma-separated parts of query names to run")
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
    workers = (
        dict(DEFAULT_WORKERS) if args.workers is None else dict.fromkeys(DATABASES, args.workers)
    )
    entry = os.environ.get("BENCH_ENTRY", "python -m scripts.benchmark")
    return BenchConfig(
        databases=args.db,
        sizes=sizes,
        concurrency=args.concurrency,
        duration=args.duration,
        requests=args.requests,
        warmup=args.warmup,
        workers=workers,
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
    targets = select_targets(config.only)
    started = time.perf_counter()
    s = config.sizes
    say(f"command: {config.command}")
    say(
        f"dataset: 1 company with {s.contacts:,} contacts, {s.items:,} items, {s.taxes} taxes, "
        f"{s.categories} categories, {s.documents:,} documents of {s.min_lines}-{s.max_lines} "
        "lines and the vouchers issuing them posts; plus a second company with a little data"
    )
    say(f"databases: {', '.join(config.databases)}; queries: {'; '.join(t.name for t in targets)}")
    say(f"machine: {os.cpu_count()} CPUs; {machine_load()}")
    failed: list[str] = []
    errors = 0
    for name in config.databases:
        try:
            result = asyncio.run(run_database(name, config, targets))
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
