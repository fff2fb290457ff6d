"""Cross-tenant: company B can neither see, change, delete nor reference company A's
catalogue, in GraphQL or REST; A's ids behave exactly like ids that do not exist."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant

ERRORS = "userErrors { field code }"

CATEGORY_CREATE = f"""mutation($input: CategoryCreateInput!) {{ categoryCreate(input: $input) {{
    category {{ id objectId name }} {ERRORS} }} }}"""
CURRENCY_CREATE = f"""mutation($input: CurrencyCreateInput!) {{ currencyCreate(input: $input) {{
    currency {{ id objectId code }} {ERRORS} }} }}"""
VARIANTS = "query($id: ID!) { item(id: $id) { variants { id objectId } } }"

SINGLE = {
    "category": "query($id: ID!) { category(id: $id) { name } }",
    "tax": "query($id: ID!) { tax(id: $id) { name } }",
    "currency": "query($id: ID!) { currency(id: $id) { code } }",
    "item": "query($id: ID!) { item(id: $id) { name } }",
}
NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
LISTS = """{ categories { nodes { id name } } taxes { nodes { id } }
             currencies { nodes { id code } } items { totalCount nodes { id } } }"""
ITEMS_IN_CATEGORY = "query($id: ID!) { items(filter: { categoryId: $id }) { totalCount } }"

UPDATES = {
    "categoryUpdate": ("CategoryUpdateInput", "category { name }", {"name": "Stolen"}),
    "taxUpdate": ("TaxUpdateInput", "tax { rate }", {"rate": "0"}),
    "currencyUpdate": ("CurrencyUpdateInput", "currency { rate }", {"rate": "99"}),
    "itemUpdate": ("ItemUpdateInput", "item { name }", {"name": "Stolen"}),
    "itemVariantUpdate": ("ItemVariantUpdateInput", "itemVariant { name }", {"name": "Stolen"}),
}
DELETES = {
    "categoryDelete": ("CategoryDeleteInput", "deletedCategoryId"),
    "taxDelete": ("TaxDeleteInput", "deletedTaxId"),
    "currencyDelete": ("CurrencyDeleteInput", "deletedCurrencyId"),
    "itemDelete": ("ItemDeleteInput", "deletedItemId"),
    "itemVariantDelete": ("ItemVariantDeleteInput", "deletedItemVariantId"),
}
ITEM_CREATE = f"""mutation($input: ItemCreateInput!) {{ itemCreate(input: $input) {{
    item {{ id }} {ERRORS} }} }}"""
ITEM_UPDATE = f"""mutation($input: ItemUpdateInput!) {{ itemUpdate(input: $input) {{
    item {{ id }} {ERRORS} }} }}"""
VARIANT_CREATE = f"""mutation($input: ItemVariantCreateInput!) {{
    itemVariantCreate(input: $input) {{
    itemVariant {{ id }} {ERRORS} }} }}"""
A_STILL_THERE = """query($category: ID!, $tax: ID!, $currency: ID!, $item: ID!) {
    category(id: $category) { name } tax(id: $tax) { rate } currency(id: $currency) { rate }
    item(id: $item) { name variants { name } } }"""


async def catalogue_of(api: Api, tenant: Tenant) -> dict[str, dict[str, Any]]:
    """A category, tax, currency, item and variant in `tenant`'s company."""
    category = (
        await api.mutate("categoryCreate", CATEGORY_CREATE, {"name": "A's", "type": "ITEM"}, tenant)
    )["category"]
    currency = (
        await api.mutate("currencyCreate", CURRENCY_CREATE, {"code": "EUR", "name": "Euro"}, tenant)
    )["currency"]
    tax = await api.tax(tenant, name="A's tax")
    item = await api.item(
        tenant,
        name="A's item",
        sku="A-1",
        categoryId=category["id"],
        taxId=tax["id"],
        variants=[{"name": "A's variant"}],
    )
    variant = (await api.data(VARIANTS, {"id": item["id"]}, tenant))["item"]["variants"][0]
    return {
        "category": category,
        "tax": tax,
        "currency": currency,
        "item": item,
        "itemVariant": variant,
    }


