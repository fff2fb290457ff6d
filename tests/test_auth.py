"""Authentication: register, login, the viewer, and the tokens the API refuses.

Both dialects: REST (/api/auth/register, /api/auth/login, /api/auth/me) and the
GraphQL `register` / `login` mutations and `viewer` query.
"""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from gql.domains.catalogue.models import Category, Currency, Tax
from gql.domains.companies.models import ModuleLicense, User
from gql.domains.companies.modules import MODULES
from tests.conftest import TEST_SECRET
from tests.factories import (
    bearer,
    count_rows,
    craft_token,
    tenant_db,
    token_claims,
    unsigned_token,
)

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    expiresAt
    user { id name email }
    company { id objectId name baseCurrency }
    userErrors { field message code }
  }
}
"""

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) {
    token
    user { id email }
    userErrors { field message code }
  }
}
"""

VIEWER = """
query Viewer {
  viewer {
    user { id name email }
    company { objectId name }
    role
    enabledModules
  }
}
"""

PASSWORD = "correct-horse-battery"


def unique_email(prefix: str = "jane") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def error_fields(body: dict[str, Any]) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


# --- register -----------------------------------------------------------------------------


async def test_rest_register_returns_201_with_token_user_and_company(client):
    # given
    email = unique_email()
    # when
    r = await client.post(
        "/api/auth/register", json={"name": "Jane Smith", "email": email, "password": PASSWORD}
    )
    # then
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert r.json()["success"] is True
    assert data["user"]["email"] == email
    assert data["user"]["name"] == "Jane Smith"
    assert len(data["company"]["id"]) == 24
    assert token_claims(data["token"])["sub"] == data["user"]["id"]
    assert "password" not in json.dumps(data).lower()


async def test_graphql_register_returns_token_user_and_company(api):
    # given
    email = unique_email()
    # when
    body = await api.gql(
        REGISTER, {"input": {"name": "Jane Smith", "email": email, "password": PASSWORD}}
    )
    # then
    payload = body["data"]["register"]
    assert payload["userErrors"] == []
    assert payload["user"]["email"] == email
    assert payload["company"]["baseCurrency"] == "USD"
    assert token_claims(payload["token"])["sub"] == payload["user"]["id"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("email", "jane@"), ("password", "short")],
    ids=["email-no-at", "email-no-domain", "short-password"],
)
async def test_rest_register_refuses_invalid_email_and_short_password(client, app, field, value):
    # given
    body = {"name": "Jane", "email": unique_email(), "password": PASSWORD, field: value}
    users_before = await count_rows(app, User, None)
    # when
    r = await client.post("/api/auth/register", json=body)
    # then
    assert r.status_code == 400, r.text
    assert r.json()["success"] is False
    assert error_fields(r.json()) == {field}
    assert await count_rows(app, User, None) == users_before


@pytest.mark.parametrize("missing", ["name", "email", "password"])
async def test_rest_register_refuses_missing_fields(client, app, missing):
    # given
    body = {"name": "Jane", "email": unique_email(), "password": PASSWORD}
    del body[missing]
    users_before = await count_rows(app, User, None)
    # when
    r = await client.post("/api/auth/register", json=body)
    # then
    assert r.status_code == 400, r.text
    assert error_fields(r.json()) == {missing}
    assert r.json()["errors"][0]["code"] == "REQUIRED"
    assert await count_rows(app, User, None) == users_before


@pytest.mark.parametrize(("field", "value"), [("email", "not-an-email"), ("password", "short")])
async def test_graphql_register_reports_invalid_input_as_user_errors(api, app, field, value):
    # given
    data = {"name": "Jane", "email": unique_email(), "password": PASSWORD, field: value}
    users_before = await count_rows(app, User, None)
    # when
    payload = (await api.data(REGISTER, {"input": data}))["register"]
    # then
    assert payload["token"] is None
    assert [e["field"] for e in payload["userErrors"]] == [["input", field]]
    assert payload["userErrors"][0]["code"] == "INVALID"
    assert await count_rows(app, User, None) == users_before


async def test_graphql_register_without_a_required_field_is_a_validation_error(api):
    # given: no password
    data = {"name": "Jane", "email": unique_email()}
    # when
    body = await api.gql(REGISTER, {"input": data})
    # then
    assert body.get("data") is None
    assert "password" in body["errors"][0]["message"]


