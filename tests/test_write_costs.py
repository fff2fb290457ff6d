"""What the write path saves (issue 9): a company without webhooks is not read for them,
a REST answer's derived values come from the row in hand, and rows built with
`new_row` are the rows the constructor builds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gql.compiler.sqlenv import SqlEnv
from gql.core.held_values import held_values
from gql.core.loaders import computed_values
from gql.db.construct import new_row
from gql.domains.documents.computed import DERIVED
from gql.domains.documents.models import Document, DocumentLine
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint
from tests.factories import count_rows, tenant_db

CONTACT = """mutation($input: ContactCreateInput!) { contactCreate(input: $input) {
  contact { id } userErrors { message } } }"""
ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
  document { status } userErrors { message } } }"""
PAST = (date.today() - timedelta(days=10)).isoformat()
LONG_AGO = (date.today() - timedelta(days=40)).isoformat()


async def _add_contact(api, tenant, name):
    payload = (await api.data(CONTACT, {"input": {"name": name, "type": "CUSTOMER"}}, tenant))[
        "contactCreate"
    ]
    assert payload["userErrors"] == []


async def test_a_write_reads_webhook_endpoints_only_when_its_company_has_one(api, app, sql_counter):
    # given a company without webhooks
    owner = await api.register()
    # when it writes, then its endpoints are not read
    sql_counter.reset()
    await _add_contact(api, owner, "First")
    assert not [s for s in sql_counter.statements if s.startswith("SELECT webhook_endpoint")]
    # given an active endpoint for contact.created, and an inactive one
    async with tenant_db(app, owner.company_id) as session:
        for active in (True, False):
            session.add(
                WebhookEndpoint(
                    url="https://hooks.example.com/in",
                    event_types=["contact.created"],
                    active=active,
                    secret="s" * 32,
                )
            )
        await session.commit()
    # when it writes again, then the write queues one delivery (the active endpoint's)
    await _add_contact(api, owner, "Second")
    assert await count_rows(app, WebhookDelivery, owner.company_id) == 1


async def test_derived_values_held_agree_with_sql(api, app):
    # given a draft, an overdue issued invoice, one issued and not yet due, and a zero one
    owner = await api.register()
    contact = await api.contact(owner)
    free = [{"name": "Goodwill", "quantity": "1", "unitPrice": "0"}]
    docs = [
        await api.document(owner, contact["id"]),
        await api.document(owner, contact["id"], issueDate=LONG_AGO, dueDate=PAST),
        await api.document(owner, contact["id"], dueDate=date.today().isoformat()),
        await api.document(owner, contact["id"], free, issueDate=LONG_AGO, dueDate=PAST),
    ]
    for doc in docs[1:]:
        issued = (await api.data(ISSUE, {"input": {"id": doc["id"]}}, owner))["documentIssue"]
        assert issued["userErrors"] == []
    async with tenant_db(app, owner.company_id) as session:
        rows = [await session.get(Document, d["objectId"]) for d in docs]
        env = SqlEnv(
            dialect=session.bind.dialect.name, tenant_id=owner.company_id, today=date.today()
        )
        specs = list(DERIVED.values())
        # when the derived values are evaluated over the rows in hand, and by SQL
        held = held_values(Document, specs, rows, env)
        by_sql = await computed_values(session, Document, specs, [r.id for r in rows])
    # then they are the same, and they are what the documents are
    assert held == by_sql
    assert [held[r.id][1] for r in rows] == [False, True, False, False]  # overdue


def test_new_row_is_the_constructors_row():
    # given the values of a document line
    values = {
        "document_id": "d" * 24,
        "position": 0,
        "name": "Work",
        "quantity": Decimal("2.0000"),
        "unit_price": Decimal("12.5000"),
        "tax_rate": Decimal("20.0000"),
        "net": Decimal("25.00"),
        "tax_amount": Decimal("5.00"),
    }
    # when a row is built with new_row and with the constructor
    fast, built = new_row(DocumentLine, **values), DocumentLine(**values)
    # then they hold the same values and defaults (each its own id)
    skip = {"id", "created_at", "updated_at"}
    assert fast.model_dump(exclude=skip) == built.model_dump(exclude=skip)
    assert fast.id and fast.id != built.id and fast.created_at is not None
    assert fast.model_fields_set == built.model_fields_set


def test_new_row_refuses_what_is_not_a_column():
    with pytest.raises(TypeError, match="no \\['colour'\\]"):
        new_row(DocumentLine, colour="red")
