"""The OpenAPI documents' response schemas are the answers' real shapes: real answers
of both dialects (a row, a list, and each error status) validate against the schema
their operation documents for that status (gql/rest/openapi.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from jsonschema import Draft202012Validator

from gql.app import create_app
from gql.settings import Settings
from tests.factories import Api, Tenant, member_of
from tests.test_forbix_customers import create as create_customer
from tests.test_forbix_customers import example as customer_example

MISSING = "000000000000000000000000"
_DOCUMENTS: dict[str, Any] = {}


async def documented(api: Api, prefix: str, path: str, method: str, status: int) -> Any:
    """A validator of the answer `method path` documents for `status`."""
    if prefix not in _DOCUMENTS:  # the same routes in every app: fetched once
        _DOCUMENTS[prefix] = (await api.client.get(f"{prefix}/openapi.json")).json()
    document = _DOCUMENTS[prefix]
    responses = document["paths"][path][method.lower()]["responses"]
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": document["components"]})


async def check(
    api: Api, prefix: str, path: str, response: httpx.Response, method: str | None = None
) -> None:
    """`response` is one that its operation (by its documented `path`) documents."""
    method = method or response.request.method
    validator = await documented(api, prefix, path, method, response.status_code)
    errors = [e.message for e in validator.iter_errors(response.json())]
    assert not errors, (response.status_code, response.json(), errors)


async def test_numbors_rows_lists_and_errors_answer_their_documented_shapes(
    api: Api, app: Any
) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    one = f"/api/contacts/{contact['id']}"
    got = await api.rest("GET", one, owner)
    await check(api, "/api", "/contacts/{id}", got)
    validator = await documented(api, "/api", "/contacts/{id}", "GET", 200)
    assert not validator.is_valid({"success": True, "data": {"id": "x"}})  # no version
    await check(api, "/api", "/contacts", await api.rest("GET", "/api/contacts", owner))

    statuses = []
    for path, response in [
        ("/contacts", await api.rest("POST", "/api/contacts", owner, json={})),  # 400
        ("/contacts", await api.client.get("/api/contacts")),  # 401
        ("/contacts/{id}", await api.rest("GET", f"/api/contacts/{MISSING}", owner)),  # 404
        (
            "/contacts/{id}",
            await api.rest("PUT", one, owner, json={"name": "B"}, headers={"If-Match": '"9"'}),
        ),  # 409
        *await _reused_key(api, owner, "/api/contacts", "/contacts", {"name": "K"}),  # 422
    ]:
        statuses.append(response.status_code)
        await check(api, "/api", path, response)
    viewer = await member_of(api, app, owner, "viewer")
    forbidden = await api.rest("POST", "/api/contacts", viewer, json={"name": "No"})
    await check(api, "/api", "/contacts", forbidden)
    assert [*statuses, forbidden.status_code] == [400, 401, 404, 409, 201, 422, 403]


async def _reused_key(
    api: Api, tenant: Tenant, url: str, path: str, body: dict[str, Any]
) -> list[tuple[str, httpx.Response]]:
    """A write under an Idempotency-Key, then the same key with another body (422)."""
    key = {"Idempotency-Key": f"reused-{tenant.company_id}"}
    first = await api.rest("POST", url, tenant, json=body, headers=key)
    again = await api.rest("POST", url, tenant, json={**body, "email": "x@y.example"}, headers=key)
    return [(path, first), (path, again)]


async def test_forbix_rows_writes_and_errors_answer_their_documented_shapes(api: Api) -> None:
    owner = await api.register()
    customer_id = await create_customer(api, owner, customer_example())
    one = f"/openapi/customers/{customer_id}"
    await check(api, "/openapi", "/customers/{customerId}", await api.rest("GET", one, owner))
    await check(api, "/openapi", "/customers", await api.rest("GET", "/openapi/customers", owner))
    saved = await api.rest("PUT", one, owner, json={"customerDisplayName": "B"})
    await check(api, "/openapi", "/customers/{customerId}", saved)
    stale = await api.rest("PUT", one, owner, json={}, headers={"If-Match": '"1"'})
    missing = await api.rest("GET", f"/openapi/customers/{MISSING}", owner)
    for response in (stale, missing):
        await check(api, "/openapi", "/customers/{customerId}", response)
    assert (saved.status_code, stale.status_code, missing.status_code) == (200, 409, 404)


@pytest.fixture(scope="module")
async def tiny_bucket(settings: Settings, schema_ready: None) -> AsyncIterator[Api]:
    """An app whose buckets hold one write and refill slowly."""
    app = create_app(
        settings.model_copy(
            update={
                "throttle_enabled": True,
                "throttle_bucket_size": 12,
                "throttle_restore_rate": 1,
            }
        )
    )
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client)


@pytest.mark.parametrize(("prefix", "path"), [("/api", "/contacts"), ("/openapi", "/customers")])
async def test_a_throttled_answer_is_the_documented_429(
    tiny_bucket: Api, prefix: str, path: str
) -> None:
    api = tiny_bucket
    owner = await api.register()
    answers = [(await api.rest("GET", f"{prefix}{path}", owner)) for _ in range(20)]
    throttled = next(r for r in answers if r.status_code == 429)
    await check(api, prefix, path, throttled)
