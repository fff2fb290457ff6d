"""The API docs: each REST dialect's OpenAPI document is valid OpenAPI 3.1, documents
exactly the routes the app serves (both directions), says what a request takes and
answers; its Swagger UI page loads only what the app itself serves; and the faults the
property-based test (tests/test_openapi_schemathesis.py) found stay fixed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import validate
from starlette.routing import Mount, Route

from gql.rest.docs import SCRIPTS, STYLES
from gql.rest.openapi import UNDOCUMENTED

DIALECTS = ["/api", "/openapi"]
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def served_operations(app, prefix: str) -> set[tuple[str, str]]:
    """(method, path) of every REST route under the dialect's mount, but its catch-all
    404 and the docs themselves."""
    [mount] = [r for r in app.routes if isinstance(r, Mount) and r.path == prefix]
    out = set()
    for route in mount.routes:
        assert isinstance(route, Route)
        if route.path in ("/{path:path}", "/openapi.json", "/docs"):
            continue
        out |= {(m, route.path) for m in route.methods & METHODS}
    return out


async def openapi_document(client, prefix: str) -> dict:
    r = await client.get(f"{prefix}/openapi.json")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    return r.json()


@pytest.mark.parametrize("prefix", DIALECTS)
async def test_the_document_is_valid_openapi_3_1(client, prefix):
    # when
    document = await openapi_document(client, prefix)
    # then
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": prefix}]
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema


@pytest.mark.parametrize("prefix", DIALECTS)
async def test_every_routed_path_is_documented_and_nothing_else(app, client, prefix):
    # given
    served = served_operations(app, prefix)
    # when
    document = await openapi_document(client, prefix)
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    # then: both directions
    assert served - documented == set(), "routed but not documented"
    assert documented - served == set(), "documented but not routed"
    assert len(served) > 15


async def test_an_operation_says_its_parameters_body_answer_errors_and_security(client):
    # when
    document = await openapi_document(client, "/api")
    contacts = document["paths"]["/contacts"]
    schemas = document["components"]["schemas"]
    # then: a list takes page, limit and its filters, and answers the Numbors envelope
    listing = contacts["get"]
    names = [p["name"] for p in listing["parameters"]]
    assert names == ["page", "limit", "type", "enabled", "search"]
    assert listing["parameters"][2]["schema"]["enum"] == ["customer", "supplier", "both"]
    envelope = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert envelope["required"] == ["success", "data", "pagination"]
    assert envelope["properties"]["data"]["items"] == {"$ref": "#/components/schemas/Contact"}
    assert {"name", "email", "billingAddress", "id"} <= set(schemas["Contact"]["properties"])
    assert "companyId" not in schemas["Contact"]["properties"]  # the tenant is the header
    # a create takes the same model the service validates with (camelCase, required name)
    create = contacts["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schemas[body_ref.rsplit("/", 1)[1]]
    assert "name" in body["required"]
    assert {"name", "type", "taxNumber", "billingAddress"} <= set(body["properties"])
    assert body["additionalProperties"] is False  # InputModel forbids unknown fields
    assert set(create["responses"]) == {"201", "400", "401", "403", "404", "409", "422", "429"}
    error = create["responses"]["400"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert schemas["Error"]["required"] == ["success", "message", "code"]
    # each other error status names the one code it answers with
    conflict = create["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/Error409"}
    assert schemas["Error409"]["properties"]["code"] == {"const": "CONFLICT"}
    assert "retryAfterSeconds" in schemas["Error429"]["required"]
    # a row requires its id and version; a GET answers no 422 (only writes take a key)
    assert schemas["Contact"]["required"] == ["id", "version"]
    assert "422" not in listing["responses"]
    # a write takes an Idempotency-Key, and If-Match when it names one row; a row's GET
    # answers its ETag
    assert [p["name"] for p in create["parameters"]] == ["Idempotency-Key"]
    put = document["paths"]["/contacts/{id}"]["put"]
    assert [p["name"] for p in put["parameters"] if p["in"] == "header"] == [
        "Idempotency-Key",
        "If-Match",
    ]
    got = document["paths"]["/contacts/{id}"]["get"]["responses"]["200"]
    assert set(got["headers"]) == {"ETag"}
    # an update's fields are all optional; security is the bearer JWT and X-Company-Id
    update = document["paths"]["/contacts/{id}"]["put"]
    update_ref = update["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "required" not in schemas[update_ref.rsplit("/", 1)[1]]
    assert update["security"] == [{"bearer": [], "companyId": []}, {"bearer": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["companyId"]["in"] == "header"
    assert schemes["companyId"]["name"] == "X-Company-Id"
    # a public path needs no token; a module's path says which module
    assert document["paths"]["/auth/login"]["post"]["security"] == []
    assert "`crm` module" in document["paths"]["/crm/deals"]["get"]["description"]


async def test_forbix_names_fields_as_forbix_does(client):
    # when
    document = await openapi_document(client, "/openapi")
    customers = document["paths"]["/customers"]
    schemas = document["components"]["schemas"]
    # then: the body under Forbix's names (customerDisplayName is our name)
    ref = customers["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schemas[ref.rsplit("/", 1)[1]]
    assert "customerDisplayName" in body["properties"]
    assert "name" not in body["properties"]
    # lists page from 0 with pageSize, answer totalCount and totalPages, ids are _id
    listing = customers["get"]
    assert [p["name"] for p in listing["parameters"][:4]] == ["page", "pageSize", "sortBy", "order"]
    envelope = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert envelope["required"] == ["success", "data", "totalCount", "totalPages"]
    row = envelope["properties"]["data"]["items"]["$ref"].rsplit("/", 1)[1]
    assert "_id" in schemas[row]["properties"]
    assert schemas[row]["properties"]["createdAt"] == {"type": "integer"}  # epoch ms


async def test_paths_numbors_does_not_document_are_marked(client):
    # when
    document = await openapi_document(client, "/api")
    # then
    marked = {
        (method, path)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if op.get(UNDOCUMENTED)
    }
    assert marked == {
        ("post", "/banking/feeds/import"),
        ("get", "/audit"),
        *((m, "/webhooks") for m in ("get", "post")),
        *((m, "/webhooks/{id}") for m in ("get", "put", "delete")),
    }
    op = document["paths"]["/banking/feeds/import"]["post"]
    assert "Not in the Numbors document" in op["description"]


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append((tag, value))


@pytest.mark.parametrize("prefix", DIALECTS)
async def test_the_docs_page_loads_only_what_the_app_serves(client, prefix):
    # when
    r = await client.get(f"{prefix}/docs")
    # then
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert not re.search(r"https?://", r.text), "no absolute URL anywhere in the page"
    assert f'"url": "{prefix}/openapi.json"' in r.text
    assert "validatorUrl: null" in r.text  # Swagger UI would ask validator.swagger.io
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    page = Page()
    page.feed(r.text)
    assets = [url for tag, url in page.urls if url != "data:,"]
    assert {urlsplit(u).path for u in assets} == {f"/static/{n}" for n in (*SCRIPTS, *STYLES)}
    for url in assets:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        kind = "text/css" if urlsplit(url).path.endswith(".css") else "text/javascript"
        assert asset.headers["content-type"] == f"{kind}; charset=utf-8"
        assert len(asset.content) > 10_000, url
        if kind == "text/css":  # fonts and images inline, nothing imported
            assert "@import" not in asset.text


async def test_a_decimal_in_a_free_form_json_field_is_kept_not_a_500(api):
    # given: numbers in a body are exact decimals, also inside free-form JSON
    owner = await api.register()
    body = b'{"name": "Massage", "appointmentPlans": [{"minutes": 45, "price": 1.50}]}'
    # when
    r = await api.rest(
        "POST", "/api/items", owner, content=body, headers={"content-type": "application/json"}
    )
    # then
    assert r.status_code == 201, r.text
    assert r.json()["data"]["appointmentPlans"] == [{"minutes": 45, "price": 1.5}]


async def test_a_pay_run_period_outside_the_sane_years_is_a_400(api):
    # given
    owner = await api.register()
    # when
    r = await api.rest(
        "POST", "/api/payroll/pay-runs", owner, json={"payDate": "2026-01-31", "period": "0000-01"}
    )
    # then
    assert r.status_code == 400, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["period"]
