"""Points paid ahead (gql/core/prepaid.py): a compiled read's payment takes a share of a
well-filled bucket more, and the worker's next reads of that company spend it without a
payment statement; once they run short or their period ends, a read checks in and tops
them up by what was spent; below half the bucket every read pays the database; two
workers together never spend more than the bucket holds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from gql.app import create_app
from gql.settings import Settings
from tests.factories import Api, Tenant, tenant_db
from tests.test_direct_payment import sent_by

SIZE = 10_000
SHARE = 0.05  # 500 points ahead: 15 more reads of 32
# 2 + 30 nodes x 1 (each node's contact object): 32 points; answered by the compiler.
COSTS_32 = "{ documents(first: 30) { nodes { number contact { name } } } }"


def _prepaying(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(
        update={
            "throttle_enabled": True,
            "throttle_bucket_size": SIZE,
            "throttle_restore_rate": 1,
            "throttle_prepay_share": SHARE,
            "throttle_prepay_seconds": 30.0,
            **changes,
        }
    )


@pytest.fixture(scope="module")
async def apps(settings: Settings, schema_ready: None) -> AsyncIterator[list[tuple[Any, Api]]]:
    """Two apps (each its engine and prepaid points) on one database, and one whose
    prepaid points lapse at once."""
    lapsing = _prepaying(settings, throttle_prepay_seconds=0.2)
    one, two, three = (create_app(s) for s in (_prepaying(settings),) * 2 + (lapsing,))
    async with LifespanManager(one), LifespanManager(two), LifespanManager(three):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://test")
            for a in (one, two, three)
        ]
        try:
            yield [(a, Api(c)) for a, c in zip((one, two, three), clients, strict=True)]
        finally:
            for client in clients:
                await client.aclose()


async def _read(api: Api, tenant: Tenant) -> httpx.Response:
    return await api.client.post("/graphql", json={"query": COSTS_32}, headers=tenant.headers)


def _available(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["extensions"]["executors"] == {"documents": "compiled"}
    return body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]  # type: ignore[no-any-return]


async def _in_database(app: Any, tenant: Tenant) -> Decimal:
    async with tenant_db(app, tenant.company_id) as session:
        level = await session.scalar(
            text("SELECT available FROM rate_bucket WHERE company_id = :c"),
            {"c": tenant.company_id},
        )
    # SQLite keeps thousandths as an integer (gql/db/columns.py).
    return Decimal(level) / 1000 if isinstance(level, int) else Decimal(level)


async def _set_level(app: Any, tenant: Tenant, points: int) -> None:
    stored = points * 1000 if app.state.engine.dialect.name == "sqlite" else points
    async with tenant_db(app, tenant.company_id) as session:
        await session.execute(
            text("UPDATE rate_bucket SET available = :a WHERE company_id = :c"),
            {"a": stored, "c": tenant.company_id},
        )
        await session.commit()


async def test_a_read_pays_ahead_and_the_next_reads_spend_it_without_paying(apps):
    # given a company whose read one worker has answered once (its access guessed)
    app, api = apps[0]
    owner = await api.register()
    first = _available(await _read(api, owner))
    assert first == SIZE - 32  # the full path pays its own cost, nothing ahead
    # when the read comes again, from the steady state
    with sent_by(app) as asking:
        second = _available(await _read(api, owner))
    # then its payment took 500 points more, and says the level with them counted
    assert asking.payments == 1
    assert SIZE - 64 - 500 <= await _in_database(app, owner) <= SIZE - 64 - 500 + 2
    assert first - 32 <= second <= first - 31
    # and the next fifteen reads spend them: no payment, the level told going down by 32
    with sent_by(app) as spending:
        levels = [_available(await _read(api, owner)) for _ in range(15)]
    assert spending.payments == 0
    assert all(0 <= a - b - 32 <= 1 for a, b in zip([second, *levels], levels, strict=False))
    assert SIZE - 64 - 500 <= await _in_database(app, owner) <= SIZE - 64 - 500 + 2
    # and once they run short (20 left), the next read pays again, topping them back
    # up to 500 with what the fifteen reads spent (480), not another 500
    with sent_by(app) as again:
        _available(await _read(api, owner))
    assert again.payments == 1
    assert SIZE - 96 - 500 - 480 <= await _in_database(app, owner) <= SIZE - 96 - 980 + 3


async def test_below_half_the_bucket_every_read_pays_the_database(apps):
    # given a company whose bucket is a little above half full, its read answered once
    app, api = apps[0]
    owner = await api.register()
    _available(await _read(api, owner))
    await _set_level(app, owner, SIZE // 2 + 100)
    # when reads come from the steady state
    with sent_by(app) as sent:
        levels = [_available(await _read(api, owner)) for _ in range(4)]
    # then each paid the database its own cost: points ahead would take it below half
    assert sent.payments == 4
    assert SIZE // 2 + 100 - 4 * 32 <= await _in_database(app, owner) <= SIZE // 2 + 100 - 96
    assert levels[-1] <= SIZE // 2 + 100 - 4 * 32 + 1


async def test_points_paid_ahead_lapse(apps):
    # given a worker whose points ahead last 0.2 s, holding some
    app, api = apps[2]
    owner = await api.register()
    for _ in range(2):
        _available(await _read(api, owner))
    with sent_by(app) as held:
        _available(await _read(api, owner))
    assert held.payments == 0
    # when the next read comes after they lapsed
    await asyncio.sleep(0.3)
    with sent_by(app) as lapsed:
        _available(await _read(api, owner))
    # then it pays the database again
    assert lapsed.payments == 1


async def test_a_check_in_pays_again_only_what_was_spent(apps):
    # given a worker whose points ahead last 0.2 s, holding 500 of which it spent 64
    app, api = apps[2]
    owner = await api.register()
    _available(await _read(api, owner))  # the full path: 32
    _available(await _read(api, owner))  # the first check-in: 32, and 500 ahead
    with sent_by(app) as spending:
        for _ in range(2):
            _available(await _read(api, owner))
    assert spending.payments == 0
    paid_so_far = 32 + 32 + 500
    assert SIZE - paid_so_far <= await _in_database(app, owner) <= SIZE - paid_so_far + 1
    # when the next read comes after their period, with 436 still held
    await asyncio.sleep(0.3)
    with sent_by(app) as checking_in:
        _available(await _read(api, owner))
    # then it paid its own cost and the 64 spent, not another 500: what is held but
    # not spent is never paid twice (a point a second restores meanwhile)
    assert checking_in.payments == 1
    level = await _in_database(app, owner)
    assert SIZE - paid_so_far - 32 - 64 <= level <= SIZE - paid_so_far - 96 + 3
    # and the worker holds 500 again: the next reads spend them without paying
    with sent_by(app) as after:
        for _ in range(3):
            _available(await _read(api, owner))
    assert after.payments == 0


async def test_two_workers_never_spend_more_than_the_bucket(apps):
    # given a company whose bucket holds 1,000 points, read by two workers
    (one, api_one), (_, api_two) = apps[0], apps[1]
    owner = await api_one.register()
    _available(await _read(api_one, owner))
    await _set_level(one, owner, 1_000)
    # when both read it, in turn, until the bucket refuses
    answered = refused = 0
    for turn in range(200):
        response = await _read((api_one, api_two)[turn % 2], owner)
        if response.status_code == 429:
            refused += 1
            if refused == 4:
                break
            continue
        assert response.status_code == 200, response.text
        answered += 1
    # then together they answered no more than 1,000 points buy (plus what a point a
    # second restores meanwhile), and the bucket refused them both in the end
    assert refused == 4
    assert 1_000 // 32 - 2 <= answered <= (1_000 + 5) // 32


async def test_a_member_removed_is_refused_though_points_are_held(apps):
    # given a member whose worker holds points paid ahead for the company
    app, api = apps[0]
    owner = await api.register()
    for _ in range(3):
        _available(await _read(api, owner))
    # when the membership is removed and the member reads again
    async with tenant_db(app, owner.company_id) as session:
        await session.execute(
            text("DELETE FROM membership WHERE user_id = :u"), {"u": owner.user_id}
        )
        await session.commit()
    body = (await _read(api, owner)).json()
    # then nothing of the company's is answered
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert "number" not in str(body.get("data"))
