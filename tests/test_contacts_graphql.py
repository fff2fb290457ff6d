"""Contacts over GraphQL: create, read, update, delete, filter, order and paginate."""

from __future__ import annotations

from typing import Any

import pytest

from gql.core.ids import new_id, to_global_id
from gql.domains.contacts.models import Contact
from tests.factories import count_rows

CONTACT_FIELDS = """
fragment ContactFields on Contact {
  id objectId
  name email type phone taxNumber
  entityType companyName salutation firstName lastName nationalId economicId
  mobile website currencyCode reference notes enabled
  billingAddress { street1 street2 city state zipCode countryRegion phone }
  shippingAddress { street1 city zipCode countryRegion }
  contactPersons { salutation firstName lastName email workPhone mobile designation department }
  customFields { fieldId name type value }
}
"""

CONTACT_CREATE = (
    """
mutation ContactCreate($input: ContactCreateInput!) {
  contactCreate(input: $input) { contact { ...ContactFields } userErrors { field message code } }
}
"""
    + CONTACT_FIELDS
)

CONTACT_UPDATE = (
    """
mutation ContactUpdate($input: ContactUpdateInput!) {
  contactUpdate(input: $input) { contact { ...ContactFields } userErrors { field message code } }
}
"""
    + CONTACT_FIELDS
)

CONTACT_DELETE = """
mutation ContactDelete($input: ContactDeleteInput!) {
  contactDelete(input: $input) { deletedContactId userErrors { field message code } }
}
"""

CONTACT = (
    """
query Contact($id: ID!) { contact(id: $id) { ...ContactFields } }
"""
    + CONTACT_FIELDS
)

CONTACTS = """
query Contacts(
  $first: Int, $after: String, $last: Int, $before: String,
  $filter: ContactFilter, $orderBy: ContactOrder
) {
  contacts(
    first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { objectId name email type enabled } }
  }
}
"""

FULL_INPUT: dict[str, Any] = {
    "name": "Acme Ltd",
    "email": "Billing@Acme.example",
    "type": "BOTH",
    "phone": "+44 20 7946 0000",
    "taxNumber": "GB123456789",
    "entityType": "BUSINESS",
    "companyName": "Acme Limited",
    "salutation": "DR",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "nationalId": "NI-42",
    "economicId": "EC-99",
    "mobile": "+44 7700 900000",
    "website": "https://acme.example",
    "currencyCode": "USD",
    "reference": "REF-1",
    "notes": "Pays on time",
    "enabled": True,
    "billingAddress": {
        "street1": "1 Main St",
        "street2": "Floor 2",
        "city": "London",
        "state": "Greater London",
        "zipCode": "EC1A 1BB",
        "countryRegion": "GB",
        "phone": "+44 20 0000 0000",
    },
    "shippingAddress": {
        "street1": "2 Dock Rd",
        "city": "Tilbury",
        "zipCode": "RM18",
        "countryRegion": "GB",
    },
    "contactPersons": [
        {
            "salutation": "MS",
            "firstName": "Grace",
            "lastName": "Hopper",
            "email": "grace@acme.example",
            "workPhone": "123",
            "mobile": "456",
            "designation": "CFO",
            "department": "Finance",
        }
    ],
    "customFields": [{"fieldId": "f1", "name": "Segment", "type": "TEXT", "value": "Enterprise"}],
}


async def create(api, tenant, **fields: Any) -> dict[str, Any]:
    payload = await api.mutate(
        "contactCreate", CONTACT_CREATE, {"name": "Someone", **fields}, tenant
    )
    return payload["contact"]  # type: ignore[no-any-return]


async def list_contacts(api, tenant, **variables: Any) -> dict[str, Any]:
    return (await api.data(CONTACTS, variables, tenant))["contacts"]  # type: ignore[no-any-return]


