"""SQL statement counts of catalogue lists and edges, however many rows a page holds: one
statement per root field on the compiled read path, one per level on the resolver path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gql.app import create_app
from gql.settings import Settings
from tests.conftest import StatementCounter, counting
from tests.factories import VIEWER_STATEMENTS, Api, Tenant

CATEGORY_CREATE = """mutation($input: CategoryCreateInput!) { categoryCreate(input: $input) {
    category { id } userErrors { field message } } }"""
CATEGORY_IDS = "{ categories { nodes { id } } }"
ITEMS_BARE = "query($first: Int!) { items(first: $first) { totalCount nodes { name } } }"
ITEMS_WITH_EDGES = """query($first: Int!) { items(first: $first) { totalCount nodes {
    name category { name } tax { rate } variants { name item { name } } } } }"""
CATEGORIES_BARE = "{ categories(first: 50) { nodes { name } } }"
CATEGORIES_WITH_ITEMS = """{ categories(first: 50) { nodes { name
    items(first: 5) { totalCount nodes { name } } } } }"""
CATEGORIES_WITH_TWO_ITEM_PAGES = """{ categories(first: 50) { nodes { name
    first: items(first: 1) { nodes { name } }
    services: items(filter: { type: SERVICE }) { totalCount } } } }"""


@pytest.fixture(scope="module")
async def resolver_path(
    settings: Settings, schema_ready: None
) -> AsyncIterator[tuple[Api, StatementCounter]]:
    """The app with the compiled read path off (every field through its resolver, edges
    through dataloaders), on the same database, and a counter of its statements."""
    application = create_app(settings.model_copy(update={"compiled_reads": False}))
    async with LifespanManager(application) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        with counting(application, StatementCounter()) as counter:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Api(client), counter


async def run(
    api: Api, counter: StatementCounter, query: str, tenant: Tenant, **variables: Any
) -> tuple[int, dict[str, Any]]:
    counter.reset()
    body = await api.gql(query, variables, tenant)
    assert not body.get("errors"), body["errors"]
    return counter.count, body


async def make_category(api: Api, tenant: Tenant, name: str) -> str:
    input = {"name": name, "type": "ITEM"}
    payload = await api.mutate("categoryCreate", CATEGORY_CREATE, input, tenant)
    return payload["category"]["id"]  # type: ignore[no-any-return]


async def fifty_items(api: Api, tenant: Tenant) -> None:
    """50 items over 5 categories and 3 taxes, each with two variants."""
    categories = [await make_category(api, tenant, f"Category {n}") for n in range(5)]
    taxes = [(await api.tax(tenant, rate=str(n)))["id"] for n in range(3)]
    for n in range(50):
        await api.item(
            tenant,
            name=f"Item {n:02d}",
            categoryId=categories[n % 5],
            taxId=taxes[n % 3],
            variants=[{"name": "S"}, {"name": "M"}],
        )


async def ten_and_two_categories(api: Api) -> tuple[Tenant, Tenant]:
    """A company with 2 categories (its defaults) and one with 10, all with items."""
    few, many = await api.register(), await api.register()
    for n in range(8):
        category = await make_category(api, many, f"Category {n}")
        await api.item(many, categoryId=category)
        await api.item(many, categoryId=category, type="SERVICE")
    for node in (await api.data(CATEGORY_IDS, tenant=few))["categories"]["nodes"]:
        await api.item(few, categoryId=node["id"])
    return few, many


async def test_items_with_their_edges_are_one_statement_on_the_compiled_path(
    api: Api, sql_counter: Any
) -> None:
    # given 50 items with categories, taxes and variants
    tenant = await api.register()
    await fifty_items(api, tenant)

    # when pages of 5 and of 50 are asked for with every edge
    five, five_body = await run(api, sql_counter, ITEMS_WITH_EDGES, tenant, first=5)
    fifty, fifty_body = await run(api, sql_counter, ITEMS_WITH_EDGES, tenant, first=50)

    # then one statement answers the root field, whatever the page size
    assert fifty_body["extensions"]["executors"] == {"items": "compiled"}
    nodes = fifty_body["data"]["items"]["nodes"]
    assert len(five_body["data"]["items"]["nodes"]) == 5 and len(nodes) == 50
    assert all(len(n["variants"]) == 2 and n["category"] and n["tax"] for n in nodes)
    assert five == fifty == VIEWER_STATEMENTS + 1, sql_counter.statements


async def test_items_with_their_edges_take_one_statement_per_level_on_the_resolver_path(
    api: Api, resolver_path: tuple[Api, StatementCounter]
) -> None:
    # given 50 items with categories, taxes and variants
    tenant = await api.register()
    await fifty_items(api, tenant)
    reference, counter = resolver_path

    # when pages of 5 and of 50 are asked for with every edge, through the resolvers
    bare, _ = await run(reference, counter, ITEMS_BARE, tenant, first=5)
    five, _ = await run(reference, counter, ITEMS_WITH_EDGES, tenant, first=5)
    fifty, body = await run(reference, counter, ITEMS_WITH_EDGES, tenant, first=50)

    # then each level is one batched statement: categories, taxes, variants, and the
    # variants' items
    assert len(body["data"]["items"]["nodes"]) == 50
    assert bare == VIEWER_STATEMENTS + 1
    assert five == fifty == bare + 4, counter.statements


async def test_category_items_edge_is_one_statement_on_the_compiled_path(
    api: Api, sql_counter: Any
) -> None:
    # given a company with 2 categories and one with 10, all with items
    few, many = await ten_and_two_categories(api)

    # when each lists its categories with their items
    two, two_body = await run(api, sql_counter, CATEGORIES_WITH_ITEMS, few)
    ten, ten_body = await run(api, sql_counter, CATEGORIES_WITH_ITEMS, many)

    # then one statement answers each, and the totals are right
    assert ten_body["extensions"]["executors"] == {"categories": "compiled"}
    assert [n["items"]["totalCount"] for n in two_body["data"]["categories"]["nodes"]] == [1, 1]
    assert len(ten_body["data"]["categories"]["nodes"]) == 10
    assert sum(n["items"]["totalCount"] for n in ten_body["data"]["categories"]["nodes"]) == 16
    assert two == ten == VIEWER_STATEMENTS + 1, sql_counter.statements


async def test_category_items_edge_is_batched_across_categories_on_the_resolver_path(
    api: Api, resolver_path: tuple[Api, StatementCounter]
) -> None:
    # given a company with 2 categories and one with 10, all with items
    few, many = await ten_and_two_categories(api)
    reference, counter = resolver_path

    # when each lists its categories with their items, through the resolvers
    bare, _ = await run(reference, counter, CATEGORIES_BARE, few)
    two, _ = await run(reference, counter, CATEGORIES_WITH_ITEMS, few)
    ten, ten_body = await run(reference, counter, CATEGORIES_WITH_ITEMS, many)
    aliased, aliased_body = await run(reference, counter, CATEGORIES_WITH_TWO_ITEM_PAGES, many)

    # then the edge is one statement per page shape, never one per category
    assert sum(n["items"]["totalCount"] for n in ten_body["data"]["categories"]["nodes"]) == 16
    assert two == ten == bare + 1, counter.statements
    assert aliased == bare + 2, counter.statements
    services = aliased_body["data"]["categories"]["nodes"]
    assert sum(n["services"]["totalCount"] for n in services) == 8
