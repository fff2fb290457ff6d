"""GraphQL over HTTP: methods, media types and status codes, query limits, error
masking, request ids and the health check."""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from gql.app import create_app
from gql.domains.contacts.models import Contact
from gql.models import metadata
from gql.settings import Settings
from tests.conftest import TEST_SECRET
from tests.factories import Api, count_rows

TYPENAME = "query Typename { __typename }"

VIEWER_EMAIL = "query ViewerEmail { viewer { user { email } } }"

CONTACTS = "query Contacts { contacts(first: 5) { totalCount } }"

CONTACT_CREATE = """
mutation ContactCreate { contactCreate(input: {name: "Via GET"}) { contact { objectId } } }
"""

INVALID = "query Invalid { noSuchField }"

SYNTAX_ERROR = "query Broken { __typename "

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _deep_query(levels: int) -> str:
    """contact -> documents -> nodes -> contact -> ... `levels` times, 3 deep each."""
    inner = "name"
    for _ in range(levels):
        inner = f"documents {{ nodes {{ contact {{ {inner} }} }} }}"
    return f'query Deep {{ contact(id: "x") {{ {inner} }} }}'


def _aliases(n: int) -> str:
    return "query Aliases { " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"


def _tokens(n: int) -> str:
    return "query Tokens { " + " ".join("__typename" for _ in range(n)) + " }"


async def post(
    client: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers=headers or {})


# --- methods and media types ---------------------------------------------------------------------


async def test_post_with_application_json(client, api):
    # given
    tenant = await api.register()
    # when
    r = await post(client, VIEWER_EMAIL, tenant.headers)
    # then
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["data"] == {"viewer": {"user": {"email": tenant.email}}}


async def test_get_with_a_query_string_runs_queries(client, api):
    # given
    tenant = await api.register()
    await api.contact(tenant)
    # when
    r = await client.get("/graphql", params={"query": CONTACTS}, headers=tenant.headers)
    # then
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"contacts": {"totalCount": 1}}


async def test_get_passes_variables_as_json(client, api):
    # given
    tenant = await api.register()
    contact = await api.contact(tenant, name="By GET")
    query = "query One($id: ID!) { contact(id: $id) { name } }"
    # when
    r = await client.get(
        "/graphql",
        params={"query": query, "variables": json.dumps({"id": contact["id"]})},
        headers=tenant.headers,
    )
    # then
    assert r.json()["data"] == {"contact": {"name": "By GET"}}


async def test_get_refuses_a_mutation_with_405_and_writes_nothing(client, api, app):
    # given
    tenant = await api.register()
    # when
    r = await client.get("/graphql", params={"query": CONTACT_CREATE}, headers=tenant.headers)
    # then
    assert r.status_code == 405, r.text
    assert "POST" in r.headers.get("allow", "")
    assert "mutation" in r.json()["errors"][0]["message"]
    assert await count_rows(app, Contact, tenant.company_id) == 0


async def test_graphql_response_media_type_for_a_good_query(client):
    # when
    r = await post(client, TYPENAME, {"accept": GRAPHQL_RESPONSE})
    # then
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert r.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("query", [SYNTAX_ERROR, INVALID], ids=["syntax", "validation"])
async def test_graphql_response_media_type_makes_request_errors_400(client, query):
    # when
    r = await post(client, query, {"accept": GRAPHQL_RESPONSE})
    # then
    assert r.status_code == 400
    assert r.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert r.json()["errors"]


async def test_graphql_response_media_type_keeps_200_for_field_errors(client):
    # given: the operation ran; only a field failed (no token)
    # when
    r = await post(client, VIEWER_EMAIL, {"accept": GRAPHQL_RESPONSE})
    # then
    assert r.status_code == 200
    assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("accept", ["application/json", None])
async def test_application_json_keeps_200_for_a_validation_error(client, accept):
    # when
    r = await post(client, INVALID, {"accept": accept} if accept else None)
    # then
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert "noSuchField" in r.json()["errors"][0]["message"]


async def test_the_preferred_media_type_wins(client):
    # when
    r = await post(client, INVALID, {"accept": f"application/json;q=0.5, {GRAPHQL_RESPONSE}"})
    # then
    assert r.status_code == 400
    assert r.headers["content-type"].startswith(GRAPHQL_RESPONSE)


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2", b'{"query": '])
async def test_a_malformed_json_body_is_400_with_a_json_error(client, body):
    # when
    r = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    # then
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["errors"][0]["message"]


async def test_a_post_without_a_query_is_400(client):
    # when
    r = await client.post("/graphql", json={"variables": {}})
    # then
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"]


async def test_graphiql_is_served_to_a_browser(client):
    # when
    r = await client.get("/graphql", headers={"accept": "text/html"})
    # then
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "graphiql" in r.text.lower()


@pytest.mark.parametrize("name", ["Plain Ltd", "Zoë Ünal \u2028 ☃", "Tab\there\x7f"])
async def test_answers_are_encoded_as_json_dumps_would(client, api, name):
    # given: a payload answered by the resolver path (mutations always are)
    tenant = await api.register()
    query = """mutation($name: String!) { contactCreate(input: {name: $name}) {
      contact { name } userErrors { field } } }"""
    # when
    r = await client.post(
        "/graphql", json={"query": query, "variables": {"name": name}}, headers=tenant.headers
    )
    # then: byte for byte what json.dumps writes (ASCII, non-ASCII escaped as \uXXXX)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["contactCreate"]["contact"] == {"name": name}
    assert r.content == json.dumps(r.json(), separators=(",", ":")).encode()


