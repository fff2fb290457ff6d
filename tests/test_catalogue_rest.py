"""The catalogue over Numbors REST: /api/items, /api/categories, /api/taxes, /api/currencies."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from tests.factories import Api, Tenant

ITEMS = "/api/items"
CATEGORIES = "/api/categories"
TAXES = "/api/taxes"
CURRENCIES = "/api/currencies"

ITEM_NAMES = "query($id: ID!) { item(id: $id) { name salePrice category { name } } }"


def exact(response: httpx.Response) -> Any:
    """The body with JSON numbers as exact Decimals, as a careful client reads money."""
    return json.loads(response.text, parse_float=Decimal, parse_int=Decimal)


def error_fields(response: httpx.Response) -> list[tuple[str, str]]:
    body = response.json()
    assert body["success"] is False and body["message"]
    return [(e["field"], e["code"]) for e in body["errors"]]


async def post(api: Api, path: str, tenant: Tenant, body: Any) -> httpx.Response:
    return await api.rest("POST", path, tenant, json=body)


# --- categories ---------------------------------------------------------------------------


async def test_post_category_creates_it(api: Api) -> None:
    tenant = await api.register()

    r = await post(api, CATEGORIES, tenant, {"name": "Consulting", "type": "income"})

    assert r.status_code == 201
    body = r.json()
    assert body["success"] is True
    assert body["data"]["name"] == "Consulting"
    assert body["data"]["type"] == "income"
    assert body["data"]["enabled"] is True
    assert len(body["data"]["id"]) == 24 and "companyId" not in body["data"]


async def test_post_category_400s_name_the_field(api: Api) -> None:
    tenant = await api.register()

    missing = await post(api, CATEGORIES, tenant, {"type": "income"})
    bad_type = await post(api, CATEGORIES, tenant, {"name": "X", "type": "salary"})
    unknown_field = await post(
        api, CATEGORIES, tenant, {"name": "X", "type": "income", "colour": "red"}
    )
    not_json = await api.rest("POST", CATEGORIES, tenant, content=b"{nope")

    assert missing.status_code == 400 and error_fields(missing) == [("name", "REQUIRED")]
    assert bad_type.status_code == 400 and error_fields(bad_type) == [("type", "INVALID")]
    assert unknown_field.status_code == 400 and error_fields(unknown_field) == [
        ("colour", "INVALID")
    ]
    assert not_json.status_code == 400 and not_json.json()["success"] is False


async def test_get_categories_paginates_and_filters_by_type(api: Api) -> None:
    tenant = await api.register()  # comes with "Sales" (income) and "General expenses" (expense)
    for name in ("Consulting", "Licences", "Training"):
        await post(api, CATEGORIES, tenant, {"name": name, "type": "income"})

    page1 = await api.rest("GET", CATEGORIES, tenant, params={"limit": 2})
    page3 = await api.rest("GET", CATEGORIES, tenant, params={"limit": 2, "page": 3})
    income = await api.rest("GET", CATEGORIES, tenant, params={"type": "income"})
    bad = await api.rest("GET", CATEGORIES, tenant, params={"type": "salary"})
    bad_page = await api.rest("GET", CATEGORIES, tenant, params={"page": 0})

    assert page1.status_code == 200
    assert [c["name"] for c in page1.json()["data"]] == ["Consulting", "General expenses"]
    assert page1.json()["pagination"] == {"page": 1, "limit": 2, "total": 5, "pages": 3}
    assert [c["name"] for c in page3.json()["data"]] == ["Training"]
    assert income.json()["pagination"]["total"] == 4
    assert {c["type"] for c in income.json()["data"]} == {"income"}
    assert income.json()["pagination"]["limit"] == 25
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "type"
    assert bad_page.status_code == 400 and bad_page.json()["errors"][0]["field"] == "page"


async def test_put_category_updates_it(api: Api) -> None:
    tenant = await api.register()
    created = (await post(api, CATEGORIES, tenant, {"name": "Misc", "type": "other"})).json()[
        "data"
    ]

    r = await api.rest(
        "PUT", f"{CATEGORIES}/{created['id']}", tenant, json={"name": "Sundries", "type": "expense"}
    )

    assert r.status_code == 200
    assert r.json()["success"] is True
    assert r.json()["data"] == {
        **created,
        "name": "Sundries",
        "type": "expense",
        "updatedAt": r.json()["data"]["updatedAt"],
        "version": 2,
    }


async def test_put_category_404s_and_400s(api: Api) -> None:
    tenant = await api.register()
    created = (await post(api, CATEGORIES, tenant, {"name": "Misc", "type": "other"})).json()[
        "data"
    ]

    unknown = await api.rest("PUT", f"{CATEGORIES}/{'0' * 24}", tenant, json={"name": "X"})
    garbage = await api.rest("PUT", f"{CATEGORIES}/not-an-id", tenant, json={"name": "X"})
    bad = await api.rest("PUT", f"{CATEGORIES}/{created['id']}", tenant, json={"name": ""})

    assert unknown.status_code == 404 and unknown.json() == {
        "success": False,
        "message": "Category not found",
        "code": "NOT_FOUND",
    }
    assert garbage.status_code == 404
    assert bad.status_code == 400 and error_fields(bad) == [("name", "INVALID")]


# --- taxes --------------------------------------------------------------------------------


async def test_post_tax_keeps_the_rate_an_exact_number(api: Api) -> None:
    tenant = await api.register()

    r = await api.rest(
        "POST",
        TAXES,
        tenant,
        content=b'{"name": "Odd", "rate": 19.6250, "type": "normal"}',
        headers={**tenant.headers, "content-type": "application/json"},
    )

    assert r.status_code == 201
    assert exact(r)["data"]["rate"] == Decimal("19.6250")
    assert '"rate":19.6250' in r.text
    listed = exact(await api.rest("GET", TAXES, tenant, params={"search": "odd"}))
    assert [(t["name"], t["rate"]) for t in listed["data"]] == [("Odd", Decimal("19.6250"))]


async def test_post_tax_400s(api: Api) -> None:
    tenant = await api.register()

    missing = await post(api, TAXES, tenant, {"name": "No rate"})
    too_high = await post(api, TAXES, tenant, {"name": "X", "rate": 120})
    bad_type = await post(api, TAXES, tenant, {"name": "X", "rate": 5, "type": "vat"})

    assert missing.status_code == 400 and error_fields(missing) == [("rate", "REQUIRED")]
    assert too_high.status_code == 400 and error_fields(too_high) == [("rate", "INVALID")]
    assert bad_type.status_code == 400 and error_fields(bad_type) == [("type", "INVALID")]


async def test_get_taxes_lists_with_pagination(api: Api) -> None:
    tenant = await api.register()  # comes with "Standard rate"
    await post(api, TAXES, tenant, {"name": "Reduced", "rate": 5})
    await post(api, TAXES, tenant, {"name": "Zero", "rate": 0, "enabled": False})

    everything = await api.rest("GET", TAXES, tenant)
    enabled = await api.rest(
        "GET", TAXES, tenant, params={"enabled": "true", "limit": 1, "page": 2}
    )

    assert everything.status_code == 200
    assert [t["name"] for t in everything.json()["data"]] == ["Reduced", "Standard rate", "Zero"]
    assert everything.json()["pagination"] == {"page": 1, "limit": 25, "total": 3, "pages": 1}
    assert [t["name"] for t in enabled.json()["data"]] == ["Standard rate"]
    assert enabled.json()["pagination"] == {"page": 2, "limit": 1, "total": 2, "pages": 2}


async def test_put_tax_updates_it_and_404s(api: Api) -> None:
    tenant = await api.register()
    tax = (await post(api, TAXES, tenant, {"name": "Reduced", "rate": 5})).json()["data"]

    r = await api.rest(
        "PUT", f"{TAXES}/{tax['id']}", tenant, json={"name": "Reduced rate", "rate": 5.5}
    )
    bad = await api.rest("PUT", f"{TAXES}/{tax['id']}", tenant, json={"rate": -1})
    unknown = await api.rest("PUT", f"{TAXES}/{'0' * 24}", tenant, json={"rate": 1})

    assert r.status_code == 200
    assert exact(r)["data"]["rate"] == Decimal("5.5")
    assert r.json()["data"]["name"] == "Reduced rate"
    assert bad.status_code == 400 and error_fields(bad) == [("rate", "INVALID")]
    assert unknown.status_code == 404


# --- currencies ---------------------------------------------------------------------------


async def test_post_currency_creates_it_and_refuses_a_duplicate_code(api: Api) -> None:
    tenant = await api.register()

    r = await post(api, CURRENCIES, tenant, {"code": "EUR", "name": "Euro", "rate": 1.17})
    again = await post(api, CURRENCIES, tenant, {"code": "EUR", "name": "Euro again"})
    bad = await post(api, CURRENCIES, tenant, {"code": "EURO", "name": "Euro", "rate": 0})
    missing = await post(api, CURRENCIES, tenant, {"code": "GBP"})

    assert r.status_code == 201
    assert exact(r)["data"]["rate"] == Decimal("1.17")
    assert r.json()["data"]["code"] == "EUR"
    assert again.status_code == 400 and error_fields(again) == [("code", "TAKEN")]
    assert bad.status_code == 400 and sorted(error_fields(bad)) == [
        ("code", "INVALID"),
        ("rate", "INVALID"),
    ]
    assert missing.status_code == 400 and error_fields(missing) == [("name", "REQUIRED")]


async def test_get_currencies_lists_them(api: Api) -> None:
    tenant = await api.register()  # base currency USD
    await post(api, CURRENCIES, tenant, {"code": "EUR", "name": "Euro", "rate": 0.92})

    r = await api.rest("GET", CURRENCIES, tenant)
    searched = await api.rest("GET", CURRENCIES, tenant, params={"search": "eur"})

    assert r.status_code == 200
    assert [(c["code"], c["rate"]) for c in exact(r)["data"]] == [
        ("EUR", Decimal("0.92")),
        ("USD", Decimal("1")),
    ]
    assert r.json()["pagination"]["total"] == 2
    assert [c["code"] for c in searched.json()["data"]] == ["EUR"]


# --- items --------------------------------------------------------------------------------


async def test_post_item_creates_it_with_its_category(api: Api) -> None:
    tenant = await api.register()
    category = (await post(api, CATEGORIES, tenant, {"name": "Services", "type": "income"})).json()[
        "data"
    ]
    tax = (await post(api, TAXES, tenant, {"name": "VAT", "rate": 20})).json()["data"]

    r = await api.rest(
        "POST",
        ITEMS,
        tenant,
        content=(
            f'{{"name": "Web Development", "type": "service", "category": "{category["id"]}",'
            f' "tax": "{tax["id"]}", "salePrice": 1234567.8912, "purchasePrice": 0}}'
        ).encode(),
        headers={**tenant.headers, "content-type": "application/json"},
    )

    assert r.status_code == 201, r.text
    data = exact(r)["data"]
    assert data["salePrice"] == Decimal("1234567.8912")
    assert '"salePrice":1234567.8912' in r.text
    assert data["category"] == category["id"]
    assert data["tax"] == tax["id"]
    assert data["type"] == "service"
    assert data["variants"] == []
    graph = await api.data(ITEM_NAMES, {"id": data["id"]}, tenant)
    assert graph["item"] == {
        "name": "Web Development",
        "salePrice": "1234567.8912",
        "category": {"name": "Services"},
    }


async def test_post_item_400s_name_the_fields_the_client_sent(api: Api) -> None:
    tenant = await api.register()

    unknown_category = await post(api, ITEMS, tenant, {"name": "X", "category": "0" * 24})
    unknown_tax = await post(api, ITEMS, tenant, {"name": "X", "tax": "nope"})
    negative = await post(api, ITEMS, tenant, {"name": "X", "salePrice": -1, "purchasePrice": -2})
    missing = await post(api, ITEMS, tenant, {"salePrice": 1})
    bad_type = await post(api, ITEMS, tenant, {"name": "X", "type": "subscription"})
    not_object = await post(api, ITEMS, tenant, ["name"])

    assert unknown_category.status_code == 400 and error_fields(unknown_category) == [
        ("category", "NOT_FOUND")
    ]
    assert unknown_tax.status_code == 400 and error_fields(unknown_tax) == [("tax", "NOT_FOUND")]
    assert negative.status_code == 400
    assert sorted(error_fields(negative)) == [
        ("purchasePrice", "INVALID"),
        ("salePrice", "INVALID"),
    ]
    assert missing.status_code == 400 and error_fields(missing) == [("name", "REQUIRED")]
    assert bad_type.status_code == 400 and error_fields(bad_type) == [("type", "INVALID")]
    assert not_object.status_code == 400 and error_fields(not_object) == [("body", "INVALID")]


async def test_post_item_with_variants_and_a_taken_sku(api: Api) -> None:
    tenant = await api.register()

    r = await post(
        api,
        ITEMS,
        tenant,
        {"name": "Shirt", "sku": "SH", "variants": [{"name": "L", "sku": "SH-L", "salePrice": 10}]},
    )
    taken = await post(api, ITEMS, tenant, {"name": "Other", "sku": "SH-L"})
    bad_variant = await post(
        api, ITEMS, tenant, {"name": "Other", "variants": [{"name": "M", "salePrice": -3}]}
    )

    assert r.status_code == 201
    assert [(v["name"], v["sku"]) for v in r.json()["data"]["variants"]] == [("L", "SH-L")]
    assert taken.status_code == 400 and error_fields(taken) == [("sku", "TAKEN")]
    assert bad_variant.status_code == 400 and error_fields(bad_variant) == [
        ("variants[0].salePrice", "INVALID")
    ]


async def test_get_items_paginates_and_filters(api: Api) -> None:
    tenant = await api.register()
    for body in (
        {"name": "Apple", "sku": "FR-1"},
        {"name": "Banana", "barcode": "7610000000001"},
        {"name": "Cleaning", "type": "service"},
        {"name": "Durian", "enabled": False},
    ):
        assert (await post(api, ITEMS, tenant, body)).status_code == 201

    page2 = await api.rest("GET", ITEMS, tenant, params={"page": 2, "limit": 3})
    services = await api.rest("GET", ITEMS, tenant, params={"type": "service"})
    disabled = await api.rest("GET", ITEMS, tenant, params={"enabled": "false"})
    by_sku = await api.rest("GET", ITEMS, tenant, params={"search": "fr-"})
    by_barcode = await api.rest("GET", ITEMS, tenant, params={"search": "76100"})
    bad_limit = await api.rest("GET", ITEMS, tenant, params={"limit": 1000})
    bad_enabled = await api.rest("GET", ITEMS, tenant, params={"enabled": "maybe"})

    assert page2.status_code == 200
    assert [i["name"] for i in page2.json()["data"]] == ["Durian"]
    assert page2.json()["pagination"] == {"page": 2, "limit": 3, "total": 4, "pages": 2}
    assert [i["name"] for i in services.json()["data"]] == ["Cleaning"]
    assert [i["name"] for i in disabled.json()["data"]] == ["Durian"]
    assert [i["name"] for i in by_sku.json()["data"]] == ["Apple"]
    assert [i["name"] for i in by_barcode.json()["data"]] == ["Banana"]
    assert bad_limit.status_code == 400 and bad_limit.json()["errors"][0]["field"] == "limit"
    assert bad_enabled.status_code == 400 and bad_enabled.json()["errors"][0]["field"] == "enabled"


async def test_get_items_lists_variants_in_a_fixed_number_of_statements(
    api: Api, sql_counter: Any
) -> None:
    tenant = await api.register()
    await post(api, ITEMS, tenant, {"name": "One", "variants": [{"name": "A"}]})
    sql_counter.reset()
    await api.rest("GET", ITEMS, tenant)
    one = sql_counter.count
    for n in range(5):
        await post(
            api, ITEMS, tenant, {"name": f"More {n}", "variants": [{"name": "A"}, {"name": "B"}]}
        )

    sql_counter.reset()
    r = await api.rest("GET", ITEMS, tenant)

    assert len(r.json()["data"]) == 6
    assert sql_counter.count == one


# --- auth and paths -----------------------------------------------------------------------


async def test_catalogue_paths_need_a_token(api: Api) -> None:
    for method, path in (("GET", ITEMS), ("POST", CATEGORIES), ("GET", TAXES), ("GET", CURRENCIES)):
        r = await api.client.request(method, path, json={})
        assert r.status_code == 401, (method, path)
        assert r.json()["success"] is False


async def test_only_the_documented_paths_exist(api: Api) -> None:
    tenant = await api.register()
    tax = (await post(api, TAXES, tenant, {"name": "VAT", "rate": 20})).json()["data"]

    for method, path in (
        ("GET", f"{TAXES}/{tax['id']}"),
        ("DELETE", f"{TAXES}/{tax['id']}"),
        ("GET", f"{ITEMS}/{'0' * 24}"),
        ("PUT", f"{CURRENCIES}/{'0' * 24}"),
        ("GET", "/api/item-variants"),
    ):
        r = await api.rest(method, path, tenant, json={})
        assert r.status_code in (404, 405), (method, path, r.status_code)
