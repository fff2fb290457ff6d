"""The bare rows' statements, recorded honestly and checked.

1. The real app, configured as the compiled path runs, in-process (as sqlcount.py
   does): each query is sent once to warm up, then once with a cursor listener on the
   engine. The LAST statement of that request is the compiled root field's statement
   (the ones before it are auth and tenant resolution); its text and driver
   parameters, exactly as the driver received them, become one endpoint of the bare
   app (bare_app.py), written to a JSON file the bare uvicorn reads (BENCH_BARE_SQL).
2. The bare app, in-process, with the same listener: its statements per request (the
   SQL column of the bare rows) and the check that its answer's `data` equals the
   compiled answer's `data`. The runner checks the served bare app once more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import AsyncEngine

from gql.app import create_app
from gql.settings import Settings
from scripts.benchmark import bare_app
from scripts.benchmark.api import login, send
from scripts.benchmark.config import JWT_SECRET
from scripts.benchmark.roundtrips import RoundTripProxy
from scripts.benchmark.sqlcount import Recorder, SqlProfile, SqlReport
from scripts.benchmark.targets import Executor, Fixture, Target, answered_by, graphql_probe


@dataclass
class BareCapture:
    report: SqlReport  # the bare app's own statements per request
    spec: Path  # the JSON file of statements the bare uvicorn serves
    headers: dict[str, str]  # the compiled rows' headers (sent, and ignored)
    expected: dict[str, Any] = field(default_factory=dict)  # target name -> compiled `data`

    def check(self, target: Target, status: int, body: bytes) -> str | None:
        """None when the bare answer's data equals the compiled answer's data."""
        if status != 200:
            return f"bare endpoint: HTTP {status}: {body[:200]!r}"
        try:
            data = orjson.loads(body).get("data")
        except (orjson.JSONDecodeError, AttributeError):
            return f"bare endpoint: not a JSON object: {body[:200]!r}"
        if data != self.expected.get(target.name):
            return "bare endpoint: its `data` differs from the compiled answer's"
        return None


def _data(body: bytes) -> Any:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return parsed.get("data") if isinstance(parsed, dict) else None


async def _record_compiled(
    database_url: str, executor: Executor, fixture: Fixture, targets: list[Target]
) -> tuple[list[bare_app.Replay], dict[str, Any], dict[str, str], dict[str, str]]:
    """(the statements to replay, compiled `data` per target, headers, failures)."""
    settings = Settings(
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        log_level="warning",
        # The webhook worker's rounds share the engine: one after the root field's
        # statement would be recorded last, and replayed instead of it.
        webhooks_worker_enabled=False,
        **executor.settings_dict(),
    )
    app = create_app(settings)
    replays: list[bare_app.Replay] = []
    expected: dict[str, Any] = {}
    failures: dict[str, str] = {}
    async with LifespanManager(app):
        engine: AsyncEngine = app.state.engine
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            headers = await login(client, fixture)
            # The first answer's statements, as SQLAlchemy sent them: the bare app replays
            # them through the engine (later answers go to the driver directly, as
            # gql/compiler/direct.py sends them, with the access check alongside).
            with Recorder(engine, direct=False) as recorder:
                for target in targets:
                    probe = graphql_probe(target.probe(fixture))
                    with recorder.recording() as statements:
                        failure, body = await send(client, probe, headers)
                    data = _data(body)
                    by = answered_by(body)
                    if failure is None and by != "compiled":
                        failure = f"answered by {by!r}, not 'compiled': no statement to replay"
                    if failure is None and not (isinstance(data, dict) and len(data) == 1):
                        failure = "not exactly one root field"
                    if failure is None and not statements:
                        failure = "no SQL statement recorded"
                    if failure is not None:
                        failures[target.name] = f"recording the compiled statement: {failure}"
                        continue
                    last = statements[-1]  # the root field's; the ones before: auth, tenant
                    (root_key,) = data
                    replays.append(
                        bare_app.Replay(
                            path=target.probe(fixture).path,
                            root_key=root_key,
                            sql=last.sql,
                            params=bare_app.encode_params(last.params),
                            query=str((probe.json or {}).get("query", "")),
                        )
                    )
                    expected[target.name] = data
    return replays, expected, headers, failures


async def capture(
    database_url: str,
    executor: Executor,
    fixture: Fixture,
    targets: list[Target],
    spec_path: Path,
    bare_url: str,
    proxy: RoundTripProxy | None = None,
) -> BareCapture:
    """Record the compiled statements on the app (`database_url`), then replay them on
    the bare app, which connects with `bare_url` (the owner: it sets no tenant), behind
    `proxy` when given, which counts the replay's round trips."""
    replays, expected, headers, failures = await _record_compiled(
        database_url, executor, fixture, targets
    )
    bare_app.write_spec(spec_path, replays)
    pool_size = Settings(database_url=bare_url, jwt_secret=JWT_SECRET).db_pool_size
    app = bare_app.create_app(
        bare_url if proxy is None else proxy.url_for(bare_url), pool_size, replays
    )
    result = BareCapture(SqlReport(SqlProfile([]), {}), spec_path, headers, expected)
    async with LifespanManager(app):
        engine: AsyncEngine = app.state.engine
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            with Recorder(engine) as recorder:
                for target in targets:
                    if target.name in failures:
                        result.report.targets[target.name] = SqlProfile(
                            [], failure=failures[target.name]
                        )
                        continue
                    probe = target.probe(fixture)
                    await send(client, probe, headers)  # warm: pool, prepared statement
                    if proxy is not None:
                        await proxy.settled()
                        before = proxy.snapshot()
                    with recorder.recording() as statements:
                        response = await client.request(
                            probe.method, probe.path, json=probe.json, headers=headers
                        )
                    failure = probe.failure(response.status_code, response.content) or (
                        result.check(target, response.status_code, response.content)
                    )
                    wire = None
                    if proxy is not None:
                        await proxy.settled()
                        wire = proxy.snapshot() - before
                    result.report.targets[target.name] = SqlProfile(statements, failure, wire=wire)
    return result
