"""Two checkouts' read paths side by side on PostgreSQL: is this code slower than an
older revision's?

Each checkout seeds a database of its own (its own schema and seeding code) in one
cluster, serves it with uvicorn (one worker, started in that checkout), and wrk loads
the servers in turn, round after round, so that both see the same machine: a single
run of `scripts/bench` varies by 15-20% on a shared machine, which hides a 10%
regression. Prints, per query and checkout, the median and range over the rounds of
req/s, of the server's CPU per request (its processes' CPU times) and of the
database's (its backends' /proc times, scripts/benchmark/dbcpu.py). Run by
`scripts/bench-compare` (which makes the older checkout and the cluster).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, fields
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import create_async_engine

from scripts.benchmark import wrk
from scripts.benchmark.api import login
from scripts.benchmark.config import Sizes
from scripts.benchmark.dbcpu import BackendCpu
from scripts.benchmark.rss import tree_cpu_seconds
from scripts.benchmark.server import Server
from scripts.benchmark.targets import TARGETS, Fixture

# Run by each checkout's own Python in its own directory: its schema, its seeding.
SEED = """
import asyncio, dataclasses, json, sys
from sqlalchemy.ext.asyncio import create_async_engine
from scripts.benchmark.config import Sizes
from scripts.benchmark.rss import tree_cpu_seconds
from scripts.benchmark.databases import create_schema
from scripts.benchmark.seed import seed

async def main():
    engine = create_async_engine(sys.argv[1])
    try:
        await create_schema(engine)
        seeded = await seed(engine, Sizes(**json.loads(sys.argv[2])), 1)
    finally:
        await engine.dispose()
    print(json.dumps(dataclasses.asdict(seeded.fixture)))

