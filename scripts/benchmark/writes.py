"""The writes, measured in-process: a GraphQL `documentCreate` with five lines followed
by `documentIssue` (posting its voucher), and a REST `POST /api/documents` with the
same lines, each run N times against the real app over ASGI on a fresh database.
Prints SQL statements per request (a cursor listener on the app's engine, and the
statements sent on the driver past it), CPU ms
per request (time.process_time: load barely disturbs it) and wall p50/p99.

    .venv/bin/python -m scripts.benchmark.writes [-n 200]
    # PostgreSQL: the owner's URL builds the schema, the app connects as the app role
    .venv/bin/python -m scripts.benchmark.writes --owner-url $PG_TEST_URL --app-role $PG_APP_ROLE

`--idempotency-keys` sends a fresh Idempotency-Key with every write (what a retrying
client does), `--no-throttle` switches the company's query-cost bucket off: together
with the audit trail and the events outbox (always on) they are what the write path
pays for the API's safety features (README, Performance).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import httpx
from argon2 import profiles
from asgi_lifespan import LifespanManager
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from gql.app import create_app
from gql.auth import passwords
from gql.compiler.direct import observe_statements, stop_observing
from gql.db.driver import DriverStatement
from gql.heap import settle_heap
from gql.models import metadata
from gql.settings import Settings
from gql.tenancy import app_role_grants, enable_row_level_security

SECRET = "writes-benchmark-secret-long-enough-for-hs256-0123456789"

TAX = """mutation($input: TaxCreateInput!) { taxCreate(input: $input) {
  tax { id } userErrors { field message } } }"""
ITEM = """mutation($input: ItemCreateInput!) { itemCreate(input: $input) {
  item { id } userErrors { field message } } }"""
CREATE = """mutation($input: DocumentCreateInput!) { documentCreate(input: $input) {
  document { id number status total { amount currency } lines { name net taxAmount } }
  userErrors { field message } } }"""
# The benchmark invoices items it has booked no stock of: the company may go negative.
NEGATIVE_STOCK = """mutation { inventorySettingsUpdate(input: {allowNegativeStock: true}) {
  userErrors { field message } } }"""
ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
  document { id number status amountDue { amount } }
  userErrors { field message } } }"""


