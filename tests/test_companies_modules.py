"""Companies, the X-Company-Id header, roles and module licenses (REST and GraphQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gql.core.ids import new_id, to_global_id
from gql.domains.companies.modules import MODULES
from gql.domains.contacts.models import Contact
from tests.factories import bearer, count_rows, member_of

COMPANY_CREATE = """
mutation CompanyCreate($input: CompanyCreateInput!) {
  companyCreate(input: $input) {
    company { id objectId name baseCurrency country }
    userErrors { field message code }
  }
}
"""

MEMBERSHIPS = """
query Memberships {
  viewer { role company { objectId } memberships { company { objectId name } role isDefault } }
}
"""

CONTACTS = """
query Contacts { contacts(first: 10) { totalCount nodes { objectId name } } }
"""

CONTACT = """
query Contact($id: ID!) { contact(id: $id) { objectId name } }
"""

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

CONTACT_DELETE = """
mutation ContactDelete($input: ContactDeleteInput!) {
  contactDelete(input: $input) { deletedContactId userErrors { field message code } }
}
"""

MODULE_SET = """
mutation ModuleSet($input: ModuleSetInput!) {
  moduleSet(input: $input) {
    module { alias enabled status accessible expiresAt }
    userErrors { field message code }
  }
}
"""

MODULES_QUERY = """
query Modules { modules { alias enabled status accessible } viewer { enabledModules } }
"""

DOCUMENTS = """
query Documents { documents(first: 5) { totalCount } }
"""

CONTACT_DOCUMENTS = """
query ContactDocuments($id: ID!) { contact(id: $id) { name documents { totalCount } } }
"""

NODE = """
query Node($id: ID!) { node(id: $id) { id ... on Document { number } } }
"""

DOCUMENT_CREATE = """
mutation DocumentCreate($input: DocumentCreateInput!) {
  documentCreate(input: $input) { document { id } userErrors { field message code } }
}
"""


def codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


# --- companies -----------------------------------------------------------------------------


async def test_rest_companies_lists_the_viewers_companies(api):
    # given
    tenant = await api.register(companyName="First Co")
    await api.register(companyName="Someone else's")
    # when
    r = await api.rest("GET", "/api/companies", tenant)
    # then
    assert r.status_code == 200, r.text
    assert [(c["id"], c["name"], c["role"], c["isDefault"]) for c in r.json()["data"]] == [
        (tenant.company_id, "First Co", "owner", True)
    ]


async def test_company_create_adds_a_company_the_viewer_owns(api):
    # given
    tenant = await api.register(companyName="First Co")
    # when
    payload = await api.mutate(
        "companyCreate",
        COMPANY_CREATE,
        {"name": "Second Co", "currency": "EUR", "country": "DE"},
        tenant,
    )
    # then
    company = payload["company"]
    assert (company["name"], company["baseCurrency"], company["country"]) == (
        "Second Co",
        "EUR",
        "DE",
    )
    listed = (await api.rest("GET", "/api/companies", tenant)).json()["data"]
    assert [(c["id"], c["role"], c["isDefault"]) for c in listed] == [
        (tenant.company_id, "owner", True),
        (company["objectId"], "owner", False),
    ]
    memberships = (await api.data(MEMBERSHIPS, tenant=tenant))["viewer"]["memberships"]
    assert [(m["company"]["objectId"], m["role"]) for m in memberships] == [
        (tenant.company_id, "OWNER"),
        (company["objectId"], "OWNER"),
    ]


async def test_company_create_refuses_bad_input_with_user_errors(api):
    # given
    tenant = await api.register()
    # when
    payload = (
        await api.data(COMPANY_CREATE, {"input": {"name": "X", "currency": "euro"}}, tenant)
    )["companyCreate"]
    # then
    assert payload["company"] is None
    assert [e["field"] for e in payload["userErrors"]] == [["input", "currency"]]


async def test_a_new_company_has_its_own_books(api):
    # given
    tenant = await api.register()
    await api.contact(tenant, name="In the first company")
    created = await api.mutate("companyCreate", COMPANY_CREATE, {"name": "Second Co"}, tenant)
    second_id = created["company"]["objectId"]
    # when
    r = await api.client.get("/api/contacts", headers=bearer(tenant.token, second_id))
    # then
    assert r.status_code == 200, r.text
    assert r.json()["pagination"]["total"] == 0


async def test_without_the_header_the_default_company_is_used(api):
    # given
    tenant = await api.register()
    await api.mutate("companyCreate", COMPANY_CREATE, {"name": "Second Co"}, tenant)
    # when
    r = await api.client.get("/api/auth/me", headers=bearer(tenant.token))
    # then
    assert r.json()["data"]["company"]["id"] == tenant.company_id


@pytest.mark.parametrize("form", ["object-id", "global-id"])
async def test_the_company_header_accepts_the_object_id_and_the_global_id(api, app, form):
    # given
    tenant = await api.register()
    created = await api.mutate("companyCreate", COMPANY_CREATE, {"name": "Second Co"}, tenant)
    company = created["company"]
    assert company["id"] == to_global_id("Company", company["objectId"])
    header = company["objectId"] if form == "object-id" else company["id"]
    headers = bearer(tenant.token, header)
    # when
    r = await api.client.post("/api/contacts", json={"name": "Second's customer"}, headers=headers)
    body = await api.gql(MEMBERSHIPS, headers=headers)
    # then
    assert r.status_code == 201, r.text
    assert body["data"]["viewer"]["company"]["objectId"] == company["objectId"]
    assert await count_rows(app, Contact, company["objectId"]) == 1


def _foreign_headers(kind: str, tenant, other) -> dict[str, str]:
    company = {
        "other-company": other.company_id,
        "other-company-global-id": to_global_id("Company", other.company_id),
        "nonexistent": new_id(),
        "nonexistent-global-id": to_global_id("Company", new_id()),
        "garbage": "not-a-company",
    }[kind]
    return bearer(tenant.token, company)


FOREIGN = [
    "other-company",
    "other-company-global-id",
    "nonexistent",
    "nonexistent-global-id",
    "garbage",
]


async def test_rest_refuses_a_company_the_viewer_does_not_belong_to_like_a_nonexistent_one(api):
    # given
    tenant = await api.register()
    other = await api.register()
    await api.contact(other, name="Other's secret customer")
    # when
    responses = {
        kind: await api.client.get("/api/contacts", headers=_foreign_headers(kind, tenant, other))
        for kind in FOREIGN
    }
    # then
    for kind, r in responses.items():
        assert r.status_code == 403, (kind, r.text)
        assert "data" not in r.json(), kind
        assert "secret" not in r.text
    bodies = {kind: r.json() for kind, r in responses.items()}
    assert all(body == bodies["nonexistent"] for body in bodies.values()), bodies


async def test_graphql_refuses_a_company_the_viewer_does_not_belong_to_like_a_nonexistent_one(api):
    # given
    tenant = await api.register()
    other = await api.register()
    await api.contact(other, name="Other's secret customer")
    # when
    bodies = {
        kind: await api.gql(CONTACTS, headers=_foreign_headers(kind, tenant, other))
        for kind in FOREIGN
    }
    # then
    for kind, body in bodies.items():
        assert body["data"] is None, kind
        assert codes(body) == ["FORBIDDEN"], kind
    messages = {kind: body["errors"][0]["message"] for kind, body in bodies.items()}
    assert len(set(messages.values())) == 1, messages


async def test_rest_and_graphql_give_the_same_message_for_a_foreign_company(api):
    # given
    tenant = await api.register()
    other = await api.register()
    headers = bearer(tenant.token, other.company_id)
    # when
    rest = await api.client.get("/api/contacts", headers=headers)
    graphql = await api.gql(CONTACTS, headers=headers)
    # then
    assert rest.json()["message"] == graphql["errors"][0]["message"]


async def test_a_foreign_company_header_cannot_write_there(api, app):
    # given
    tenant = await api.register()
    other = await api.register()
    before = await count_rows(app, Contact, other.company_id)
    headers = bearer(tenant.token, other.company_id)
    # when
    rest = await api.client.post("/api/contacts", json={"name": "Intruder"}, headers=headers)
    graphql = await api.gql(CONTACT_CREATE, {"input": {"name": "Intruder"}}, headers=headers)
    # then
    assert rest.status_code == 403
    assert codes(graphql) == ["FORBIDDEN"]
    assert await count_rows(app, Contact, other.company_id) == before


# --- roles ---------------------------------------------------------------------------------


async def test_a_viewer_role_member_can_read(api, app):
    # given
    owner = await api.register()
    contact = await api.contact(owner, name="Readable")
    viewer = await member_of(api, app, owner, "viewer")
    # when
    rest_list = await api.rest("GET", "/api/contacts", viewer)
    rest_one = await api.rest("GET", f"/api/contacts/{contact['id']}", viewer)
    graphql = await api.data(CONTACTS, tenant=viewer)
    role = (await api.data(MEMBERSHIPS, tenant=viewer))["viewer"]["role"]
    # then
    assert rest_list.status_code == 200 and rest_list.json()["pagination"]["total"] == 1
    assert rest_one.status_code == 200 and rest_one.json()["data"]["name"] == "Readable"
    assert graphql["contacts"]["totalCount"] == 1
    assert role == "VIEWER"


async def test_a_viewer_role_member_cannot_write_in_rest(api, app):
    # given
    owner = await api.register()
    contact = await api.contact(owner, name="Untouchable")
    viewer = await member_of(api, app, owner, "viewer")
    before = await count_rows(app, Contact, owner.company_id)
    # when
    created = await api.rest("POST", "/api/contacts", viewer, json={"name": "New"})
    updated = await api.rest(
        "PUT", f"/api/contacts/{contact['id']}", viewer, json={"name": "Changed"}
    )
    deleted = await api.rest("DELETE", f"/api/contacts/{contact['id']}", viewer)
    # then
    for r in (created, updated, deleted):
        assert r.status_code == 403, r.text
        assert "viewer" in r.json()["message"]
    assert await count_rows(app, Contact, owner.company_id) == before
    still = await api.rest("GET", f"/api/contacts/{contact['id']}", owner)
    assert still.json()["data"]["name"] == "Untouchable"


async def test_a_viewer_role_member_cannot_write_in_graphql(api, app):
    # given
    owner = await api.register()
    contact = await api.contact(owner, name="Untouchable")
    viewer = await member_of(api, app, owner, "viewer")
    before = await count_rows(app, Contact, owner.company_id)
    # when
    created = await api.gql(CONTACT_CREATE, {"input": {"name": "New"}}, viewer)
    updated = await api.gql(
        CONTACT_UPDATE, {"input": {"id": contact["id"], "name": "Changed"}}, viewer
    )
    deleted = await api.gql(CONTACT_DELETE, {"input": {"id": contact["id"]}}, viewer)
    # then
    for body in (created, updated, deleted):
        assert body["data"] is None
        assert codes(body) == ["FORBIDDEN"]
    assert await count_rows(app, Contact, owner.company_id) == before
    assert (await api.data(CONTACT, {"id": contact["id"]}, owner))["contact"][
        "name"
    ] == "Untouchable"


@pytest.mark.parametrize("role", ["staff", "accountant", "admin"])
async def test_writing_roles_can_write(api, app, role):
    # given
    owner = await api.register()
    member = await member_of(api, app, owner, role)
    # when
    r = await api.rest("POST", "/api/contacts", member, json={"name": f"By {role}"})
    # then
    assert r.status_code == 201, r.text
    assert await count_rows(app, Contact, owner.company_id) == 1


# --- modules -----------------------------------------------------------------------------


async def test_rest_modules_enabled_lists_the_modules_with_code_behind_them(api):
    # given a new company
    tenant = await api.register()
    # when
    r = await api.rest("GET", "/api/modules/enabled", tenant)
    # then only the modules this API implements are licensed to it by default
    assert r.status_code == 200, r.text
    assert set(r.json()["data"]) == {
        "invoicing",
        "accounting",
        "banking",
        "crm",
        "contracts",
        "helpdesk",
        "projects",
        "payroll",
        "inventory",
        "pos",
    }


async def test_rest_module_check_answers_for_a_known_alias(api):
    # given
    tenant = await api.register()
    # when
    r = await api.rest("GET", "/api/modules/check/banking", tenant)
    pos = (await api.rest("GET", "/api/modules/check/pos", tenant)).json()["data"]
    # then
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert (data["alias"], data["enabled"], data["accessible"], data["status"]) == (
        "banking",
        True,
        True,
        "active",
    )
    # and the point of sale, on by default now that it has code behind it
    assert (pos["alias"], pos["enabled"], pos["accessible"]) == ("pos", True, True)


async def test_rest_module_check_is_404_for_an_unknown_alias(api):
    # given
    tenant = await api.register()
    # when
    r = await api.rest("GET", "/api/modules/check/teleportation", tenant)
    # then
    assert r.status_code == 404
    assert r.json()["success"] is False
    assert "teleportation" in r.json()["message"]


async def test_rest_module_licenses_lists_every_module(api):
    # given
    tenant = await api.register()
    # when
    r = await api.rest("GET", "/api/modules/licenses", tenant)
    # then
    assert r.status_code == 200, r.text
    rows = {m["alias"]: m for m in r.json()["data"]}
    assert set(rows) == set(MODULES)
    on = {alias for alias, m in rows.items() if m["status"] == "active" and m["accessible"]}
    assert on == {
        "invoicing",
        "accounting",
        "banking",
        "crm",
        "contracts",
        "helpdesk",
        "projects",
        "payroll",
        "inventory",
        "pos",
    }
    assert rows["payroll"]["name"] == "Payroll"


async def test_module_endpoints_need_authentication(client):
    # when
    r = await client.get("/api/modules/enabled")
    # then
    assert r.status_code == 401


async def test_owner_can_turn_a_module_off_and_on(api):
    # given
    tenant = await api.register()
    # when
    off = await api.mutate("moduleSet", MODULE_SET, {"alias": "crm", "enabled": False}, tenant)
    enabled_after_off = (await api.rest("GET", "/api/modules/enabled", tenant)).json()["data"]
    check = (await api.rest("GET", "/api/modules/check/crm", tenant)).json()["data"]
    on = await api.mutate("moduleSet", MODULE_SET, {"alias": "crm", "enabled": True}, tenant)
    # then
    assert off["module"] == {
        "alias": "crm",
        "enabled": False,
        "status": "disabled",
        "accessible": False,
        "expiresAt": None,
    }
    assert "crm" not in enabled_after_off
    assert (check["enabled"], check["accessible"], check["status"]) == (False, False, "disabled")
    assert on["module"]["accessible"] is True
    assert "crm" in (await api.data(MODULES_QUERY, tenant=tenant))["viewer"]["enabledModules"]


async def test_module_set_refuses_an_unknown_alias(api):
    # given
    tenant = await api.register()
    # when
    payload = (await api.data(MODULE_SET, {"input": {"alias": "warp", "enabled": True}}, tenant))[
        "moduleSet"
    ]
    # then
    assert payload["module"] is None
    assert [e["field"] for e in payload["userErrors"]] == [["input", "alias"]]


async def test_a_viewer_role_member_cannot_set_modules(api, app):
    # given
    owner = await api.register()
    viewer = await member_of(api, app, owner, "viewer")
    # when
    body = await api.gql(MODULE_SET, {"input": {"alias": "invoicing", "enabled": False}}, viewer)
    # then
    assert body["data"] is None
    assert codes(body) == ["FORBIDDEN"]
    assert "invoicing" in (await api.rest("GET", "/api/modules/enabled", owner)).json()["data"]


async def test_module_settings_belong_to_one_company(api):
    # given
    tenant = await api.register()
    other = await api.register()
    # when
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": False}, tenant)
    # then
    assert "invoicing" in (await api.rest("GET", "/api/modules/enabled", other)).json()["data"]
    assert codes(await api.gql(DOCUMENTS, tenant=other)) == []


async def _document_for(api, tenant) -> tuple[dict, dict]:
    contact = await api.contact(tenant, name="Billed")
    contact_gid = to_global_id("Contact", contact["id"])
    document = await api.document(tenant, contact_gid)
    return contact, document


async def _assert_invoicing_is_forbidden(api, tenant, contact: dict, document: dict) -> None:
    documents = await api.gql(DOCUMENTS, tenant=tenant)
    nested = await api.gql(CONTACT_DOCUMENTS, {"id": contact["id"]}, tenant)
    node = await api.gql(NODE, {"id": document["id"]}, tenant)
    create = await api.gql(
        DOCUMENT_CREATE,
        {
            "input": {
                "kind": "INVOICE",
                "contactId": contact["id"],
                "lines": [{"name": "x", "quantity": "1", "unitPrice": "1"}],
            }
        },
        tenant,
    )
    for body in (documents, nested, node, create):
        assert codes(body) == ["FORBIDDEN"], body
        assert "invoicing" in body["errors"][0]["message"]
    assert documents["data"] is None
    assert nested["data"]["contact"] is None or nested["data"]["contact"].get("documents") is None
    assert node["data"]["node"] is None


async def test_turning_invoicing_off_forbids_documents_everywhere_in_graphql(api):
    # given
    tenant = await api.register()
    contact, document = await _document_for(api, tenant)
    # when
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": False}, tenant)
    # then
    await _assert_invoicing_is_forbidden(api, tenant, contact, document)


async def test_turning_invoicing_off_forbids_rest_documents(api):
    # given
    tenant = await api.register()
    await _document_for(api, tenant)
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": False}, tenant)
    # when
    r = await api.rest("GET", "/api/documents", tenant)
    # then
    assert r.status_code == 403, r.text
    assert "invoicing" in r.json()["message"]


async def test_turning_invoicing_back_on_restores_documents(api):
    # given
    tenant = await api.register()
    await _document_for(api, tenant)
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": False}, tenant)
    # when
    await api.mutate("moduleSet", MODULE_SET, {"alias": "invoicing", "enabled": True}, tenant)
    # then
    assert (await api.data(DOCUMENTS, tenant=tenant))["documents"]["totalCount"] == 1


async def test_an_expired_license_behaves_like_a_disabled_module(api):
    # given
    tenant = await api.register()
    contact, document = await _document_for(api, tenant)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    # when
    payload = await api.mutate(
        "moduleSet",
        MODULE_SET,
        {"alias": "invoicing", "enabled": True, "expiresAt": yesterday},
        tenant,
    )
    # then
    assert (payload["module"]["status"], payload["module"]["accessible"]) == ("expired", False)
    assert "invoicing" not in (await api.rest("GET", "/api/modules/enabled", tenant)).json()["data"]
    check = (await api.rest("GET", "/api/modules/check/invoicing", tenant)).json()["data"]
    assert (check["accessible"], check["status"]) == (False, "expired")
    await _assert_invoicing_is_forbidden(api, tenant, contact, document)


async def test_a_license_expiring_in_the_future_is_active(api):
    # given
    tenant = await api.register()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    # when
    payload = await api.mutate(
        "moduleSet",
        MODULE_SET,
        {"alias": "invoicing", "enabled": True, "expiresAt": tomorrow},
        tenant,
    )
    # then
    assert (payload["module"]["status"], payload["module"]["accessible"]) == ("active", True)
    assert (await api.data(DOCUMENTS, tenant=tenant))["documents"]["totalCount"] == 0
