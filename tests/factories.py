"""Factories: companies (with their owner's token) and the rows tests need."""

from __future__ import annotations

import asyncio
import itertools
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

_serial = itertools.count(1)

# What every authenticated request costs before its own work (gql/auth/first_visit.py):
# one row of the user, the membership chosen, the company and its licenses; on
# PostgreSQL first the access check, which also sets the transaction's tenant and
# statement_timeout (both in one round trip, with the bucket's payment when billed).
VIEWER_STATEMENTS = (
    2 if os.environ.get("LEDGERGRAPH_TEST_DATABASE_URL", "").startswith("postgresql") else 1
)
# The same on the compiled path's steady state (gql/compiler/direct.py), on both
# databases: the membership check (on PostgreSQL carrying the settings), the licenses.
DIRECT_VIEWER_STATEMENTS = 2
# What the audit trail adds to a write: one insert of its events (gql/core/audit.py).
AUDIT_STATEMENTS = 1
# What events add to a write (gql/domains/events/outbox.py), once per transaction however
# many it emits: the one insert of them all (which says whether the company has a webhook
# endpoint: only then are they read, to queue deliveries with the events) and on
# PostgreSQL the one statement of their NOTIFYs.
EVENTS_STATEMENTS = (
    2 if os.environ.get("LEDGERGRAPH_TEST_DATABASE_URL", "").startswith("postgresql") else 1
)


