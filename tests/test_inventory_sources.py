"""StockMove's source edges: each move names what wrote it (an adjustment, a transfer,
an issued invoice or bill, a point-of-sale order) through the one edge of its kind,
the others null, the same on the compiled path and the resolver path, in a fixed
number of statements whatever the number of moves."""

from __future__ import annotations

from typing import Any

from scripts.benchmark.targets import answered_by
from tests.inventory import adjust, transfer, warehouse
from tests.pos import sell, till

SELECTION = """stockMoves(first: 50, orderBy: {field: CREATED_AT, direction: ASC}) { nodes {
  reason sourceType sourceId quantity
  document { objectId number } transfer { objectId } adjustment { objectId }
  posOrder { objectId } } }"""
MOVES = f"{{ {SELECTION} }}"
# A root fragment sends the query to the resolver path (gql/compiler/executor.py).
RESOLVER_MOVES = f"{{ ... on Query {{ {SELECTION} }} }}"
EDGE_OF = {
    "STOCK_ADJUSTMENT": "adjustment",
    "STOCK_TRANSFER": "transfer",
    "DOCUMENT": "document",
    "POS_ORDER": "posOrder",
}
ISSUE = "mutation($id: ID!) { documentIssue(input: {id: $id}) { userErrors { message } } }"


async def _moves_of_every_source(api: Any, tenant: Any, rounds: int = 1) -> None:
    main = await warehouse(api, tenant, "Main")  # (the first: the default)
    annex = await warehouse(api, tenant, "Annex")
    for _ in range(rounds):
        await _one_of_each(api, tenant, main, annex)


async def _one_of_each(api: Any, tenant: Any, main: Any, annex: Any) -> None:
    item = await api.item(tenant, name="Widget")
    await adjust(api, tenant, main["id"], item["id"], "10")
    await transfer(api, tenant, main["id"], annex["id"], item["id"], "2")
    customer = await api.contact(tenant, name="Buyer")
    invoice = await api.document(
        tenant, customer["id"], lines=[{"itemId": item["id"], "quantity": "1"}]
    )
    assert (await api.data(ISSUE, {"id": invoice["id"]}, tenant))["documentIssue"][
        "userErrors"
    ] == []
    session = (await till(api, tenant))["session"]
    await sell(api, tenant, session["id"], [{"itemId": item["id"], "quantity": "1"}])


async def test_every_move_names_its_source_on_both_paths(api: Any, resolver_client: Any) -> None:
    tenant = await api.register()
    await _moves_of_every_source(api, tenant)
    compiled = await api.client.post("/graphql", json={"query": MOVES}, headers=tenant.headers)
    reference = await resolver_client.post(
        "/graphql", json={"query": MOVES}, headers=tenant.headers
    )
    assert answered_by(compiled.content) == "compiled"
    assert compiled.json()["data"] == reference.json()["data"]
    moves = compiled.json()["data"]["stockMoves"]["nodes"]
    assert {m["sourceType"] for m in moves} == set(EDGE_OF)
    for move in moves:
        edge = EDGE_OF[move["sourceType"]]
        assert move[edge] is not None and move[edge]["objectId"] == move["sourceId"], move
        assert [e for e in EDGE_OF.values() if e != edge and move[e] is not None] == [], move
    invoice_moves = [m for m in moves if m["sourceType"] == "DOCUMENT"]
    assert invoice_moves[0]["reason"] == "SALE" and invoice_moves[0]["document"]["number"]


async def test_another_companys_moves_and_sources_stay_invisible(api: Any) -> None:
    tenant, stranger = await api.register(), await api.register()
    await _moves_of_every_source(api, tenant)
    theirs = await api.data(MOVES, None, stranger)
    assert theirs["stockMoves"]["nodes"] == []


async def test_the_source_edges_cost_the_same_statements_for_few_and_many_moves(
    api: Any, sql_counter: Any
) -> None:
    counts = []
    for rounds in (1, 3):
        tenant = await api.register()
        await _moves_of_every_source(api, tenant, rounds)
        for query in (MOVES, RESOLVER_MOVES):
            await api.client.post("/graphql", json={"query": query}, headers=tenant.headers)
            sql_counter.reset()  # (the first request of a viewer also remembers it)
            r = await api.client.post("/graphql", json={"query": query}, headers=tenant.headers)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            counts.append(sql_counter.count)
    # the compiled path: one round trip; the resolver path: the same few whatever the size
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
