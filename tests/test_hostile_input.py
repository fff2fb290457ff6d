"""Hostile input (issue 7): whatever a client sends, it gets data or a coded refusal
naming what it sent; never a 500, never a database error, never a half-stored row.

Every test runs on SQLite and on PostgreSQL (scripts/test)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.routing import Mount, Route

from gql.app import create_app
from gql.settings import Settings
from tests.conftest import TEST_SECRET
from tests.factories import Tenant

MISSING_ID = "0" * 24  # an object id no row has


def fields(r: Any) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]


@pytest.fixture
async def owner(api):
    return await api.register()


# --- REST bodies that are not JSON objects ------------------------------------------------------


def _body_routes() -> list[tuple[str, str]]:
    """(method, path) of every Numbors route that takes a body, read from the app itself
    so that a new route is covered without touching this test."""
    app = create_app(Settings(jwt_secret=TEST_SECRET))
    api = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api")
    out = []
    for route in api.routes:
        if not isinstance(route, Route) or "{path:path}" in route.path:
            continue  # the catch-all 404
        for method in sorted((route.methods or set()) & {"POST", "PUT"}):
            out.append((method, "/api" + route.path.replace("{id}", MISSING_ID)))
    return out


BODY_ROUTES = _body_routes()
NOT_OBJECTS = ["42", "true", '"s"', "null", "[]", '[{"name": "x"}]', "1e400"]


def test_the_body_routes_are_found():
    # then: the collection above really sees the app's routes
    assert ("POST", "/api/contacts") in BODY_ROUTES
    assert ("PUT", f"/api/contacts/{MISSING_ID}") in BODY_ROUTES
    assert ("POST", "/api/auth/login") in BODY_ROUTES
    assert len(BODY_ROUTES) >= 20


@pytest.mark.parametrize("raw", NOT_OBJECTS)
@pytest.mark.parametrize(("method", "path"), BODY_ROUTES, ids=[f"{m} {p}" for m, p in BODY_ROUTES])
async def test_rest_a_body_that_is_not_an_object_is_a_coded_400(
    api, owner: Tenant, method: str, path: str, raw: str
):
    # when
    r = await api.rest(
        method,
        path,
        owner,
        content=raw.encode(),
        headers={"content-type": "application/json"},
    )
    # then
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["success"] is False and body["message"]
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("body", "INVALID")]
    assert body["errors"][0]["message"] == "must be a JSON object"


async def test_rest_a_non_object_body_stores_nothing(api, owner: Tenant):
    # given
    before = (await api.rest("GET", "/api/contacts", owner)).json()["pagination"]["total"]
    # when
    r = await api.rest("POST", "/api/contacts", owner, content=json.dumps([{"name": "x"}]))
    # then
    assert r.status_code == 400
    after = (await api.rest("GET", "/api/contacts", owner)).json()["pagination"]["total"]
    assert after == before