@dataclass
class Tenant:
    """A registered owner and their company."""

    token: str
    company_id: str
    user_id: str
    email: str
    password: str
    headers: dict[str, str] = field(default_factory=dict)


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def register(self, name: str = "Owner", **extra: Any) -> Tenant:
        email = f"user{next(_serial)}-{uuid.uuid4().hex[:8]}@example.com"
        password = "correct-horse-battery"
        body = {"name": name, "email": email, "password": password, **extra}
        r = await self.client.post("/api/auth/register", json=body)
        assert r.status_code == 201, r.text
        data = r.json()["data"]
        token, company_id = data["token"], data["company"]["id"]
        headers = {"Authorization": f"Bearer {token}", "X-Company-Id": company_id}
        return Tenant(token, company_id, data["user"]["id"], email, password, headers)

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        tenant: Tenant | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL operation; returns the whole response body."""
        all_headers = {**(tenant.headers if tenant else {}), **(headers or {})}
        r = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        assert r.status_code in (200, 400), r.text
        return r.json()  # type: ignore[no-any-return]

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, tenant: Tenant | None = None
    ) -> dict[str, Any]:
        """The `data` of an operation that must not fail."""
        body = await self.gql(query, variables, tenant)
        assert not body.get("errors"), body["errors"]
        return body["data"]  # type: ignore[no-any-return]

    async def mutate(
        self, name: str, query: str, input: dict[str, Any], tenant: Tenant
    ) -> dict[str, Any]:
        """Run a mutation that must succeed; returns its payload."""
        payload = (await self.data(query, {"input": input}, tenant))[name]
        assert payload["userErrors"] == [], payload["userErrors"]
        return payload  # type: ignore[no-any-return]

    # --- rows -------------------------------------------------------------------------

    async def rest(
        self,
        method: str,
        path: str,
        tenant: Tenant,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        return await self.client.request(
            method, path, headers={**tenant.headers, **(headers or {})}, **kw
        )

    async def contact(self, tenant: Tenant, **fields: Any) -> dict[str, Any]:
        body = {"name": f"Contact {next(_serial)}", "type": "customer", **fields}
        r = await self.rest("POST", "/api/contacts", tenant, json=body)
        assert r.status_code == 201, r.text
        return r.json()["data"]  # type: ignore[no-any-return]

    async def tax(self, tenant: Tenant, rate: str = "20", **fields: Any) -> dict[str, Any]:
        data = await self.data(
            "mutation($input: TaxCreateInput!) { taxCreate(input: $input) { tax { id objectId rate } userErrors { field message } } }",
            {"input": {"name": f"Tax {next(_serial)}", "rate": rate, **fields}},
            tenant,
        )
        assert data["taxCreate"]["userErrors"] == []
        return data["taxCreate"]["tax"]  # type: ignore[no-any-return]

    async def item(self, tenant: Tenant, **fields: Any) -> dict[str, Any]:
        data = await self.data(
            "mutation($input: ItemCreateInput!) { itemCreate(input: $input) { item { id objectId name salePrice } userErrors { field message } } }",
            {"input": {"name": f"Item {next(_serial)}", "salePrice": "10.00", **fields}},
            tenant,
        )
        assert data["itemCreate"]["userErrors"] == []
        return data["itemCreate"]["item"]  # type: ignore[no-any-return]

    async def document(
        self,
        tenant: Tenant,
        contact_id: str,
        lines: list[dict[str, Any]] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        data = await self.data(
            """mutation($input: DocumentCreateInput!) { documentCreate(input: $input) {
                document { id objectId number status total { amount currency } }
                userErrors { field message code } } }""",
            {
                "input": {
                    "kind": "INVOICE",
                    "contactId": contact_id,
                    "lines": lines
                    if lines is not None
                    else [{"name": "Work", "quantity": "1", "unitPrice": "100"}],
                    **fields,
                }
            },
            tenant,
        )
        assert data["documentCreate"]["userErrors"] == [], data["documentCreate"]["userErrors"]
        return data["documentCreate"]["document"]  # type: ignore[no-any-return]


# --- requests at the same moment ------------------------------------------------------


async def concurrently(
    app: Any, tenant: Tenant, requests: list[tuple[str, str, Any]]
) -> list[httpx.Response]:
    """`requests` (method, path, JSON body) sent at the same moment, each over its own
    client: each is a request of its own, with its own session and connection."""
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        for _ in requests
    ]
    try:
        return list(
            await asyncio.gather(
                *(
                    client.request(method, path, json=body, headers=tenant.headers)
                    for client, (method, path, body) in zip(clients, requests, strict=True)
                )
            )
        )
    finally:
        for client in clients:
            await client.aclose()


# --- helpers for tests that look under the API (added for the foundation suites) --------


async def statements_per_page(
    api: Api, sql_counter: Any, query: str, tenant: Tenant, firsts: tuple[int, ...] = (1, 4)
) -> list[tuple[int, dict[str, Any]]]:
    """`query` read with each `$first` of `firsts`: each read's statement count and data
    (the last read's statements stay in `sql_counter` for the assertion message)."""
    pages = []
    for first in firsts:
        sql_counter.reset()
        body = await api.gql(query, {"first": first}, tenant)
        assert not body.get("errors"), body["errors"]
        pages.append((sql_counter.count, body["data"]))
    return pages


def token_claims(token: str) -> dict[str, Any]:
    """A JWT's claims, read without verifying it (to check what the API issued)."""
    import jwt

    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def craft_token(secret: str, *, algorithm: str = "HS256", **claims: Any) -> str:
    """A JWT signed with `secret`, carrying exactly `claims`."""
    import jwt

    return jwt.encode(claims, secret, algorithm=algorithm)


def unsigned_token(**claims: Any) -> str:
    """An `alg: none` JWT: header and claims, empty signature."""
    import base64
    import json

    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":"), default=str).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def bearer(token: str, company_id: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if company_id is not None:
        headers["X-Company-Id"] = company_id
    return headers


def tenant_db(app: Any, tenant_id: str | None) -> Any:
    """A database session of the app's own factory, scoped to `tenant_id` (or to none)."""
    from gql.db.engine import tenant_session

    return tenant_session(app.state.sessions, tenant_id)


async def count_rows(app: Any, model: type[Any], tenant_id: str | None) -> int:
    """How many `model` rows the tenant has (or, for a table that is not tenant-owned,
    how many rows there are)."""
    from sqlalchemy import func, select

    async with tenant_db(app, tenant_id) as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def add_membership(app: Any, *, user_id: str, company_id: str, role: str) -> None:
    """Give a user a role in a company, straight in the database."""
    from gql.domains.companies.models import Membership

    async with tenant_db(app, None) as session:
        session.add(Membership(user_id=user_id, company_id=company_id, role=role))
        await session.commit()


async def member_of(api: Api, app: Any, owner: Tenant, role: str) -> Tenant:
    """A newly registered user who also holds `role` in `owner`'s company; their
    headers select that company."""
    other = await api.register(name=f"{role.title()} member")
    await add_membership(app, user_id=other.user_id, company_id=owner.company_id, role=role)
    other.headers = bearer(other.token, owner.company_id)
    other.company_id = owner.company_id
    return other
