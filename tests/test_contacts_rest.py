"""Contacts over Numbors REST: /api/contacts and /api/contacts/{id}."""

from __future__ import annotations

from typing import Any

import pytest

from gql.core.ids import new_id, to_global_id
from gql.domains.contacts.models import Contact
from tests.factories import count_rows

CONTACT_BY_ID = """
query Contact($id: ID!) { contact(id: $id) { objectId name email type phone taxNumber enabled } }
"""

FULL_BODY: dict[str, Any] = {
    "name": "Acme Ltd",
    "email": "Billing@Acme.example",
    "type": "supplier",
    "phone": "+1 555 0100",
    "taxNumber": "US-123",
    "entityType": "BUSINESS",
    "companyName": "Acme Limited",
    "salutation": "MS",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "nationalId": "N1",
    "economicId": "E1",
    "billingAddress": {
        "street1": "1 Main St",
        "city": "Springfield",
        "zipCode": "12345",
        "countryRegion": "US",
    },
    "shippingAddress": {"street1": "2 Dock Rd", "zipCode": "54321"},
    "contactPersons": [
        {
            "firstName": "Grace",
            "lastName": "Hopper",
            "email": "grace@acme.example",
            "workPhone": "1",
        }
    ],
    "customFields": [{"fieldId": "f1", "name": "Segment", "value": "Enterprise"}],
    "enabled": True,
}


async def post(api, tenant, body: Any) -> Any:
    return await api.rest("POST", "/api/contacts", tenant, json=body)


async def listing(api, tenant, **params: Any) -> Any:
    r = await api.rest("GET", "/api/contacts", tenant, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def names(body: dict[str, Any]) -> list[str]:
    return [c["name"] for c in body["data"]]


# --- create and read ------------------------------------------------------------------------


async def test_post_creates_a_contact_with_every_field(api):
    # given
    tenant = await api.register()
    # when
    r = await post(api, tenant, FULL_BODY)
    # then
    assert r.status_code == 201, r.text
    assert r.json()["success"] is True
    data = r.json()["data"]
    assert len(data["id"]) == 24
    for key, value in {**FULL_BODY, "email": "billing@acme.example"}.items():
        if key in ("billingAddress", "shippingAddress"):
            assert {k: data[key].get(k) for k in value} == value, key
        elif key in ("contactPersons", "customFields"):
            assert [
                {k: item.get(k) for k in sent} for item, sent in zip(data[key], value, strict=True)
            ] == value
        else:
            assert data[key] == value, key
    assert "companyId" not in data


async def test_rest_shows_nested_fields_with_the_names_it_accepts(api):
    # given
    tenant = await api.register()
    # when
    data = (await post(api, tenant, FULL_BODY)).json()["data"]
    # then: camelCase in, camelCase out, at every depth
    assert data["billingAddress"]["zipCode"] == "12345"
    assert "zip_code" not in data["billingAddress"]
    assert data["contactPersons"][0]["firstName"] == "Grace"
    assert data["customFields"][0]["fieldId"] == "f1"


async def test_get_returns_the_contact_as_graphql_sees_it(api):
    # given
    tenant = await api.register()
    created = (await post(api, tenant, FULL_BODY)).json()["data"]
    # when
    r = await api.rest("GET", f"/api/contacts/{created['id']}", tenant)
    graphql = (await api.data(CONTACT_BY_ID, {"id": created["id"]}, tenant))["contact"]
    # then
    assert r.status_code == 200
    assert r.json()["data"] == created
    assert (graphql["name"], graphql["email"], graphql["type"], graphql["taxNumber"]) == (
        "Acme Ltd",
        "billing@acme.example",
        "SUPPLIER",
        "US-123",
    )


async def test_post_defaults_type_to_customer(api):
    # given
    tenant = await api.register()
    # when
    data = (await post(api, tenant, {"name": "Minimal"})).json()["data"]
    # then
    assert (data["type"], data["entityType"], data["enabled"]) == ("customer", "BUSINESS", True)


@pytest.mark.parametrize(
    "ref",
    [new_id(), "not-an-id", to_global_id("Contact", new_id())],
    ids=["object-id", "not-an-id", "global-id"],
)
async def test_get_of_an_unknown_id_is_404(api, ref):
    # given
    tenant = await api.register()
    # when
    r = await api.rest("GET", f"/api/contacts/{ref}", tenant)
    # then
    assert r.status_code == 404
    assert r.json() == {"success": False, "message": "Contact not found", "code": "NOT_FOUND"}


async def test_get_accepts_the_global_id(api):
    # given
    tenant = await api.register()
    created = await api.contact(tenant, name="Global")
    # when
    r = await api.rest("GET", f"/api/contacts/{to_global_id('Contact', created['id'])}", tenant)
    # then
    assert r.status_code == 200
    assert r.json()["data"]["id"] == created["id"]


# --- update --------------------------------------------------------------------------------


async def test_put_changes_only_the_fields_sent(api):
    # given
    tenant = await api.register()
    created = (await post(api, tenant, FULL_BODY)).json()["data"]
    # when
    r = await api.rest(
        "PUT", f"/api/contacts/{created['id']}", tenant, json={"name": "Acme Group", "type": "both"}
    )
    # then
    assert r.status_code == 200, r.text
    updated = r.json()["data"]
    assert (updated["name"], updated["type"]) == ("Acme Group", "both")
    ignore = {"name", "type", "updatedAt", "version"}
    assert {k: v for k, v in updated.items() if k not in ignore} == {
        k: v for k, v in created.items() if k not in ignore
    }
    fetched = (await api.rest("GET", f"/api/contacts/{created['id']}", tenant)).json()["data"]
    assert fetched == updated


async def test_put_can_clear_an_optional_field(api):
    # given
    tenant = await api.register()
    created = (await post(api, tenant, FULL_BODY)).json()["data"]
    # when
    r = await api.rest(
        "PUT",
        f"/api/contacts/{created['id']}",
        tenant,
        json={"email": None, "contactPersons": None},
    )
    # then
    assert r.status_code == 200, r.text
    assert r.json()["data"]["email"] is None
    assert r.json()["data"]["contactPersons"] == []
    assert r.json()["data"]["name"] == "Acme Ltd"


async def test_put_refuses_bad_values_and_changes_nothing(api):
    # given
    tenant = await api.register()
    created = await api.contact(tenant, name="Stable", email="stable@example.com")
    # when
    r = await api.rest(
        "PUT", f"/api/contacts/{created['id']}", tenant, json={"name": "Changed", "email": "broken"}
    )
    # then
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == ["email"]
    fetched = (await api.rest("GET", f"/api/contacts/{created['id']}", tenant)).json()["data"]
    assert (fetched["name"], fetched["email"]) == ("Stable", "stable@example.com")


async def test_put_of_an_unknown_id_is_404(api):
    # given
    tenant = await api.register()
    # when
    r = await api.rest("PUT", f"/api/contacts/{new_id()}", tenant, json={"name": "X"})
    # then
    assert r.status_code == 404
    assert r.json() == {"success": False, "message": "Contact not found", "code": "NOT_FOUND"}


# --- delete --------------------------------------------------------------------------------


async def test_delete_removes_the_contact(api, app):
    # given
    tenant = await api.register()
    created = await api.contact(tenant, name="Bye")
    # when
    r = await api.rest("DELETE", f"/api/contacts/{created['id']}", tenant)
    # then
    assert r.status_code == 200, r.text
    assert r.json() == {"success": True, "data": {"id": created["id"], "deleted": True}}
    assert (await api.rest("GET", f"/api/contacts/{created['id']}", tenant)).status_code == 404
    assert await count_rows(app, Contact, tenant.company_id) == 0


async def test_delete_is_refused_when_the_contact_has_documents(api, app):
    # given
    tenant = await api.register()
    created = await api.contact(tenant, name="Invoiced")
    await api.document(tenant, created["id"])
    # when
    r = await api.rest("DELETE", f"/api/contacts/{created['id']}", tenant)
    # then
    assert r.status_code == 400, r.text
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("id", "IN_USE")]
    assert await count_rows(app, Contact, tenant.company_id) == 1


async def test_delete_of_an_unknown_id_is_404(api):
    # given
    tenant = await api.register()
    # when
    r = await api.rest("DELETE", f"/api/contacts/{new_id()}", tenant)
    # then
    assert r.status_code == 404


# --- list ----------------------------------------------------------------------------------


async def test_list_paginates_with_page_limit_and_total(api):
    # given
    tenant = await api.register()
    for i in range(7):
        await api.contact(tenant, name=f"Contact {i:02d}")
    # when
    pages = [await listing(api, tenant, page=p, limit=3) for p in (1, 2, 3, 4)]
    # then
    assert [names(p) for p in pages] == [
        ["Contact 00", "Contact 01", "Contact 02"],
        ["Contact 03", "Contact 04", "Contact 05"],
        ["Contact 06"],
        [],
    ]
    assert all(
        p["pagination"] == {"page": i + 1, "limit": 3, "total": 7, "pages": 3}
        for i, p in enumerate(pages)
    )


async def test_list_defaults_to_page_1_of_25(api):
    # given
    tenant = await api.register()
    for i in range(26):
        await api.contact(tenant, name=f"Contact {i:02d}")
    # when
    body = await listing(api, tenant)
    # then
    assert len(body["data"]) == 25
    assert body["pagination"] == {"page": 1, "limit": 25, "total": 26, "pages": 2}


async def test_list_filters_by_type_enabled_and_search(api):
    # given
    tenant = await api.register()
    await api.contact(tenant, name="Acme", type="customer")
    await api.contact(tenant, name="Bolt", type="supplier", email="sales@ACME-parts.example")
    await api.contact(tenant, name="Core", type="both", enabled=False)
    # when
    suppliers = await listing(api, tenant, type="supplier")
    disabled = await listing(api, tenant, enabled="false")
    searched = await listing(api, tenant, search="acme")
    combined = await listing(api, tenant, type="customer", enabled="true", search="AC")
    # then
    assert names(suppliers) == ["Bolt", "Core"]
    assert names(disabled) == ["Core"]
    assert (names(searched), searched["pagination"]["total"]) == (["Acme", "Bolt"], 2)
    assert names(combined) == ["Acme"]


@pytest.mark.parametrize(("search", "expected"), [("50%", ["50% off"]), ("x_y", ["x_y"])])
async def test_list_search_treats_wildcards_literally(api, search, expected):
    # given
    tenant = await api.register()
    for name in ("50% off", "500 off", "x_y", "xzy"):
        await api.contact(tenant, name=name)
    # when
    body = await listing(api, tenant, search=search)
    # then
    assert names(body) == expected
    assert body["pagination"]["total"] == len(expected)


async def test_list_needs_authentication(client):
    # when
    r = await client.get("/api/contacts")
    # then
    assert r.status_code == 401
    assert r.json()["success"] is False
