"""A document's derived values (gql/domains/documents/computed.py) are one SQL
expression each: the GraphQL field on both read paths, the GraphQL filter and REST
all answer the same, for the edge cases where a Python twin used to disagree."""

from __future__ import annotations

from datetime import date, timedelta

ISSUE = """
mutation($input: DocumentIdInput!) {
  documentIssue(input: $input) { document { status } userErrors { field message code } }
}"""

DERIVED = "number overdue expired amountDue { amount }"
BY_ID = f"query($id: ID!) {{ document(id: $id) {{ {DERIVED} }} }}"
OVERDUE_LIST = f"""
query($overdue: Boolean!) {{
  documents(filter: {{overdue: $overdue}}) {{ totalCount nodes {{ {DERIVED} }} }}
}}"""

PAST = (date.today() - timedelta(days=10)).isoformat()
LONG_AGO = (date.today() - timedelta(days=40)).isoformat()


async def _both_paths(api, resolver_client, query, variables, tenant):
    """The data on the compiled path (checked to be it) and on the resolver path (the
    app with compiled reads off)."""
    compiled = await api.gql(query, variables, tenant)
    assert set(compiled["extensions"]["executors"].values()) == {"compiled"}, compiled
    r = await resolver_client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=tenant.headers
    )
    resolved = r.json()
    assert not resolved.get("errors") and "executors" not in resolved.get("extensions", {})
    return compiled["data"], resolved["data"]


async def test_a_zero_total_invoice_past_its_due_date_is_not_overdue_anywhere(api, resolver_client):
    # given an issued invoice of total 0, due ten days ago, and an issued unpaid one
    owner = await api.register()
    contact = await api.contact(owner)
    free = await api.document(
        owner,
        contact["id"],
        lines=[{"name": "Goodwill", "quantity": "1", "unitPrice": "0"}],
        issueDate=LONG_AGO,
        dueDate=PAST,
    )
    owed = await api.document(owner, contact["id"], issueDate=LONG_AGO, dueDate=PAST)
    for doc in (free, owed):
        await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    assert free["total"]["amount"] == "0.00"

    # when its field, the overdue filter (both ways) and REST are asked, on both paths
    field_compiled, field_resolved = await _both_paths(
        api, resolver_client, BY_ID, {"id": free["id"]}, owner
    )
    overdue_compiled, overdue_resolved = await _both_paths(
        api, resolver_client, OVERDUE_LIST, {"overdue": True}, owner
    )
    current_compiled, current_resolved = await _both_paths(
        api, resolver_client, OVERDUE_LIST, {"overdue": False}, owner
    )
    rest = await api.rest("GET", f"/api/documents/{free['objectId']}", owner)
    rest_list = await api.rest("GET", "/api/documents", owner)

    # then every one says: the free invoice is not overdue, the unpaid one is
    expected = {"number": free["number"], "overdue": False, "expired": False}
    for data in (field_compiled, field_resolved):
        assert data["document"] == {**expected, "amountDue": {"amount": "0.00"}}
    for data in (overdue_compiled, overdue_resolved):
        assert data["documents"]["totalCount"] == 1
        assert [n["number"] for n in data["documents"]["nodes"]] == [owed["number"]]
        assert data["documents"]["nodes"][0]["overdue"] is True
    for data in (current_compiled, current_resolved):
        assert [n["number"] for n in data["documents"]["nodes"]] == [free["number"]]
        assert data["documents"]["nodes"][0]["overdue"] is False
    assert overdue_compiled == overdue_resolved and current_compiled == current_resolved
    assert rest.status_code == 200, rest.text
    assert rest.json()["data"]["overdue"] is False
    assert rest.json()["data"]["amountDue"] == 0
    listed = {d["number"]: d["overdue"] for d in rest_list.json()["data"]}
    assert listed == {free["number"]: False, owed["number"]: True}
