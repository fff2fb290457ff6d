"""The outbox: each write leaves its event, from GraphQL and REST alike, in the write's own
transaction (a refused write leaves none), and committed events reach in-process
listeners (gql/domains/events/outbox.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from gql.core.ids import decode_id
from gql.domains.catalogue.models import Item
from gql.domains.contacts.models import Contact
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint
from gql.domains.events.outbox import EventType, OutboxEvent, emit, subscribe_committed
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, tenant_db
from tests.helpdesk import ticket
from tests.inventory import adjust, warehouse
from tests.test_crm_graphql import DEAL_MOVE, deal, pipeline
from tests.test_payroll_concurrency import pay
from tests.test_payroll_graphql import approved, bank_account, employee

ERRORS = "userErrors { field message code }"
ISSUE = f"mutation($input: DocumentIdInput!) {{ documentIssue(input: $input) {{ {ERRORS} }} }}"
CANCEL = f"mutation($input: DocumentIdInput!) {{ documentCancel(input: $input) {{ {ERRORS} }} }}"
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
  transaction {{ id }} {ERRORS} }} }}"""
TICKET_UPDATE = f"""mutation($input: TicketUpdateInput!) {{ ticketUpdate(input: $input) {{
  ticket {{ id }} {ERRORS} }} }}"""


async def events_of(app: Any, tenant: Tenant) -> list[OutboxEvent]:
    async with tenant_db(app, tenant.company_id) as session:
        stmt = select(OutboxEvent).where(OutboxEvent.company_id == tenant.company_id)
        return list(await session.scalars(stmt.order_by(OutboxEvent.id)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
async def busy_company(api: Api) -> Tenant:
    """A company where every kind of event happened once at least."""
    owner = await api.register()
    contact = await api.contact(owner)  # REST
    r = await api.rest("PUT", f"/api/contacts/{contact['id']}", owner, json={"name": "Renamed"})
    assert r.status_code == 200, r.text
    item = await api.item(owner)
    store = await warehouse(api, owner, "Main")
    await adjust(api, owner, store["id"], item["id"], "5")
    invoice = await api.document(owner, contact["id"])
    await api.mutate("documentIssue", ISSUE, {"id": invoice["id"]}, owner)
    account = await bank_account(api, owner)
    payment = {"documentId": invoice["id"], "accountId": account["id"], "amount": "100"}
    await api.mutate("documentPaymentCreate", PAY, payment, owner)
    draft = await api.document(owner, contact["id"])
    await api.mutate("documentCancel", CANCEL, {"id": draft["id"]}, owner)
    p = await pipeline(api, owner)
    d = await deal(api, owner, p["id"])
    await api.mutate("dealMove", DEAL_MOVE, {"id": d["id"], "stageId": p["stages"][1]["id"]}, owner)
    t = await ticket(api, owner)
    await api.mutate("ticketUpdate", TICKET_UPDATE, {"id": t["id"], "priority": "HIGH"}, owner)
    await employee(api, owner, startDate="2025-01-01")
    run = await approved(api, owner)
    body = await api.data(pay(account["id"]), {"id": run["id"]}, owner)
    assert body["payRunPay"]["userErrors"] == []
    return owner


@pytest.mark.parametrize("kind", list(EventType), ids=lambda k: k.value)
async def test_each_event_type_is_emitted(app, busy_company, kind):
    # given a company where everything happened
    events = await events_of(app, busy_company)

    # then the outbox has that type's event, with the node's global id and company
    found = [e for e in events if e.type == kind.value]
    assert found, f"no {kind.value} among {[e.type for e in events]}"
    assert all(e.company_id == busy_company.company_id and e.node_id for e in found)
    assert [e.id for e in events] == sorted(e.id for e in events)  # ordered ids


async def test_a_refused_write_emits_nothing(api, app):
    # given an invoice without lines (issuing it is refused after its first checks)
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await api.document(owner, contact["id"], lines=[])
    before = await events_of(app, owner)

    # when it is issued, and refused
    body = await api.data(ISSUE, {"input": {"id": invoice["id"]}}, owner)

    # then nothing was committed, its event neither
    assert body["documentIssue"]["userErrors"][0]["code"] == "INVALID_STATE"
    assert [e.id for e in await events_of(app, owner)] == [e.id for e in before]


async def test_an_event_rolled_back_with_its_write_is_not_there(app, api):
    # given a company and a contact, with its event written in a transaction rolled back
    owner = await api.register()
    contact = await api.contact(owner)
    seen: list[list[OutboxEvent]] = []
    unsubscribe = subscribe_committed(seen.append)
    try:
        async with tenant_db(app, owner.company_id) as session:
            row = await session.get(Contact, contact["id"])
            await emit(session, type="contact.updated", row=row)
            await session.rollback()
        # then no listener heard of it and the outbox does not have it
        assert seen == []
        assert [e.type for e in await events_of(app, owner)] == ["contact.created"]

        # when one commits
        async with tenant_db(app, owner.company_id) as session:
            row = await session.get(Contact, contact["id"])
            await emit(session, type="contact.updated", row=row, payload={"name": "x"})
            await session.commit()
    finally:
        unsubscribe()

    # then the listener got exactly it, once
    assert [[(e.type, e.entity, e.payload) for e in batch] for batch in seen] == [
        [("contact.updated", "Contact", {"name": "x"})]
    ]


async def test_a_transactions_events_are_one_insert_each_delivered_as_its_own(
    app, api, sql_counter
):
    # given a company with a webhook endpoint for contact updates
    owner = await api.register()
    contact = await api.contact(owner)
    item = await api.item(owner)
    async with tenant_db(app, owner.company_id) as session:
        hook = WebhookEndpoint(  # type: ignore[call-arg]  # company_id: the tenant filter's
            url="https://hooks.example.com/in", event_types=["contact.updated"], secret="s"
        )
        session.add(hook)
        await session.commit()
    seen: list[list[OutboxEvent]] = []
    unsubscribe = subscribe_committed(seen.append)
    # when one transaction emits four events of two types, interleaved
    try:
        async with tenant_db(app, owner.company_id) as session:
            person = await session.get(Contact, contact["id"])
            product = await session.get(Item, decode_id(item["id"], "Item"))
            sql_counter.reset()
            for n, row in enumerate((product, person, product, person)):
                kind = "contact.updated" if row is person else "item.stock_changed"
                await emit(session, type=kind, row=row, payload={"n": n})
            await session.commit()
    finally:
        unsubscribe()

    # then its commit wrote them in ONE insert (and, on PostgreSQL, ONE statement of
    # notifications), in the order emitted
    written = [s for s in sql_counter.statements if "outbox_events" in s]
    notified = [s for s in sql_counter.statements if "pg_notify" in s]
    assert len(written) == 1 and len(notified) == (1 if IS_POSTGRES else 0)
    (batch,) = seen
    assert [e.payload["n"] for e in batch] == [0, 1, 2, 3]
    assert [e.id for e in batch] == sorted(e.id for e in batch)
    stored = {e.id: e.payload for e in await events_of(app, owner)}
    assert all(stored[e.id] == e.payload for e in batch)
    # and each contact update got its own delivery, naming that event
    async with tenant_db(app, owner.company_id) as session:
        deliveries = (await session.scalars(select(WebhookDelivery))).all()
    assert sorted((d.event_id, d.event_type) for d in deliveries) == [
        (batch[1].id, "contact.updated"),
        (batch[3].id, "contact.updated"),
    ]
