"""Forbix Open-API customers: /openapi/customers and /openapi/customers/{customerId}."""

from __future__ import annotations

import copy
from typing import Any

from gql.core.ids import new_id
from tests.forbix import CUSTOMER_FIELDS, check_shape

CONTACT_BY_ID = """
query($id: ID!) { contact(id: $id) {
  objectId name entityType type email crmGroupIds avatarUrl employeeTitle accCode isEmployee
  contactPersons { firstName lastName email } billingAddress { city zipCode }
} }"""

# The document's example request body, as it is.
EXAMPLE: dict[str, Any] = {
    "type": "BUSINESS",
    "customerDisplayName": "John Doe",
    "companyName": "Johns Company",
    "email": "john.doe@example.com",
    "phone": "1234567890",
    "mobile": "1234567890",
    "salutation": "MR",
    "nationalId": "1234567890",
    "economicId": "1234567890",
    "contacts": [
        {
            "firstName": "John",
            "salutation": "Mr.",
            "lastName": "Doe",
            "workPhone": "+1234567890",
            "mobile": "+1234567890",
            "designation": "Sales Manager",
            "department": "Sales",
            "email": "john.doe@example.com",
        }
    ],
    "avatarUrl": "string",
    "customFields": [
        {"fieldId": "1234567890", "name": "John Doe", "type": "TEXT", "value": "John Doe"}
    ],
    "billingAddress": {
        "street1": "string",
        "street2": "string",
        "city": "string",
        "countryRegion": "string",
        "state": "string",
        "zipCode": "string",
        "phone": "string",
    },
    "shippingAddress": {
        "street1": "string",
        "street2": "string",
        "city": "string",
        "countryRegion": "string",
        "state": "string",
        "zipCode": "string",
        "phone": "string",
    },
    "crmGroupId": ["string"],
    "isEmployee": False,
    "employeeTitle": "string",
}


def example(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(EXAMPLE), **changes}


async def create(api, tenant, body: dict[str, Any]) -> str:
    r = await api.rest("POST", "/openapi/customers", tenant, json=body)
    assert r.status_code == 201, r.text
    return r.json()["data"]["_id"]  # type: ignore[no-any-return]


async def listing(api, tenant, **params: Any) -> dict[str, Any]:
    r = await api.rest("GET", "/openapi/customers", tenant, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_the_documented_example_creates_a_customer_answered_in_the_documented_shape(api):
    # given
    owner = await api.register()
    # when
    r = await api.rest("POST", "/openapi/customers", owner, json=EXAMPLE)
    # then
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and body["message"] == "SUCCESSFUL"
    customer_id = body["data"]["_id"]
    assert len(customer_id) == 24
    got = await api.rest("GET", f"/openapi/customers/{customer_id}", owner)
    assert got.status_code == 200, got.text
    data = got.json()["data"]
    check_shape(data, CUSTOMER_FIELDS)
    assert data["_id"] == customer_id and data["companyId"] == owner.company_id
    assert data["customerDisplayName"] == "John Doe" and data["type"] == "BUSINESS"
    assert data["customerCategory"] == "CUSTOMER"
    assert data["billingAddress"] == EXAMPLE["billingAddress"]
    assert data["contacts"] == EXAMPLE["contacts"]
    assert data["contactPerson"] == EXAMPLE["contacts"][0]
    assert data["customFields"] == EXAMPLE["customFields"]
    assert data["crmGroupId"] == ["string"] and data["accCode"] == 1
    assert data["isEmployee"] is False and data["deleted"] is False
    assert isinstance(data["createDate"], int) and data["createDate"] > 1_600_000_000_000


async def test_a_forbix_customer_is_the_graphs_contact_and_numbors_contact(api):
    owner = await api.register()
    customer_id = await create(api, owner, example())
    # GraphQL
    contact = (await api.data(CONTACT_BY_ID, {"id": customer_id}, owner))["contact"]
    assert contact["name"] == "John Doe" and contact["entityType"] == "BUSINESS"
    assert contact["type"] == "CUSTOMER" and contact["crmGroupIds"] == ["string"]
    assert contact["accCode"] == 1 and contact["isEmployee"] is False
    assert contact["avatarUrl"] == "string" and contact["employeeTitle"] == "string"
    assert contact["contactPersons"][0]["firstName"] == "John"
    assert contact["billingAddress"] == {"city": "string", "zipCode": "string"}
    # Numbors
    r = await api.rest("GET", f"/api/contacts/{customer_id}", owner)
    assert r.status_code == 200 and r.json()["data"]["name"] == "John Doe"


async def test_acc_codes_count_up_per_company(api):
    owner, other = await api.register(), await api.register()
    first = await create(api, owner, example())
    second = await create(api, owner, example(customerDisplayName="Jane"))
    elsewhere = await create(api, other, example())
    codes = [
        (await api.rest("GET", f"/openapi/customers/{i}", t)).json()["data"]["accCode"]
        for i, t in ((first, owner), (second, owner), (elsewhere, other))
    ]
    assert codes == [1, 2, 1]


async def test_create_requires_type_display_name_and_crm_group(api):
    owner = await api.register()
    body = example()
    for name in ("type", "customerDisplayName", "crmGroupId"):
        del body[name]
    r = await api.rest("POST", "/openapi/customers", owner, json=body)
    assert r.status_code == 400
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"type", "customerDisplayName", "crmGroupId"}
    assert r.json()["success"] is False