# --- query limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "needle"),
    [(_deep_query(5), "depth"), (_aliases(31), "aliases"), (_tokens(5001), "tokens")],
    ids=["depth", "aliases", "tokens"],
)
async def test_query_limits_refuse_oversized_queries(client, api, query, needle):
    # given
    tenant = await api.register()
    # when
    r = await post(client, query, {**tenant.headers, "accept": GRAPHQL_RESPONSE})
    # then
    assert r.status_code == 400, r.text
    body = r.json()
    assert body.get("data") is None
    assert needle in body["errors"][0]["message"].lower()


@pytest.mark.parametrize(
    "query", [_deep_query(3), _aliases(30), _tokens(50)], ids=["depth", "aliases", "tokens"]
)
async def test_queries_within_the_limits_run(client, api, query):
    # given
    tenant = await api.register()
    contact = await api.contact(tenant)
    query = query.replace('"x"', json.dumps(contact["id"]))
    # when
    r = await post(client, query, tenant.headers)
    # then
    assert r.status_code == 200
    assert "errors" not in r.json(), r.json()


# --- unexpected errors -------------------------------------------------------------------------


@pytest.fixture
async def broken_client() -> AsyncIterator[tuple[httpx.AsyncClient, Api]]:
    """An app over its own SQLite database whose `contact` table has gone missing: a
    genuine server fault, with nothing added to the product."""
    folder = Path(tempfile.mkdtemp(prefix="ledgergraph-broken-"))
    url = f"sqlite+aiosqlite:///{folder / 'broken.db'}"
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    settings = Settings(database_url=url, jwt_secret=TEST_SECRET, log_level="critical")
    application = create_app(settings)
    async with LifespanManager(application) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.database_url = url  # type: ignore[attr-defined]
            yield client, Api(client)
    await engine.dispose()


async def _break(client: httpx.AsyncClient) -> None:
    engine = create_async_engine(client.database_url)  # type: ignore[attr-defined]
    async with engine.begin() as conn:
        await conn.execute(text("PRAGMA foreign_keys=OFF"))
        await conn.execute(text("DROP TABLE contact"))
    await engine.dispose()


async def test_an_unexpected_error_is_masked_with_the_request_id(broken_client):
    # given
    client, api = broken_client
    tenant = await api.register()
    await _break(client)
    # when
    r = await post(client, CONTACTS, {**tenant.headers, "x-request-id": "req-broken-1"})
    # then
    assert r.status_code == 200
    error = r.json()["errors"][0]
    assert error["message"] == "Unexpected error (request id req-broken-1)"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "contact" not in json.dumps(error["extensions"]).lower()
    assert "sql" not in r.text.lower()


async def test_an_unexpected_rest_error_is_a_masked_json_500(broken_client):
    # given
    client, api = broken_client
    tenant = await api.register()
    await _break(client)
    # when
    r = await client.get(
        "/api/contacts", headers={**tenant.headers, "x-request-id": "req-broken-2"}
    )
    # then
    assert r.status_code == 500
    assert r.json() == {
        "success": False,
        "message": "Unexpected error (request id req-broken-2)",
        "code": "INTERNAL_ERROR",
    }
    assert r.headers["x-request-id"] == "req-broken-2"


# --- request ids and health --------------------------------------------------------------------


async def test_the_request_id_is_echoed(client):
    # when
    graphql = await post(client, TYPENAME, {"x-request-id": "abc-123"})
    rest = await client.get("/api/contacts", headers={"x-request-id": "def-456"})
    # then
    assert graphql.headers["x-request-id"] == "abc-123"
    assert rest.headers["x-request-id"] == "def-456"


async def test_a_request_id_is_made_when_none_is_sent(client):
    # when
    first = await post(client, TYPENAME)
    second = await post(client, TYPENAME)
    # then
    assert first.headers["x-request-id"]
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_healthz_reports_the_database(client):
    # when
    r = await client.get("/healthz")
    # then
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


async def test_an_unknown_rest_path_is_a_json_404(client):
    # when
    r = await client.get("/api/nothing-here")
    # then
    assert r.status_code == 404
    assert r.json()["success"] is False


@pytest.mark.parametrize(
    "sent",
    [b"\xff\xfe", b"has spaces and <script>", b"x" * 200],
    ids=["not-utf8", "odd-characters", "too-long"],
)
async def test_an_unusable_request_id_is_replaced(client, sent):
    # when
    r = await client.post("/graphql", json={"query": TYPENAME}, headers={"x-request-id": sent})
    # then
    assert r.status_code == 200
    echoed = r.headers["x-request-id"]
    assert echoed and echoed.encode() != sent
    assert echoed.isalnum()


TWO_OPERATIONS = "query First { viewer { user { email } } } query Second { __typename }"


async def test_several_operations_need_an_operation_name(client, api):
    # given a document with two operations
    tenant = await api.register()
    headers = {**tenant.headers, "accept": GRAPHQL_RESPONSE}
    # when it is sent without saying which to run
    r = await post(client, TWO_OPERATIONS, headers)
    # then it is a request error, on either read path
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        "Must provide operation name if query contains multiple operations."
    )
    # and with a name, that operation runs
    named = await client.post(
        "/graphql", json={"query": TWO_OPERATIONS, "operationName": "Second"}, headers=headers
    )
    assert named.status_code == 200 and named.json()["data"] == {"__typename": "Query"}


async def test_a_request_error_has_no_data_entry_under_graphql_response_json(client):
    r = await post(client, "{ notAField }", {"accept": GRAPHQL_RESPONSE})
    assert r.status_code == 400
    assert "data" not in r.json() and r.json()["errors"]