def names(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


# --- create and read ------------------------------------------------------------------------


async def test_create_stores_every_numbors_and_forbix_field(api):
    # given
    tenant = await api.register()
    # when
    created = await create(api, tenant, **FULL_INPUT)
    fetched = (await api.data(CONTACT, {"id": created["id"]}, tenant))["contact"]
    # then
    expected = {**FULL_INPUT, "email": "billing@acme.example"}
    for contact in (created, fetched):
        for key, value in expected.items():
            if key == "shippingAddress":
                assert contact[key] == {
                    k: value.get(k) for k in ("street1", "city", "zipCode", "countryRegion")
                }
            else:
                assert contact[key] == value, key
    assert created["id"] == to_global_id("Contact", created["objectId"])


async def test_create_applies_defaults(api):
    # given
    tenant = await api.register()
    # when
    contact = await create(api, tenant, name="Minimal")
    # then
    assert (contact["type"], contact["entityType"], contact["enabled"]) == (
        "CUSTOMER",
        "BUSINESS",
        True,
    )
    assert contact["contactPersons"] == [] and contact["customFields"] == []
    assert contact["billingAddress"] is None and contact["email"] is None


async def test_an_individual_contact(api):
    # given
    tenant = await api.register()
    # when
    contact = await create(
        api,
        tenant,
        name="Jo Bloggs",
        entityType="INDIVIDUAL",
        salutation="MR",
        firstName="Jo",
        lastName="Bloggs",
    )
    # then
    assert (contact["entityType"], contact["salutation"], contact["firstName"]) == (
        "INDIVIDUAL",
        "MR",
        "Jo",
    )


async def test_create_refuses_bad_fields_with_user_errors_and_writes_nothing(api, app):
    # given
    tenant = await api.register()
    # when
    payload = (
        await api.data(
            CONTACT_CREATE,
            {
                "input": {
                    "name": " ",
                    "email": "nope",
                    "currencyCode": "XYZ",
                    "contactPersons": [{"email": "bad"}],
                }
            },
            tenant,
        )
    )["contactCreate"]
    # then
    assert payload["contact"] is None
    fields = {tuple(e["field"]) for e in payload["userErrors"]}
    assert {
        ("input", "name"),
        ("input", "email"),
        ("input", "contactPersons", "0", "email"),
    } <= fields
    assert await count_rows(app, Contact, tenant.company_id) == 0


async def test_create_refuses_an_unknown_currency(api, app):
    # given
    tenant = await api.register()
    # when
    payload = (
        await api.data(CONTACT_CREATE, {"input": {"name": "X", "currencyCode": "JPY"}}, tenant)
    )["contactCreate"]
    # then
    assert payload["userErrors"] == [
        {"field": ["input", "currencyCode"], "message": "Currency not found", "code": "NOT_FOUND"}
    ]
    assert await count_rows(app, Contact, tenant.company_id) == 0


async def test_contact_accepts_the_object_id_too(api):
    # given
    tenant = await api.register()
    created = await create(api, tenant, name="By object id")
    # when
    fetched = (await api.data(CONTACT, {"id": created["objectId"]}, tenant))["contact"]
    # then
    assert fetched["name"] == "By object id"


@pytest.mark.parametrize(
    "ref",
    [new_id(), to_global_id("Contact", new_id()), "garbage", to_global_id("Tax", new_id())],
    ids=["object-id", "global-id", "garbage", "wrong-type"],
)
async def test_contact_of_an_unknown_id_is_null_with_not_found(api, ref):
    # given
    tenant = await api.register()
    # when
    body = await api.gql(CONTACT, {"id": ref}, tenant)
    # then
    assert body["data"] == {"contact": None}
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("Contact not found", "NOT_FOUND")
    ]


# --- update --------------------------------------------------------------------------------


async def test_update_changes_only_the_fields_sent(api):
    # given
    tenant = await api.register()
    created = await create(api, tenant, **FULL_INPUT)
    # when
    payload = await api.mutate(
        "contactUpdate",
        CONTACT_UPDATE,
        {"id": created["id"], "name": "Acme Group", "phone": None},
        tenant,
    )
    # then
    updated = payload["contact"]
    assert updated["name"] == "Acme Group"
    assert updated["phone"] is None
    unchanged = {k: v for k, v in created.items() if k not in ("name", "phone")}
    assert {k: updated[k] for k in unchanged} == unchanged
    fetched = (await api.data(CONTACT, {"id": created["id"]}, tenant))["contact"]
    assert fetched == updated