async def test_rest_register_refuses_an_email_registered_in_another_case(client, app):
    # given
    local = f"jane-{uuid.uuid4().hex[:8]}"
    first = await client.post(
        "/api/auth/register",
        json={"name": "Jane", "email": f"{local}@x.com", "password": PASSWORD},
    )
    assert first.status_code == 201, first.text
    users_before = await count_rows(app, User, None)
    # when
    r = await client.post(
        "/api/auth/register",
        json={"name": "Jane again", "email": f"{local.title()}@X.com", "password": PASSWORD},
    )
    # then
    assert r.status_code == 400, r.text
    assert r.json()["errors"] == [
        {"field": "email", "message": "is already registered", "code": "TAKEN"}
    ]
    assert await count_rows(app, User, None) == users_before


async def test_graphql_register_refuses_an_email_registered_in_another_case(api):
    # given
    local = f"jane-{uuid.uuid4().hex[:8]}"
    first = {"name": "Jane", "email": f"{local.title()}@X.com", "password": PASSWORD}
    assert (await api.data(REGISTER, {"input": first}))["register"]["userErrors"] == []
    # when
    second = {"name": "J", "email": f"{local}@x.com", "password": PASSWORD}
    again = (await api.data(REGISTER, {"input": second}))["register"]
    # then
    assert again["token"] is None
    assert again["userErrors"] == [
        {"field": ["input", "email"], "message": "is already registered", "code": "TAKEN"}
    ]


async def test_registering_creates_the_company_defaults(api, app):
    # given
    tenant = await api.register(currency="EUR")
    # when
    async with tenant_db(app, tenant.company_id) as session:
        currencies = (await session.scalars(select(Currency))).all()
        taxes = (await session.scalars(select(Tax))).all()
        categories = (await session.scalars(select(Category))).all()
        licenses = (await session.scalars(select(ModuleLicense))).all()
    # then
    assert [(c.code, c.rate) for c in currencies] == [("EUR", Decimal("1"))]
    assert [(t.name, t.rate) for t in taxes] == [("Standard rate", Decimal("20"))]
    assert sorted(c.type for c in categories) == ["expense", "income"]
    assert {lic.alias for lic in licenses} == set(MODULES)


async def test_the_registered_company_uses_the_chosen_currency(api):
    # given
    tenant = await api.register(currency="GBP", companyName="Acme Ltd")
    # when
    data = await api.data("{ company { name baseCurrency } }", tenant=tenant)
    # then
    assert data["company"] == {"name": "Acme Ltd", "baseCurrency": "GBP"}


# --- login ---------------------------------------------------------------------------------


async def test_rest_login_returns_a_jwt_with_sub_iat_exp_jti(client, api):
    # given
    tenant = await api.register()
    # when
    r = await client.post(
        "/api/auth/login", json={"email": tenant.email, "password": tenant.password}
    )
    # then
    assert r.status_code == 200, r.text
    claims = token_claims(r.json()["data"]["token"])
    assert claims["sub"] == tenant.user_id
    assert {"sub", "iat", "exp", "jti"} <= claims.keys()
    assert claims["exp"] > claims["iat"]
    assert claims["exp"] > datetime.now(UTC).timestamp()


async def test_two_logins_get_tokens_with_different_jti(client, api):
    # given
    tenant = await api.register()
    creds = {"email": tenant.email, "password": tenant.password}
    # when
    first = await client.post("/api/auth/login", json=creds)
    second = await client.post("/api/auth/login", json=creds)
    # then
    assert (
        token_claims(first.json()["data"]["token"])["jti"]
        != token_claims(second.json()["data"]["token"])["jti"]
    )


async def test_rest_login_accepts_the_email_in_another_case(client, api):
    # given
    tenant = await api.register()
    # when
    r = await client.post(
        "/api/auth/login", json={"email": tenant.email.upper(), "password": tenant.password}
    )
    # then
    assert r.status_code == 200, r.text
    assert r.json()["data"]["user"]["id"] == tenant.user_id


async def test_graphql_login_returns_a_token_that_authenticates(api):
    # given
    tenant = await api.register()
    # when
    payload = (
        await api.data(LOGIN, {"input": {"email": tenant.email, "password": tenant.password}})
    )["login"]
    # then
    assert payload["userErrors"] == []
    claims = token_claims(payload["token"])
    assert claims["sub"] == tenant.user_id
    assert {"iat", "exp", "jti"} <= claims.keys()
    viewer = await api.gql(VIEWER, headers=bearer(payload["token"]))
    assert viewer["data"]["viewer"]["user"]["id"] == tenant.user_id


