"""Safe retries (gql/core/idempotency.py): a write sent again under the same
`Idempotency-Key` (REST, both dialects) or `idempotencyKey` (GraphQL) is answered with
the first answer and written once; the same key on another request is refused; a
refused write keeps no key; keys expire; a key is its company's alone; and parallel
repeats of one key write once (PostgreSQL, where they really run side by side)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from gql.core.idempotency import IdempotencyKey
from gql.db.columns import utcnow
from gql.domains.banking.models import Transaction
from gql.domains.contacts.models import Contact
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, count_rows, member_of, tenant_db

ERRORS = "userErrors { field message code }"
CONTACT_CREATE = f"""mutation($input: ContactCreateInput!, $key: String) {{
  contactCreate(input: $input, idempotencyKey: $key) {{ contact {{ id name }} {ERRORS} }} }}"""
CONTACT_DELETE = f"""mutation($id: ID!, $key: String) {{
  contactDelete(input: {{id: $id}}, idempotencyKey: $key) {{ deletedContactId {ERRORS} }} }}"""
TWO_CREATES = f"""mutation {{
  a: contactCreate(input: {{name: "A", type: CUSTOMER}}) {{ contact {{ id }} {ERRORS} }}
  b: contactCreate(input: {{name: "B", type: CUSTOMER}}) {{ contact {{ id }} {ERRORS} }} }}"""
DOCUMENT_CREATE = f"""mutation($input: DocumentCreateInput!, $key: String) {{
  documentCreate(input: $input, idempotencyKey: $key) {{
    document {{ id number total {{ amount }} lines {{ name quantity }} }} {ERRORS} }} }}"""
MODULE_SET = f"""mutation($key: String) {{
  moduleSet(input: {{alias: "crm", enabled: false}}, idempotencyKey: $key) {{
    module {{ alias enabled expiresAt }} {ERRORS} }} }}"""
ISSUE = "mutation($id: ID!) { documentIssue(input: {id: $id}) { userErrors { message } } }"
PAY = f"""mutation($input: DocumentPaymentCreateInput!, $key: String) {{
  documentPaymentCreate(input: $input, idempotencyKey: $key) {{
    transaction {{ id amount {{ amount }} }} document {{ status amountDue {{ amount }} }}
    {ERRORS} }} }}"""


def key(name: str) -> dict[str, str]:
    return {"Idempotency-Key": name}


async def contact_post(api: Api, tenant: Tenant, idem: str, **body: Any) -> httpx.Response:
    json = {"name": "Acme", "type": "customer", **body}
    return await api.rest("POST", "/api/contacts", tenant, headers=key(idem), json=json)


async def create(api: Api, tenant: Tenant, name: str, idem: str | None) -> dict[str, Any]:
    input = {"name": name, "type": "CUSTOMER"}
    body = await api.gql(CONTACT_CREATE, {"input": input, "key": idem}, tenant)
    return body["data"]["contactCreate"]  # type: ignore[no-any-return]


async def contacts(app: Any, tenant: Tenant) -> int:
    return await count_rows(app, Contact, tenant.company_id)


async def keys(app: Any, tenant: Tenant) -> int:
    return await count_rows(app, IdempotencyKey, tenant.company_id)


# --- REST --------------------------------------------------------------------------------


async def test_a_rest_repeat_is_answered_with_the_first_answer_and_writes_once(api, app):
    # given a contact created under a key
    owner = await api.register()
    first = await contact_post(api, owner, "create-acme-1")
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    # when the same request comes again under it
    again = await contact_post(api, owner, "create-acme-1")
    # then it gets the same status and body, marked as replayed, and nothing is written
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await contacts(app, owner) == 1
    # and a request under another key is a write of its own
    other = await contact_post(api, owner, "create-acme-2")
    assert other.json()["data"]["id"] != first.json()["data"]["id"]
    assert await contacts(app, owner) == 2


async def test_a_forbix_repeat_writes_once(api, app):
    # given a Forbix customer created under a key
    owner = await api.register()
    body = {"type": "BUSINESS", "customerDisplayName": "John Doe", "crmGroupId": ["g"]}
    sent = [
        await api.rest("POST", "/openapi/customers", owner, headers=key("c-1"), json=body)
        for _ in range(2)
    ]
    # then both answers are the first, and there is one customer
    assert [r.status_code for r in sent] == [201, 201], sent[0].text
    assert sent[1].json() == sent[0].json()
    assert sent[1].headers["idempotent-replayed"] == "true"
    assert await contacts(app, owner) == 1


async def test_a_rest_key_reused_for_another_body_is_refused(api, app):
    # given a key used for one contact
    owner = await api.register()
    assert (await contact_post(api, owner, "k")).status_code == 201
    # when another body comes under it
    r = await contact_post(api, owner, "k", name="Someone else")
    # then it is refused, naming the header, and nothing is written
    assert r.status_code == 422
    assert r.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await contacts(app, owner) == 1


async def test_a_refused_rest_write_keeps_no_key_and_its_correction_succeeds(api, app):
    # given a create refused for its body, under a key
    owner = await api.register()
    refused = await contact_post(api, owner, "fix-me", type="nobody")
    assert refused.status_code == 400, refused.text
    assert await keys(app, owner) == 0
    # when the corrected request comes under the same key
    fixed = await contact_post(api, owner, "fix-me")
    # then it is written (not refused as a reuse)
    assert fixed.status_code == 201, fixed.text
    assert await contacts(app, owner) == 1 and await keys(app, owner) == 1


@pytest.mark.parametrize("bad", ["", "x" * 256])
async def test_a_malformed_rest_key_is_a_400_naming_the_header(api, app, bad):
    owner = await api.register()
    r = await contact_post(api, owner, bad)
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {"field": "Idempotency-Key", "message": "must be 1 to 255 characters", "code": "INVALID"}
    ]
    assert await contacts(app, owner) == 0


async def test_an_expired_key_is_forgotten_and_pruned(api, app, settings):
    # given two keys whose answers are older than the time they are kept
    owner = await api.register()
    first = await contact_post(api, owner, "old")
    await contact_post(api, owner, "older", name="Other")
    async with tenant_db(app, owner.company_id) as session:
        past = utcnow() - timedelta(seconds=settings.idempotency_ttl_seconds + 1)
        await session.execute(update(IdempotencyKey).values(expires_at=past))
        await session.commit()
    # when the first request comes again under its key
    again = await contact_post(api, owner, "old")
    # then it is a new write, and the other expired key is gone too
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert again.json()["data"]["id"] != first.json()["data"]["id"]
    async with tenant_db(app, owner.company_id) as session:
        assert (await session.scalars(select(IdempotencyKey.key))).all() == ["old"]


async def test_a_key_costs_its_claim_and_its_answer(api, app, sql_counter, monkeypatch):
    # given a company with a contact (its numbering made), and no random pruning
    from gql.core import idempotency

    monkeypatch.setattr(idempotency, "PRUNE_CHANCE", 0.0)
    owner = await api.register()
    await api.contact(owner)
    sql_counter.reset()
    await api.rest("POST", "/api/contacts", owner, json={"name": "Plain", "type": "customer"})
    plain, plain_statements = sql_counter.count, list(sql_counter.statements)
    # when a write comes with a key, and again with it
    sql_counter.reset()
    first = await contact_post(api, owner, "once")
    keyed, keyed_statements = sql_counter.count, list(sql_counter.statements)
    sql_counter.reset()
    again = await contact_post(api, owner, "once")
    replayed = sql_counter.statements
    # then the key cost two statements: its claim (one INSERT ... ON CONFLICT) and its
    # stored answer; the repeat: its claim and the first answer's row, and no write
    assert first.status_code == again.status_code == 201
    assert keyed - plain == 2, (plain_statements, keyed_statements)
    assert next(s for s in replayed if "idempotency_key" in s).startswith("INSERT")
    assert not any(s.startswith("INSERT INTO contact") for s in replayed)


async def test_a_key_is_its_companys_own(api, app):
    # given a key used by one company
    owner, stranger = await api.register(), await api.register()
    mine = await contact_post(api, owner, "shared-key")
    # when another company sends the same request under the same key
    theirs = await contact_post(api, stranger, "shared-key")
    # then it is its own write, not the first company's answer
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["data"]["id"] != mine.json()["data"]["id"]
    assert await contacts(app, owner) == 1 and await contacts(app, stranger) == 1


# --- GraphQL -----------------------------------------------------------------------------


async def test_a_graphql_repeat_answers_the_first_payload_and_writes_once(api, app):
    owner = await api.register()
    first = await create(api, owner, "Acme", "gql-1")
    again = await create(api, owner, "Acme", "gql-1")
    assert first["userErrors"] == [] and again == first
    assert await contacts(app, owner) == 1
    # the same key with another input is refused, naming the argument
    reused = await create(api, owner, "Other", "gql-1")
    assert reused["contact"] is None
    assert reused["userErrors"] == [
        {
            "field": ["idempotencyKey"],
            "message": "was already used for a different request",
            "code": "IDEMPOTENCY_KEY_REUSED",
        }
    ]
    assert await contacts(app, owner) == 1


async def test_the_header_keys_a_single_mutation_field(api, app):
    owner = await api.register()
    variables = {"input": {"name": "Acme", "type": "CUSTOMER"}}
    answers = [
        await api.gql(CONTACT_CREATE, variables, owner, headers=key("hdr")) for _ in range(2)
    ]
    assert answers[0] == answers[1] and answers[0]["data"]["contactCreate"]["contact"]
    assert await contacts(app, owner) == 1
    # an operation of two mutation fields cannot share one header key
    two = (await api.gql(TWO_CREATES, {}, owner, headers=key("hdr-2")))["data"]
    assert two["a"]["userErrors"][0]["field"] == ["Idempotency-Key"]
    assert await contacts(app, owner) == 1


async def test_a_repeated_delete_answers_the_deleted_id(api, app):
    owner = await api.register()
    contact = (await create(api, owner, "Gone", None))["contact"]
    variables = {"id": contact["id"], "key": "del-1"}
    answers = [(await api.data(CONTACT_DELETE, variables, owner))["contactDelete"] for _ in "12"]
    assert answers[0] == answers[1] == {"deletedContactId": contact["id"], "userErrors": []}


async def test_a_refused_mutation_keeps_no_key_and_a_malformed_key_is_named(api, app):
    owner = await api.register()
    refused = await create(api, owner, "", "gql-fix")
    assert refused["userErrors"] and refused["userErrors"][0]["field"] == ["input", "name"]
    assert await keys(app, owner) == 0
    assert (await create(api, owner, "Fixed", "gql-fix"))["contact"]["name"] == "Fixed"
    malformed = await create(api, owner, "Acme", "k" * 256)
    assert malformed["userErrors"][0]["field"] == ["idempotencyKey"]
    assert await contacts(app, owner) == 1


async def test_replays_of_composite_results_answer_the_same_payload(api, app):
    # given a document create (a result with its lines, made into the payload by the
    # spec's `answer`) and a module switch (a result that is no row), each sent twice
    owner = await api.register()
    contact = await api.contact(owner)
    lines = [{"name": "Work", "quantity": "2", "unitPrice": "50"}]
    doc = {"input": {"kind": "INVOICE", "contactId": contact["id"], "lines": lines}}
    docs = [await api.data(DOCUMENT_CREATE, {**doc, "key": "doc-1"}, owner) for _ in "12"]
    modules = [await api.data(MODULE_SET, {"key": "crm-off"}, owner) for _ in "12"]
    # then each repeat answers the first payload, and one document was written
    assert docs[0] == docs[1] and docs[0]["documentCreate"]["document"]["lines"]
    assert modules[0] == modules[1] and modules[0]["moduleSet"]["module"]["enabled"] is False
    async with tenant_db(app, owner.company_id) as session:
        assert len((await session.scalars(select(IdempotencyKey))).all()) == 2


async def test_another_users_request_under_a_key_is_refused(api, app):
    # given a key used by the owner, and a colleague in the same company
    owner = await api.register()
    colleague = await member_of(api, app, owner, "admin")
    assert (await contact_post(api, owner, "team-key")).status_code == 201
    # when the colleague sends the same request under it, they do not get the owner's answer
    r = await contact_post(api, colleague, "team-key")
    assert r.status_code == 422 and r.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await contacts(app, owner) == 1


# --- parallel repeats (PostgreSQL) --------------------------------------------------------

N = 8


async def parallel(
    app: Any, tenant: Tenant, idem: str | None, method: str, path: str, json: Any
) -> Any:
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        for _ in range(N)
    ]
    headers = {**tenant.headers, **(key(idem) if idem else {})}
    try:
        return await asyncio.gather(
            *(c.request(method, path, json=json, headers=headers) for c in clients)
        )
    finally:
        for c in clients:
            await c.aclose()


@pytest.mark.skipif(not IS_POSTGRES, reason="SQLite runs one write at a time")
async def test_parallel_repeats_of_one_key_pay_once(api, app):
    # given an issued invoice of 100 and an account
    owner = await api.register()
    account = (
        await api.rest("POST", "/api/accounts", owner, json={"name": "Bank", "type": "bank"})
    ).json()["data"]
    invoice = await api.document(owner, (await api.contact(owner))["id"])
    await api.data(ISSUE, {"id": invoice["id"]}, owner)
    payment = {"type": "income", "account": account["id"], "amount": 10}
    payment["document"] = invoice["objectId"]
    # when a REST payment and a GraphQL payment are each sent N times at once, one key each
    rest = await parallel(app, owner, "pay-rest", "POST", "/api/transactions", payment)
    input = {"documentId": invoice["id"], "accountId": account["id"], "amount": "10"}
    query = {"query": PAY, "variables": {"input": input, "key": "pay-gql"}}
    graphql = await parallel(app, owner, None, "POST", "/graphql", query)
    # then each is paid once, and every answer is the same
    assert {r.status_code for r in rest} == {201}, rest[0].text
    assert len({r.text for r in rest}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in rest) == N - 1
    assert len({r.text for r in graphql}) == 1, [r.text for r in graphql]
    assert graphql[0].json()["data"]["documentPaymentCreate"]["userErrors"] == []
    assert await count_rows(app, Transaction, owner.company_id) == 2
