"""The catalogue over GraphQL: categories, taxes, currencies, items and variants."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant, member_of

ERRORS = "userErrors { field message code }"

CATEGORY_CREATE = f"""mutation($input: CategoryCreateInput!) {{ categoryCreate(input: $input) {{
    category {{ id objectId name type color enabled }} {ERRORS} }} }}"""
CATEGORY_UPDATE = f"""mutation($input: CategoryUpdateInput!) {{ categoryUpdate(input: $input) {{
    category {{ id name type color enabled }} {ERRORS} }} }}"""
CATEGORY_DELETE = f"""mutation($input: CategoryDeleteInput!) {{ categoryDelete(input: $input) {{
    deletedCategoryId {ERRORS} }} }}"""
CATEGORY = "query($id: ID!) { category(id: $id) { id name type } }"
CATEGORIES = """query($first: Int, $after: String, $last: Int, $before: String,
                      $filter: CategoryFilter, $orderBy: CategoryOrder) {
    categories(first: $first, after: $after, last: $last, before: $before,
               filter: $filter, orderBy: $orderBy) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        nodes { id name type enabled } } }"""
CATEGORY_ITEMS = """query($id: ID!, $filter: ItemFilter, $first: Int) { category(id: $id) {
    items(filter: $filter, first: $first) { totalCount nodes { name } } } }"""

TAX_CREATE = f"""mutation($input: TaxCreateInput!) {{ taxCreate(input: $input) {{
    tax {{ id objectId name rate type enabled }} {ERRORS} }} }}"""
TAX_UPDATE = f"""mutation($input: TaxUpdateInput!) {{ taxUpdate(input: $input) {{
    tax {{ id name rate type enabled }} {ERRORS} }} }}"""
TAX_DELETE = f"""mutation($input: TaxDeleteInput!) {{ taxDelete(input: $input) {{
    deletedTaxId {ERRORS} }} }}"""
TAX = "query($id: ID!) { tax(id: $id) { id name rate type } }"
TAXES = """query($filter: TaxFilter, $orderBy: TaxOrder) {
    taxes(filter: $filter, orderBy: $orderBy) { totalCount nodes { name rate type enabled } } }"""

CURRENCY_CREATE = f"""mutation($input: CurrencyCreateInput!) {{ currencyCreate(input: $input) {{
    currency {{ id objectId code name rate symbol precision enabled }} {ERRORS} }} }}"""
CURRENCY_UPDATE = f"""mutation($input: CurrencyUpdateInput!) {{ currencyUpdate(input: $input) {{
    currency {{ id code name rate symbol precision enabled }} {ERRORS} }} }}"""
CURRENCY_DELETE = f"""mutation($input: CurrencyDeleteInput!) {{ currencyDelete(input: $input) {{
    deletedCurrencyId {ERRORS} }} }}"""
CURRENCY = "query($id: ID!) { currency(id: $id) { id code rate } }"
CURRENCIES = """query($filter: CurrencyFilter, $orderBy: CurrencyOrder) {
    currencies(filter: $filter, orderBy: $orderBy) {
        totalCount nodes { id code name rate enabled } } }"""

ITEM_FIELDS = """id objectId type name sku barcode description salePrice purchasePrice unit enabled
    category { id name } tax { id rate }
    variants { id name sku barcode salePrice purchasePrice enabled }"""
ITEM_CREATE = f"""mutation($input: ItemCreateInput!) {{ itemCreate(input: $input) {{
    item {{ {ITEM_FIELDS} }} {ERRORS} }} }}"""
ITEM_UPDATE = f"""mutation($input: ItemUpdateInput!) {{ itemUpdate(input: $input) {{
    item {{ {ITEM_FIELDS} }} {ERRORS} }} }}"""
ITEM_DELETE = f"""mutation($input: ItemDeleteInput!) {{ itemDelete(input: $input) {{
    deletedItemId {ERRORS} }} }}"""
ITEM = f"query($id: ID!) {{ item(id: $id) {{ {ITEM_FIELDS} }} }}"
ITEMS = """query($first: Int, $after: String, $last: Int, $before: String,
                 $filter: ItemFilter, $orderBy: ItemOrder) {
    items(first: $first, after: $after, last: $last, before: $before,
          filter: $filter, orderBy: $orderBy) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { name } } } }"""

VARIANT_CREATE = f"""mutation($input: ItemVariantCreateInput!) {{
    itemVariantCreate(input: $input) {{
    itemVariant {{ id name sku salePrice purchasePrice enabled item {{ id }} }} {ERRORS} }} }}"""
VARIANT_UPDATE = f"""mutation($input: ItemVariantUpdateInput!) {{
    itemVariantUpdate(input: $input) {{
    itemVariant {{ id name sku salePrice enabled }} {ERRORS} }} }}"""
VARIANT_DELETE = f"""mutation($input: ItemVariantDeleteInput!) {{
    itemVariantDelete(input: $input) {{
    deletedItemVariantId {ERRORS} }} }}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on ItemVariant { name } } }"


# --- helpers ------------------------------------------------------------------------------


async def run(
    api: Api, query: str, name: str, input: dict[str, Any], tenant: Tenant
) -> dict[str, Any]:
    """A mutation's payload, whether or not it reports user errors."""
    return (await api.data(query, {"input": input}, tenant))[name]  # type: ignore[no-any-return]