async def test_validation_errors_name_the_forbix_field(api):
    owner = await api.register()
    r = await api.rest(
        "POST",
        "/openapi/customers",
        owner,
        json=example(type="ROBOT", customerDisplayName="", email="not-an-email"),
    )
    assert r.status_code == 400, r.text
    assert {e["field"] for e in r.json()["errors"]} == {"type", "customerDisplayName", "email"}


async def test_is_employee_is_payrolls_to_say(api):
    owner = await api.register()
    r = await api.rest("POST", "/openapi/customers", owner, json=example(isEmployee=True))
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "isEmployee"


async def test_put_changes_only_what_is_sent(api):
    owner = await api.register()
    customer_id = await create(api, owner, example())
    r = await api.rest(
        "PUT",
        f"/openapi/customers/{customer_id}",
        owner,
        json={"customerDisplayName": "John Doe Ltd", "type": "INDIVIDUAL", "isEmployee": False},
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"_id": customer_id, "version": 2}
    data = (await api.rest("GET", f"/openapi/customers/{customer_id}", owner)).json()["data"]
    assert data["customerDisplayName"] == "John Doe Ltd" and data["type"] == "INDIVIDUAL"
    assert data["email"] == "john.doe@example.com" and data["crmGroupId"] == ["string"]


async def test_another_companys_customer_is_not_found_like_a_missing_one(api):
    owner, stranger = await api.register(), await api.register()
    customer_id = await create(api, owner, example())
    for target in (customer_id, new_id(), "nonsense"):
        got = await api.rest("GET", f"/openapi/customers/{target}", stranger)
        put = await api.rest(
            "PUT", f"/openapi/customers/{target}", stranger, json={"customerDisplayName": "X"}
        )
        assert got.status_code == put.status_code == 404
        assert got.json() == {**put.json()} and got.json()["success"] is False
    assert (await listing(api, stranger))["totalCount"] == 0


async def test_list_pages_from_zero_with_total_pages(api):
    owner = await api.register()
    for n in range(3):
        await create(api, owner, example(customerDisplayName=f"C{n}"))
    body = await listing(api, owner, page=1, pageSize=2, sortBy="customerDisplayName", order="asc")
    assert body["success"] is True and body["message"] == "SUCCESSFUL"
    assert body["totalCount"] == 3 and body["totalPages"] == 2
    assert [c["customerDisplayName"] for c in body["data"]] == ["C2"]
    default = await listing(api, owner)
    assert len(default["data"]) == 3 and default["totalPages"] == 1


async def test_every_documented_filter(api):
    owner = await api.register()
    ann = await create(
        api,
        owner,
        example(
            customerDisplayName="Ann",
            type="INDIVIDUAL",
            email="ann@example.com",
            phone="555-1",
            mobile="777-1",
            crmGroupId=["vip", "north"],
        ),
    )
    bob = await create(api, owner, example(customerDisplayName="Bob", crmGroupId=["south"]))
    supplier = await create(
        api, owner, example(customerDisplayName="Sup", customerCategory="SUPPLIER")
    )

    async def ids(**params: Any) -> set[str]:
        return {c["_id"] for c in (await listing(api, owner, **params))["data"]}

    assert await ids(fullName="ann") == {ann}
    assert await ids(email="ann@") == {ann}
    assert await ids(phone="555") == {ann}
    assert await ids(mobile="777") == {ann}
    assert await ids(type="INDIVIDUAL") == {ann}
    assert await ids(customerCategory="SUPPLIER") == {supplier}
    assert await ids(customerCategory="CUSTOMER") == {ann, bob}
    assert await ids(crmGroupId="north") == {ann}
    assert await ids(crmGroupId="nor") == set()
    assert await ids(isEmployee="false") == {ann, bob, supplier}
    assert await ids(isEmployee="true") == set()
    assert await ids(isUser="true") == set()
    assert await ids(accCode=2) == {bob}
    created = (await api.rest("GET", f"/openapi/customers/{bob}", owner)).json()["data"]
    stamp = created["createDate"]
    assert bob in await ids(createDateFrom=stamp - 1000, createDateTo=stamp + 1000)
    assert await ids(createDateTo=stamp - 60_000) == set()


async def test_bad_list_parameters_are_400s_naming_them(api):
    owner = await api.register()
    for params, field in (
        ({"sortBy": "shoeSize"}, "sortBy"),
        ({"order": "sideways"}, "order"),
        ({"page": "-1"}, "page"),
        ({"pageSize": "100000"}, "pageSize"),
        ({"createDateFrom": "yesterday"}, "createDateFrom"),
        ({"accCode": "x"}, "accCode"),
        ({"isEmployee": "maybe"}, "isEmployee"),
    ):
        r = await api.rest("GET", "/openapi/customers", owner, params=params)
        assert r.status_code == 400, (params, r.text)
        assert r.json()["errors"][0]["field"] == field


async def test_unauthenticated_and_unknown_paths(api, client):
    r = await client.get("/openapi/customers")
    assert r.status_code == 401 and r.json()["success"] is False
    owner = await api.register()
    r = await api.rest("GET", "/openapi/nothing-here", owner)
    assert r.status_code == 404 and r.json()["success"] is False
    r = await api.rest("DELETE", "/openapi/customers", owner)
    assert r.status_code == 404 and r.json()["success"] is False  # as under /api


async def test_a_list_page_costs_the_same_statements_for_2_and_10_rows(api, sql_counter):
    owner = await api.register()
    for n in range(10):
        await create(api, owner, example(customerDisplayName=f"C{n}"))
    counts = []
    for size in (2, 10):
        sql_counter.reset()
        body = await listing(api, owner, pageSize=size)
        assert len(body["data"]) == size
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements
