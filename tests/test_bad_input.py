"""Bad input, REST and GraphQL: every refusal names the field, is never a 500, and
writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from gql.domains.companies.models import User
from gql.domains.contacts.models import Contact
from tests.factories import count_rows

CONTACT_CREATE = """
mutation ContactCreate($input: ContactCreateInput!) {
  contactCreate(input: $input) { contact { objectId } userErrors { field message code } }
}
"""

CONTACT_UPDATE = """
mutation ContactUpdate($input: ContactUpdateInput!) {
  contactUpdate(input: $input) { contact { objectId name } userErrors { field message code } }
}
"""

CONTACTS = """
query Contacts($filter: ContactFilter, $orderBy: ContactOrder) {
  contacts(first: 5, filter: $filter, orderBy: $orderBy) { totalCount }
}
"""

MAX_BODY = 1_000_000  # LEDGERGRAPH_MAX_BODY_BYTES default


def fields(r: Any) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]


@pytest.fixture
async def owner(api):
    return await api.register()


async def contacts_of(app, tenant) -> int:
    return await count_rows(app, Contact, tenant.company_id)


# --- REST: bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"name": "x",}', b"", b"   ", b"\xff\xfe\x00", b"[" * 50_000 + b"]" * 50_000],
    ids=["broken", "trailing-comma", "empty", "blank", "not-utf8", "deeply-nested"],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_rest_malformed_json_is_400_naming_the_body(api, app, owner, raw, method):
    # given
    contact = await api.contact(owner, name="Unchanged")
    path = "/api/contacts" if method == "POST" else f"/api/contacts/{contact['id']}"
    before = await contacts_of(app, owner)
    # when
    r = await api.rest(
        method,
        path,
        owner,
        content=raw,
        headers={**owner.headers, "content-type": "application/json"},
    )
    # then
    assert r.status_code == 400, r.text
    assert r.json()["success"] is False
    assert fields(r) == ["body"]
    assert await contacts_of(app, owner) == before
    assert (await api.rest("GET", f"/api/contacts/{contact['id']}", owner)).json()["data"][
        "name"
    ] == "Unchanged"


@pytest.mark.parametrize(
    "body", [[{"name": "x"}], "just a string", 42, None], ids=["array", "string", "number", "null"]
)
async def test_rest_a_body_that_is_not_an_object_is_400(api, app, owner, body):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json=body)
    # then
    assert r.status_code == 400, r.text
    assert fields(r) == ["body"]
    assert await contacts_of(app, owner) == before


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"name": 5}, ["name"]),
        ({"name": "x", "enabled": "maybe"}, ["enabled"]),
        ({"name": 5, "enabled": "maybe"}, ["enabled", "name"]),
        ({"name": ["x"]}, ["name"]),
        ({"name": "x", "contactPersons": "Grace"}, ["contactPersons"]),
        ({"name": "x", "billingAddress": "1 Main St"}, ["billingAddress"]),
        ({"name": "x", "billingAddress": {"city": 7}}, ["billingAddress.city"]),
        ({"name": "x", "customFields": [{"value": "v"}]}, ["customFields[0].name"]),
        ({"name": "x" * 201}, ["name"]),
        ({"name": ""}, ["name"]),
    ],
    ids=[
        "name-int",
        "enabled-maybe",
        "both",
        "name-list",
        "persons-string",
        "address-string",
        "nested-city-int",
        "nested-missing-name",
        "name-too-long",
        "name-empty",
    ],
)
async def test_rest_wrong_types_are_400_naming_each_field(api, app, owner, body, bad):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json=body)
    # then
    assert r.status_code == 400, r.text
    assert sorted(fields(r)) == sorted(bad)
    assert await contacts_of(app, owner) == before


async def test_rest_a_missing_required_field_is_400_required(api, app, owner):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json={"email": "a@b.example"})
    # then
    assert r.status_code == 400
    assert r.json()["errors"] == [{"field": "name", "message": "is required", "code": "REQUIRED"}]
    assert await contacts_of(app, owner) == before


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"name": "x", "colour": "red"}, "colour"),
        ({"name": "x", "companyId": "0" * 24}, "companyId"),
        ({"name": "x", "id": "0" * 24}, "id"),
        (
            {"name": "x", "billingAddress": {"city": "Paris", "planet": "Mars"}},
            "billingAddress.planet",
        ),
    ],
    ids=["unknown", "company-id", "id", "nested-unknown"],
)
async def test_rest_unknown_fields_are_refused_naming_the_field(api, app, owner, body, bad):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json=body)
    # then
    assert r.status_code == 400, r.text
    assert fields(r) == [bad]
    assert await contacts_of(app, owner) == before


async def test_rest_unknown_fields_on_update_are_refused(api, owner):
    # given
    contact = await api.contact(owner, name="Stays")
    # when
    r = await api.rest(
        "PUT", f"/api/contacts/{contact['id']}", owner, json={"name": "Moved", "colour": "red"}
    )
    # then
    assert r.status_code == 400
    assert fields(r) == ["colour"]
    assert (await api.rest("GET", f"/api/contacts/{contact['id']}", owner)).json()["data"][
        "name"
    ] == "Stays"


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.example", "a b@c.example"])
async def test_rest_an_invalid_email_is_400_naming_email(api, app, owner, email):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json={"name": "x", "email": email})
    # then
    assert r.status_code == 400
    assert fields(r) == ["email"]
    assert await contacts_of(app, owner) == before


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"name": "x", "type": "alien"}, "type"),
        ({"name": "x", "type": "CUSTOMER"}, "type"),
        ({"name": "x", "entityType": "ROBOT"}, "entityType"),
        ({"name": "x", "salutation": "LORD"}, "salutation"),
    ],
    ids=["type-alien", "type-wrong-case", "entity-type", "salutation"],
)
async def test_rest_unknown_enum_values_are_400_naming_the_field(api, app, owner, body, bad):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json=body)
    # then
    assert r.status_code == 400
    assert fields(r) == [bad]
    assert await contacts_of(app, owner) == before


async def test_rest_register_refuses_a_non_object_and_unknown_fields(client, app):
    # given
    before = await count_rows(app, User, None)
    # when
    array = await client.post("/api/auth/register", json=[{"name": "x"}])
    unknown = await client.post(
        "/api/auth/register",
        json={
            "name": "x",
            "email": "x-unknown@example.com",
            "password": "long-enough-1",
            "role": "admin",
        },
    )
    malformed = await client.post(
        "/api/auth/login", content=b"{", headers={"content-type": "application/json"}
    )
    # then
    assert (array.status_code, fields(array)) == (400, ["body"])
    assert (unknown.status_code, fields(unknown)) == (400, ["role"])
    assert (malformed.status_code, fields(malformed)) == (400, ["body"])
    assert await count_rows(app, User, None) == before


# --- REST: query parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"page": "0"}, ["page"]),
        ({"page": "-1"}, ["page"]),
        ({"page": "abc"}, ["page"]),
        ({"page": "1.5"}, ["page"]),
        ({"page": "99999999999999999999999"}, ["page"]),
        ({"limit": "0"}, ["limit"]),
        ({"limit": "101"}, ["limit"]),
        ({"limit": "ten"}, ["limit"]),
        ({"page": "x", "limit": "y"}, ["page", "limit"]),
        ({"type": "alien"}, ["type"]),
        ({"enabled": "maybe"}, ["enabled"]),
    ],
    ids=[
        "page-0",
        "page-negative",
        "page-text",
        "page-fraction",
        "page-huge",
        "limit-0",
        "limit-101",
        "limit-text",
        "both",
        "type-alien",
        "enabled-maybe",
    ],
)
async def test_rest_bad_list_parameters_are_400_naming_them(api, owner, params, bad):
    # given
    await api.contact(owner)
    # when
    r = await api.rest("GET", "/api/contacts", owner, params=params)
    # then
    assert r.status_code == 400, r.text
    assert fields(r) == bad
    assert r.json()["success"] is False


async def test_rest_a_far_page_is_empty_not_an_error(api, owner):
    # given
    await api.contact(owner)
    # when
    r = await api.rest("GET", "/api/contacts", owner, params={"page": "1000000"})
    # then
    assert r.status_code == 200
    assert r.json()["data"] == [] and r.json()["pagination"]["total"] == 1


# --- oversized bodies --------------------------------------------------------------------------


async def _chunks(payload: bytes, size: int = 64_000) -> AsyncIterator[bytes]:
    for start in range(0, len(payload), size):
        yield payload[start : start + size]


def _big_contact() -> bytes:
    return b'{"name": "big", "notes": "' + b"x" * (MAX_BODY + 10) + b'"}'


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/api/contacts", "/graphql"])
async def test_an_oversized_body_is_413_with_a_json_envelope(api, app, owner, declared, path):
    # given
    before = await contacts_of(app, owner)
    payload = _big_contact()
    if path == "/graphql":
        payload = (
            b'{"query": "mutation { contactCreate(input: {name: \\"big\\", notes: \\"'
            + b"x" * (MAX_BODY + 10)
            + b'\\"}) { contact { objectId } } }"}'
        )
    headers = {**owner.headers, "content-type": "application/json"}
    # when
    r = await api.client.post(
        path, content=payload if declared else _chunks(payload), headers=headers
    )
    # then
    assert r.status_code == 413, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["success"] is False
    assert [e["field"] for e in body["errors"]] == ["body"]
    assert await contacts_of(app, owner) == before


async def test_a_body_just_under_the_limit_is_accepted(api, app, owner):
    # given: notes are capped at 5000 characters, so this is refused as a 400, not a 413
    payload = b'{"name": "big", "notes": "' + b"x" * (MAX_BODY - 100) + b'"}'
    # when
    r = await api.client.post(
        "/api/contacts",
        content=payload,
        headers={**owner.headers, "content-type": "application/json"},
    )
    # then
    assert r.status_code == 400
    assert fields(r) == ["notes"]


# --- GraphQL -------------------------------------------------------------------------------------


async def test_graphql_malformed_json_is_400(api, owner):
    # when
    r = await api.client.post(
        "/graphql",
        content=b'{"query": ',
        headers={**owner.headers, "content-type": "application/json"},
    )
    # then
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"]


async def test_graphql_a_deeply_nested_json_body_is_400_not_500(api, owner):
    # when
    r = await api.client.post(
        "/graphql",
        content=b"[" * 50_000 + b"]" * 50_000,
        headers={**owner.headers, "content-type": "application/json"},
    )
    # then
    assert r.status_code == 400, r.text[:200]
    assert r.json()["errors"][0]["message"]


async def test_graphql_a_json_array_body_is_refused(api, app, owner):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.client.post(
        "/graphql",
        json=[{"query": CONTACT_CREATE, "variables": {"input": {"name": "Batched"}}}],
        headers=owner.headers,
    )
    # then
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"]
    assert await contacts_of(app, owner) == before


@pytest.mark.parametrize(
    ("input", "needle"),
    [
        ({"name": 5}, "$input' has invalid value at .name"),
        ({"name": "x", "enabled": "maybe"}, "at .enabled"),
        ({}, "name"),
        ({"name": None}, "at .name"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"name": "x", "billingAddress": {"planet": "Mars"}}, "planet"),
        ({"name": "x", "type": "ALIEN"}, "at .type"),
        ({"name": "x", "type": "customer"}, "at .type"),
        ({"name": "x", "entityType": "ROBOT"}, "at .entityType"),
        ({"name": "x", "contactPersons": [{"email": 5}]}, "at .contactPersons[0].email"),
    ],
    ids=[
        "name-int",
        "enabled-maybe",
        "missing-name",
        "null-name",
        "unknown",
        "nested-unknown",
        "enum-alien",
        "enum-lowercase",
        "entity-type",
        "nested-type",
    ],
)
async def test_graphql_ill_typed_input_is_a_validation_error_naming_the_field(
    api, app, owner, input, needle
):
    # given
    before = await contacts_of(app, owner)
    # when
    body = await api.gql(CONTACT_CREATE, {"input": input}, owner)
    # then
    assert body.get("data") is None
    assert needle in body["errors"][0]["message"], body["errors"][0]["message"]
    assert await contacts_of(app, owner) == before


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"name": "x", "email": "not-an-email"}, ["input", "email"]),
        ({"name": " "}, ["input", "name"]),
        ({"name": "x" * 201}, ["input", "name"]),
        ({"name": "x", "currencyCode": "euro"}, ["input", "currencyCode"]),
        (
            {"name": "x", "billingAddress": {"zipCode": "z" * 21}},
            ["input", "billingAddress", "zipCode"],
        ),
        ({"name": "x", "customFields": [{"name": ""}]}, ["input", "customFields", "0", "name"]),
    ],
    ids=["email", "blank-name", "long-name", "currency", "nested-zip", "nested-custom-field"],
)
async def test_graphql_invalid_values_are_user_errors_naming_the_field(
    api, app, owner, input, field
):
    # given
    before = await contacts_of(app, owner)
    # when
    payload = (await api.data(CONTACT_CREATE, {"input": input}, owner))["contactCreate"]
    # then
    assert payload["contact"] is None
    assert [e["field"] for e in payload["userErrors"]] == [field]
    assert await contacts_of(app, owner) == before


async def test_graphql_invalid_update_changes_nothing(api, owner):
    # given
    contact = await api.contact(owner, name="Stays", email="stays@example.com")
    # when
    payload = (
        await api.data(
            CONTACT_UPDATE, {"input": {"id": contact["id"], "name": "Moved", "email": "bad"}}, owner
        )
    )["contactUpdate"]
    # then
    assert [e["field"] for e in payload["userErrors"]] == [["input", "email"]]
    got = await api.rest("GET", f"/api/contacts/{contact['id']}", owner)
    assert (got.json()["data"]["name"], got.json()["data"]["email"]) == (
        "Stays",
        "stays@example.com",
    )


@pytest.mark.parametrize(
    ("variables", "needle"),
    [
        ({"filter": {"type": "ALIEN"}}, "$filter' has invalid value at .type"),
        ({"filter": {"enabled": "maybe"}}, "$filter' has invalid value at .enabled"),
        ({"filter": {"colour": "red"}}, "colour"),
        ({"orderBy": {"field": "SHOE_SIZE"}}, "$orderBy' has invalid value at .field"),
    ],
    ids=["type", "enabled", "unknown", "order"],
)
async def test_graphql_bad_list_arguments_are_validation_errors(api, owner, variables, needle):
    # when
    body = await api.gql(CONTACTS, variables, owner)
    # then
    assert body.get("data") is None
    assert needle in body["errors"][0]["message"], body["errors"][0]["message"]


# --- characters no database column can hold -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"name": "nul\u0000byte"}, "name"),
        ({"name": "x", "billingAddress": {"city": "a\u0000b"}}, "billingAddress.city"),
    ],
    ids=["top-level", "nested"],
)
async def test_rest_a_nul_character_is_400_naming_the_field(api, app, owner, body, bad):
    # given
    before = await contacts_of(app, owner)
    # when
    r = await api.rest("POST", "/api/contacts", owner, json=body)
    # then
    assert r.status_code == 400, r.text
    assert fields(r) == [bad]
    assert await contacts_of(app, owner) == before


async def test_graphql_a_nul_character_is_a_user_error(api, app, owner):
    # given
    before = await contacts_of(app, owner)
    # when
    payload = (await api.data(CONTACT_CREATE, {"input": {"name": "nul\u0000byte"}}, owner))[
        "contactCreate"
    ]
    # then
    assert [e["field"] for e in payload["userErrors"]] == [["input", "name"]]
    assert await contacts_of(app, owner) == before


async def test_a_nul_character_in_a_search_finds_nothing_rather_than_failing(api, owner):
    # given
    await api.contact(owner, name="Findable")
    # when
    rest = await api.rest("GET", "/api/contacts", owner, params={"search": "Find\u0000"})
    graphql = await api.gql(CONTACTS, {"filter": {"search": "Find\u0000"}}, owner)
    # then
    assert rest.status_code == 200, rest.text
    assert rest.json()["pagination"]["total"] == 0
    assert graphql["data"]["contacts"]["totalCount"] == 0


async def test_a_nul_character_in_login_is_refused_not_a_crash(client):
    # when
    r = await client.post("/api/auth/login", json={"email": "a\u0000@b.example", "password": "x"})
    # then
    assert r.status_code in (400, 401), r.text
    assert r.json()["success"] is False


# --- methods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PATCH", "OPTIONS", "TRACE"])
async def test_rest_an_unsupported_method_is_refused_with_a_json_envelope(api, owner, method):
    # given
    contact = await api.contact(owner)
    # when
    r = await api.rest(method, f"/api/contacts/{contact['id']}", owner)
    # then
    assert r.status_code in (404, 405)
    assert r.json()["success"] is False
    assert (await api.rest("GET", f"/api/contacts/{contact['id']}", owner)).status_code == 200
