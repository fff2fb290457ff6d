"""Persisted operations at /graphql (gql/persisted_http.py), the registry
(gql/persisted.py), `persistedDocumentsAdd` and `ledgergraph documents add`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gql.app import create_app
from gql.cli import main
from gql.persisted import document_id, sha256_of
from gql.settings import Settings
from tests.conftest import APP_DATABASE_URL, StatementCounter
from tests.factories import Api, Tenant, member_of

CONTACTS = "query Contacts { contacts(first: 5) { totalCount nodes { name email } } }"
ADD = """mutation($input: PersistedDocumentsAddInput!) { persistedDocumentsAdd(input: $input) {
  documentIds userErrors { field message code } } }"""
CREATE = 'mutation { contactCreate(input: {name: "By GET"}) { contact { id } } }'


def apq(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(text)}}


def error_code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]  # type: ignore[no-any-return]


async def register(api: Api, tenant: Tenant, *documents: str) -> list[str]:
    payload = await api.mutate("persistedDocumentsAdd", ADD, {"documents": list(documents)}, tenant)
    return payload["documentIds"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
async def owner(api: Api) -> Tenant:
    tenant = await api.register()
    await api.contact(tenant, name="Persisted Ltd", email="p@example.com")
    return tenant


@pytest.fixture(scope="module")
async def contacts_id(api: Api, owner: Tenant) -> str:
    # Test settings are env "development": a company owner is a deployment admin there.
    (registered,) = await register(api, owner, CONTACTS)
    return registered


async def test_document_id_over_post_and_get_answers_as_the_text_does(
    api: Api, client: httpx.AsyncClient, owner: Tenant, contacts_id: str
) -> None:
    # given the document registered, and its answer as free text
    expected = await api.gql(CONTACTS, tenant=owner)
    assert contacts_id == document_id(CONTACTS)
    assert expected["data"]["contacts"]["nodes"][0]["name"] == "Persisted Ltd"
    # when it is asked for by id (prefixed and bare), over POST and GET
    bare = contacts_id.removeprefix("sha256:")
    posts = [
        await client.post("/graphql", json={"documentId": d}, headers=owner.headers)
        for d in (contacts_id, bare)
    ]
    got = await client.get("/graphql", params={"documentId": contacts_id}, headers=owner.headers)
    # then every answer is the same, and the GET one may only be cached privately
    assert [r.json() for r in (*posts, got)] == [expected] * 3
    assert got.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in got.headers["vary"]


async def test_an_anonymous_answer_over_get_may_be_cached_by_anyone(
    api: Api, client: httpx.AsyncClient, owner: Tenant, sql_counter: StatementCounter
) -> None:
    (typename,) = await register(api, owner, "{ __typename }")
    first = await client.get("/graphql", params={"documentId": typename})
    assert "errors" not in first.json() and first.json()["data"] == {"__typename": "Query"}
    assert first.headers["cache-control"] == "public, max-age=60"
    # and the registry is asked once: the hit is remembered in-process
    sql_counter.reset()
    again = await client.get("/graphql", params={"documentId": typename})
    assert again.json() == first.json()
    assert not [s for s in sql_counter.statements if "persisted_document" in s]


async def test_compiled_and_resolver_paths_answer_a_persisted_document_alike(
    client: httpx.AsyncClient,
    resolver_client: httpx.AsyncClient,
    owner: Tenant,
    contacts_id: str,
) -> None:
    body = {"documentId": contacts_id, "operationName": "Contacts"}
    compiled = await client.post("/graphql", json=body, headers=owner.headers)
    resolved = await resolver_client.post("/graphql", json=body, headers=owner.headers)
    assert compiled.status_code == resolved.status_code == 200
    assert compiled.json()["data"] == resolved.json()["data"]
    assert compiled.json()["data"]["contacts"]["totalCount"] == 1
    # (in development the compiled path says it answered)
    assert compiled.json()["extensions"]["executors"] == {"contacts": "compiled"}


async def test_apq_not_found_then_registered_then_hit_over_get(
    api: Api, client: httpx.AsyncClient, owner: Tenant
) -> None:
    text = "query { contacts(first: 1) { totalCount } }  # apq"
    extensions = json.dumps(apq(text))
    # when an unknown hash comes without its text: Apollo's "not found", with HTTP 200
    first = await client.get("/graphql", params={"extensions": extensions}, headers=owner.headers)
    assert first.status_code == 200
    assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert error_code(first.json()) == "PERSISTED_QUERY_NOT_FOUND"
    # then the client sends the text with the hash: answered, and registered
    second = await client.post(
        "/graphql", json={"query": text, "extensions": apq(text)}, headers=owner.headers
    )
    assert second.json()["data"] == {"contacts": {"totalCount": 1}}
    # and the hash alone now works, over GET with variables as JSON
    third = await client.get(
        "/graphql", params={"extensions": extensions, "variables": "{}"}, headers=owner.headers
    )
    assert third.json()["data"] == second.json()["data"]


async def test_a_text_that_is_not_its_hash_is_refused(
    client: httpx.AsyncClient, owner: Tenant
) -> None:
    body = {"query": "{ contacts { totalCount } }", "extensions": apq("{ viewer { role } }")}
    r = await client.post("/graphql", json=body, headers=owner.headers)
    assert r.status_code == 400
    assert error_code(r.json()) == "PERSISTED_QUERY_HASH_MISMATCH"
    bad = await client.post("/graphql", json={"documentId": "sha256:xyz"}, headers=owner.headers)
    assert (bad.status_code, error_code(bad.json())) == (400, "BAD_REQUEST")


async def test_a_persisted_mutation_is_refused_over_get(
    api: Api, client: httpx.AsyncClient
) -> None:
    owner = await api.register()
    (created,) = await register(api, owner, CREATE)
    r = await client.get("/graphql", params={"documentId": created}, headers=owner.headers)
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    names = await api.data('{ contacts(filter: {search: "By GET"}) { totalCount } }', tenant=owner)
    assert names["contacts"]["totalCount"] == 0
    # (over POST it runs)
    posted = await client.post("/graphql", json={"documentId": created}, headers=owner.headers)
    assert posted.json()["data"]["contactCreate"]["contact"]["id"]


async def test_only_deployment_admins_register_documents(api: Api, app: Any, owner: Tenant) -> None:
    # given an accountant of the company (not its owner) and an anonymous client
    accountant = await member_of(api, app, owner, "accountant")
    variables = {"input": {"documents": ["{ viewer { role } }"]}}
    refused = await api.gql(ADD, variables, accountant)
    anonymous = await api.gql(ADD, variables)
    assert error_code(refused) == "FORBIDDEN"
    assert error_code(anonymous) == "UNAUTHENTICATED"
    # and bad documents are named by their index
    bad = await api.data(ADD, {"input": {"documents": ["{ ok }", "{ oops"]}}, owner)
    assert bad["persistedDocumentsAdd"]["userErrors"][0]["field"] == ["input", "documents", "1"]


async def test_cli_registers_graphql_files_and_manifests(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client: httpx.AsyncClient,
    owner: Tenant,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a .graphql file, Apollo's manifest and a plain {hash: text} map
    texts = [f"query Cli{i} {{ contacts(first: {i}) {{ totalCount }} }}" for i in (1, 2, 3)]
    (tmp_path / "one.graphql").write_text(texts[0])
    apollo = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256_of(texts[1]), "body": texts[1], "name": "Cli2", "type": "query"}
        ],
    }
    (tmp_path / "apollo.json").write_text(json.dumps(apollo))
    (tmp_path / "map.json").write_text(json.dumps({document_id(texts[2]): texts[2]}))
    monkeypatch.setenv("LEDGERGRAPH_DATABASE_URL", APP_DATABASE_URL)
    files = [str(tmp_path / name) for name in ("one.graphql", "apollo.json", "map.json")]
    # when the command runs (its own event loop, so in a thread)
    status = await asyncio.to_thread(main, ["documents", "add", *files, "--client-name", "web"])
    # then each document is served by its id
    assert status == 0, capsys.readouterr().err
    for text in texts:
        r = await client.post(
            "/graphql", json={"documentId": document_id(text)}, headers=owner.headers
        )
        assert r.json()["data"] == {"contacts": {"totalCount": 1}}
    # and a manifest whose hash is not its text's is refused whole, naming it
    (tmp_path / "wrong.json").write_text(json.dumps({sha256_of("x"): "{ viewer { role } }"}))
    status = await asyncio.to_thread(main, ["documents", "add", str(tmp_path / "wrong.json")])
    assert status == 2
    assert "is not the sha256 of its document" in capsys.readouterr().err


# --- trusted-documents mode -------------------------------------------------------------


@pytest.fixture(scope="module")
async def trusted(settings: Settings, schema_ready: None) -> AsyncIterator[dict[str, Api]]:
    """Two apps in trusted-documents mode on the test database: production, development."""
    apps = {}
    async with (
        LifespanManager(
            create_app(settings.model_copy(update={"trusted_documents": True, "env": "production"}))
        ) as production,
        LifespanManager(
            create_app(settings.model_copy(update={"trusted_documents": True}))
        ) as development,
    ):
        for name, manager in (("production", production), ("development", development)):
            transport = httpx.ASGITransport(app=manager.app)
            apps[name] = Api(httpx.AsyncClient(transport=transport, base_url="http://test"))
        yield apps
        for api in apps.values():
            await api.client.aclose()


async def test_trusted_mode_runs_only_registered_documents(
    trusted: dict[str, Api], owner: Tenant, contacts_id: str
) -> None:
    api = trusted["production"]
    free = await api.client.post("/graphql", json={"query": CONTACTS}, headers=owner.headers)
    assert free.status_code == 400
    assert error_code(free.json()) == "PERSISTED_QUERY_REQUIRED"
    by_get = await api.client.get("/graphql", params={"query": CONTACTS}, headers=owner.headers)
    assert error_code(by_get.json()) == "PERSISTED_QUERY_REQUIRED"
    # an unregistered text sent with its hash is free text too: refused, and not registered
    text = "{ contacts { totalCount } } # trusted"
    apq_body = {"query": text, "extensions": apq(text)}
    refused = await api.client.post("/graphql", json=apq_body, headers=owner.headers)
    assert error_code(refused.json()) == "PERSISTED_QUERY_REQUIRED"
    again = await api.client.post(
        "/graphql", json={"documentId": document_id(text)}, headers=owner.headers
    )
    assert error_code(again.json()) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await api.client.post(
        "/graphql", json={"documentId": contacts_id}, headers=owner.headers
    )
    assert registered.json()["data"]["contacts"]["totalCount"] == 1


async def test_trusted_mode_lets_owners_type_queries_in_development(
    trusted: dict[str, Api], api: Api, app: Any, owner: Tenant
) -> None:
    development = trusted["development"]
    assert (await development.gql(CONTACTS, tenant=owner))["data"]["contacts"]["totalCount"] == 1
    accountant = await member_of(api, app, owner, "accountant")
    refused = await development.gql(CONTACTS, tenant=accountant)
    assert error_code(refused) == "PERSISTED_QUERY_REQUIRED"