async def test_update_of_forbix_fields(api):
    # given
    tenant = await api.register()
    created = await create(api, tenant, name="Solo", entityType="BUSINESS")
    # when
    updated = (
        await api.mutate(
            "contactUpdate",
            CONTACT_UPDATE,
            {
                "id": created["id"],
                "entityType": "INDIVIDUAL",
                "nationalId": "123",
                "economicId": "456",
                "billingAddress": {"city": "Paris"},
                "contactPersons": [{"firstName": "Pat"}],
                "customFields": [{"name": "Tier", "value": "Gold"}],
                "enabled": False,
                "type": "SUPPLIER",
            },
            tenant,
        )
    )["contact"]
    # then
    assert (updated["entityType"], updated["nationalId"], updated["economicId"]) == (
        "INDIVIDUAL",
        "123",
        "456",
    )
    assert updated["billingAddress"]["city"] == "Paris"
    assert [p["firstName"] for p in updated["contactPersons"]] == ["Pat"]
    assert updated["customFields"] == [
        {"fieldId": None, "name": "Tier", "type": "TEXT", "value": "Gold"}
    ]
    assert (updated["enabled"], updated["type"], updated["name"]) == (False, "SUPPLIER", "Solo")


@pytest.mark.parametrize("field", ["name", "type", "entityType", "enabled"])
async def test_update_refuses_null_for_a_required_field(api, field):
    # given
    tenant = await api.register()
    created = await create(api, tenant, name="Keep me")
    # when
    payload = (
        await api.data(CONTACT_UPDATE, {"input": {"id": created["id"], field: None}}, tenant)
    )["contactUpdate"]
    # then
    assert payload["contact"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", field], "REQUIRED")
    ]
    fetched = (await api.data(CONTACT, {"id": created["id"]}, tenant))["contact"]
    assert (fetched["name"], fetched["type"], fetched["enabled"]) == ("Keep me", "CUSTOMER", True)


async def test_update_of_an_unknown_contact_is_not_found(api):
    # given
    tenant = await api.register()
    # when
    payload = (
        await api.data(
            CONTACT_UPDATE,
            {"input": {"id": to_global_id("Contact", new_id()), "name": "X"}},
            tenant,
        )
    )["contactUpdate"]
    # then
    assert payload["userErrors"] == [
        {"field": ["input", "id"], "message": "Contact not found", "code": "NOT_FOUND"}
    ]


# --- delete --------------------------------------------------------------------------------


async def test_delete_removes_the_contact(api, app):
    # given
    tenant = await api.register()
    created = await create(api, tenant, name="Going away")
    # when
    payload = await api.mutate("contactDelete", CONTACT_DELETE, {"id": created["id"]}, tenant)
    # then
    assert payload["deletedContactId"] == created["id"]
    body = await api.gql(CONTACT, {"id": created["id"]}, tenant)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await count_rows(app, Contact, tenant.company_id) == 0


async def test_delete_is_refused_when_the_contact_has_documents(api, app):
    # given
    tenant = await api.register()
    created = await create(api, tenant, name="Has invoices")
    await api.document(tenant, created["id"])
    # when
    payload = (await api.data(CONTACT_DELETE, {"input": {"id": created["id"]}}, tenant))[
        "contactDelete"
    ]
    # then
    assert payload["deletedContactId"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "id"], "IN_USE")]
    assert await count_rows(app, Contact, tenant.company_id) == 1


async def test_delete_of_an_unknown_contact_is_not_found(api):
    # given
    tenant = await api.register()
    # when
    payload = (await api.data(CONTACT_DELETE, {"input": {"id": new_id()}}, tenant))["contactDelete"]
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]


# --- filters and order ----------------------------------------------------------------------


