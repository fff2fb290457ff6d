"""Forbix Open-API items: POST, GET /openapi/items and PUT /openapi/items/{itemId}."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from gql.core.ids import new_id
from tests.forbix import ITEM_FIELDS, check_shape
from tests.inventory import adjust, stock_of, warehouse

ITEM_BY_ID = """
query($id: ID!) { item(id: $id) {
  objectId name type sku barcode barcodeType salePrice purchasePrice unit enabled govId
  imageUrl images attachments catalogDescription subCategory discountRate discountAmount
  openingStockDate internalUseOnly hideInCatalog minStockAlert stockOnHand
  category { name type } tax { rate }
  variants { name salePrice purchasePrice barcode barcodeType discountRate discountAmount
    attributes { name value } }
} }"""

# The document's example request body (create), as it is.
EXAMPLE: dict[str, Any] = {
    "name": "Product Name",
    "type": "PRODUCT",
    "barcode": {"type": "EAN-13", "data": "9780201379624"},
    "imageUrl": "media/image.jpg",
    "isInternalUseOnly": False,
    "description": "This is a detailed description of the product",
    "catalogDescription": "Catalog description of the product",
    "sku": "SKU123456",
    "inventoryCount": 100,
    "unitPrice": 99.99,
    "purchaseUnitPrice": 99.99,
    "unit": "piece",
    "taxable": "10",
    "itemCategory": "Electronics",
    "itemSubCategory": "Smartphones",
    "minimumStockAlert": "10",
    "openingStockDate": 1646092800000,
    "discountRate": 10,
    "discountFlat": 5,
    "hideInCatalog": False,
    "doNotSave": False,
    "availableVariants": [
        {
            "variantInfo": {"color": "Red", "size": "M"},
            "inventoryCount": 10,
            "unitPrice": 109.99,
            "discountRate": 5,
            "discountFlat": 2.5,
            "barcode": {"type": "EAN-13", "data": "9780201379624"},
            "purchaseUnitPrice": 80,
        }
    ],
    "appointmentPlans": [{}],
    "govId": "1231fsdf234553426",
}

# The document's example request body (update), as it is, less what the create sent.
UPDATE_EXAMPLE: dict[str, Any] = {
    **copy.deepcopy(EXAMPLE),
    "barcodeUrl": "media/barcode.png",
    "isArchived": False,
}
del UPDATE_EXAMPLE["govId"]


def example(**changes: Any) -> dict[str, Any]:
    body = {**copy.deepcopy(EXAMPLE), **changes}
    return {k: v for k, v in body.items() if v is not None}


def simple(name: str, **changes: Any) -> dict[str, Any]:
    """A product without stock, variants or barcode."""
    return {"name": name, "type": "PRODUCT", "govId": "G-1", **changes}


async def create(api, tenant, body: dict[str, Any]) -> str:
    r = await api.rest("POST", "/openapi/items", tenant, json=body)
    assert r.status_code == 201, r.text
    return r.json()["_id"]  # type: ignore[no-any-return]


async def listing(api, tenant, **params: Any) -> dict[str, Any]:
    r = await api.rest("GET", "/openapi/items", tenant, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def one(api, tenant, item_id: str) -> dict[str, Any]:
    rows = [i for i in (await listing(api, tenant, pageSize=100))["data"] if i["_id"] == item_id]
    assert len(rows) == 1
    return rows[0]


async def test_the_documented_example_creates_an_item_answered_in_the_documented_shape(api):
    # given
    owner = await api.register()
    # when
    r = await api.rest("POST", "/openapi/items", owner, json=EXAMPLE)
    # then
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and body["message"] == "SUCCESSFUL"
    item_id = body["_id"]
    assert len(item_id) == 24
    listed = await listing(api, owner)
    assert listed["totalCount"] == 1 and listed["totalPages"] == 1
    data = listed["data"][0]
    check_shape(data, ITEM_FIELDS)
    assert data["_id"] == item_id and data["companyId"] == owner.company_id
    assert data["name"] == "Product Name" and data["type"] == "PRODUCT"
    assert data["barcode"] == {"type": "EAN-13", "data": "9780201379624"}
    assert data["inventoryCount"] == 110  # 100 of the item, 10 of its variant
    assert data["unitPrice"] == 99.99 and data["taxable"] == "10"
    assert data["itemCategory"] == "Electronics" and data["itemSubCategory"] == "Smartphones"
    assert data["minimumStockAlert"] == "10" and data["openingStockDate"] == 1646092800000
    assert data["discountRate"] == 10 and data["discountFlat"] == 5
    assert data["govId"] == "1231fsdf234553426" and data["appointmentPlans"] == [{}]
    assert data["creatorUserId"] == owner.user_id and data["isArchived"] is False
    [variant] = data["availableVariants"]
    assert variant["variantInfo"] == {"color": "Red", "size": "M"}
    assert variant["inventoryCount"] == 10 and variant["unitPrice"] == 109.99
    assert variant["discountFlat"] == 2.5 and variant["purchaseUnitPrice"] == 80
    assert variant["barcode"] == {"type": "EAN-13", "data": "9780201379624"}


async def test_a_forbix_item_is_the_graphs_item_and_numbors_item(api):
    owner = await api.register()
    item_id = await create(api, owner, example())
    item = (await api.data(ITEM_BY_ID, {"id": item_id}, owner))["item"]
    assert item["name"] == "Product Name" and item["type"] == "PRODUCT"
    assert item["barcode"] == "9780201379624" and item["barcodeType"] == "EAN-13"
    assert item["salePrice"] == "99.9900" and item["govId"] == "1231fsdf234553426"
    assert item["category"] == {"name": "Electronics", "type": "ITEM"}
    assert Decimal(item["tax"]["rate"]) == 10 and item["subCategory"] == "Smartphones"
    assert Decimal(item["stockOnHand"]) == 110 and Decimal(item["minStockAlert"]) == 10
    assert item["openingStockDate"] == "2022-03-01" and item["internalUseOnly"] is False
    assert Decimal(item["discountAmount"]) == 5 and item["images"] == []
    [variant] = item["variants"]
    assert variant["name"] == "Red / M"
    assert variant["attributes"] == [
        {"name": "color", "value": "Red"},
        {"name": "size", "value": "M"},
    ]
    numbors = await api.rest("GET", "/api/items", owner, params={"search": "Product"})
    [row] = numbors.json()["data"]
    assert row["id"] == item_id and row["sku"] == "SKU123456"
    assert Decimal(str(row["salePrice"])) == Decimal("99.99")


async def test_inventory_count_is_the_graphs_stock_on_hand_after_an_adjustment(api):
    owner = await api.register()
    item_id = await create(api, owner, simple("Bolt", inventoryCount=5))
    second = await warehouse(api, owner, "Annex")
    await adjust(api, owner, second["objectId"], item_id, "7.5")
    stock = await stock_of(api, owner, item_id)
    assert Decimal(stock["stockOnHand"]) == Decimal("12.5")
    assert (await one(api, owner, item_id))["inventoryCount"] == 12.5


async def test_a_put_inventory_count_adjusts_stock_by_the_difference(api):
    owner = await api.register()
    item_id = await create(api, owner, simple("Nut", inventoryCount=5))
    r = await api.rest("PUT", f"/openapi/items/{item_id}", owner, json={"inventoryCount": 3})
    assert r.status_code == 200, r.text
    assert r.json() == {"success": True, "message": "SUCCESSFUL", "_id": item_id, "version": 1}
    stock = await stock_of(api, owner, item_id)
    assert Decimal(stock["stockOnHand"]) == 3
    assert (await one(api, owner, item_id))["inventoryCount"] == 3


async def test_the_documented_update_example_changes_the_item(api):
    owner = await api.register()
    item_id = await create(api, owner, simple("Old", sku="OLD-1"))
    r = await api.rest("PUT", f"/openapi/items/{item_id}", owner, json=UPDATE_EXAMPLE)
    assert r.status_code == 200, r.text
    data = await one(api, owner, item_id)
    assert data["name"] == "Product Name" and data["sku"] == "SKU123456"
    assert data["barcodeUrl"] == "media/barcode.png" and data["inventoryCount"] == 110
    assert [v["variantInfo"] for v in data["availableVariants"]] == [{"color": "Red", "size": "M"}]
    # again: the variant named alike is updated, not added
    again = {"availableVariants": [{"variantInfo": {"color": "Red", "size": "M"}, "unitPrice": 1}]}
    r = await api.rest("PUT", f"/openapi/items/{item_id}", owner, json=again)
    assert r.status_code == 200, r.text
    [variant] = (await one(api, owner, item_id))["availableVariants"]
    assert variant["unitPrice"] == 1 and variant["inventoryCount"] == 10


async def test_put_changes_only_what_is_sent(api):
    owner = await api.register()
    item_id = await create(api, owner, example())
    r = await api.rest(
        "PUT", f"/openapi/items/{item_id}", owner, json={"unitPrice": "5.5", "isArchived": True}
    )
    assert r.status_code == 200, r.text
    data = (await listing(api, owner, isArchived="true"))["data"][0]
    assert data["unitPrice"] == 5.5 and data["isArchived"] is True
    assert data["name"] == "Product Name" and data["itemCategory"] == "Electronics"
    assert data["inventoryCount"] == 110


async def test_taxable_as_a_string_or_a_number_is_one_tax(api):
    owner = await api.register()
    a = await create(api, owner, simple("A", taxable="9"))
    b = await create(api, owner, simple("B", taxable=9.0))
    ta = (await api.data(ITEM_BY_ID, {"id": a}, owner))["item"]["tax"]
    tb = (await api.data(ITEM_BY_ID, {"id": b}, owner))["item"]["tax"]
    assert ta == tb and Decimal(ta["rate"]) == 9
    assert (await one(api, owner, b))["taxable"] == "9"


async def test_do_not_save_answers_without_writing(api):
    owner = await api.register()
    r = await api.rest("POST", "/openapi/items", owner, json=example(doNotSave=True))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["_id"] is None
    check_shape(body["data"], ITEM_FIELDS)
    assert body["data"]["inventoryCount"] == 110
    assert (await listing(api, owner))["totalCount"] == 0
    categories = await api.rest("GET", "/api/categories", owner)
    names = {c["name"] for c in categories.json()["data"]}
    assert "Electronics" not in names  # the category it would have made: not made
    bad = await api.rest(
        "POST", "/openapi/items", owner, json=example(doNotSave=True, unitPrice=-1)
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "unitPrice"


async def test_create_requires_name_type_and_gov_id(api):
    owner = await api.register()
    r = await api.rest("POST", "/openapi/items", owner, json={"unit": "piece"})
    assert r.status_code == 400
    assert sorted(e["field"] for e in r.json()["errors"]) == ["govId", "name", "type"]


async def test_validation_errors_name_the_forbix_field(api):
    owner = await api.register()
    for changes, field in (
        ({"type": "GADGET"}, "type"),
        ({"unitPrice": -1}, "unitPrice"),
        ({"purchaseUnitPrice": "x"}, "purchaseUnitPrice"),
        ({"discountFlat": -2}, "discountFlat"),
        ({"discountRate": 101}, "discountRate"),
        ({"taxable": "ten"}, "taxable"),
        ({"taxable": 300}, "taxable"),
        ({"minimumStockAlert": "lots"}, "minimumStockAlert"),
        ({"openingStockDate": "tuesday"}, "openingStockDate"),
        ({"inventoryCount": "many"}, "inventoryCount"),
        ({"barcode": "123"}, "barcode"),
        ({"itemSubCategory": "x" * 201}, "itemSubCategory"),
        ({"availableVariants": [{"variantInfo": {}}]}, "availableVariants[0].variantInfo"),
        ({"availableVariants": [{"variantInfo": {"c": "R"}, "unitPrice": -1}]}, None),
    ):
        r = await api.rest("POST", "/openapi/items", owner, json=example(**changes))
        assert r.status_code == 400, (changes, r.text)
        fields = [e["field"] for e in r.json()["errors"]]
        assert fields == [field or "availableVariants[0].unitPrice"], (changes, fields)
    service = simple("Consulting", type="SERVICE", inventoryCount=3)
    r = await api.rest("POST", "/openapi/items", owner, json=service)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "inventoryCount"
    assert (await listing(api, owner))["totalCount"] == 0


async def test_a_taken_sku_is_a_409(api):
    owner = await api.register()
    await create(api, owner, simple("A", sku="S-1"))
    r = await api.rest("POST", "/openapi/items", owner, json=simple("B", sku="S-1"))
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "sku"


async def test_appointments_are_items_without_stock(api):
    owner = await api.register()
    item_id = await create(api, owner, simple("Haircut", type="APPOINTMENT"))
    data = await one(api, owner, item_id)
    assert data["type"] == "APPOINTMENT" and data["inventoryCount"] == 0
    assert (await api.data(ITEM_BY_ID, {"id": item_id}, owner))["item"]["type"] == "APPOINTMENT"


async def test_another_companys_item_is_not_found_like_a_missing_one(api):
    owner, stranger = await api.register(), await api.register()
    item_id = await create(api, owner, example())
    for target in (item_id, new_id(), "nonsense"):
        put = await api.rest("PUT", f"/openapi/items/{target}", stranger, json={"name": "X"})
        assert put.status_code == 404 and put.json()["success"] is False
    assert (await listing(api, stranger))["totalCount"] == 0
    # the same category name in another company is another company's category
    await create(api, stranger, simple("Theirs", itemCategory="Electronics"))
    assert {i["name"] for i in (await listing(api, owner, category="Electronics"))["data"]} == {
        "Product Name"
    }


async def test_list_pages_from_zero_with_total_pages(api):
    owner = await api.register()
    for n in range(3):
        await create(api, owner, simple(f"I{n}"))
    body = await listing(api, owner, page=1, pageSize=2, sortBy="name", order="asc")
    assert body["totalCount"] == 3 and body["totalPages"] == 2
    assert [i["name"] for i in body["data"]] == ["I2"]


async def test_every_documented_filter(api):
    owner = await api.register()
    phone = await create(api, owner, example())
    svc = await create(
        api,
        owner,
        simple(
            "Repair service",
            type="SERVICE",
            sku="REP-1",
            unit="hour",
            unitPrice=20,
            itemCategory="Services",
            itemSubCategory="Repairs",
            isInternalUseOnly=True,
            openingStockDate=1700000000000,
        ),
    )
    visit = await create(api, owner, simple("Visit", type="APPOINTMENT", unitPrice=50))

    async def ids(**params: Any) -> set[str]:
        return {i["_id"] for i in (await listing(api, owner, **params))["data"]}

    assert await ids(name="repair") == {svc}
    assert await ids(sku="SKU123") == {phone}
    assert await ids(barcodeData="9780201379624") == {phone}
    assert await ids(type="SERVICE") == {svc}
    assert await ids(type="SERVICE,APPOINTMENT") == {svc, visit}
    assert await ids(category="services") == {svc}
    assert await ids(itemCategory="Electronics") == {phone}
    assert await ids(itemSubCategory="Repairs") == {svc}
    assert await ids(unit="hour") == {svc}
    assert await ids(unitPrice="20") == {svc}
    assert await ids(fromPrice=30, toPrice=60) == {visit}
    assert await ids(fromPrice=20) == {phone, svc, visit}
    assert await ids(inventoryCountFrom=1) == {phone}
    assert await ids(inventoryCountTo=0) == {svc, visit}
    assert await ids(openingStockDateFrom=1690000000000, openingStockDateTo=1710000000000) == {svc}
    assert await ids(isInternalUseOnly="true") == {svc}
    assert await ids(isInternalUseOnly="false") == {phone, visit}
    assert await ids(isArchived="false") == {phone, svc, visit}
    assert await ids(isArchived="true") == set()
    assert await ids(creatorUserId=owner.user_id) == {phone, svc, visit}
    assert await ids(creatorUserId=new_id()) == set()
    stamp = (await one(api, owner, visit))["createDate"]
    assert visit in await ids(createDateFrom=stamp - 1000, createDateTo=stamp + 1000)
    assert await ids(createDateTo=stamp - 60_000) == set()


async def test_bad_list_parameters_are_400s_naming_them(api):
    owner = await api.register()
    for params, field in (
        ({"sortBy": "shoeSize"}, "sortBy"),
        ({"order": "sideways"}, "order"),
        ({"page": "-1"}, "page"),
        ({"type": "PRODUCT,GADGET"}, "type"),
        ({"fromPrice": "cheap"}, "fromPrice"),
        ({"inventoryCountFrom": "x"}, "inventoryCountFrom"),
        ({"createDateFrom": "yesterday"}, "createDateFrom"),
        ({"isArchived": "maybe"}, "isArchived"),
    ):
        r = await api.rest("GET", "/openapi/items", owner, params=params)
        assert r.status_code == 400, (params, r.text)
        assert r.json()["errors"][0]["field"] == field


async def test_a_list_page_costs_the_same_statements_for_2_and_10_rows(api, sql_counter):
    owner = await api.register()
    for n in range(10):
        variants = [{"variantInfo": {"size": "S"}, "inventoryCount": 1}]
        await create(
            api,
            owner,
            simple(
                f"I{n}",
                inventoryCount=n + 1,
                taxable=n,
                itemCategory=f"C{n}",
                availableVariants=variants,
            ),
        )
    counts = []
    for size in (2, 10):
        sql_counter.reset()
        body = await listing(api, owner, pageSize=size, inventoryCountFrom=1)
        assert len(body["data"]) == size
        assert all(len(i["availableVariants"]) == 1 for i in body["data"])
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements


ITEM_CREATE = """mutation($input: ItemCreateInput!) { itemCreate(input: $input) {
  item { objectId govId images internalUseOnly hideInCatalog subCategory openingStockDate
    discountRate variants { name barcodeType discountAmount } }
  userErrors { field message code } } }"""


async def test_the_new_fields_are_written_in_the_graph_too_and_read_by_forbix(api):
    owner = await api.register()
    fields = {
        "name": "Lamp",
        "type": "APPOINTMENT",
        "govId": "G-7",
        "images": ["a.jpg", "b.jpg"],
        "internalUseOnly": True,
        "hideInCatalog": True,
        "subCategory": "Desk",
        "openingStockDate": "2026-01-02",
        "discountRate": "12.5",
        "variants": [{"name": "Blue", "barcodeType": "QR", "discountAmount": "1.5"}],
    }
    item = (await api.mutate("itemCreate", ITEM_CREATE, fields, owner))["item"]
    assert item["govId"] == "G-7" and item["images"] == ["a.jpg", "b.jpg"]
    assert item["variants"][0]["barcodeType"] == "QR"
    data = await one(api, owner, item["objectId"])
    assert data["type"] == "APPOINTMENT" and data["govId"] == "G-7"
    assert data["isInternalUseOnly"] is True and data["hideInCatalog"] is True
    assert data["itemSubCategory"] == "Desk" and data["discountRate"] == 12.5
    assert data["openingStockDate"] == 1767312000000  # 2026-01-02T00:00:00Z
    assert data["availableVariants"][0]["discountFlat"] == 1.5
    assert data["creatorUserId"] == owner.user_id  # the graph records who made it too
