"""Contracts reads: a fixed number of SQL statements whatever the page size (one per root
field on the compiled path, one per level on the resolver path), for each root list and
nested edge, and the compiled path answering exactly as the resolvers do."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import StatementCounter
from tests.factories import VIEWER_STATEMENTS, Api, Tenant
from tests.test_banking_queries import both, resolver_path, run
from tests.test_contracts_graphql import (
    CONTRACT_SIGN,
    PROPOSAL_ACCEPT,
    PROPOSAL_SEND,
    contract,
    proposal,
)

__all__ = ["resolver_path"]  # the fixture, shared with the banking reads

CONTRACTS_BARE = "query($first: Int!) { contracts(first: $first) { nodes { title } } }"
CONTRACTS_WITH_EDGES = """query($first: Int!) { contracts(first: $first) { totalCount nodes {
    title status value { amount currency } contact { name } proposal { title status } } } }"""
PROPOSALS_BARE = "query($first: Int!) { proposals(first: $first) { nodes { title } } }"
PROPOSALS_WITH_EDGES = """query($first: Int!) { proposals(first: $first) { totalCount nodes {
    title status contact { name } sections { position title body }
    contract { title status } } } }"""
CONTACTS_BARE = "query($first: Int!) { contacts(first: $first) { nodes { name } } }"
CONTACTS_WITH_CONTRACTS = """query($first: Int!) { contacts(first: $first) { nodes { name
    contracts(first: 2) { totalCount nodes { title status } } } } }"""
CONTACTS_WITH_PROPOSALS = """query($first: Int!) { contacts(first: $first) { nodes { name
    proposals(first: 2, filter: {status: ACCEPTED}) { totalCount nodes { title
      sections { title } contract { title } } } } } }"""


async def portfolio(api: Api, tenant: Tenant, size: int = 10) -> dict[str, list[str]]:
    """`size` contacts, each with a signed contract and a draft, and a proposal accepted
    into a contract with two sections."""
    start = date.today() - timedelta(days=3)
    ids: dict[str, list[str]] = {"contracts": [], "proposals": []}
    for n in range(size):
        contact = (await api.contact(tenant, name=f"Client {n:02d}"))["id"]
        first = await contract(
            api, tenant, contact, title=f"Support {n:02d}", value=f"{n}.5", startDate=str(start)
        )
        await api.mutate("contractSign", CONTRACT_SIGN, {"id": first["id"]}, tenant)
        await contract(api, tenant, contact, title=f"Draft {n:02d}")
        offer = await proposal(api, tenant, contact, title=f"Offer {n:02d}")
        await api.mutate("proposalSend", PROPOSAL_SEND, {"id": offer["id"]}, tenant)
        accepted = await api.mutate(
            "proposalAccept",
            PROPOSAL_ACCEPT,
            {"id": offer["id"], "contract": {"endDate": "2099-01-01"}},
            tenant,
        )
        ids["contracts"].append(first["id"])
        ids["proposals"].append(accepted["proposal"]["id"])
    return ids


@pytest.fixture(scope="module")
async def world(api: Api) -> dict[str, Any]:
    owner, other = await api.register(), await api.register()
    own = await portfolio(api, owner)
    foreign = await portfolio(api, other, size=2)
    return {"owner": owner, "other": other, "own": own, "foreign": foreign}


CASES = [
    ("contracts", CONTRACTS_BARE, CONTRACTS_WITH_EDGES, 3),  # status, contact, proposal
    (
        "proposals",
        PROPOSALS_BARE,
        PROPOSALS_WITH_EDGES,
        4,
    ),  # contact, sections, contract, its status
    ("contacts", CONTACTS_BARE, CONTACTS_WITH_CONTRACTS, 2),  # contracts page, their status
    ("contacts", CONTACTS_BARE, CONTACTS_WITH_PROPOSALS, 3),  # proposals page, sections, contract
]


@pytest.mark.parametrize(("root", "bare", "query", "levels"), CASES)
async def test_compiled_path_answers_with_one_statement_whatever_the_page(
    api: Api, sql_counter: Any, world: dict[str, Any], root: str, bare: str, query: str, levels: int
) -> None:
    two, two_body = await run(api, sql_counter, query, world["owner"], first=2)
    ten, ten_body = await run(api, sql_counter, query, world["owner"], first=10)
    assert ten_body["extensions"]["executors"] == {root: "compiled"}
    assert len(two_body["data"][root]["nodes"]) == 2 and len(ten_body["data"][root]["nodes"]) == 10
    assert two == ten == VIEWER_STATEMENTS + 1, sql_counter.statements


@pytest.mark.parametrize(("root", "bare", "query", "levels"), CASES)
async def test_resolver_path_takes_one_statement_per_level(
    world: dict[str, Any],
    resolver_path: tuple[Api, StatementCounter],
    root: str,
    bare: str,
    query: str,
    levels: int,
) -> None:
    reference, counter = resolver_path
    plain, _ = await run(reference, counter, bare, world["owner"], first=10)
    two, _ = await run(reference, counter, query, world["owner"], first=2)
    ten, body = await run(reference, counter, query, world["owner"], first=10)
    assert len(body["data"][root]["nodes"]) == 10
    assert two == ten == plain + levels, counter.statements


async def test_rest_lists_take_a_fixed_few_statements(
    api: Api, sql_counter: Any, world: dict[str, Any]
) -> None:
    # the page with its total, then the contacts and the statuses (or the sections)
    for path in ("/api/contracts", "/api/contracts/proposals"):
        counts = []
        for limit in (2, 10):
            sql_counter.reset()
            r = await api.rest("GET", f"{path}?limit={limit}", world["owner"])
            assert r.status_code == 200 and len(r.json()["data"]) == limit
            counts.append(sql_counter.count)
        assert counts[0] == counts[1] <= VIEWER_STATEMENTS + 4, (path, sql_counter.statements)


CONTRACT_FIELDS = """id objectId title description startDate endDate status signedAt
    terminatedAt terminationReason currencyCode createdAt updatedAt value { amount currency }
    contact { name } proposal { title status sections { title } }"""
PROPOSAL_FIELDS = """id objectId title status currencyCode sentAt acceptedAt declinedAt createdAt
    updatedAt value { amount currency } contact { name }
    sections { id objectId position title body } contract { title status endDate }"""
PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

AGREEING_QUERIES = [
    f"{{ contracts {{ {PAGE} edges {{ cursor node {{ {CONTRACT_FIELDS} }} }} }} }}",
    f"{{ proposals {{ {PAGE} nodes {{ {PROPOSAL_FIELDS} }} }} }}",
    """{ contracts(filter: {status: ACTIVE}, orderBy: {field: VALUE, direction: DESC}, first: 3) {
        totalCount nodes { title status value { amount } } } }""",
    '{ contracts(filter: {search: "draft"}, last: 2) { totalCount nodes { title } } }',
    '{ proposals(filter: {status: DRAFT, search: "x"}) { totalCount } }',
    """{ contacts(last: 3) { nodes { name
        contracts(orderBy: {field: TITLE, direction: ASC}) { totalCount nodes { title status } }
        proposals(first: 1) { totalCount nodes { title contract { status } } } } } }""",
]


@pytest.mark.parametrize("query", AGREEING_QUERIES)
async def test_lists_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any], query: str
) -> None:
    compiled, reference = await both(api, resolver_client, query, world["owner"])
    assert compiled == reference
    assert not compiled.get("errors")


@pytest.mark.parametrize(
    ("field", "key", "selection"),
    [("contract", "contracts", CONTRACT_FIELDS), ("proposal", "proposals", PROPOSAL_FIELDS)],
)
async def test_single_objects_agree(
    api: Api,
    resolver_client: httpx.AsyncClient,
    world: dict[str, Any],
    field: str,
    key: str,
    selection: str,
) -> None:
    for ref in (world["own"][key][3], world["foreign"][key][0], "0" * 24, "garbage"):
        query = f'{{ {field}(id: "{ref}") {{ {selection} }} }}'
        compiled, reference = await both(api, resolver_client, query, world["owner"])
        assert compiled == reference, query
        if ref == world["own"][key][3]:
            assert compiled["data"][field] is not None
        else:
            assert compiled["data"][field] is None
            assert [e["extensions"]["code"] for e in compiled["errors"]] == ["NOT_FOUND"]