async def test_filter_by_type_counts_both_as_customer_and_supplier(api):
    # given
    tenant = await api.register()
    await create(api, tenant, name="C", type="CUSTOMER")
    await create(api, tenant, name="S", type="SUPPLIER")
    await create(api, tenant, name="B", type="BOTH")
    # when
    customers = await list_contacts(api, tenant, filter={"type": "CUSTOMER"})
    suppliers = await list_contacts(api, tenant, filter={"type": "SUPPLIER"})
    both = await list_contacts(api, tenant, filter={"type": "BOTH"})
    # then
    assert (names(customers), customers["totalCount"]) == (["B", "C"], 2)
    assert (names(suppliers), suppliers["totalCount"]) == (["B", "S"], 2)
    assert names(both) == ["B"]


async def test_filter_by_enabled(api):
    # given
    tenant = await api.register()
    await create(api, tenant, name="On")
    await create(api, tenant, name="Off", enabled=False)
    # when
    enabled = await list_contacts(api, tenant, filter={"enabled": True})
    disabled = await list_contacts(api, tenant, filter={"enabled": False})
    everyone = await list_contacts(api, tenant)
    # then
    assert names(enabled) == ["On"]
    assert names(disabled) == ["Off"]
    assert everyone["totalCount"] == 2


async def test_filter_by_entity_type(api):
    # given
    tenant = await api.register()
    await create(api, tenant, name="Biz")
    await create(api, tenant, name="Person", entityType="INDIVIDUAL")
    # when
    people = await list_contacts(api, tenant, filter={"entityType": "INDIVIDUAL"})
    # then
    assert names(people) == ["Person"]


async def test_search_matches_name_or_email_case_insensitively(api):
    # given
    tenant = await api.register()
    await create(api, tenant, name="Acme Ltd")
    await create(api, tenant, name="Globex", email="accounts@ACMEFOODS.example")
    await create(api, tenant, name="Initech")
    # when
    by_name_or_email = await list_contacts(api, tenant, filter={"search": "aCmE"})
    by_email = await list_contacts(api, tenant, filter={"search": "ACCOUNTS@"})
    # then
    assert names(by_name_or_email) == ["Acme Ltd", "Globex"]
    assert by_name_or_email["totalCount"] == 2
    assert names(by_email) == ["Globex"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("100%", ["100% Organic"]),
        ("a_b", ["a_b Trading"]),
        ("\\", ["Back\\slash"]),
        ("%", ["100% Organic"]),
    ],
    ids=["percent", "underscore", "backslash", "bare-percent"],
)
async def test_search_treats_like_wildcards_literally(api, search, expected):
    # given
    tenant = await api.register()
    for name in (
        "100% Organic",
        "1000 Organic",
        "a_b Trading",
        "axb Trading",
        "Back\\slash",
        "Backslash",
    ):
        await create(api, tenant, name=name)
    # when
    found = await list_contacts(api, tenant, filter={"search": search})
    # then
    assert names(found) == expected
    assert found["totalCount"] == len(expected)


async def test_filters_combine(api):
    # given
    tenant = await api.register()
    await create(api, tenant, name="Acme customer", type="CUSTOMER")
    await create(api, tenant, name="Acme supplier", type="SUPPLIER")
    await create(api, tenant, name="Acme disabled customer", type="CUSTOMER", enabled=False)
    # when
    found = await list_contacts(
        api, tenant, filter={"search": "acme", "type": "CUSTOMER", "enabled": True}
    )
    # then
    assert names(found) == ["Acme customer"]


async def test_order_by_name_both_directions_and_by_creation(api):
    # given
    tenant = await api.register()
    for name in ("Bravo", "alpha", "Charlie"):
        await create(api, tenant, name=name)
    # when
    asc = await list_contacts(api, tenant, orderBy={"field": "NAME", "direction": "ASC"})
    desc = await list_contacts(api, tenant, orderBy={"field": "NAME", "direction": "DESC"})
    created = await list_contacts(api, tenant, orderBy={"field": "CREATED_AT", "direction": "ASC"})
    newest = await list_contacts(api, tenant, orderBy={"field": "CREATED_AT", "direction": "DESC"})
    # then
    assert names(asc) == list(reversed(names(desc)))
    assert sorted(names(asc)) == ["Bravo", "Charlie", "alpha"]
    assert names(created) == ["Bravo", "alpha", "Charlie"]
    assert names(newest) == ["Charlie", "alpha", "Bravo"]