asyncio.run(main())
"""


@dataclass
class Side:
    name: str
    checkout: Path
    owner_url: str
    app_url: str
    fixture: Fixture | None = None
    server: Server | None = None


def _seed(side: Side, sizes: Sizes) -> Fixture:
    wanted = {"documents": sizes.documents, "contacts": sizes.contacts}
    done = subprocess.run(
        [str(side.checkout / ".venv/bin/python"), "-c", SEED, side.owner_url, json.dumps(wanted)],
        cwd=side.checkout,
        env={**os.environ, "PYTHONPATH": str(side.checkout)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{side.name}: seeding failed:\n{done.stderr[-2000:]}")
    seeded = json.loads(done.stdout.strip().splitlines()[-1])
    known = {f.name for f in fields(Fixture)}
    facts = {k: tuple(v) if isinstance(v, list) else v for k, v in seeded.items() if k in known}
    return Fixture(**facts)


async def _serve(side: Side, compiled: bool, log_dir: Path) -> None:
    env = {"LEDGERGRAPH_COMPILED_READS": "true" if compiled else "false"}
    server = Server(
        database_url=side.app_url,
        workers=1,
        log_path=log_dir / f"{side.name}.log",
        env=env,
        cwd=side.checkout,
    )
    server.start()
    side.server = server
    await server.wait_ready()


async def compare(args: argparse.Namespace) -> None:
    sizes = Sizes(documents=args.documents, contacts=args.contacts)
    sides = [
        Side("old", Path(args.old), args.old_owner_url, args.old_app_url),
        Side("new", Path(args.new), args.new_owner_url, args.new_app_url),
    ]
    if args.swap:  # the newer checkout seeded, served and loaded first
        sides.reverse()
    for side in sides:
        print(f"seeding {side.name} ({side.checkout})", flush=True)
        side.fixture = _seed(side, sizes)
    log_dir = Path(args.new) / ".bench" / "compare"
    try:
        for side in sides:
            await _serve(side, args.kind == "compiled", log_dir)
        for query in args.query:
            await _compare_query(query, args, sides)
    finally:
        for side in sides:
            if side.server is not None:
                side.server.stop()


async def _compare_query(query: str, args: argparse.Namespace, sides: list[Side]) -> None:
    name = f"{query} [{args.kind}]"
    target = next((t for t in TARGETS if t.name == name), None)
    if target is None:
        raise SystemExit(f"no benchmark row {name!r}")
    loads = []
    monitors = {side.name: create_async_engine(side.owner_url) for side in sides}
    for side in sides:
        assert side.server is not None and side.fixture is not None
        async with httpx.AsyncClient(base_url=side.server.base_url) as client:
            headers = await login(client, side.fixture)
        probe = target.probe(side.fixture)
        await wrk.run(  # a warm-up: the plans made, the pool filled
            side.server.base_url, [probe], headers, concurrency=args.concurrency, duration=2
        )
        loads.append((side, probe, headers))
    rounds: dict[str, list[tuple[float, float, float]]] = {side.name: [] for side in sides}
    try:
        for number in range(args.rounds):
            # Who goes first alternates: neither always follows the other's load.
            order = loads if number % 2 == 0 else loads[::-1]
            for side, probe, headers in order:
                rounds[side.name].append(await _round(side, probe, headers, monitors, args))
    finally:
        for engine in monitors.values():
            await engine.dispose()
    print(f"{name}, concurrency {args.concurrency}, {args.rounds} rounds of {args.seconds:g} s:")
    for side in sides:
        rps, cpu, db = (list(column) for column in zip(*rounds[side.name], strict=True))
        print(
            f"  {side.name:>3} ({side.checkout}): req/s median {statistics.median(rps):.0f}"
            f" (range {min(rps):.0f}-{max(rps):.0f}), ms/request medians: server CPU"
            f" {statistics.median(cpu):.3f} (range {min(cpu):.3f}-{max(cpu):.3f}),"
            f" database CPU {statistics.median(db):.3f} (range {min(db):.3f}-{max(db):.3f})"
        )
    old, new = (statistics.median(r for r, _, _ in rounds[name]) for name in ("old", "new"))
    print(f"  new / old req/s: {new / old:.2f}", flush=True)


async def _round(side: Side, probe, headers, monitors, args) -> tuple[float, float, float]:
    """One side's round: its req/s, server and database CPU ms per request."""
    assert side.server is not None
    database = BackendCpu.for_url(monitors[side.name], side.server.pid, side.app_url)
    await database.start()
    before = tree_cpu_seconds(side.server.pid)
    [result] = await wrk.run(
        side.server.base_url, [probe], headers, concurrency=args.concurrency, duration=args.seconds
    )
    cpu_ms = (tree_cpu_seconds(side.server.pid) - before) / max(result.ok, 1) * 1000
    await database.stop()
    db_ms = (database.seconds or 0.0) / max(result.ok, 1) * 1000
    if result.errors:
        raise SystemExit(f"{side.name}: {result.errors} failed: {result.error_samples[:2]}")
    return result.rps, cpu_ms, db_ms


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="scripts/bench-compare", description=__doc__)
    p.add_argument("--old", required=True, help="the older checkout's directory")
    p.add_argument("--new", required=True, help="the newer checkout's directory")
    for side in ("old", "new"):
        p.add_argument(f"--{side}-owner-url", required=True)
        p.add_argument(f"--{side}-app-url", required=True)
    p.add_argument("--query", action="append", help="a benchmark query (repeatable)")
    p.add_argument("--kind", choices=("compiled", "resolvers"), default="compiled")
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--seconds", type=float, default=4)
    p.add_argument("--concurrency", type=int, default=10)
    p.add_argument(
        "--swap", action="store_true", help="the newer checkout first (seeded, served, loaded)"
    )
    p.add_argument("--documents", type=int, default=3000)
    p.add_argument("--contacts", type=int, default=500)
    args = p.parse_args(argv)
    args.query = args.query or ["flat list", "nested documents", "contact with documents"]
    asyncio.run(compare(args))


if __name__ == "__main__":
    sys.exit(main())
