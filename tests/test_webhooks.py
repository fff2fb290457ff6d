"""Webhooks end to end: endpoints managed over GraphQL and REST, URLs checked, and the
worker (gql/domains/events/delivery.py) delivering signed events to a real receiver on
loopback, with retries, restarts, several workers and endpoints switched off."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gql.app import create_app
from gql.domains.events.delivery import LEASE_GRACE, SIGNATURE_HEADER, Worker
from gql.settings import Settings
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, statements_per_page
from tests.webhook_receiver import Receiver, receiver, verify

ERRORS = "userErrors { field message code }"
CREATE = f"""mutation($input: WebhookCreateInput!) {{ webhookCreate(input: $input) {{
  webhook {{ id url active eventTypes }} secret {ERRORS} }} }}"""
UPDATE = f"""mutation($input: WebhookUpdateInput!) {{ webhookUpdate(input: $input) {{
  webhook {{ id active }} {ERRORS} }} }}"""
DELETE = f"""mutation($input: WebhookDeleteInput!) {{ webhookDelete(input: $input) {{
  deletedWebhookId {ERRORS} }} }}"""
WEBHOOKS = "{ webhooks(first: 10) { totalCount nodes { id url } } }"
DELIVERIES = """query($filter: WebhookDeliveryFilter) {
  webhookDeliveries(first: 20, filter: $filter, orderBy: {field: CREATED_AT, direction: ASC}) {
    totalCount nodes { status attempt responseCode durationMs eventId eventType
      nextAttemptAt error webhook { id } } } }"""
WEBHOOK = """query($id: ID!) { node(id: $id) { ... on Webhook {
  active consecutiveFailures disabledAt } } }"""

# Retries at once (base 0 s), three attempts, switched off after three failures in a row;
# a lease of 3 s (timeout + grace) on a claimed delivery.
FAST = {
    "webhooks_allow_private_urls": True,
    "webhooks_retry_base_seconds": 0.0,
    "webhooks_max_attempts": 3,
    "webhooks_disable_after_failures": 3,
    "webhooks_timeout_seconds": 2.0,
}


@pytest.fixture(scope="module")
async def private(settings: Settings, schema_ready: None) -> AsyncIterator[tuple[Any, Api]]:
    """An app (and its API client) that allows loopback webhook URLs, as tests need."""
    application = create_app(settings.model_copy(update=FAST))
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield application, Api(client)


@pytest.fixture
async def hook() -> AsyncIterator[Receiver]:
    async with receiver() as found:
        yield found


def worker(app: Any) -> Worker:
    return Worker(app.state.sessions, app.state.settings)


async def subscribe(api: Api, tenant: Tenant, url: str, *types: str) -> dict[str, Any]:
    body = {"url": url, "eventTypes": list(types or ("CONTACT_CREATED",))}
    return await api.mutate("webhookCreate", CREATE, body, tenant)


async def deliveries(api: Api, tenant: Tenant, **filter: Any) -> dict[str, Any]:
    data = await api.data(DELIVERIES, {"filter": filter or None}, tenant)
    return data["webhookDeliveries"]  # type: ignore[no-any-return]


# --- endpoints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "not a url",
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest",
        "https://[::1]/hook",
        "http://user:pw@192.168.0.1/",
    ],
)
async def test_urls_that_are_not_http_or_point_inside_are_refused(api, url):
    # given a company on the default settings (no private URLs)
    owner = await api.register()

    # when a webhook is registered for the URL
    body = {"url": url, "eventTypes": ["CONTACT_CREATED"]}
    payload = (await api.data(CREATE, {"input": body}, owner))["webhookCreate"]

    # then it is refused on the url field, and nothing was made
    assert payload["webhook"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "url"], "INVALID")
    ]
    r = await api.rest(
        "POST", "/api/webhooks", owner, json=body | {"eventTypes": ["contact.created"]}
    )
    assert r.status_code == 400, r.text
    assert (await api.data(WEBHOOKS, tenant=owner))["webhooks"]["totalCount"] == 0


async def test_webhooks_over_rest_and_graphql_show_the_secret_once(private):
    _, api = private
    owner = await api.register()

    # when one is made over REST and one over GraphQL
    r = await api.rest(
        "POST",
        "/api/webhooks",
        owner,
        json={"url": "http://127.0.0.1:1/a", "eventTypes": ["ticket.created"]},
    )
    assert r.status_code == 201, r.text
    made = r.json()["data"]
    graphql = await subscribe(api, owner, "http://127.0.0.1:1/b", "DOCUMENT_PAID")

    # then each showed its secret once; reading them again never does
    assert made["secret"].startswith("whsec_") and graphql["secret"].startswith("whsec_")
    got = (await api.rest("GET", f"/api/webhooks/{made['id']}", owner)).json()["data"]
    assert "secret" not in got and got["eventTypes"] == ["ticket.created"]
    listed = (await api.rest("GET", "/api/webhooks", owner)).json()
    assert listed["pagination"]["total"] == 2 and all("secret" not in w for w in listed["data"])

    # and they change and go away
    r = await api.rest("PUT", f"/api/webhooks/{made['id']}", owner, json={"active": False})
    assert r.status_code == 200 and r.json()["data"]["active"] is False
    bad = await api.rest("PUT", f"/api/webhooks/{made['id']}", owner, json={"eventTypes": ["nope"]})
    assert bad.status_code == 400, bad.text
    assert (await api.rest("DELETE", f"/api/webhooks/{made['id']}", owner)).status_code == 200
    await api.mutate("webhookDelete", DELETE, {"id": graphql["webhook"]["id"]}, owner)
    assert (await api.data(WEBHOOKS, tenant=owner))["webhooks"]["totalCount"] == 0


async def test_another_companys_webhooks_and_deliveries_are_invisible(private, hook):
    app, api = private
    owner, other = await api.register(), await api.register()
    made = await subscribe(api, owner, hook.url)
    await api.contact(owner)
    await worker(app).run_once([owner.company_id])
    webhook_id = made["webhook"]["id"]

    # then the other company sees none of them, and its id is simply not found
    assert (await api.data(WEBHOOKS, tenant=other))["webhooks"]["totalCount"] == 0
    assert (await deliveries(api, other))["totalCount"] == 0
    assert (await deliveries(api, other, webhookId=webhook_id))["totalCount"] == 0
    missing = await api.gql(WEBHOOK, {"id": webhook_id}, other)
    assert [e["extensions"]["code"] for e in missing["errors"]] == ["NOT_FOUND"]
    payload = await api.data(UPDATE, {"input": {"id": webhook_id, "active": False}}, other)
    assert payload["webhookUpdate"]["userErrors"][0]["code"] == "NOT_FOUND"
    oid = (await api.rest("GET", "/api/webhooks", owner)).json()["data"][0]["id"]
    assert (await api.rest("GET", f"/api/webhooks/{oid}", other)).status_code == 404
    assert (await api.rest("DELETE", f"/api/webhooks/{oid}", other)).status_code == 404
    # while the owner sees its delivery
    assert (await deliveries(api, owner))["totalCount"] == 1


# --- delivery ----------------------------------------------------------------------------------


async def test_an_event_is_delivered_signed(private, hook):
    app, api = private
    owner = await api.register()
    made = await subscribe(api, owner, hook.url, "CONTACT_CREATED")

    # when a contact is made and the worker runs
    contact = await api.contact(owner)
    assert await worker(app).run_once([owner.company_id]) == 1

    # then the receiver got one POST, whose signature checks out with the secret
    (got,) = hook.received
    assert verify(made["secret"], got.headers[SIGNATURE_HEADER.lower()], got.raw)
    assert not verify(made["secret"], got.headers[SIGNATURE_HEADER.lower()], got.raw + b" ")
    assert not verify("whsec_other", got.headers[SIGNATURE_HEADER.lower()], got.raw)
    late = time.time() + 3600
    assert not verify(made["secret"], got.headers[SIGNATURE_HEADER.lower()], got.raw, now=late)
    assert got.body["type"] == "contact.created" and got.body["companyId"] == owner.company_id
    assert got.body["data"]["node"]["objectId"] == contact["id"]
    assert got.body["data"]["node"]["type"] == "Contact"
    assert got.body["data"]["payload"] == {"name": contact["name"]}
    # and the attempt is recorded
    (attempt,) = (await deliveries(api, owner))["nodes"]
    assert attempt["status"] == "SUCCEEDED" and attempt["responseCode"] == 200
    assert attempt["attempt"] == 1 and attempt["eventId"] == got.body["id"]
    assert attempt["durationMs"] >= 0 and attempt["nextAttemptAt"] is None


async def test_a_failed_delivery_is_retried_until_the_receiver_takes_it(private, hook):
    app, api = private
    owner = await api.register()
    await subscribe(api, owner, hook.url)
    hook.answers = [500, 503]
    await api.contact(owner)

    # when the worker runs three times (retries are due at once here)
    for _ in range(3):
        assert await worker(app).run_once([owner.company_id]) == 1

    # then the same event was sent three times, and every attempt is recorded
    assert len(set(hook.event_ids())) == 1 and len(hook.received) == 3
    nodes = (await deliveries(api, owner))["nodes"]
    assert [(n["attempt"], n["status"], n["responseCode"]) for n in nodes] == [
        (1, "FAILED", 500),
        (2, "FAILED", 503),
        (3, "SUCCEEDED", 200),
    ]
    assert nodes[0]["nextAttemptAt"] is not None and nodes[0]["error"] == "answered 500"
    assert await worker(app).run_once([owner.company_id]) == 0  # nothing more to do


async def test_a_delivery_interrupted_by_a_restart_is_delivered_by_the_next_worker(private, hook):
    app, api = private
    owner = await api.register()
    await subscribe(api, owner, hook.url)
    await api.contact(owner)

    # given a worker stopped while the receiver holds its POST
    hook.hold = asyncio.Event()
    first = asyncio.create_task(worker(app).run_once([owner.company_id]))
    await asyncio.wait_for(hook.arrived.wait(), 10)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert (await deliveries(api, owner))["nodes"][0]["status"] == "PENDING"

    # when a new worker starts: it leaves the delivery alone while the lease lasts
    held, hook.hold = hook.hold, None
    held.set()  # the receiver lets the held POST go (it answers no one now)
    assert await worker(app).run_once([owner.company_id]) == 0
    await asyncio.sleep(FAST["webhooks_timeout_seconds"] + LEASE_GRACE)
    assert await worker(app).run_once([owner.company_id]) == 1

    # then the event was delivered (again: at least once, with the same id to dedupe)
    assert len(hook.received) == 2 and len(set(hook.event_ids())) == 1
    (attempt,) = (await deliveries(api, owner))["nodes"]
    assert attempt["status"] == "SUCCEEDED"


async def test_an_endpoint_that_keeps_failing_is_switched_off(private, hook):
    app, api = private
    owner = await api.register()
    made = await subscribe(api, owner, hook.url)
    hook.answers = [500] * 10
    await api.contact(owner)
    await api.contact(owner)

    # when its deliveries fail three times in a row
    rounds = [await worker(app).run_once([owner.company_id]) for _ in range(3)]

    # then it is off: nothing more is sent until it is switched on again
    state = (await api.data(WEBHOOK, {"id": made["webhook"]["id"]}, owner))["node"]
    assert rounds[0] == 2 and state["active"] is False and state["disabledAt"]
    assert state["consecutiveFailures"] >= 3
    assert await worker(app).run_once([owner.company_id]) == 0
    sent = len(hook.received)

    # and switched on, it delivers what is still pending
    hook.answers = []
    await api.mutate("webhookUpdate", UPDATE, {"id": made["webhook"]["id"], "active": True}, owner)
    assert await worker(app).run_once([owner.company_id]) >= 1
    assert len(hook.received) > sent
    state = (await api.data(WEBHOOK, {"id": made["webhook"]["id"]}, owner))["node"]
    assert state == {"active": True, "consecutiveFailures": 0, "disabledAt": None}


@pytest.mark.skipif(
    not IS_POSTGRES, reason="SKIP LOCKED claims are PostgreSQL's; SQLite runs one worker"
)
async def test_two_workers_deliver_each_event_once(private, hook):
    app, api = private
    owner = await api.register()
    await subscribe(api, owner, hook.url)
    for _ in range(8):
        await api.contact(owner)

    # when two workers run at once, each on its own connections
    made = await asyncio.gather(*(worker(app).run_once([owner.company_id]) for _ in range(2)))

    # then every event went out exactly once between them
    assert sum(made) == 8
    assert sorted(hook.event_ids()) == sorted(set(hook.event_ids())) and len(hook.received) == 8


async def test_the_servers_own_worker_delivers_as_soon_as_the_write_commits(
    settings, schema_ready, hook
):
    # given a server started with its worker (polling rarely: the commit wakes it)
    running = settings.model_copy(
        update=FAST | {"webhooks_worker_enabled": True, "webhooks_poll_seconds": 60.0}
    )
    application = create_app(running)
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client)
            owner = await api.register()
            await subscribe(api, owner, hook.url)

            # when a contact is made
            await api.contact(owner)

            # then the receiver hears of it without anyone running the worker by hand
            await asyncio.wait_for(hook.arrived.wait(), 20)
    assert [r.body["type"] for r in hook.received] == ["contact.created"]


# --- statement counts --------------------------------------------------------------------------

PAGED_WEBHOOKS = "query($first: Int!) { webhooks(first: $first) { totalCount nodes { id url } } }"
PAGED_DELIVERIES = """query($first: Int!) { webhookDeliveries(first: $first) {
  totalCount nodes { status eventType webhook { id url } } } }"""


@pytest.mark.parametrize(
    "query", [PAGED_WEBHOOKS, PAGED_DELIVERIES], ids=["webhooks", "webhookDeliveries.webhook"]
)
async def test_statement_counts_do_not_grow_with_the_page(
    api: Api, sql_counter: Any, query: str
) -> None:
    # given four endpoints (a public address literal: checked without resolving a name),
    # each due a delivery of one contact's creation (the test app runs no worker)
    owner = await api.register()
    for n in range(4):
        await subscribe(api, owner, f"https://93.184.216.34/hook/{n}")
    await api.contact(owner)
    # when a page of one and a page of four are read
    pages = await statements_per_page(api, sql_counter, query, owner)
    for first, (_, data) in zip((1, 4), pages, strict=True):
        (connection,) = data.values()
        assert len(connection["nodes"]) == first
    counts = [count for count, _ in pages]
    # then both cost the same statements: the webhook of each delivery is one load
    assert counts[0] == counts[1], sql_counter.statements
