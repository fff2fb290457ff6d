"""Query cost and throttling: every GraphQL response says what the request cost, and each
company's bucket in the database (gql/core/throttle.py) pays for GraphQL and REST
alike, refusing with THROTTLED / 429 and Retry-After when it cannot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from gql.app import create_app
from gql.settings import Settings
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, tenant_db

SIZE, RATE, MAX_COST = 100, 1, 50
# 2 + 30 nodes x 1 (each node's contact object): 32 points.
COSTS_32 = "{ documents(first: 30) { nodes { number contact { name } } } }"
FREE = "{ __typename }"  # costs nothing: reads the bucket's level
CREATE = (
    "mutation($input: ContactCreateInput!) { contactCreate(input: $input) { userErrors { code } } }"
)


@pytest.fixture(scope="module")
async def small(settings: Settings, schema_ready: None) -> AsyncIterator[Any]:
    """An app whose buckets are small and slow to refill, with a cost limit below them."""
    tight = settings.model_copy(
        update={
            "throttle_enabled": True,
            "throttle_bucket_size": SIZE,
            "throttle_restore_rate": RATE,
            "max_query_cost": MAX_COST,
        }
    )
    application = create_app(tight)
    async with LifespanManager(application):
        yield application


def client_of(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture(scope="module")
async def roomy(settings: Settings, schema_ready: None) -> AsyncIterator[tuple[Api, Api]]:
    """Compiled and resolver apps with throttling on and a bucket no test here empties."""
    on = settings.model_copy(update={"throttle_enabled": True, "throttle_bucket_size": 1_000_000})
    compiled, resolvers = (
        create_app(on),
        create_app(on.model_copy(update={"compiled_reads": False})),
    )
    async with LifespanManager(compiled), LifespanManager(resolvers):
        async with client_of(compiled) as one, client_of(resolvers) as two:
            yield Api(one), Api(two)


@pytest.fixture
async def small_api(small: Any) -> AsyncIterator[Api]:
    async with client_of(small) as client:
        yield Api(client)


def cost_of(body: dict[str, Any]) -> dict[str, Any]:
    return body["extensions"]["cost"]  # type: ignore[no-any-return]


async def post(api: Api, tenant: Tenant, query: str, variables: Any = None) -> httpx.Response:
    return await api.client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=tenant.headers
    )


async def level(api: Api, tenant: Tenant) -> int:
    r = await post(api, tenant, FREE)
    assert r.status_code == 200, r.text
    return cost_of(r.json())["throttleStatus"]["currentlyAvailable"]  # type: ignore[no-any-return]


async def set_back(app: Any, tenant: Tenant, seconds: int) -> None:
    """As if the bucket was last paid `seconds` earlier (instead of sleeping)."""
    shift = (
        f"updated_at - interval '{seconds} seconds'"
        if IS_POSTGRES
        else f"strftime('%Y-%m-%d %H:%M:%f000', updated_at, '-{seconds} seconds')"
    )
    async with tenant_db(app, tenant.company_id) as session:
        await session.execute(text(f"UPDATE rate_bucket SET updated_at = {shift}"))
        await session.commit()


# --- the cost of a query ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        ("{ viewer { role user { email } } }", None, 2),  # two objects, scalars free
        ("{ contacts(first: 5) { totalCount nodes { name } } }", None, 2),  # 2 + 5 x 0
        # 2 + 3 x (contact 1 + its documents 2 + 4 x 0)
        (
            "{ documents(first: 3) { edges { node { contact { documents(first: 4)"
            " { totalCount } } } } } }",
            None,
            11,
        ),
        ("query($n: Int) { documents(first: $n) { nodes { contact { name } } } }", {"n": 7}, 9),
        # No page size: the default (25) per page.
        ("query($n: Int) { documents(first: $n) { nodes { contact { name } } } }", {}, 27),
    ],
    ids=["objects", "connection", "nested-connections", "variable-page", "default-page"],
)
async def test_every_response_says_its_cost_the_same_on_both_read_paths(
    roomy, query, variables, cost
):
    # given a member of a company
    api, resolvers = roomy
    tenant = await api.register()
    for client in (api.client, resolvers.client):
        # when the query is sent to the compiled path and to the resolvers
        r = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=tenant.headers
        )
        # then each answer carries the same cost, and the bucket's state
        assert r.status_code == 200, r.text
        body = r.json()
        assert "errors" not in body, body
        reported = cost_of(body)
        assert reported["requestedQueryCost"] == cost
        assert reported["actualQueryCost"] == cost
        status = reported["throttleStatus"]
        assert status["maximumAvailable"] == 1_000_000
        assert status["restoreRate"] == 1000
        assert 0 < status["currentlyAvailable"] <= 1_000_000 - cost


async def test_a_mutation_costs_ten(api):
    tenant = await api.register()
    body = await api.gql(CREATE, {"input": {"name": "Ada"}}, tenant)
    assert body["data"]["contactCreate"]["userErrors"] == []
    assert cost_of(body)["requestedQueryCost"] == 10


async def test_the_cost_limit_refuses_by_the_same_cost_unpaid(small, small_api):
    # given a company whose bucket is full, under a cost limit of 50
    tenant = await small_api.register()
    before = await level(small_api, tenant)
    # when a query costing 2 + 60 = 62 is sent
    r = await post(small_api, tenant, "{ documents(first: 60) { nodes { contact { name } } } }")
    # then it is refused by the cost limit, naming that cost, and the bucket paid nothing
    assert r.status_code == 200, r.text
    [error] = r.json()["errors"]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 62, "limit": MAX_COST}
    assert await level(small_api, tenant) == before == SIZE
    # and a query costing 2 + 48 = 50, at the limit, runs and is paid
    r = await post(small_api, tenant, "{ documents(first: 48) { nodes { contact { name } } } }")
    assert "errors" not in r.json()
    assert cost_of(r.json())["throttleStatus"]["currentlyAvailable"] in (SIZE - 50, SIZE - 49)


# --- the bucket --------------------------------------------------------------------------------


async def test_the_bucket_drains_refuses_and_restores_over_time(small, small_api):
    # given a full bucket of 100 points that refills one point a second
    tenant = await small_api.register()
    # when three queries of 32 points are paid
    levels = []
    for _ in range(3):
        r = await post(small_api, tenant, COSTS_32)
        assert r.status_code == 200, r.text
        levels.append(cost_of(r.json())["throttleStatus"]["currentlyAvailable"])
    # then the bucket went down by 32 each time (a second's refill at most meanwhile)
    assert levels[0] == 68 and 36 <= levels[1] <= 37 and 4 <= levels[2] <= 6
    # and a fourth is refused: THROTTLED, HTTP 429, retry in the seconds the refill needs
    r = await post(small_api, tenant, COSTS_32)
    assert r.status_code == 429, r.text
    [error] = r.json()["errors"]
    assert error["extensions"]["code"] == "THROTTLED"
    retry = error["extensions"]["retryAfterSeconds"]
    assert 26 <= retry <= 28 and r.headers["retry-after"] == str(retry)
    assert error["extensions"]["throttleStatus"]["maximumAvailable"] == SIZE
    assert "data" not in r.json()
    # and it paid nothing
    assert 4 <= await level(small_api, tenant) <= 6
    # when a minute passes
    await set_back(small, tenant, 60)
    # then the bucket has refilled by 60 points and pays again
    r = await post(small_api, tenant, COSTS_32)
    assert r.status_code == 200, r.text
    assert 32 <= cost_of(r.json())["throttleStatus"]["currentlyAvailable"] <= 35
    # and after a long pause it is full again, never fuller
    await set_back(small, tenant, 3600)
    assert await level(small_api, tenant) == SIZE


async def test_rest_of_both_dialects_and_graphql_share_one_bucket(small, small_api):
    # given a company that has spent all but a few points on GraphQL
    tenant = await small_api.register()
    for _ in range(3):
        assert (await post(small_api, tenant, COSTS_32)).status_code == 200
    left = await level(small_api, tenant)
    # when it reads over REST (1 point) and writes (10 points)
    r = await small_api.rest("GET", "/api/contacts", tenant)
    assert r.status_code == 200, r.text
    assert await level(small_api, tenant) in (left - 1, left)
    # then a REST write, costing more than is left, is refused by both dialects alike
    for method, path, body in (
        ("POST", "/api/contacts", {"name": "Ada"}),
        ("POST", "/openapi/customers", {"name": "Ada"}),
    ):
        r = await small_api.rest(method, path, tenant, json=body)
        assert r.status_code == 429, r.text
        answer = r.json()
        assert answer["success"] is False and answer["code"] == "THROTTLED"
        assert int(r.headers["retry-after"]) == answer["retryAfterSeconds"] >= 1
    # and nothing was written
    r = await small_api.rest("GET", "/api/contacts", tenant)
    assert r.status_code == 200 and r.json()["data"] == []
    # and once refilled, a REST write goes through and costs 10
    await set_back(small, tenant, 3600)
    r = await small_api.rest("POST", "/api/contacts", tenant, json={"name": "Ada"})
    assert r.status_code == 201, r.text
    assert await level(small_api, tenant) in (SIZE - 10, SIZE - 9)


async def test_another_companys_bucket_is_untouched(small, small_api):
    # given two companies, the first of which spends most of its bucket
    first, second = await small_api.register(), await small_api.register()
    for _ in range(3):
        assert (await post(small_api, first, COSTS_32)).status_code == 200
    # when the first company's owner asks for the second company
    intruder = {**first.headers, "X-Company-Id": second.company_id}
    r = await small_api.client.post("/graphql", json={"query": COSTS_32}, headers=intruder)
    assert "errors" in r.json()
    r = await small_api.client.get("/api/contacts", headers=intruder)
    assert r.status_code == 403
    # then the second company's bucket was never paid from: it is full
    async with tenant_db(small, second.company_id) as session:
        rows = (
            await session.execute(
                text("SELECT company_id FROM rate_bucket WHERE company_id = :c"),
                {"c": second.company_id},
            )
        ).all()
    assert rows == []
    assert await level(small_api, second) == SIZE
    # and the first one's is as low as it was
    assert await level(small_api, first) <= 6


@pytest.mark.skipif(not IS_POSTGRES, reason="two servers share one PostgreSQL bucket")
async def test_two_servers_drain_one_bucket_together(settings, schema_ready):
    # given two app instances (separate engines and pools) on one database, and a
    # company with 100 points that refill one a second
    tight = settings.model_copy(
        update={"throttle_enabled": True, "throttle_bucket_size": SIZE, "throttle_restore_rate": 1}
    )
    one, two = create_app(tight), create_app(tight)
    async with LifespanManager(one), LifespanManager(two):
        clients = [client_of(one) for _ in range(7)] + [client_of(two) for _ in range(7)]
        tenant = await Api(clients[0]).register()
        # when 14 queries of 10 points arrive at once, half at each server
        ten = "{ documents(first: 8) { nodes { contact { name } } } }"
        answers = await asyncio.gather(
            *(c.post("/graphql", json={"query": ten}, headers=tenant.headers) for c in clients)
        )
        for client in clients:
            await client.aclose()
    # then exactly ten were paid (100 points) and four refused: no point spent twice
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] * 10 + [429] * 4, [r.text for r in answers]