# --- pagination ----------------------------------------------------------------------------


async def _seed(api, tenant, n: int) -> list[str]:
    made = [f"Contact {i:02d}" for i in range(n)]
    for name in reversed(made):
        await create(api, tenant, name=name)
    return made


async def test_walk_every_page_forward_without_skipping_or_repeating(api):
    # given
    tenant = await api.register()
    expected = await _seed(api, tenant, 7)
    seen: list[str] = []
    after = None
    pages = 0
    # when
    while True:
        page = await list_contacts(api, tenant, first=3, after=after)
        pages += 1
        assert page["totalCount"] == 7
        seen += names(page)
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    # then
    assert seen == expected
    assert pages == 3


async def test_walk_every_page_backward_without_skipping_or_repeating(api):
    # given
    tenant = await api.register()
    expected = await _seed(api, tenant, 7)
    seen: list[str] = []
    before = None
    pages = 0
    # when
    while True:
        page = await list_contacts(api, tenant, last=3, before=before)
        pages += 1
        assert page["totalCount"] == 7
        seen = names(page) + seen
        assert page["pageInfo"]["hasNextPage"] is (before is not None)
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    # then
    assert seen == expected
    assert pages == 3


async def test_cursors_from_a_forward_page_work_backward(api):
    # given
    tenant = await api.register()
    expected = await _seed(api, tenant, 6)
    second = await list_contacts(
        api,
        tenant,
        first=2,
        after=(await list_contacts(api, tenant, first=2))["pageInfo"]["endCursor"],
    )
    # when
    back = await list_contacts(api, tenant, last=2, before=second["pageInfo"]["startCursor"])
    # then
    assert names(second) == expected[2:4]
    assert names(back) == expected[0:2]


async def test_a_cursor_past_the_end_gives_an_empty_page_with_the_total(api):
    # given
    tenant = await api.register()
    await _seed(api, tenant, 2)
    last_cursor = (await list_contacts(api, tenant, first=2))["pageInfo"]["endCursor"]
    # when
    page = await list_contacts(api, tenant, first=2, after=last_cursor)
    # then
    assert page["edges"] == []
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"] is False


async def test_the_default_page_size_applies_without_first_or_last(api):
    # given
    tenant = await api.register()
    await _seed(api, tenant, 26)
    # when
    page = await list_contacts(api, tenant)
    # then
    assert len(page["edges"]) == 25
    assert page["totalCount"] == 26
    assert page["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"first": 101}, "first"),
        ({"last": 101}, "last"),
        ({"first": -1}, "first"),
        ({"after": "not-a-cursor"}, "after"),
        ({"before": "bm9wZQ"}, "before"),
        ({"first": 1, "last": 1}, "last"),
    ],
    ids=["first-101", "last-101", "first-negative", "bad-after", "bad-before", "first-and-last"],
)
async def test_bad_page_arguments_give_a_clear_error_naming_the_argument(api, variables, argument):
    # given
    tenant = await api.register()
    # when
    body = await api.gql(CONTACTS, variables, tenant)
    # then
    assert body["data"] is None
    error = body["errors"][0]
    assert argument in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == argument


async def test_first_101_names_the_limit(api):
    # given
    tenant = await api.register()
    # when
    body = await api.gql(CONTACTS, {"first": 101}, tenant)
    # then
    assert body["errors"][0]["message"] == "first: must be at most 100 (asked for 101)"


async def test_a_forged_cursor_with_a_huge_position_is_a_bad_input_not_a_crash(api):
    # given
    import base64

    tenant = await api.register()
    await _seed(api, tenant, 1)
    forged = base64.urlsafe_b64encode(b"cursor:99999999999999999999999999").decode()
    # when
    body = await api.gql(CONTACTS, {"first": 1, "after": forged}, tenant)
    # then
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "after"