async def test_another_company_cannot_read_a_catalogue(api: Api) -> None:
    a, b = await api.register(), await api.register()
    rows = await catalogue_of(api, a)

    for field, query in SINGLE.items():
        for ref in (rows[field]["id"], rows[field]["objectId"]):
            body = await api.gql(query, {"id": ref}, b)
            assert body["data"][field] is None, field
            assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"], field
    for row in rows.values():
        body = await api.gql(NODE, {"id": row["id"]}, b)
        assert body["data"]["node"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    nodes = await api.gql(NODES, {"ids": [row["id"] for row in rows.values()]}, b)
    assert nodes["data"]["nodes"] == [None] * 5
    assert {e["extensions"]["code"] for e in nodes["errors"]} == {"NOT_FOUND"}


async def test_another_company_lists_only_its_own_catalogue(api: Api) -> None:
    a, b = await api.register(), await api.register()
    rows = await catalogue_of(api, a)

    lists = await api.data(LISTS, tenant=b)
    filtered = await api.data(ITEMS_IN_CATEGORY, {"id": rows["category"]["id"]}, b)

    assert {c["name"] for c in lists["categories"]["nodes"]} == {"Sales", "General expenses"}
    assert len(lists["taxes"]["nodes"]) == 1
    assert [c["code"] for c in lists["currencies"]["nodes"]] == ["USD"]
    assert lists["items"] == {"totalCount": 0, "nodes": []}
    assert filtered["items"]["totalCount"] == 0
    own = await api.data(ITEMS_IN_CATEGORY, {"id": rows["category"]["id"]}, a)
    assert own["items"]["totalCount"] == 1


async def test_another_company_cannot_update_or_delete_a_catalogue(api: Api) -> None:
    a, b = await api.register(), await api.register()
    rows = await catalogue_of(api, a)

    for name, (input_type, selection, fields) in UPDATES.items():
        entity = name.removesuffix("Update")
        query = (
            f"mutation($input: {input_type}!) "
            f"{{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"
        )
        payload = (await api.data(query, {"input": {"id": rows[entity]["id"], **fields}}, b))[name]
        assert payload["userErrors"] == [{"field": ["input", "id"], "code": "NOT_FOUND"}], name
    for name, (input_type, deleted) in DELETES.items():
        entity = name.removesuffix("Delete")
        query = (
            f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {deleted} {ERRORS} }} }}"
        )
        payload = (await api.data(query, {"input": {"id": rows[entity]["id"]}}, b))[name]
        assert payload == {
            deleted: None,
            "userErrors": [{"field": ["input", "id"], "code": "NOT_FOUND"}],
        }, name

    unchanged = await api.data(
        A_STILL_THERE,
        {k: rows[k]["id"] for k in ("category", "tax", "currency", "item")},
        a,
    )
    assert unchanged == {
        "category": {"name": "A's"},
        "tax": {"rate": "20.0000"},
        "currency": {"rate": "1.00000000"},
        "item": {"name": "A's item", "variants": [{"name": "A's variant"}]},
    }


async def test_another_company_cannot_reference_a_catalogue(api: Api) -> None:
    a, b = await api.register(), await api.register()
    rows = await catalogue_of(api, a)

    by_category = (
        await api.data(
            ITEM_CREATE, {"input": {"name": "X", "categoryId": rows["category"]["id"]}}, b
        )
    )["itemCreate"]
    by_tax = (
        await api.data(ITEM_CREATE, {"input": {"name": "X", "taxId": rows["tax"]["objectId"]}}, b)
    )["itemCreate"]
    by_item = (
        await api.data(VARIANT_CREATE, {"input": {"itemId": rows["item"]["id"], "name": "V"}}, b)
    )["itemVariantCreate"]
    own_item = await api.item(b)
    onto = (
        await api.data(
            ITEM_UPDATE,
            {"input": {"id": own_item["id"], "categoryId": rows["category"]["id"]}},
            b,
        )
    )["itemUpdate"]

    assert by_category == {
        "item": None,
        "userErrors": [{"field": ["input", "categoryId"], "code": "NOT_FOUND"}],
    }
    assert by_tax == {
        "item": None,
        "userErrors": [{"field": ["input", "taxId"], "code": "NOT_FOUND"}],
    }
    assert by_item == {
        "itemVariant": None,
        "userErrors": [{"field": ["input", "itemId"], "code": "NOT_FOUND"}],
    }
    assert onto["userErrors"] == [{"field": ["input", "categoryId"], "code": "NOT_FOUND"}]


async def test_codes_and_skus_are_unique_per_company_only(api: Api) -> None:
    a, b = await api.register(), await api.register()
    await catalogue_of(api, a)

    currency = (await api.data(CURRENCY_CREATE, {"input": {"code": "EUR", "name": "Euro"}}, b))[
        "currencyCreate"
    ]
    item = (await api.data(ITEM_CREATE, {"input": {"name": "Same SKU", "sku": "A-1"}}, b))[
        "itemCreate"
    ]

    assert currency["userErrors"] == [] and currency["currency"]["code"] == "EUR"
    assert item["userErrors"] == []


async def test_another_company_gets_404s_and_400s_over_rest(api: Api) -> None:
    a, b = await api.register(), await api.register()
    rows = await catalogue_of(api, a)

    category = await api.rest(
        "PUT", f"/api/categories/{rows['category']['objectId']}", b, json={"name": "Stolen"}
    )
    tax = await api.rest("PUT", f"/api/taxes/{rows['tax']['objectId']}", b, json={"rate": 0})
    item = await api.rest(
        "POST", "/api/items", b, json={"name": "X", "category": rows["category"]["objectId"]}
    )
    lists = {
        path: await api.rest("GET", path, b)
        for path in ("/api/items", "/api/categories", "/api/taxes", "/api/currencies")
    }

    assert category.status_code == 404 and category.json() == {
        "success": False,
        "message": "Category not found",
        "code": "NOT_FOUND",
    }
    assert tax.status_code == 404 and tax.json() == {
        "success": False,
        "message": "Tax not found",
        "code": "NOT_FOUND",
    }
    assert item.status_code == 400
    assert item.json()["errors"] == [
        {"field": "category", "message": "Category not found", "code": "NOT_FOUND"}
    ]
    own_ids = {r["objectId"] for r in rows.values()}
    for path, response in lists.items():
        assert response.status_code == 200, path
        assert not own_ids & {row["id"] for row in response.json()["data"]}, path
    assert lists["/api/items"].json()["pagination"]["total"] == 0
    still = await api.data(SINGLE["category"], {"id": rows["category"]["id"]}, a)
    assert still["category"]["name"] == "A's"


async def test_a_company_header_the_user_lacks_is_refused(api: Api) -> None:
    a, b = await api.register(), await api.register()

    r = await api.client.get("/api/items", headers={**b.headers, "X-Company-Id": a.company_id})
    body = await api.gql(
        SINGLE["item"], {"id": "0" * 24}, headers={**b.headers, "X-Company-Id": a.company_id}
    )

    assert r.status_code == 403
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
