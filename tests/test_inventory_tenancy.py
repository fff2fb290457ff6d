"""Inventory across companies: another company's warehouses, moves, transfers and
adjustments are not found by id, not listed, and not reachable through an item."""

from __future__ import annotations

from tests.factories import Api
from tests.inventory import adjust, stock_of, transfer, warehouse

GET = """query($w: ID!, $m: ID!, $t: ID!, $a: ID!) {
  warehouse(id: $w) { name } stockMove(id: $m) { quantity }
  stockTransfer(id: $t) { notes } stockAdjustment(id: $a) { reason } }"""
LISTS = """{ warehouses { totalCount } stockMoves { totalCount } stockTransfers { totalCount }
  stockAdjustments { totalCount } }"""


async def test_another_companys_inventory_is_not_found(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    item = await api.item(owner)
    main, annex = await warehouse(api, owner, "Main"), await warehouse(api, owner, "Annex")
    adjusted = (await adjust(api, owner, main["id"], item["id"], "4"))["stockAdjustment"]
    moved = (await transfer(api, owner, main["id"], annex["id"], item["id"], "1"))["stockTransfer"]
    move = adjusted["moves"]["nodes"][0]
    assert move["sourceId"] == adjusted["objectId"]
    ids = {"w": main["id"], "t": moved["id"], "a": adjusted["id"]}
    moves = await api.data("{ stockMoves { nodes { id } } }", None, owner)
    ids["m"] = moves["stockMoves"]["nodes"][0]["id"]
    # the owner sees them all
    mine = await api.gql(GET, ids, owner)
    assert "errors" not in mine and all(mine["data"].values())
    # the other company finds none of them, lists none, and its items have no stock
    theirs = await api.gql(GET, ids, other)
    assert theirs["data"] == {
        "warehouse": None,
        "stockMove": None,
        "stockTransfer": None,
        "stockAdjustment": None,
    }
    assert {e["extensions"]["code"] for e in theirs["errors"]} == {"NOT_FOUND"}
    counts = (await api.data(LISTS, None, other)).values()
    assert [c["totalCount"] for c in counts] == [0, 0, 0, 0]
    own_item = await api.item(other)
    assert (await stock_of(api, other, own_item["id"]))["stock"] == []
    # and cannot move the owner's stock with the owner's ids
    refused = await transfer(api, other, main["id"], annex["id"], item["id"], "1")
    assert {e["code"] for e in refused["userErrors"]} == {"NOT_FOUND"}