def codes(payload: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def category(
    api: Api, tenant: Tenant, name: str = "Hardware", type: str = "ITEM", **extra: Any
) -> dict[str, Any]:
    payload = await api.mutate(
        "categoryCreate", CATEGORY_CREATE, {"name": name, "type": type, **extra}, tenant
    )
    return payload["category"]  # type: ignore[no-any-return]


async def currency(api: Api, tenant: Tenant, code: str = "EUR", **extra: Any) -> dict[str, Any]:
    input = {"code": code, "name": code, "rate": "1.17", **extra}
    return (await api.mutate("currencyCreate", CURRENCY_CREATE, input, tenant))["currency"]  # type: ignore[no-any-return]


def assert_not_found(body: dict[str, Any], field: str) -> None:
    assert body["data"][field] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


# --- categories ---------------------------------------------------------------------------


async def test_category_create_returns_the_new_category(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api,
        CATEGORY_CREATE,
        "categoryCreate",
        {"name": " Hardware ", "type": "ITEM", "color": "#00ff00"},
        tenant,
    )

    assert payload["userErrors"] == []
    assert payload["category"]["name"] == "Hardware"
    assert payload["category"]["type"] == "ITEM"
    assert payload["category"]["color"] == "#00ff00"
    assert payload["category"]["enabled"] is True
    fetched = await api.data(CATEGORY, {"id": payload["category"]["id"]}, tenant)
    assert fetched["category"]["name"] == "Hardware"


async def test_category_create_refuses_an_empty_name(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api, CATEGORY_CREATE, "categoryCreate", {"name": "  ", "type": "INCOME"}, tenant
    )

    assert payload["category"] is None
    assert codes(payload) == [(["input", "name"], "INVALID")]


async def test_category_create_needs_name_and_a_known_type(api: Api) -> None:
    tenant = await api.register()

    missing = await api.gql(CATEGORY_CREATE, {"input": {"type": "INCOME"}}, tenant)
    wrong_enum = await api.gql(CATEGORY_CREATE, {"input": {"name": "X", "type": "SALARY"}}, tenant)

    assert missing.get("data") is None and "name" in missing["errors"][0]["message"]
    assert wrong_enum.get("data") is None and "SALARY" in wrong_enum["errors"][0]["message"]


async def test_category_update_changes_only_the_fields_sent(api: Api) -> None:
    tenant = await api.register()
    created = await category(api, tenant, color="#111111")

    payload = await run(
        api, CATEGORY_UPDATE, "categoryUpdate", {"id": created["id"], "type": "EXPENSE"}, tenant
    )

    assert payload["userErrors"] == []
    assert payload["category"] == {
        **payload["category"],
        "name": "Hardware",
        "type": "EXPENSE",
        "color": "#111111",
    }


async def test_category_update_refuses_null_name_and_unknown_id(api: Api) -> None:
    tenant = await api.register()
    created = await category(api, tenant)

    null_name = await run(
        api, CATEGORY_UPDATE, "categoryUpdate", {"id": created["id"], "name": None}, tenant
    )
    unknown = await run(
        api, CATEGORY_UPDATE, "categoryUpdate", {"id": "0" * 24, "name": "X"}, tenant
    )

    assert codes(null_name) == [(["input", "name"], "REQUIRED")]
    assert codes(unknown) == [(["input", "id"], "NOT_FOUND")]


async def test_category_delete_removes_an_unused_category(api: Api) -> None:
    tenant = await api.register()
    created = await category(api, tenant)

    payload = await run(api, CATEGORY_DELETE, "categoryDelete", {"id": created["id"]}, tenant)

    assert payload == {"deletedCategoryId": created["id"], "userErrors": []}
    assert_not_found(await api.gql(CATEGORY, {"id": created["id"]}, tenant), "category")


async def test_category_delete_refuses_a_category_items_use(api: Api) -> None:
    tenant = await api.register()
    created = await category(api, tenant)
    await api.item(tenant, categoryId=created["id"])

    payload = await run(api, CATEGORY_DELETE, "categoryDelete", {"id": created["id"]}, tenant)

    assert payload["deletedCategoryId"] is None
    assert codes(payload) == [(["input", "id"], "IN_USE")]
    assert (await api.data(CATEGORY, {"id": created["id"]}, tenant))["category"][
        "name"
    ] == "Hardware"


async def test_category_delete_of_an_unknown_id_is_not_found(api: Api) -> None:
    tenant = await api.register()

    payload = await run(api, CATEGORY_DELETE, "categoryDelete", {"id": "not-an-id"}, tenant)

    assert codes(payload) == [(["input", "id"], "NOT_FOUND")]


async def test_categories_filter_by_type_enabled_and_search(api: Api) -> None:
    tenant = await api.register()  # comes with "Sales" (income) and "General expenses" (expense)
    await category(api, tenant, "Bolts", "ITEM")
    await category(api, tenant, "Nuts", "ITEM", enabled=False)
    await category(api, tenant, "Consulting", "INCOME")

    items = await api.data(CATEGORIES, {"filter": {"type": "ITEM"}}, tenant)
    enabled_items = await api.data(
        CATEGORIES, {"filter": {"type": "ITEM", "enabled": True}}, tenant
    )
    income = await api.data(
        CATEGORIES,
        {"filter": {"type": "INCOME"}, "orderBy": {"field": "NAME", "direction": "DESC"}},
        tenant,
    )
    search = await api.data(CATEGORIES, {"filter": {"search": "ULT"}}, tenant)

    assert [n["name"] for n in items["categories"]["nodes"]] == ["Bolts", "Nuts"]
    assert [n["name"] for n in enabled_items["categories"]["nodes"]] == ["Bolts"]
    assert [n["name"] for n in income["categories"]["nodes"]] == ["Sales", "Consulting"]
    assert [n["name"] for n in search["categories"]["nodes"]] == ["Consulting"]


async def test_categories_paginate_forwards_and_backwards(api: Api) -> None:
    tenant = await api.register()
    for name in ("A1", "A2", "A3"):
        await category(api, tenant, name)

    first = await api.data(CATEGORIES, {"first": 2}, tenant)
    second = await api.data(
        CATEGORIES, {"first": 2, "after": first["categories"]["pageInfo"]["endCursor"]}, tenant
    )
    last = await api.data(CATEGORIES, {"last": 2}, tenant)

    assert first["categories"]["totalCount"] == 5
    assert [n["name"] for n in first["categories"]["nodes"]] == ["A1", "A2"]
    assert first["categories"]["pageInfo"]["hasNextPage"] is True
    assert [n["name"] for n in second["categories"]["nodes"]] == ["A3", "General expenses"]
    assert [n["name"] for n in last["categories"]["nodes"]] == ["General expenses", "Sales"]
    assert last["categories"]["pageInfo"]["hasPreviousPage"] is True


async def test_category_items_edge_filters_and_counts(api: Api) -> None:
    tenant = await api.register()
    tools = await category(api, tenant, "Tools")
    await api.item(tenant, name="Hammer", categoryId=tools["id"])
    await api.item(tenant, name="Saw", categoryId=tools["id"], type="SERVICE")
    await api.item(tenant, name="Elsewhere")

    all_items = await api.data(CATEGORY_ITEMS, {"id": tools["id"]}, tenant)
    services = await api.data(
        CATEGORY_ITEMS, {"id": tools["id"], "filter": {"type": "SERVICE"}}, tenant
    )
    one = await api.data(CATEGORY_ITEMS, {"id": tools["id"], "first": 1}, tenant)

    assert all_items["category"]["items"] == {
        "totalCount": 2,
        "nodes": [{"name": "Hammer"}, {"name": "Saw"}],
    }
    assert services["category"]["items"] == {"totalCount": 1, "nodes": [{"name": "Saw"}]}
    assert one["category"]["items"] == {"totalCount": 2, "nodes": [{"name": "Hammer"}]}


async def test_category_query_of_a_missing_id_is_null_with_not_found(api: Api) -> None:
    tenant = await api.register()

    body = await api.gql(CATEGORY, {"id": "0" * 24}, tenant)

    assert_not_found(body, "category")


# --- taxes --------------------------------------------------------------------------------


async def test_tax_create_keeps_the_rate_exact(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api, TAX_CREATE, "taxCreate", {"name": "Odd rate", "rate": "19.6250"}, tenant
    )

    assert payload["userErrors"] == []
    assert payload["tax"]["rate"] == "19.6250"
    assert payload["tax"]["type"] == "NORMAL"
    fetched = await api.data(TAX, {"id": payload["tax"]["id"]}, tenant)
    assert fetched["tax"]["rate"] == "19.6250"


async def test_tax_create_refuses_rates_outside_0_to_100_and_too_many_places(api: Api) -> None:
    tenant = await api.register()

    too_high = await run(api, TAX_CREATE, "taxCreate", {"name": "X", "rate": "100.01"}, tenant)
    negative = await run(api, TAX_CREATE, "taxCreate", {"name": "X", "rate": "-1"}, tenant)
    too_fine = await run(api, TAX_CREATE, "taxCreate", {"name": "X", "rate": "1.00001"}, tenant)
    wrong_enum = await api.gql(
        TAX_CREATE, {"input": {"name": "X", "rate": "5", "type": "SPECIAL"}}, tenant
    )
    missing_rate = await api.gql(TAX_CREATE, {"input": {"name": "X"}}, tenant)

    for payload in (too_high, negative, too_fine):
        assert payload["tax"] is None
        assert codes(payload) == [(["input", "rate"], "INVALID")]
    assert wrong_enum.get("data") is None
    assert missing_rate.get("data") is None


async def test_tax_update_changes_the_rate_but_not_documents_already_written(api: Api) -> None:
    tenant = await api.register()
    tax = await api.tax(tenant, rate="10")
    contact = await api.contact(tenant)
    document = await api.document(
        tenant,
        contact["id"],
        lines=[{"name": "Work", "quantity": "1", "unitPrice": "100", "taxId": tax["id"]}],
    )

    payload = await run(
        api,
        TAX_UPDATE,
        "taxUpdate",
        {"id": tax["id"], "rate": "12.5", "type": "WITHHOLDING"},
        tenant,
    )

    assert payload["userErrors"] == []
    assert payload["tax"]["rate"] == "12.5000"
    assert payload["tax"]["type"] == "WITHHOLDING"
    doc = await api.data(
        "query($id: ID!) { document(id: $id) { total { amount } lines { taxRate } } }",
        {"id": document["id"]},
        tenant,
    )
    assert doc["document"] == {"total": {"amount": "110.00"}, "lines": [{"taxRate": "10.0000"}]}


async def test_tax_update_refuses_null_rate_and_bad_rate(api: Api) -> None:
    tenant = await api.register()
    tax = await api.tax(tenant)

    null_rate = await run(api, TAX_UPDATE, "taxUpdate", {"id": tax["id"], "rate": None}, tenant)
    bad_rate = await run(api, TAX_UPDATE, "taxUpdate", {"id": tax["id"], "rate": "250"}, tenant)

    assert codes(null_rate) == [(["input", "rate"], "REQUIRED")]
    assert codes(bad_rate) == [(["input", "rate"], "INVALID")]


async def test_tax_delete_removes_an_unused_tax(api: Api) -> None:
    tenant = await api.register()
    tax = await api.tax(tenant)

    payload = await run(api, TAX_DELETE, "taxDelete", {"id": tax["id"]}, tenant)

    assert payload == {"deletedTaxId": tax["id"], "userErrors": []}
    assert_not_found(await api.gql(TAX, {"id": tax["id"]}, tenant), "tax")


async def test_tax_delete_refuses_a_tax_items_or_document_lines_use(api: Api) -> None:
    tenant = await api.register()
    by_item = await api.tax(tenant)
    await api.item(tenant, taxId=by_item["id"])
    by_line = await api.tax(tenant)
    contact = await api.contact(tenant)
    await api.document(
        tenant, contact["id"], lines=[{"name": "Work", "unitPrice": "5", "taxId": by_line["id"]}]
    )

    item_payload = await run(api, TAX_DELETE, "taxDelete", {"id": by_item["id"]}, tenant)
    line_payload = await run(api, TAX_DELETE, "taxDelete", {"id": by_line["id"]}, tenant)

    assert codes(item_payload) == [(["input", "id"], "IN_USE")]
    assert codes(line_payload) == [(["input", "id"], "IN_USE")]
    assert "document lines" in line_payload["userErrors"][0]["message"]


async def test_taxes_filter_by_enabled_type_and_search(api: Api) -> None:
    tenant = await api.register()  # comes with "Standard rate"
    await api.tax(tenant, name="Reduced", rate="5")
    await api.tax(tenant, name="Old reduced", rate="7", enabled=False)
    await api.tax(tenant, name="Withheld", rate="15", type="WITHHOLDING")

    enabled = await api.data(TAXES, {"filter": {"enabled": True}}, tenant)
    search = await api.data(TAXES, {"filter": {"search": "reduc"}}, tenant)
    withholding = await api.data(TAXES, {"filter": {"type": "WITHHOLDING"}}, tenant)

    assert [n["name"] for n in enabled["taxes"]["nodes"]] == [
        "Reduced",
        "Standard rate",
        "Withheld",
    ]
    assert [n["name"] for n in search["taxes"]["nodes"]] == ["Old reduced", "Reduced"]
    assert withholding["taxes"]["nodes"] == [
        {"name": "Withheld", "rate": "15.0000", "type": "WITHHOLDING", "enabled": True}
    ]


# --- currencies ---------------------------------------------------------------------------


async def test_currency_create_returns_the_currency(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api,
        CURRENCY_CREATE,
        "currencyCreate",
        {"code": "EUR", "name": "Euro", "rate": "0.91234567", "symbol": "€", "precision": 2},
        tenant,
    )

    assert payload["userErrors"] == []
    assert payload["currency"] == {
        **payload["currency"],
        "code": "EUR",
        "name": "Euro",
        "rate": "0.91234567",
        "symbol": "€",
        "precision": 2,
        "enabled": True,
    }


async def test_currency_create_refuses_a_code_the_company_has(api: Api) -> None:
    tenant = await api.register()  # base currency USD
    await currency(api, tenant, "EUR")

    again = await run(
        api, CURRENCY_CREATE, "currencyCreate", {"code": "EUR", "name": "Euro"}, tenant
    )
    base = await run(
        api, CURRENCY_CREATE, "currencyCreate", {"code": "USD", "name": "Dollar"}, tenant
    )

    assert codes(again) == [(["input", "code"], "TAKEN")]
    assert codes(base) == [(["input", "code"], "TAKEN")]


async def test_currency_create_validates_code_rate_and_precision(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api,
        CURRENCY_CREATE,
        "currencyCreate",
        {"code": "eur", "name": "", "rate": "0", "precision": 7},
        tenant,
    )

    assert sorted(codes(payload)) == [
        (["input", "code"], "INVALID"),
        (["input", "name"], "INVALID"),
        (["input", "precision"], "INVALID"),
        (["input", "rate"], "INVALID"),
    ]


async def test_currency_update_changes_rate_and_refuses_a_taken_code(api: Api) -> None:
    tenant = await api.register()
    eur = await currency(api, tenant, "EUR")
    await currency(api, tenant, "GBP")

    changed = await run(
        api,
        CURRENCY_UPDATE,
        "currencyUpdate",
        {"id": eur["id"], "rate": "1.2", "symbol": "€"},
        tenant,
    )
    taken = await run(
        api, CURRENCY_UPDATE, "currencyUpdate", {"id": eur["id"], "code": "GBP"}, tenant
    )

    assert changed["userErrors"] == []
    assert changed["currency"]["rate"] == "1.20000000"
    assert changed["currency"]["symbol"] == "€"
    assert codes(taken) == [(["input", "code"], "TAKEN")]


async def test_base_currency_keeps_rate_1_and_cannot_be_deleted(api: Api) -> None:
    tenant = await api.register()
    usd = (await api.data(CURRENCIES, {"filter": {"search": "USD"}}, tenant))["currencies"][
        "nodes"
    ][0]

    rate = await run(api, CURRENCY_UPDATE, "currencyUpdate", {"id": usd["id"], "rate": "2"}, tenant)
    same_rate = await run(
        api,
        CURRENCY_UPDATE,
        "currencyUpdate",
        {"id": usd["id"], "rate": "1.00", "name": "US Dollar"},
        tenant,
    )
    code = await run(
        api, CURRENCY_UPDATE, "currencyUpdate", {"id": usd["id"], "code": "USN"}, tenant
    )
    disabled = await run(
        api, CURRENCY_UPDATE, "currencyUpdate", {"id": usd["id"], "enabled": False}, tenant
    )
    deleted = await run(api, CURRENCY_DELETE, "currencyDelete", {"id": usd["id"]}, tenant)

    assert codes(rate) == [(["input", "rate"], "INVALID")]
    assert codes(disabled) == [(["input", "enabled"], "INVALID_STATE")]
    assert same_rate["userErrors"] == [] and same_rate["currency"]["name"] == "US Dollar"
    assert codes(code) == [(["input", "code"], "INVALID_STATE")]
    assert codes(deleted) == [(["input", "id"], "INVALID_STATE")]
    assert (await api.data(CURRENCY, {"id": usd["id"]}, tenant))["currency"]["rate"] == "1.00000000"


async def test_currency_delete_removes_an_unused_currency(api: Api) -> None:
    tenant = await api.register()
    eur = await currency(api, tenant, "EUR")

    payload = await run(api, CURRENCY_DELETE, "currencyDelete", {"id": eur["id"]}, tenant)

    assert payload == {"deletedCurrencyId": eur["id"], "userErrors": []}
    assert_not_found(await api.gql(CURRENCY, {"id": eur["id"]}, tenant), "currency")


async def test_currency_delete_refuses_a_currency_contacts_or_documents_use(api: Api) -> None:
    tenant = await api.register()
    eur = await currency(api, tenant, "EUR")
    gbp = await currency(api, tenant, "GBP")
    await api.contact(tenant, currencyCode="EUR")
    customer = await api.contact(tenant)
    await api.document(tenant, customer["id"], currencyCode="GBP")

    by_contact = await run(api, CURRENCY_DELETE, "currencyDelete", {"id": eur["id"]}, tenant)
    by_document = await run(api, CURRENCY_DELETE, "currencyDelete", {"id": gbp["id"]}, tenant)
    recode = await run(
        api, CURRENCY_UPDATE, "currencyUpdate", {"id": gbp["id"], "code": "GBX"}, tenant
    )

    assert codes(by_contact) == [(["input", "id"], "IN_USE")]
    assert codes(by_document) == [(["input", "id"], "IN_USE")]
    assert codes(recode) == [(["input", "code"], "IN_USE")]


async def test_currencies_filter_and_order(api: Api) -> None:
    tenant = await api.register()
    await currency(api, tenant, "EUR", name="Euro")
    await currency(api, tenant, "GBP", name="Pound sterling", enabled=False)

    by_code = await api.data(CURRENCIES, {}, tenant)
    enabled = await api.data(
        CURRENCIES,
        {"filter": {"enabled": True}, "orderBy": {"field": "CODE", "direction": "DESC"}},
        tenant,
    )
    search = await api.data(CURRENCIES, {"filter": {"search": "sterl"}}, tenant)

    assert [n["code"] for n in by_code["currencies"]["nodes"]] == ["EUR", "GBP", "USD"]
    assert [n["code"] for n in enabled["currencies"]["nodes"]] == ["USD", "EUR"]
    assert [n["code"] for n in search["currencies"]["nodes"]] == ["GBP"]


# --- items --------------------------------------------------------------------------------


async def test_item_create_with_category_tax_and_variants(api: Api) -> None:
    tenant = await api.register()
    tools = await category(api, tenant, "Tools")
    tax = await api.tax(tenant, rate="19.6250")

    payload = await run(
        api,
        ITEM_CREATE,
        "itemCreate",
        {
            "name": "Drill",
            "type": "PRODUCT",
            "sku": "DR-1",
            "barcode": "4006381333931",
            "description": "Cordless",
            "salePrice": "1234567.8912",
            "purchasePrice": "99.5",
            "unit": "pcs",
            "categoryId": tools["id"],
            "taxId": tax["objectId"],
            "variants": [
                {"name": "Blue", "sku": "DR-1-B", "salePrice": "12.34"},
                {"name": "Red", "enabled": False},
            ],
        },
        tenant,
    )

    assert payload["userErrors"] == []
    item = payload["item"]
    assert item["salePrice"] == "1234567.8912"
    assert item["purchasePrice"] == "99.5000"
    assert item["category"] == {"id": tools["id"], "name": "Tools"}
    assert item["tax"] == {"id": tax["id"], "rate": "19.6250"}
    assert [(v["name"], v["sku"], v["salePrice"], v["enabled"]) for v in item["variants"]] == [
        ("Blue", "DR-1-B", "12.3400", True),
        ("Red", None, None, False),
    ]
    fetched = (await api.data(ITEM, {"id": item["id"]}, tenant))["item"]
    assert fetched == item


async def test_item_create_refuses_negative_prices(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api,
        ITEM_CREATE,
        "itemCreate",
        {"name": "X", "salePrice": "-0.01", "variants": [{"name": "V", "purchasePrice": "-5"}]},
        tenant,
    )

    assert payload["item"] is None
    assert sorted(codes(payload)) == [
        (["input", "salePrice"], "INVALID"),
        (["input", "variants", "0", "purchasePrice"], "INVALID"),
    ]


async def test_item_create_needs_a_name_and_a_known_type(api: Api) -> None:
    tenant = await api.register()

    missing = await api.gql(ITEM_CREATE, {"input": {"salePrice": "1"}}, tenant)
    wrong_enum = await api.gql(
        ITEM_CREATE, {"input": {"name": "X", "type": "SUBSCRIPTION"}}, tenant
    )
    empty = await run(api, ITEM_CREATE, "itemCreate", {"name": ""}, tenant)

    assert missing.get("data") is None
    assert wrong_enum.get("data") is None
    assert codes(empty) == [(["input", "name"], "INVALID")]


async def test_item_create_refuses_a_sku_already_used_by_an_item_or_variant(api: Api) -> None:
    tenant = await api.register()
    await api.item(tenant, sku="SKU-1", variants=[{"name": "V", "sku": "SKU-V"}])

    item_sku = await run(api, ITEM_CREATE, "itemCreate", {"name": "X", "sku": "SKU-1"}, tenant)
    variant_sku = await run(api, ITEM_CREATE, "itemCreate", {"name": "X", "sku": "SKU-V"}, tenant)
    twice = await run(
        api,
        ITEM_CREATE,
        "itemCreate",
        {"name": "X", "sku": "NEW", "variants": [{"name": "A", "sku": "NEW"}]},
        tenant,
    )
    names = await run(
        api,
        ITEM_CREATE,
        "itemCreate",
        {"name": "X", "variants": [{"name": "A"}, {"name": "A"}]},
        tenant,
    )

    assert codes(item_sku) == [(["input", "sku"], "TAKEN")]
    assert codes(variant_sku) == [(["input", "sku"], "TAKEN")]
    assert codes(twice) == [(["input", "variants", "0", "sku"], "TAKEN")]
    assert codes(names) == [(["input", "variants", "1", "name"], "TAKEN")]


async def test_item_create_without_sku_or_with_blank_sku_never_collides(api: Api) -> None:
    tenant = await api.register()

    first = await run(api, ITEM_CREATE, "itemCreate", {"name": "A", "sku": ""}, tenant)
    second = await run(api, ITEM_CREATE, "itemCreate", {"name": "B", "sku": ""}, tenant)
    third = await run(api, ITEM_CREATE, "itemCreate", {"name": "C"}, tenant)

    assert [p["userErrors"] for p in (first, second, third)] == [[], [], []]
    assert first["item"]["sku"] is None


async def test_item_create_refuses_unknown_category_and_tax(api: Api) -> None:
    tenant = await api.register()

    payload = await run(
        api,
        ITEM_CREATE,
        "itemCreate",
        {"name": "X", "categoryId": "0" * 24, "taxId": "garbage"},
        tenant,
    )
    wrong_type = await run(
        api,
        ITEM_CREATE,
        "itemCreate",
        {"name": "X", "categoryId": (await api.tax(tenant))["id"]},
        tenant,
    )

    assert codes(payload) == [(["input", "categoryId"], "NOT_FOUND")]
    assert codes(wrong_type) == [(["input", "categoryId"], "NOT_FOUND")]


async def test_item_update_changes_fields_and_clears_references(api: Api) -> None:
    tenant = await api.register()
    tools = await category(api, tenant, "Tools")
    item = await api.item(tenant, categoryId=tools["id"], sku="OLD")

    payload = await run(
        api,
        ITEM_UPDATE,
        "itemUpdate",
        {
            "id": item["id"],
            "name": "Renamed",
            "sku": "NEW",
            "categoryId": None,
            "salePrice": "1234567.8912",
            "enabled": False,
        },
        tenant,
    )

    assert payload["userErrors"] == []
    assert payload["item"]["name"] == "Renamed"
    assert payload["item"]["sku"] == "NEW"
    assert payload["item"]["category"] is None
    assert payload["item"]["salePrice"] == "1234567.8912"
    assert payload["item"]["enabled"] is False


async def test_item_update_errors(api: Api) -> None:
    tenant = await api.register()
    await api.item(tenant, sku="TAKEN")
    item = await api.item(tenant, sku="MINE")

    own_sku = await run(api, ITEM_UPDATE, "itemUpdate", {"id": item["id"], "sku": "MINE"}, tenant)
    taken = await run(api, ITEM_UPDATE, "itemUpdate", {"id": item["id"], "sku": "TAKEN"}, tenant)
    null_name = await run(api, ITEM_UPDATE, "itemUpdate", {"id": item["id"], "name": None}, tenant)
    negative = await run(
        api, ITEM_UPDATE, "itemUpdate", {"id": item["id"], "purchasePrice": "-1"}, tenant
    )
    unknown = await run(api, ITEM_UPDATE, "itemUpdate", {"id": "0" * 24, "name": "X"}, tenant)
    bad_tax = await run(
        api, ITEM_UPDATE, "itemUpdate", {"id": item["id"], "taxId": "0" * 24}, tenant
    )

    assert own_sku["userErrors"] == []
    assert codes(taken) == [(["input", "sku"], "TAKEN")]
    assert codes(null_name) == [(["input", "name"], "REQUIRED")]
    assert codes(negative) == [(["input", "purchasePrice"], "INVALID")]
    assert codes(unknown) == [(["input", "id"], "NOT_FOUND")]
    assert codes(bad_tax) == [(["input", "taxId"], "NOT_FOUND")]


async def test_item_delete_removes_the_item_and_its_variants(api: Api) -> None:
    tenant = await api.register()
    item = await api.item(tenant, variants=[{"name": "A"}, {"name": "B"}])
    variant_id = (await api.data(ITEM, {"id": item["id"]}, tenant))["item"]["variants"][0]["id"]

    payload = await run(api, ITEM_DELETE, "itemDelete", {"id": item["id"]}, tenant)

    assert payload == {"deletedItemId": item["id"], "userErrors": []}
    assert_not_found(await api.gql(ITEM, {"id": item["id"]}, tenant), "item")
    assert_not_found(await api.gql(NODE, {"id": variant_id}, tenant), "node")


async def test_item_delete_refuses_an_item_document_lines_use(api: Api) -> None:
    tenant = await api.register()
    item = await api.item(tenant)
    contact = await api.contact(tenant)
    await api.document(tenant, contact["id"], lines=[{"itemId": item["id"], "quantity": "2"}])

    payload = await run(api, ITEM_DELETE, "itemDelete", {"id": item["id"]}, tenant)

    assert payload["deletedItemId"] is None
    assert codes(payload) == [(["input", "id"], "IN_USE")]


async def test_items_filter_by_type_enabled_category_and_search(api: Api) -> None:
    tenant = await api.register()
    tools = await category(api, tenant, "Tools")
    await api.item(tenant, name="Hammer", sku="HM-01", categoryId=tools["id"])
    await api.item(tenant, name="Repair", type="SERVICE", enabled=False)
    await api.item(tenant, name="Nail", barcode="5901234123457")

    services = await api.data(ITEMS, {"filter": {"type": "SERVICE"}}, tenant)
    enabled = await api.data(ITEMS, {"filter": {"enabled": True}}, tenant)
    in_tools = await api.data(ITEMS, {"filter": {"categoryId": tools["objectId"]}}, tenant)
    not_a_category = await api.data(ITEMS, {"filter": {"categoryId": "garbage"}}, tenant)
    by_sku = await api.data(ITEMS, {"filter": {"search": "hm-0"}}, tenant)
    by_barcode = await api.data(ITEMS, {"filter": {"search": "12341"}}, tenant)
    by_name = await api.data(ITEMS, {"filter": {"search": "PAIR"}}, tenant)
    wildcard = await api.data(ITEMS, {"filter": {"search": "%"}}, tenant)

    def names(data: dict[str, Any]) -> list[str]:
        return [e["node"]["name"] for e in data["items"]["edges"]]

    assert names(services) == ["Repair"]
    assert names(enabled) == ["Hammer", "Nail"]
    assert names(in_tools) == ["Hammer"]
    assert names(not_a_category) == []
    assert names(by_sku) == ["Hammer"]
    assert names(by_barcode) == ["Nail"]
    assert names(by_name) == ["Repair"]
    assert names(wildcard) == []


async def test_items_paginate_and_order(api: Api) -> None:
    tenant = await api.register()
    for name in ("a", "b", "c", "d"):
        await api.item(tenant, name=name)

    first = await api.data(ITEMS, {"first": 3}, tenant)
    after = await api.data(
        ITEMS, {"first": 3, "after": first["items"]["pageInfo"]["endCursor"]}, tenant
    )
    before = await api.data(
        ITEMS, {"last": 2, "before": after["items"]["edges"][0]["cursor"]}, tenant
    )
    desc = await api.data(
        ITEMS, {"first": 2, "orderBy": {"field": "NAME", "direction": "DESC"}}, tenant
    )
    too_many = await api.gql(ITEMS, {"first": 1000}, tenant)

    assert first["items"]["totalCount"] == 4
    assert [e["node"]["name"] for e in first["items"]["edges"]] == ["a", "b", "c"]
    assert [e["node"]["name"] for e in after["items"]["edges"]] == ["d"]
    assert after["items"]["pageInfo"]["hasNextPage"] is False
    assert [e["node"]["name"] for e in before["items"]["edges"]] == ["b", "c"]
    assert [e["node"]["name"] for e in desc["items"]["edges"]] == ["d", "c"]
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_item_query_of_a_missing_id_is_null_with_not_found(api: Api) -> None:
    tenant = await api.register()

    body = await api.gql(ITEM, {"id": "0" * 24}, tenant)

    assert_not_found(body, "item")


# --- item variants ------------------------------------------------------------------------


async def test_item_variant_create_adds_a_variant(api: Api) -> None:
    tenant = await api.register()
    item = await api.item(tenant)

    payload = await run(
        api,
        VARIANT_CREATE,
        "itemVariantCreate",
        {"itemId": item["id"], "name": "XL", "sku": "XL-1", "salePrice": "1234567.8912"},
        tenant,
    )

    assert payload["userErrors"] == []
    assert payload["itemVariant"]["item"] == {"id": item["id"]}
    assert payload["itemVariant"]["salePrice"] == "1234567.8912"
    variants = (await api.data(ITEM, {"id": item["id"]}, tenant))["item"]["variants"]
    assert [v["name"] for v in variants] == ["XL"]
    node = await api.data(NODE, {"id": payload["itemVariant"]["id"]}, tenant)
    assert node["node"]["name"] == "XL"


async def test_item_variant_create_errors(api: Api) -> None:
    tenant = await api.register()
    item = await api.item(tenant, sku="ITEM-SKU", variants=[{"name": "S"}])

    unknown_item = await run(
        api, VARIANT_CREATE, "itemVariantCreate", {"itemId": "0" * 24, "name": "M"}, tenant
    )
    same_name = await run(
        api, VARIANT_CREATE, "itemVariantCreate", {"itemId": item["id"], "name": "S"}, tenant
    )
    sku = await run(
        api,
        VARIANT_CREATE,
        "itemVariantCreate",
        {"itemId": item["id"], "name": "M", "sku": "ITEM-SKU"},
        tenant,
    )
    price = await run(
        api,
        VARIANT_CREATE,
        "itemVariantCreate",
        {"itemId": item["id"], "name": "M", "salePrice": "-1"},
        tenant,
    )
    missing_name = await api.gql(VARIANT_CREATE, {"input": {"itemId": item["id"]}}, tenant)

    assert codes(unknown_item) == [(["input", "itemId"], "NOT_FOUND")]
    assert codes(same_name) == [(["input", "name"], "TAKEN")]
    assert codes(sku) == [(["input", "sku"], "TAKEN")]
    assert codes(price) == [(["input", "salePrice"], "INVALID")]
    assert missing_name.get("data") is None


async def test_item_variant_update_and_its_errors(api: Api) -> None:
    tenant = await api.register()
    item = await api.item(tenant, variants=[{"name": "S"}, {"name": "M"}])
    small, medium = (await api.data(ITEM, {"id": item["id"]}, tenant))["item"]["variants"][::-1]

    changed = await run(
        api,
        VARIANT_UPDATE,
        "itemVariantUpdate",
        {"id": small["id"], "salePrice": "7.25", "enabled": False},
        tenant,
    )
    renamed_onto = await run(
        api, VARIANT_UPDATE, "itemVariantUpdate", {"id": small["id"], "name": "M"}, tenant
    )
    null_name = await run(
        api, VARIANT_UPDATE, "itemVariantUpdate", {"id": small["id"], "name": None}, tenant
    )
    negative = await run(
        api, VARIANT_UPDATE, "itemVariantUpdate", {"id": small["id"], "salePrice": "-2"}, tenant
    )
    unknown = await run(
        api, VARIANT_UPDATE, "itemVariantUpdate", {"id": "0" * 24, "name": "L"}, tenant
    )

    assert medium["name"] == "M"
    assert changed["userErrors"] == []
    assert changed["itemVariant"] == {
        "id": small["id"],
        "name": "S",
        "sku": None,
        "salePrice": "7.2500",
        "enabled": False,
    }
    assert codes(renamed_onto) == [(["input", "name"], "TAKEN")]
    assert codes(null_name) == [(["input", "name"], "REQUIRED")]
    assert codes(negative) == [(["input", "salePrice"], "INVALID")]
    assert codes(unknown) == [(["input", "id"], "NOT_FOUND")]


async def test_item_variant_delete_and_in_use(api: Api) -> None:
    tenant = await api.register()
    item = await api.item(tenant, variants=[{"name": "Sold"}, {"name": "Unsold"}])
    sold, unsold = (await api.data(ITEM, {"id": item["id"]}, tenant))["item"]["variants"]
    contact = await api.contact(tenant)
    await api.document(
        tenant, contact["id"], lines=[{"itemId": item["id"], "variantId": sold["id"]}]
    )

    refused = await run(api, VARIANT_DELETE, "itemVariantDelete", {"id": sold["id"]}, tenant)
    deleted = await run(api, VARIANT_DELETE, "itemVariantDelete", {"id": unsold["id"]}, tenant)
    item_refused = await run(api, ITEM_DELETE, "itemDelete", {"id": item["id"]}, tenant)

    assert codes(refused) == [(["input", "id"], "IN_USE")]
    assert deleted == {"deletedItemVariantId": unsold["id"], "userErrors": []}
    assert codes(item_refused) == [(["input", "id"], "IN_USE")]
    variants = (await api.data(ITEM, {"id": item["id"]}, tenant))["item"]["variants"]
    assert [v["name"] for v in variants] == ["Sold"]


# --- permissions ----------------------------------------------------------------------------


async def test_a_viewer_reads_the_catalogue_but_cannot_change_it(api: Api, app: Any) -> None:
    owner = await api.register()
    viewer = await member_of(api, app, owner, "viewer")
    tax = await api.tax(owner)

    listed = await api.data("{ taxes { totalCount } items { totalCount } }", tenant=viewer)
    created = await api.gql(TAX_CREATE, {"input": {"name": "X", "rate": "1"}}, viewer)
    deleted = await api.gql(TAX_DELETE, {"input": {"id": tax["id"]}}, viewer)
    rest = await api.rest("POST", "/api/taxes", viewer, json={"name": "X", "rate": 1})

    assert listed["taxes"]["totalCount"] == 2
    assert created["data"] is None
    assert created["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert deleted["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert rest.status_code == 403
    assert (await api.data(TAX, {"id": tax["id"]}, owner))["tax"]["id"] == tax["id"]


async def test_the_catalogue_needs_authentication(api: Api) -> None:
    body = await api.gql("{ items { totalCount } }")
    mutation = await api.gql(TAX_CREATE, {"input": {"name": "X", "rate": "1"}})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert mutation["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
