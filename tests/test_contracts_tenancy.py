"""Contracts and proposals across companies: another company's contact, contract or
proposal behaves exactly like an id that does not exist, at write time and at read
time, on both read paths and over REST; and the module gate holds on every path."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant
from tests.test_contracts_graphql import (
    CONTRACT_CREATE,
    CONTRACT_DELETE,
    CONTRACT_SIGN,
    CONTRACT_TERMINATE,
    CONTRACT_UPDATE,
    PROPOSAL_ACCEPT,
    PROPOSAL_CREATE,
    PROPOSAL_DECLINE,
    PROPOSAL_DELETE,
    PROPOSAL_SEND,
    PROPOSAL_UPDATE,
    contract,
    refused,
    sent,
)

NOT_FOUND = "NOT_FOUND"


async def two_companies(api: Api) -> tuple[Tenant, Tenant, dict[str, Any], dict[str, Any]]:
    """Two companies, the second with a contract and a sent proposal of its own."""
    owner, other = await api.register(), await api.register()
    theirs = await api.contact(other, name="Their customer")
    their_contract = await contract(api, other, theirs["id"], title="Their contract")
    their_proposal = await sent(api, other, theirs["id"], title="Their proposal")
    return owner, other, their_contract, their_proposal


async def test_another_companys_contact_is_refused_at_write_time(api):
    owner, other, _, _ = await two_companies(api)
    foreign = (await api.contact(other))["id"]
    mine = (await api.contact(owner))["id"]
    draft = await contract(api, owner, mine)
    for name, query, input in (
        ("contractCreate", CONTRACT_CREATE, {"title": "T", "contactId": foreign}),
        ("proposalCreate", PROPOSAL_CREATE, {"title": "T", "contactId": foreign}),
        ("contractUpdate", CONTRACT_UPDATE, {"id": draft["id"], "contactId": foreign}),
    ):
        errors = await refused(api, owner, name, query, input)
        assert errors == [
            {"field": ["input", "contactId"], "message": "Contact not found", "code": NOT_FOUND}
        ], name
    for path in ("/api/contracts", "/api/contracts/proposals"):
        r = await api.rest("POST", path, owner, json={"title": "T", "contact": foreign})
        assert r.status_code == 400
        assert r.json()["errors"] == [
            {"field": "contact", "message": "Contact not found", "code": NOT_FOUND}
        ]


async def test_another_companys_contract_or_proposal_is_not_found_by_any_mutation(api):
    owner, other, their_contract, their_proposal = await two_companies(api)
    cases = [
        ("contractUpdate", CONTRACT_UPDATE, {"id": their_contract["id"], "title": "Mine"}),
        ("contractSign", CONTRACT_SIGN, {"id": their_contract["id"]}),
        ("contractTerminate", CONTRACT_TERMINATE, {"id": their_contract["id"]}),
        ("contractDelete", CONTRACT_DELETE, {"id": their_contract["id"]}),
        ("proposalUpdate", PROPOSAL_UPDATE, {"id": their_proposal["id"], "title": "Mine"}),
        ("proposalSend", PROPOSAL_SEND, {"id": their_proposal["id"]}),
        ("proposalAccept", PROPOSAL_ACCEPT, {"id": their_proposal["id"], "contract": {}}),
        ("proposalDecline", PROPOSAL_DECLINE, {"id": their_proposal["id"]}),
        ("proposalDelete", PROPOSAL_DELETE, {"id": their_proposal["id"]}),
    ]
    for name, query, input in cases:
        errors = await refused(api, owner, name, query, input)
        what = "Contract" if name.startswith("contract") else "Proposal"
        assert errors == [
            {"field": ["input", "id"], "message": f"{what} not found", "code": NOT_FOUND}
        ], name
    # and theirs are untouched
    data = await api.data(
        "{ contracts { nodes { title status } } proposals { nodes { title status contract { id } } } }",
        None,
        other,
    )
    assert data["contracts"]["nodes"] == [{"title": "Their contract", "status": "DRAFT"}]
    assert data["proposals"]["nodes"] == [
        {"title": "Their proposal", "status": "SENT", "contract": None}
    ]


async def test_another_companys_rows_are_invisible_on_both_paths_and_over_rest(
    api, resolver_client
):
    owner, other, their_contract, their_proposal = await two_companies(api)
    mine = await api.contact(owner, name="Mine")
    await contract(api, owner, mine["id"], title="My contract")
    their_contact = (await api.data("{ contacts { nodes { id } } }", None, other))["contacts"][
        "nodes"
    ][0]["id"]
    queries = [
        f'{{ contract(id: "{their_contract["id"]}") {{ title }} }}',
        f'{{ proposal(id: "{their_proposal["id"]}") {{ title }} }}',
    ]
    for query in queries:
        for client in (api.client, resolver_client):
            r = await client.post("/graphql", json={"query": query}, headers=owner.headers)
            answer = r.json()
            assert list(answer["data"].values()) == [None], query
            assert answer["errors"][0]["extensions"]["code"] == NOT_FOUND
    ids = [their_contract["id"], their_proposal["id"]]
    nodes = await api.gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}, owner)
    assert nodes["data"] == {"nodes": [None, None]}
    assert {e["extensions"]["code"] for e in nodes["errors"]} == {NOT_FOUND}
    lists = f"""{{ contracts {{ totalCount nodes {{ title contact {{ name }} }} }}
      proposals {{ totalCount }}
      filtered: contracts(filter: {{contactId: "{their_contact}"}}) {{ totalCount }} }}"""
    for client in (api.client, resolver_client):
        r = await client.post("/graphql", json={"query": lists}, headers=owner.headers)
        data = r.json()["data"]
        assert data["contracts"] == {
            "totalCount": 1,
            "nodes": [{"title": "My contract", "contact": {"name": "Mine"}}],
        }
        assert data["proposals"]["totalCount"] == 0 and data["filtered"]["totalCount"] == 0
    r = await api.rest("GET", "/api/contracts", owner)
    assert [c["title"] for c in r.json()["data"]] == ["My contract"]
    r = await api.rest("GET", "/api/contracts/proposals", owner)
    assert r.json()["data"] == [] and r.json()["pagination"]["total"] == 0


async def test_the_module_switched_off_is_forbidden_on_both_paths(api, resolver_client):
    owner = await api.register()
    customer = await api.contact(owner)
    await contract(api, owner, customer["id"])
    await api.data(
        'mutation { moduleSet(input: {alias: "contracts", enabled: false}) { userErrors { message } } }',
        None,
        owner,
    )
    message = "The Contracts module (contracts) is not enabled for this company"
    for query in (
        "{ contracts { totalCount } }",
        "{ proposals { totalCount } }",
        "{ contacts { nodes { name contracts { totalCount } } } }",
        "{ contacts { nodes { name proposals { totalCount } } } }",
    ):
        for client in (api.client, resolver_client):
            r = await client.post("/graphql", json={"query": query}, headers=owner.headers)
            error = r.json()["errors"][0]
            assert (error["message"], error["extensions"]["code"]) == (message, "FORBIDDEN"), query
    payload = await api.gql(
        CONTRACT_CREATE, {"input": {"title": "T", "contactId": customer["id"]}}, owner
    )
    assert payload["errors"][0]["extensions"]["code"] == "FORBIDDEN"