async def test_rest_login_refuses_wrong_password_and_unknown_email_identically(client, api):
    # given
    tenant = await api.register()
    # when
    wrong_password = await client.post(
        "/api/auth/login", json={"email": tenant.email, "password": "not-the-password"}
    )
    unknown_email = await client.post(
        "/api/auth/login", json={"email": unique_email("nobody"), "password": tenant.password}
    )
    # then
    assert wrong_password.status_code == 401
    assert unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert "token" not in wrong_password.text


async def test_graphql_login_refuses_wrong_password_and_unknown_email_identically(api):
    # given
    tenant = await api.register()
    # when
    wrong = (await api.data(LOGIN, {"input": {"email": tenant.email, "password": "nope-nope"}}))[
        "login"
    ]
    unknown = (
        await api.data(LOGIN, {"input": {"email": unique_email(), "password": tenant.password}})
    )["login"]
    # then
    assert wrong["token"] is None and unknown["token"] is None
    assert wrong["userErrors"] == unknown["userErrors"]
    assert wrong["userErrors"][0]["code"] == "UNAUTHENTICATED"


# --- the current user ------------------------------------------------------------------------


async def test_rest_me_returns_the_current_user_and_company(client, api):
    # given
    tenant = await api.register(name="Jane Smith")
    # when
    r = await client.get("/api/auth/me", headers=tenant.headers)
    # then
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["id"] == tenant.user_id
    assert data["email"] == tenant.email
    assert data["company"]["id"] == tenant.company_id
    assert data["role"] == "owner"


async def test_rest_me_without_a_token_is_401(client):
    # when
    r = await client.get("/api/auth/me")
    # then
    assert r.status_code == 401
    assert r.json()["success"] is False


