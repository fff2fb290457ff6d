"""CPU per request of the resolver path, in-process: the real app over ASGI (no
server, no HTTP), the benchmark's nested documents query, `compiled_reads` off.

Seeds a small benchmark dataset once into a SQLite file (kept for later runs), or
uses the PostgreSQL database at --postgres-url (seeded when empty), then sends the
query in rounds of N requests and prints CPU ms per request (time.process_time: the server's own
work, which load on the machine disturbs less; the best of several rounds is the
steadiest figure). --cprofile FILE writes a cProfile
of the measured requests.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import time
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import select

from gql.app import create_app
from gql.db.engine import create_engine
from gql.domains.companies.models import Membership, User
from gql.heap import settle_heap
from gql.settings import Settings
from scripts.benchmark.api import login, send
from scripts.benchmark.config import JWT_SECRET, PASSWORD, Sizes
from scripts.benchmark.databases import create_schema
from scripts.benchmark.seed import seed
from scripts.benchmark.targets import TARGETS, Fixture

EMAIL = "owner@bench.example.com"


async def _fixture(url: str, sizes: Sizes) -> Fixture:
    """The seeded company, seeding it first when the database has none."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            try:
                company = await conn.scalar(
                    select(Membership.company_id)
                    .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
                    .where(User.email == EMAIL)
                )
            except Exception:  # no schema yet
                company = None
        if company is None:
            await create_schema(engine)
            seeded = await seed(engine, sizes, 1)
            return seeded.fixture
        return Fixture(company, EMAIL, PASSWORD, "", 0)
    finally:
        await engine.dispose()


async def _round(
    client: httpx.AsyncClient, probe: Any, headers: dict[str, str], requests: int, clients: int
) -> None:
    """`requests` requests sent by `clients` concurrent clients (1: one after another)."""
    left = iter(range(requests))

    async def one_client() -> None:
        for _ in left:
            await send(client, probe, headers)

    await asyncio.gather(*(one_client() for _ in range(clients)))


async def run(args: argparse.Namespace) -> None:
    url = args.postgres_url or f"sqlite+aiosqlite:///{args.sqlite}"
    fixture = await _fixture(url, Sizes().scaled(args.scale))
    app_url = args.app_url or url
    settings = Settings(
        database_url=app_url,
        jwt_secret=JWT_SECRET,
        log_level="warning",
        compiled_reads=args.compiled,
    )
    target = next(t for t in TARGETS if t.name == f"{args.query} [resolvers]")
    probe = target.probe(fixture)
    app = create_app(settings)
    settle_heap()  # as a served process is (gql/app.py: app_factory)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            headers = await login(client, fixture)
            for _ in range(args.warmup):
                failure, _body = await send(client, probe, headers)
                if failure:
                    raise SystemExit(failure)
            profiler = cProfile.Profile() if args.cprofile else None
            if profiler:
                profiler.enable()
            rounds: list[tuple[float, float]] = []
            for _ in range(args.rounds):
                cpu, wall = time.process_time(), time.perf_counter()
                await _round(client, probe, headers, args.requests, args.concurrency)
                rounds.append((time.process_time() - cpu, time.perf_counter() - wall))
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.cprofile)
    per_request = sorted((c / args.requests * 1000, w / args.requests * 1000) for c, w in rounds)
    best, median = per_request[0], per_request[len(per_request) // 2]
    print(
        f"{target.query} ({'compiled' if args.compiled else 'resolvers'}, "
        f"{url.split(':', 1)[0]}): {args.rounds} rounds of {args.requests} requests, "
        f"CPU ms/request best {best[0]:.2f} median {median[0]:.2f} "
        f"(wall ms/request best round {best[1]:.2f})"
    )


def main() -> None:
    p = argparse.ArgumentParser(prog="scripts/profile-resolvers", description=__doc__)
    p.add_argument("--query", default="nested documents", help="a benchmark query's name")
    p.add_argument("--requests", type=int, default=40, help="per round")
    p.add_argument("--rounds", type=int, default=7, help="the best and the median are printed")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--scale", type=float, default=0.1, help="of the benchmark's dataset")
    p.add_argument("--sqlite", type=Path, default=Path(".bench/profile-resolvers.db"))
    p.add_argument("--postgres-url", default=None, help="the owner's URL (seeds when empty)")
    p.add_argument("--app-url", default=None, help="what the app connects with (default: the same)")
    p.add_argument("--concurrency", type=int, default=1, help="clients sending at once (default 1)")
    p.add_argument("--compiled", action="store_true", help="measure the compiled path instead")
    p.add_argument("--cprofile", default=None, help="write a cProfile of the measured requests")
    args = p.parse_args()
    if not args.postgres_url:
        args.sqlite.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LEDGERGRAPH_ENV", "development")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
