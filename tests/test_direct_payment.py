"""The bucket's payment on the compiled path's steady state (gql/compiler/direct.py): it
travels in the read's one round trip, in an implicit transaction of its own, on the
driver (no ORM, also on SQLite); a refusal is THROTTLED with its retry time and no
data; two apps still draw from one bucket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import event

from gql.app import create_app
from gql.compiler.direct import observe_statements, stop_observing
from gql.db.driver import DriverStatement
from gql.settings import Settings
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant
from tests.test_one_round_trip import answers_held, round_trips

SIZE, RATE = 100, 1
# 2 + 30 nodes x 1 (each node's contact object): 32 points; answered by the compiler.
COSTS_32 = "{ documents(first: 30) { nodes { number contact { name } } } }"


def _tight(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "throttle_enabled": True,
            "throttle_bucket_size": SIZE,
            "throttle_restore_rate": RATE,
        }
    )


@pytest.fixture(scope="module")
async def apps(settings: Settings, schema_ready: None) -> AsyncIterator[tuple[Any, Any]]:
    """Two apps (each its engine, pool and guesses) on one database, small buckets."""
    one, two = create_app(_tight(settings)), create_app(_tight(settings))
    async with LifespanManager(one), LifespanManager(two):
        yield one, two


@pytest.fixture
async def clients(apps: tuple[Any, Any]) -> AsyncIterator[tuple[Api, Api]]:
    one, two = (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://test")
        for a in apps
    )
    async with one, two:
        yield Api(one), Api(two)


async def _post(api: Api, tenant: Tenant) -> httpx.Response:
    return await api.client.post("/graphql", json={"query": COSTS_32}, headers=tenant.headers)


def _available(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["extensions"]["executors"] == {"documents": "compiled"}
    return body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]  # type: ignore[no-any-return]


class Sent:
    """What one app sent: on the driver by the direct path, and through SQLAlchemy."""

    def __init__(self) -> None:
        self.direct: list[DriverStatement] = []
        self.through_sqlalchemy: list[str] = []

    @property
    def payments(self) -> int:
        return sum("rate_bucket" in s.text for s in self.direct)


@contextmanager
def sent_by(app: Any) -> Iterator[Sent]:
    sent = Sent()
    engine = app.state.engine

    def executed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.through_sqlalchemy.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", executed)
    observe_statements(engine, sent.direct.append)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", executed)
        stop_observing(engine, sent.direct.append)


@pytest.mark.skipif(not IS_POSTGRES, reason="round trips: PostgreSQL")
async def test_a_steady_compiled_read_pays_the_bucket_in_its_one_round_trip(apps, clients):
    # given a company whose read was answered once (planned, its access guessed)
    app, api = apps[0], clients[0]
    owner = await api.register()
    first = _available(await _post(api, owner))
    with round_trips(app) as trips:
        # when the same read comes again
        trips.reset()
        async with answers_held("membership"):  # the access check reads it first
            response = await _post(api, owner)
        # then the client waited for the database once: the read and the payment went
        # out together, one transaction ended by one Sync
        assert trips.waits() == 1
        assert trips.count() == 1
    # and the bucket was paid 32 points
    assert first - 32 <= _available(response) <= first - 31


async def test_a_refused_direct_read_is_throttled_with_no_data(apps, clients):
    # given a company that has paid three reads of 32 points from its 100
    app, api = apps[0], clients[0]
    owner = await api.register()
    levels = [_available(await _post(api, owner)) for _ in range(2)]
    with sent_by(app) as paid:
        levels.append(_available(await _post(api, owner)))
    assert levels[0] == 68 and 36 <= levels[1] <= 37 and 4 <= levels[2] <= 6
    # (the steady state paid on the driver, past the ORM)
    assert paid.payments == 1 and paid.through_sqlalchemy == []
    # when a fourth comes
    with sent_by(app) as refused:
        response = await _post(api, owner)
    # then it is THROTTLED with the seconds the refill needs, and its data is not given
    assert response.status_code == 429, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "THROTTLED"
    retry = error["extensions"]["retryAfterSeconds"]
    assert 26 <= retry <= 28 and response.headers["retry-after"] == str(retry)
    assert "data" not in response.json()
    # and the refusal came from the direct path (the payment and the level it read)
    assert refused.payments == 2 and refused.through_sqlalchemy == []
    # and it paid nothing: the next request is refused alike
    assert (await _post(api, owner)).status_code == 429


async def test_two_apps_paying_on_the_direct_path_draw_from_one_bucket(apps, clients):
    # given a company whose read each app has answered once (68, then 36 points left)
    owner = await clients[0].register()
    assert _available(await _post(clients[0], owner)) == 68
    assert 36 <= _available(await _post(clients[1], owner)) <= 37
    # when each app answers it again from its steady state
    with sent_by(apps[0]) as one, sent_by(apps[1]) as two:
        left = _available(await _post(clients[0], owner))
        refused = await _post(clients[1], owner)
    # then the first paid from what the second left, and the second is refused
    assert 4 <= left <= 6
    assert refused.status_code == 429, refused.text
    assert one.payments == 1 and two.payments == 2  # (the second: its payment and level)