async def test_graphql_viewer_returns_the_user_company_and_role(api):
    # given
    tenant = await api.register(name="Jane Smith")
    # when
    viewer = (await api.data(VIEWER, tenant=tenant))["viewer"]
    # then
    assert viewer["user"] == {"id": tenant.user_id, "name": "Jane Smith", "email": tenant.email}
    assert viewer["company"]["objectId"] == tenant.company_id
    assert viewer["role"] == "OWNER"
    assert set(viewer["enabledModules"]) == {
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


async def test_graphql_viewer_without_a_token_is_unauthenticated(api):
    # when
    body = await api.gql(VIEWER)
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- refused tokens ---------------------------------------------------------------------------


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _claims(user_id: str, **override: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": user_id,
        "iat": now,
        "exp": now + timedelta(hours=1),
        "jti": uuid.uuid4().hex,
    }
    claims.update(override)
    return claims


def bad_token(kind: str, user_id: str, victim_id: str, good_token: str) -> str:
    now = datetime.now(UTC)
    if kind == "expired":
        return craft_token(
            TEST_SECRET,
            **_claims(user_id, iat=now - timedelta(hours=2), exp=now - timedelta(hours=1)),
        )
    if kind == "tampered":
        # the genuine token with its subject swapped for another user's
        header, payload, signature = good_token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = victim_id
        return f"{header}.{_b64(claims)}.{signature}"
    if kind == "other-secret":
        return craft_token("another-secret-that-is-also-long-enough-0123456789", **_claims(user_id))
    if kind == "alg-none":
        return unsigned_token(
            **{k: str(v) if isinstance(v, datetime) else v for k, v in _claims(user_id).items()}
        )
    if kind == "alg-none-numeric":
        claims = _claims(user_id)
        claims["iat"] = int(claims["iat"].timestamp())
        claims["exp"] = int(claims["exp"].timestamp())
        return unsigned_token(**claims)
    if kind == "no-jti":
        claims = _claims(user_id)
        del claims["jti"]
        return craft_token(TEST_SECRET, **claims)
    if kind == "unknown-user":
        return craft_token(TEST_SECRET, **_claims("0" * 24))
    if kind == "garbage":
        return "not.a.jwt"
    raise AssertionError(kind)


BAD_TOKENS = [
    "expired",
    "tampered",
    "other-secret",
    "alg-none",
    "alg-none-numeric",
    "no-jti",
    "unknown-user",
    "garbage",
]


@pytest.mark.parametrize("kind", BAD_TOKENS)
async def test_rest_refuses_bad_tokens_with_401(client, api, kind):
    # given
    tenant = await api.register()
    victim = await api.register()
    token = bad_token(kind, tenant.user_id, victim.user_id, tenant.token)
    # when
    me = await client.get("/api/auth/me", headers=bearer(token))
    contacts = await client.get("/api/contacts", headers=bearer(token, tenant.company_id))
    # then
    assert me.status_code == 401, me.text
    assert contacts.status_code == 401, contacts.text
    assert me.json()["success"] is False
    assert victim.email not in me.text


@pytest.mark.parametrize("kind", BAD_TOKENS)
async def test_graphql_refuses_bad_tokens_as_unauthenticated(api, kind):
    # given
    tenant = await api.register()
    victim = await api.register()
    token = bad_token(kind, tenant.user_id, victim.user_id, tenant.token)
    # when
    body = await api.gql(VIEWER, headers=bearer(token))
    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_an_expired_token_says_it_has_expired(client, api):
    # given
    tenant = await api.register()
    token = bad_token("expired", tenant.user_id, tenant.user_id, tenant.token)
    # when
    r = await client.get("/api/auth/me", headers=bearer(token))
    # then
    assert r.status_code == 401
    assert "expired" in r.json()["message"]


async def test_a_crafted_token_with_the_right_secret_is_accepted(client, api):
    # given: the control case for the refusals above
    tenant = await api.register()
    token = craft_token(TEST_SECRET, **_claims(tenant.user_id))
    # when
    r = await client.get("/api/auth/me", headers=bearer(token))
    # then
    assert r.status_code == 200, r.text
    assert r.json()["data"]["id"] == tenant.user_id


async def test_public_paths_work_with_a_stale_token(client, api):
    # given
    tenant = await api.register()
    stale = bad_token("expired", tenant.user_id, tenant.user_id, tenant.token)
    # when
    r = await client.post(
        "/api/auth/login",
        json={"email": tenant.email, "password": tenant.password},
        headers=bearer(stale),
    )
    # then
    assert r.status_code == 200, r.text


async def test_a_disabled_user_cannot_log_in_or_use_their_token(client, api, app):
    # given
    tenant = await api.register()
    async with tenant_db(app, None) as session:
        user = await session.scalar(select(User).where(User.id == tenant.user_id))
        user.enabled = False
        await session.commit()
    # when
    login = await client.post(
        "/api/auth/login", json={"email": tenant.email, "password": tenant.password}
    )
    me = await client.get("/api/auth/me", headers=tenant.headers)
    # then
    assert login.status_code == 401
    assert me.status_code == 401


async def test_the_company_defaults_are_listed_by_the_rest_api(api):
    # given
    tenant = await api.register(currency="EUR")
    # when
    currencies = (await api.rest("GET", "/api/currencies", tenant)).json()["data"]
    taxes = (await api.rest("GET", "/api/taxes", tenant)).json()["data"]
    categories = (await api.rest("GET", "/api/categories", tenant)).json()["data"]
    # then
    assert [c["code"] for c in currencies] == ["EUR"]
    assert [(t["name"], Decimal(str(t["rate"]))) for t in taxes] == [("Standard rate", Decimal(20))]
    assert sorted(c["type"] for c in categories) == ["expense", "income"]


async def test_a_remembered_token_is_refused_once_it_has_expired():
    # given a verifier that has seen a valid token, one second from its expiry
    from gql.auth import tokens
    from gql.settings import Settings

    settings = Settings(jwt_secret=TEST_SECRET, token_lifetime_seconds=1)
    verifier = tokens.TokenVerifier(settings)
    token, _ = tokens.issue_token(settings, "user-1")
    assert verifier.verify(token) == "user-1"
    # when it has expired
    await asyncio.sleep(2.1)
    # then it is checked again, and refused as expired
    with pytest.raises(tokens.InvalidToken, match="expired"):
        verifier.verify(token)
    # and a tampered copy of a remembered token is never taken for it
    fresh, _ = tokens.issue_token(settings, "user-2")
    assert verifier.verify(fresh) == "user-2"
    head, payload, signature = fresh.split(".")
    with pytest.raises(tokens.InvalidToken):
        verifier.verify(f"{head}.{payload}.{signature[::-1]}")
