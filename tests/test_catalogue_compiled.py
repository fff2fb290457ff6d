"""The compiled read path answers catalogue queries exactly as the resolver path does:
same data, same errors, to the byte of every decimal, id and cursor."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gql.core.pagination import encode_cursor
from tests.factories import Api, Tenant

CATEGORY_CREATE = """mutation($input: CategoryCreateInput!) { categoryCreate(input: $input) {
    category { id } userErrors { field message } } }"""
CURRENCY_CREATE = """mutation($input: CurrencyCreateInput!) { currencyCreate(input: $input) {
    currency { id } userErrors { field message } } }"""

CATEGORY_FIELDS = "id objectId name type color enabled createdAt __typename"
TAX_FIELDS = "id objectId name rate type enabled createdAt"
VARIANT_FIELDS = "id objectId name sku barcode salePrice purchasePrice enabled item { id name }"
ITEM_FIELDS = f"""id objectId type name sku barcode description salePrice purchasePrice unit enabled
    createdAt updatedAt category {{ {CATEGORY_FIELDS} }} tax {{ {TAX_FIELDS} }}
    variants {{ {VARIANT_FIELDS} }}"""
PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

LIST_QUERIES = [
    f"{{ items {{ {PAGE} edges {{ cursor node {{ {ITEM_FIELDS} }} }} }} }}",
    "{ items(first: 2, orderBy: {field: NAME, direction: DESC}) { totalCount nodes { name } } }",
    f'{{ items(first: 2, after: "{encode_cursor(2)}") {{ {PAGE} nodes {{ name sku }} }} }}',
    f'{{ items(last: 2, before: "{encode_cursor(4)}") {{ {PAGE} nodes {{ name }} }} }}',
    "{ items(last: 3, orderBy: {field: CREATED_AT}) { totalCount nodes { name salePrice } } }",
    f'{{ items(first: 3, after: "{encode_cursor(40)}") {{ {PAGE} nodes {{ name }} }} }}',
    "{ items(filter: {type: SERVICE}) { totalCount nodes { name type } } }",
    "{ items(filter: {enabled: false}) { totalCount nodes { name enabled } } }",
    '{ items(filter: {search: "dr"}) { totalCount nodes { name } } }',
    '{ items(filter: {search: "%"}) { totalCount nodes { name } } }',
    '{ items(filter: {search: "4006"}) { totalCount nodes { name barcode } } }',
    '{ items(filter: {categoryId: "garbage"}) { totalCount } }',
    "{ items(first: 0) { totalCount nodes { name } } }",
    f"""{{ categories {{ {PAGE} nodes {{ {CATEGORY_FIELDS}
        items {{ {PAGE} nodes {{ name salePrice tax {{ rate }} }} }} }} }} }}""",
    """{ categories(filter: {type: ITEM}, orderBy: {field: NAME, direction: DESC}) { nodes {
        name first: items(first: 1) { totalCount nodes { name } }
        last: items(last: 1, orderBy: {field: UPDATED_AT}) { nodes { name } }
        services: items(filter: {type: SERVICE, search: "a"}) { totalCount } } } }""",
    "{ categories(filter: {enabled: false}) { totalCount nodes { name enabled } } }",
    '{ categories(filter: {search: "too"}) { totalCount nodes { name } } }',
    f"{{ taxes {{ {PAGE} edges {{ cursor node {{ {TAX_FIELDS} }} }} }} }}",
    "{ taxes(filter: {type: WITHHOLDING}) { nodes { name rate } } }",
    "{ taxes(orderBy: {field: CREATED_AT, direction: DESC}, first: 2) { nodes { name } } }",
    "{ currencies { totalCount nodes { id objectId code name rate symbol precision enabled } } }",
    "{ currencies(filter: {enabled: true}, orderBy: {field: NAME}) { nodes { code rate } } }",
    '{ currencies(filter: {search: "eu"}) { nodes { code } } }',
    "{ a: items(first: 1) { nodes { name } } b: taxes(first: 1) { nodes { rate } } }",
]


async def catalogue(api: Api, tenant: Tenant) -> dict[str, str]:
    """A catalogue with every kind of value: odd rates, big prices, nulls, variants."""
    ids: dict[str, str] = {}
    tools = await api.mutate(
        "categoryCreate",
        CATEGORY_CREATE,
        {"name": "Tools", "type": "ITEM", "color": "#f00"},
        tenant,
    )
    ids["category"] = tools["category"]["id"]
    await api.mutate(
        "categoryCreate",
        CATEGORY_CREATE,
        {"name": "Old", "type": "OTHER", "enabled": False},
        tenant,
    )
    odd = await api.tax(tenant, name="Odd", rate="19.6250")
    await api.tax(tenant, name="Withheld", rate="15", type="WITHHOLDING", enabled=False)
    ids["tax"] = odd["id"]
    euro = await api.mutate(
        "currencyCreate",
        CURRENCY_CREATE,
        {"code": "EUR", "name": "Euro", "rate": "0.91234567", "symbol": "€"},
        tenant,
    )
    ids["currency"] = euro["currency"]["id"]
    drill = await api.item(
        tenant,
        name="Drill",
        sku="DR-1",
        barcode="4006381333931",
        salePrice="1234567.8912",
        purchasePrice="0",
        unit="pcs",
        description="Cordless",
        categoryId=ids["category"],
        taxId=ids["tax"],
        variants=[{"name": "Blue", "salePrice": "12.5"}, {"name": "Red", "enabled": False}],
    )
    ids["item"] = drill["id"]
    await api.item(tenant, name="Assembly", type="SERVICE", categoryId=ids["category"])
    await api.item(tenant, name="Nail", salePrice=None, enabled=False)
    await api.item(tenant, name="Screw", sku="SC", categoryId=ids["category"])
    return ids


@pytest.fixture(scope="module")
async def world(api: Api) -> dict[str, Any]:
    owner, other = await api.register(), await api.register()
    own = await catalogue(api, owner)
    foreign = await catalogue(api, other)
    return {"owner": owner, "own": own, "foreign": foreign}


async def both(
    api: Api, resolver_client: httpx.AsyncClient, query: str, tenant: Tenant
) -> tuple[dict[str, Any], dict[str, Any]]:
    compiled = await api.client.post("/graphql", json={"query": query}, headers=tenant.headers)
    reference = await resolver_client.post(
        "/graphql", json={"query": query}, headers=tenant.headers
    )
    assert compiled.status_code == reference.status_code == 200, query
    a, b = compiled.json(), reference.json()
    executors = a.pop("extensions", {}).get("executors", {})
    assert executors and set(executors.values()) == {"compiled"}, (query, executors)
    b.pop("extensions", None)
    return a, b


@pytest.mark.parametrize("query", LIST_QUERIES)
async def test_lists_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any], query: str
) -> None:
    compiled, reference = await both(api, resolver_client, query, world["owner"])

    assert compiled == reference
    assert not compiled.get("errors")


async def test_lists_filtered_by_a_category_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    for ref in (world["own"]["category"], world["foreign"]["category"]):
        query = f'{{ items(filter: {{categoryId: "{ref}"}}) {{ totalCount nodes {{ name }} }} }}'
        compiled, reference = await both(api, resolver_client, query, world["owner"])
        assert compiled == reference
    assert compiled["data"]["items"]["totalCount"] == 0  # another company's category


@pytest.mark.parametrize(
    ("field", "selection"),
    [
        ("category", CATEGORY_FIELDS + " items { totalCount nodes { name } }"),
        ("tax", TAX_FIELDS),
        ("currency", "code name rate symbol"),
        ("item", ITEM_FIELDS),
    ],
)
async def test_single_objects_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any], field: str, selection: str
) -> None:
    refs = [world["own"][field], world["foreign"][field], "0" * 24, "garbage"]

    for ref in refs:
        query = f'{{ {field}(id: "{ref}") {{ {selection} }} }}'
        compiled, reference = await both(api, resolver_client, query, world["owner"])
        assert compiled == reference, query
        if ref == world["own"][field]:
            assert compiled["data"][field] is not None
        else:
            assert compiled["data"][field] is None
            assert [e["extensions"]["code"] for e in compiled["errors"]] == ["NOT_FOUND"]


async def test_money_is_exact_on_the_compiled_path(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    query = """{ items(filter: {search: "Drill"}) {
        nodes { salePrice tax { rate } variants { salePrice } } } }"""

    compiled, _ = await both(api, resolver_client, query, world["owner"])

    assert compiled["data"]["items"]["nodes"] == [
        {
            "salePrice": "1234567.8912",
            "tax": {"rate": "19.6250"},
            "variants": [{"salePrice": "12.5000"}, {"salePrice": None}],
        }
    ]