async def _schema(owner_url: str, app_role: str | None) -> None:
    engine = create_async_engine(owner_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
        await conn.run_sync(enable_row_level_security)
        if app_role:
            for grant in app_role_grants(app_role):
                await conn.exec_driver_sql(grant)
    await engine.dispose()


class Meter:
    """Statements, CPU and wall time of each measured request."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.samples: dict[str, list[tuple[int, float, float]]] = {}
        self.last: dict[str, list[str]] = {}  # each request's statements, last run

    def listen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    def direct(self, statement: DriverStatement) -> None:
        """What went on the driver past SQLAlchemy's events (the viewer's first visit)."""
        self.statements.append(statement.text)

    async def measure(self, name: str, request: Awaitable[Any]) -> Any:
        self.statements = []
        cpu, wall = time.process_time(), time.perf_counter()
        result = await request
        self.last[name] = self.statements
        sample = (
            len(self.statements),
            (time.process_time() - cpu) * 1000,
            (time.perf_counter() - wall) * 1000,
        )
        self.samples.setdefault(name, []).append(sample)
        return result

    def report(self, show: bool) -> None:
        if show:
            for name, statements in self.last.items():
                print(f"--- {name}")
                print("\n".join(" ".join(s.split())[:160] for s in statements))
        print(f"{'request':<22}{'stmts':>7}{'cpu ms':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for name, samples in self.samples.items():
            walls = sorted(s[2] for s in samples)
            p99 = walls[min(len(walls) - 1, int(len(walls) * 0.99))]
            print(
                f"{name:<22}{statistics.median(s[0] for s in samples):>7.0f}"
                f"{statistics.mean(s[1] for s in samples):>9.2f}"
                f"{statistics.median(walls):>9.2f}{p99:>9.2f}"
            )


async def _setup(client: httpx.AsyncClient) -> tuple[dict[str, str], list[dict[str, Any]], str]:
    """A company with a customer, a tax and an item: (headers, five lines, contact id)."""
    r = await client.post(
        "/api/auth/register",
        json={"name": "Bench", "email": "bench@example.com", "password": "correct-horse-1"},
    )
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    headers = {"Authorization": f"Bearer {data['token']}", "X-Company-Id": data["company"]["id"]}

    async def gql(query: str, input: dict[str, Any]) -> dict[str, Any]:
        r = await client.post(
            "/graphql", json={"query": query, "variables": {"input": input}}, headers=headers
        )
        body = r.json()
        assert not body.get("errors"), body
        (payload,) = body["data"].values()
        assert payload["userErrors"] == [], payload
        return payload  # type: ignore[no-any-return]

    r = await client.post("/graphql", json={"query": NEGATIVE_STOCK}, headers=headers)
    assert r.json()["data"]["inventorySettingsUpdate"]["userErrors"] == [], r.text
    tax = (await gql(TAX, {"name": "VAT", "rate": "20"}))["tax"]
    item = (await gql(ITEM, {"name": "Widget", "salePrice": "12.50", "taxId": tax["id"]}))["item"]
    r = await client.post(
        "/api/contacts", json={"name": "Customer", "type": "customer"}, headers=headers
    )
    assert r.status_code == 201, r.text
    contact_id = r.json()["data"]["id"]
    lines = [
        {"itemId": item["id"], "quantity": "2"},
        {"itemId": item["id"], "quantity": "1", "discountRate": "10"},
        {"name": "Labour", "quantity": "3", "unitPrice": "40", "taxId": tax["id"]},
        {"name": "Travel", "unitPrice": "15.75"},
        {"name": "Materials", "quantity": "4", "unitPrice": "7.20", "taxId": tax["id"]},
    ]
    return headers, lines, contact_id


# The REST body's Numbors names for the lines' fields.
REST_LINE_NAMES = {"itemId": "item", "taxId": "tax", "unitPrice": "price"}


async def run(app_url: str, n: int, show: bool, *, keys: bool, throttle: bool) -> None:
    passwords.use_parameters(profiles.CHEAPEST)
    settings = Settings(
        database_url=app_url,
        jwt_secret=SECRET,
        log_level="warning",
        throttle_enabled=throttle,
        webhooks_worker_enabled=False,  # no endpoints: nothing to deliver
    )
    application = create_app(settings)
    settle_heap()  # as a served process is (gql/app.py: app_factory)
    meter = Meter()
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers, lines, contact_id = await _setup(client)
            create_input = {"kind": "INVOICE", "contactId": contact_id, "lines": lines}
            rest_lines = [{REST_LINE_NAMES.get(k, k): v for k, v in line.items()} for line in lines]
            rest_body = {"type": "invoice", "contact": contact_id, "items": rest_lines}

            def write_headers() -> dict[str, str]:
                """The headers of one write: with a fresh Idempotency-Key when asked."""
                return {**headers, "Idempotency-Key": uuid.uuid4().hex} if keys else headers

            async def graphql(query: str, input: dict[str, Any]) -> dict[str, Any]:
                body = {"query": query, "variables": {"input": input}}
                r = await client.post("/graphql", json=body, headers=write_headers())
                (payload,) = r.json()["data"].values()
                assert payload["userErrors"] == [], payload
                return payload  # type: ignore[no-any-return]

            async def rest_create() -> None:
                r = await client.post("/api/documents", json=rest_body, headers=write_headers())
                assert r.status_code == 201, r.text

            engine = application.state.engine.sync_engine
            event.listen(engine, "before_cursor_execute", meter.listen)
            observe_statements(application.state.engine, meter.direct)
            for i in range(n + 5):  # the first five warm caches up and are not kept
                kept = i >= 5
                created = await meter.measure(
                    "documentCreate" if kept else "", graphql(CREATE, create_input)
                )
                issue = graphql(ISSUE, {"id": created["document"]["id"]})
                await meter.measure("documentIssue" if kept else "", issue)
                await meter.measure("POST /api/documents" if kept else "", rest_create())
            meter.samples.pop("", None)
            meter.last.pop("", None)
            event.remove(engine, "before_cursor_execute", meter.listen)
            stop_observing(application.state.engine, meter.direct)
    meter.report(show)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="measured runs of each write")
    parser.add_argument("--owner-url", help="the schema owner's database URL (default: SQLite)")
    parser.add_argument("--app-role", help="PostgreSQL: the role the app connects as")
    parser.add_argument("--show", action="store_true", help="print each write's statements")
    parser.add_argument(
        "--idempotency-keys", action="store_true", help="a fresh Idempotency-Key on each write"
    )
    parser.add_argument(
        "--no-throttle", action="store_true", help="switch the query-cost bucket off"
    )
    args = parser.parse_args()
    owner_url = args.owner_url or (
        f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='lg-writes-')) / 'bench.db'}"
    )
    app_url = owner_url
    if args.app_role:
        app_url = (
            make_url(owner_url)
            .set(username=args.app_role, password=None)
            .render_as_string(hide_password=False)
        )
    asyncio.run(_schema(owner_url, args.app_role))
    asyncio.run(
        run(app_url, args.n, args.show, keys=args.idempotency_keys, throttle=not args.no_throttle)
    )


if __name__ == "__main__":
    main()
