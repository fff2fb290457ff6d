"""The subscriptions load test (`scripts/bench --only subscriptions`): open subscriptions
over real WebSockets to uvicorn with 2 workers, writes at a steady rate, and the delivery
latency and server memory per open subscription.

PostgreSQL by default (the fan-out across worker processes is LISTEN/NOTIFY); SQLite
has one process, so it runs with 1 worker there. Each of `companies` companies has
`per_company` subscribers of `events(types: [CONTACT_UPDATED]) { node { ... on Contact
{ name } } }`, each on a WebSocket of its own; the writes are `contactUpdate`s spread
evenly over the companies, each naming its contact after the moment it was sent, so a
delivery's latency is (arrival - send): the mutation, its commit, the fan-out, the
node's read with fresh loaders and the message, as a client sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from gql.core.ids import to_global_id
from scripts.benchmark.databases import create_schema, engine_for, prepare
from scripts.benchmark.rss import tree_rss
from scripts.benchmark.runner import machine_load, say
from scripts.benchmark.server import Server

DRAIN_SECONDS = 30
SUBSCRIPTION = (
    "subscription { events(types: [CONTACT_UPDATED]) { type node { ... on Contact { name } } } }"
)
UPDATE = """mutation($input: ContactUpdateInput!) {
  contactUpdate(input: $input) { userErrors { message } } }"""


@dataclass
class Plan:
    companies: int = 100
    per_company: int = 5  # 500 open subscriptions
    writes_per_second: float = 50.0
    seconds: float = 20.0
    workers: int = 2


@dataclass
class Company:
    token: str
    company_id: str
    contact_id: str


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    writes: int = 0
    failed_writes: int = 0
    errors: list[Any] = field(default_factory=list)  # deliveries that came as errors
    write_errors: list[Any] = field(default_factory=list)  # what the refused writes said
    sent: list[int] = field(default_factory=list)  # each write's stamp, in sending order
    received: Counter[int] = field(default_factory=Counter)  # deliveries per write stamp
    expected: int | None = None  # once the writes are done: the deliveries they owe
    all_arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def arrived(self, latency_ms: float) -> None:
        self.latencies_ms.append(latency_ms)
        if self.expected is not None and len(self.latencies_ms) >= self.expected:
            self.all_arrived.set()


async def _company(client: httpx.AsyncClient, n: int) -> Company:
    body = {"name": f"Owner {n}", "email": f"subscriber{n}@example.com", "password": "x" * 12}
    data = (await client.post("/api/auth/register", json=body)).json()["data"]
    token, company_id = data["token"], data["company"]["id"]
    headers = {"authorization": f"Bearer {token}"}
    contact = {"name": "Watched", "type": "customer"}
    created = await client.post("/api/contacts", json=contact, headers=headers)
    return Company(token, company_id, to_global_id("Contact", created.json()["data"]["id"]))


async def _subscribe(url: str, company: Company) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    init = {"authorization": f"Bearer {company.token}", "companyId": company.company_id}
    await ws.send(json.dumps({"type": "connection_init", "payload": init}))
    ack = json.loads(await ws.recv())
    if ack.get("type") != "connection_ack":
        raise RuntimeError(f"connection refused: {ack}")
    payload = {"query": SUBSCRIPTION}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return ws


async def _receive(ws: ClientConnection, outcome: Outcome) -> None:
    async for raw in ws:
        message = json.loads(raw)
        if message.get("type") != "next":
            continue
        data = message["payload"].get("data")
        if not data:  # an error in place of the change: counted, and the socket goes on
            outcome.errors.append(message["payload"].get("errors"))
            continue
        sent = int(data["events"]["node"]["name"].rsplit(" ", 1)[1])
        outcome.received[sent] += 1
        outcome.arrived((time.time_ns() - sent) / 1e6)


async def _write(client: httpx.AsyncClient, company: Company, outcome: Outcome) -> None:
    stamp = time.time_ns()
    outcome.sent.append(stamp)
    variables = {"input": {"id": company.contact_id, "name": f"Watched {stamp}"}}
    headers = {"authorization": f"Bearer {company.token}", "x-company-id": company.company_id}
    try:
        r = await client.post(
            "/graphql", json={"query": UPDATE, "variables": variables}, headers=headers
        )
        body = r.json()
        refused = (body.get("data") or {}).get("contactUpdate", {}).get("userErrors")
        ok = r.status_code == 200 and not body.get("errors") and not refused
        if not ok:
            outcome.write_errors.append(body.get("errors") or refused)
    except httpx.HTTPError:
        ok = False
    outcome.writes += 1
    outcome.failed_writes += not ok


async def run(database_url: str, out_dir: Path, plan: Plan) -> dict[str, Any]:
    log = out_dir / "subscriptions-server.log"
    with Server(database_url=database_url, workers=plan.workers, log_path=log, env={}) as server:
        await server.wait_ready(within=300)  # two workers build the schema at once
        limits = httpx.Limits(max_connections=20)
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits) as client:
            companies = [await _company(client, n) for n in range(plan.companies)]
            await asyncio.sleep(1)  # let the workers settle before the baseline
            idle_rss = tree_rss(server.pid)
            url = server.base_url.replace("http", "ws") + "/graphql"
            sockets = [
                await _subscribe(url, company)
                for company in companies
                for _ in range(plan.per_company)
            ]
            await asyncio.sleep(2)  # every subscription registered on its worker
            open_rss = tree_rss(server.pid)
            outcome = Outcome()
            receivers = [asyncio.create_task(_receive(ws, outcome)) for ws in sockets]
            writes = []
            interval = 1 / plan.writes_per_second
            started = time.monotonic()
            for n in range(int(plan.seconds * plan.writes_per_second)):
                await asyncio.sleep(max(started + n * interval - time.monotonic(), 0))
                company = companies[n % len(companies)]
                writes.append(asyncio.create_task(_write(client, company, outcome)))
            await asyncio.gather(*writes)
            # The last deliveries: until every write's have come, or DRAIN_SECONDS
            # after the last write (what is still missing then counts as lost).
            outcome.expected = (outcome.writes - outcome.failed_writes) * plan.per_company
            if len(outcome.latencies_ms) < outcome.expected:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(outcome.all_arrived.wait(), DRAIN_SECONDS)
            elapsed = time.monotonic() - started
            for task in receivers:
                task.cancel()
            for ws in sockets:
                await ws.close()
    expected = (outcome.writes - outcome.failed_writes) * plan.per_company  # what was owed
    latencies = sorted(outcome.latencies_ms)
    return {
        "subscriptions": len(sockets),
        "workers": plan.workers,
        "writes": outcome.writes,
        "failed_writes": outcome.failed_writes,
        "first_write_error": outcome.write_errors[0] if outcome.write_errors else None,
        "writes_per_second": round(outcome.writes / plan.seconds, 1),
        "deliveries": len(latencies),
        "error_deliveries": len(outcome.errors),
        "first_error": outcome.errors[0] if outcome.errors else None,
        # Which writes came short (their places among the writes, in sending order).
        "short_writes": [
            n for n, stamp in enumerate(outcome.sent) if outcome.received[stamp] < plan.per_company
        ][:50],
        "expected_deliveries": expected,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "kb_per_subscription": round((open_rss - idle_rss) / len(sockets) / 1024, 1),
        "seconds": round(elapsed, 1),
    }


def main(databases: tuple[str, ...], postgres_url: str | None, out_dir: Path) -> int:
    """Run the load test on each database; 1 when a write or a delivery went missing."""
    failed = False
    for name in databases:
        database = prepare(name, postgres_url)
        try:
            engine = engine_for(database)
            asyncio.run(_create(engine))
            plan = Plan(workers=2 if name == "postgres" else 1)
            say(f"machine: {machine_load()}")
            say(
                f"\n== subscriptions, {name}: {plan.companies * plan.per_company} open, "
                f"{plan.writes_per_second:g} writes/s for {plan.seconds:g}s, "
                f"{plan.workers} worker(s) =="
            )
            result = asyncio.run(run(database.app_url, out_dir, plan))
        finally:
            database.cleanup()
        say(json.dumps(result, indent=2))
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"subscriptions-{name}.json").write_text(json.dumps(result, indent=2))
        failed |= (
            bool(result["failed_writes"]) or result["deliveries"] < result["expected_deliveries"]
        )
    return 1 if failed else 0


async def _create(engine: Any) -> None:
    try:
        await create_schema(engine)
    finally:
        await engine.dispose()
