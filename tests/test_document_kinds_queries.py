"""Reading the new document fields: statement counts (page of 2 vs 10, both read
paths), the compiled path answering them, and agreeing with the resolver path to
the byte. And credit notes applied concurrently: never more than the invoice."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import IS_POSTGRES, StatementCounter, counting
from tests.factories import DIRECT_VIEWER_STATEMENTS
from tests.inventory import allow_negative_stock

LINKED = """
query($first: Int!) {
  documents(first: $first, filter: {kind: INVOICE}, orderBy: {field: NUMBER, direction: ASC}) {
    totalCount
    nodes {
      number status expired expiryDate amountCredited { amount } amountDue { amount currency }
      parent { number kind status expired children { number } }
      children { number kind status amountDue { amount } voucher { number } }
      voucher { number date total { amount currency } lines { debit credit account { code } } }
    }
  }
}"""

ISSUE = """
mutation($i: DocumentIdInput!) { documentIssue(input: $i) { userErrors { field message code } } }
"""
CONVERT = """
mutation($i: DocumentIdInput!) {
  estimateConvert(input: $i) { document { id } userErrors { message } }
}"""
ISSUE_RESULT = """
mutation($i: DocumentIdInput!) {
  documentIssue(input: $i) { document { status } userErrors { field message code } }
}"""


async def _issue(api, tenant, doc_id):
    data = await api.data(ISSUE, {"i": {"id": doc_id}}, tenant)
    assert data["documentIssue"]["userErrors"] == []


async def _seed(api, owner, count: int) -> None:
    """`count` estimates, each converted to an invoice that is issued and credited."""
    tax = await api.tax(owner, rate="20")
    contact = await api.contact(owner)
    for i in range(count):
        est = await api.document(
            owner,
            contact["id"],
            kind="ESTIMATE",
            expiryDate="2099-01-01",
            lines=[{"name": "Work", "unitPrice": str(100 + i), "taxId": tax["id"]}],
        )
        data = await api.data(CONVERT, {"i": {"id": est["id"]}}, owner)
        invoice_id = data["estimateConvert"]["document"]["id"]
        await _issue(api, owner, invoice_id)
        note = await api.document(
            owner,
            contact["id"],
            kind="CREDIT_NOTE",
            invoiceId=invoice_id,
            lines=[{"name": "Back", "unitPrice": "10"}],
        )
        await _issue(api, owner, note["id"])


@pytest.fixture
def resolver_sql(resolver_client: Any) -> Iterator[StatementCounter]:
    """Counts the statements of the app behind `resolver_client` (compiled reads off)."""
    with counting(resolver_client._transport.app, StatementCounter()) as counter:
        yield counter


async def _post(client, tenant, query, variables):
    r = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=tenant.headers
    )
    body = r.json()
    assert not body.get("errors"), body["errors"]
    return body


@pytest.fixture(scope="module")
async def seeded(api: Any) -> Any:
    owner = await api.register()
    await allow_negative_stock(api, owner)
    await _seed(api, owner, 10)
    return owner


async def test_parent_children_and_voucher_batch_per_level_on_the_resolver_path(
    api, resolver_client, resolver_sql, seeded
):
    # when pages of 2 and of 10 invoices ask for their parent, children, voucher and its lines
    resolver_sql.reset()
    small = await _post(resolver_client, seeded, LINKED, {"first": 2})
    small_count = resolver_sql.count
    resolver_sql.reset()
    large = await _post(resolver_client, seeded, LINKED, {"first": 10})
    large_count = resolver_sql.count
    # then both issue the same statements: one per level, nothing per row
    assert (
        len(small["data"]["documents"]["nodes"]) == 2
        and len(large["data"]["documents"]["nodes"]) == 10
    )
    assert small_count == large_count, resolver_sql.statements
    node = large["data"]["documents"]["nodes"][0]
    assert node["parent"]["kind"] == "ESTIMATE" and node["parent"]["status"] == "CONVERTED"
    assert node["parent"]["children"] == [{"number": node["number"]}]
    assert (
        node["children"][0]["kind"] == "CREDIT_NOTE" and node["children"][0]["voucher"] is not None
    )
    assert node["voucher"]["total"]["amount"] == "120.00" and len(node["voucher"]["lines"]) == 3
    assert node["amountCredited"]["amount"] == "10.00" and node["amountDue"]["amount"] == "110.00"


async def test_the_compiled_path_answers_the_new_fields_in_one_statement(api, sql_counter, seeded):
    counts = []
    for first in (2, 10):
        await api.gql(LINKED, {"first": first}, seeded)  # warm the plan cache
        sql_counter.reset()
        body = await api.gql(LINKED, {"first": first}, seeded)
        assert not body.get("errors"), body["errors"]
        assert body["extensions"]["executors"] == {"documents": "compiled"}
        counts.append(sql_counter.count)
    assert counts == [DIRECT_VIEWER_STATEMENTS + 1] * 2, sql_counter.statements


async def _both(api, resolver_client, query, tenant, variables=None):
    compiled = await api.client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=tenant.headers
    )
    reference = await resolver_client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=tenant.headers
    )
    a, b = compiled.json(), reference.json()
    executors = a.pop("extensions", {}).get("executors")
    b.pop("extensions", None)
    return a, b, executors


AGREE = [
    LINKED.replace("query($first: Int!)", "query").replace("$first", "10"),
    """{ documents(filter: {expired: true}) {
         totalCount nodes { number expired expiryDate status } } }""",
    """{ documents(filter: {expired: false, kind: ESTIMATE}, last: 3) {
         totalCount nodes { number expired parent { number } children { number kind } } } }""",
    """{ documents(filter: {kind: CREDIT_NOTE}, first: 4) { nodes {
         number parent { number amountCredited { amount } amountDue { amount } overdue }
         voucher { number lines { debit credit description account { code name } } } } } }""",
]


async def test_compiled_and_resolver_paths_agree_on_the_new_fields(api, resolver_client, seeded):
    # given also an expired estimate and a document filtered by its parent
    contact = await api.contact(seeded)
    old = await api.document(
        seeded,
        contact["id"],
        kind="ESTIMATE",
        issueDate="2025-01-01",
        expiryDate="2025-02-01",
        lines=[{"name": "Old", "unitPrice": "1"}],
    )
    await _issue(api, seeded, old["id"])
    listed = await api.data(
        "{ documents(filter: {kind: INVOICE}, first: 1) { nodes { id } } }", tenant=seeded
    )
    parent_id = listed["documents"]["nodes"][0]["id"]
    queries = [
        *AGREE,
        f"""{{ documents(filter: {{parentId: "{parent_id}"}}) {{
              totalCount nodes {{ number kind parent {{ id }} }} }} }}""",
        f"""{{ document(id: "{parent_id}") {{ number parent {{ number }}
              children {{ number voucher {{ number }} }} voucher {{ total {{ amount }} }} }} }}""",
        f"""{{ document(id: "{old["id"]}") {{
              expired voucher {{ number }} parent {{ number }} children {{ number }} }} }}""",
    ]
    for query in queries:
        compiled, reference, executors = await _both(api, resolver_client, query, seeded)
        assert compiled == reference, query
        assert "errors" not in compiled, compiled
        assert set(executors.values()) == {"compiled"}, (query, executors)
    expired = await _both(api, resolver_client, AGREE[1], seeded)
    assert [n["number"] for n in expired[0]["data"]["documents"]["nodes"]] == [old["number"]]


async def test_another_companys_documents_do_not_leak_through_the_new_edges(
    api, resolver_client, seeded
):
    # given a company whose invoice's id is used as a parentId filter elsewhere
    stranger = await api.register()
    listed = await api.data(
        "{ documents(filter: {kind: INVOICE}, first: 1) { nodes { id } } }", tenant=seeded
    )
    foreign = listed["documents"]["nodes"][0]["id"]
    for query in (
        f'{{ documents(filter: {{parentId: "{foreign}"}}) {{ totalCount nodes {{ number }} }} }}',
        f'{{ document(id: "{foreign}") {{ number children {{ number }} voucher {{ number }} }} }}',
        """{ documents { totalCount nodes {
             parent { number } children { number } voucher { number } } } }""",
    ):
        compiled, reference, _ = await _both(api, resolver_client, query, stranger)
        assert compiled == reference
        data = compiled["data"]
        if "documents" in data:
            assert data["documents"]["totalCount"] == 0
        else:
            assert (
                data["document"] is None
                and compiled["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            )


# --- concurrency ---------------------------------------------------------------------------


async def test_two_credit_notes_issued_at_once_never_credit_more_than_the_invoice(api, app):
    # given an issued invoice of 100 and two draft credit notes of 60 against it
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await api.document(owner, contact["id"], lines=[{"name": "Work", "unitPrice": "100"}])
    await _issue(api, owner, invoice["id"])
    notes = [
        await api.document(
            owner,
            contact["id"],
            kind="CREDIT_NOTE",
            invoiceId=invoice["id"],
            lines=[{"name": "Back", "unitPrice": "60"}],
        )
        for _ in range(2)
    ]
    # when both are issued at the same moment
    results = await asyncio.gather(
        *(api.data(ISSUE_RESULT, {"i": {"id": note["id"]}}, owner) for note in notes)
    )
    # then exactly one is issued; the other is refused for exceeding what is due
    outcomes = sorted(
        "issued" if r["documentIssue"]["document"] else r["documentIssue"]["userErrors"][0]["code"]
        for r in results
    )
    assert outcomes == ["INVALID_STATE", "issued"], results
    data = await api.data(
        """query($id: ID!) { document(id: $id) {
             status amountCredited { amount } amountDue { amount }
             children { status voucher { total { amount } } } } }""",
        {"id": invoice["id"]},
        owner,
    )
    doc = data["document"]
    assert doc["amountCredited"]["amount"] == "60.00" and doc["amountDue"]["amount"] == "40.00"
    assert sorted(c["status"] for c in doc["children"]) == ["DRAFT", "SENT"]
    assert sorted(
        (c["voucher"] or {}).get("total", {}).get("amount", "-") for c in doc["children"]
    ) == ["-", "60.00"]


@pytest.mark.skipif(not IS_POSTGRES, reason="row locks under real concurrency: the PostgreSQL pass")
async def test_many_credit_notes_at_once_add_up_exactly_on_postgresql(api):
    # given an invoice of 100 and ten credit notes of 15: at most six fit
    owner = await api.register()
    contact = await api.contact(owner)
    invoice = await api.document(owner, contact["id"], lines=[{"name": "Work", "unitPrice": "100"}])
    await _issue(api, owner, invoice["id"])
    notes = [
        await api.document(
            owner,
            contact["id"],
            kind="CREDIT_NOTE",
            invoiceId=invoice["id"],
            lines=[{"name": "Back", "unitPrice": "15"}],
        )
        for _ in range(10)
    ]
    results = await asyncio.gather(
        *(api.data(ISSUE_RESULT, {"i": {"id": n["id"]}}, owner) for n in notes)
    )
    issued = [r for r in results if r["documentIssue"]["document"]]
    assert len(issued) == 6
    data = await api.data(
        "query($id: ID!) { document(id: $id) { amountCredited { amount } amountDue { amount } } }",
        {"id": invoice["id"]},
        owner,
    )
    assert data["document"] == {
        "amountCredited": {"amount": "90.00"},
        "amountDue": {"amount": "10.00"},
    }
